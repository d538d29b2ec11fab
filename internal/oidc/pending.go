package oidc

import (
	"container/list"
	"crypto/subtle"
	"sync"
	"time"
)

// Recommended bounds for [NewPendings]: long enough to type a password and
// answer a second factor, and enough sign-ins in flight for any organisation
// while keeping a flood of started-and-abandoned ones to a few megabytes.
const (
	PendingTTL = 10 * time.Minute
	PendingMax = 10_000
)

// Pendings keeps sign-ins in progress in memory, each for at most a TTL and at
// most max of them (the oldest is dropped first). It is safe for concurrent use.
type Pendings struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	order   *list.List               // of Pending, oldest first
	byState map[string]*list.Element // into order
}

// NewPendings makes an empty set holding each sign-in for at most ttl, and at most
// n sign-ins (at least one).
func NewPendings(ttl time.Duration, n int) *Pendings {
	return &Pendings{ttl: ttl, max: max(n, 1), order: list.New(), byState: map[string]*list.Element{}}
}

// Put remembers p until it is taken, expires, or is pushed out by newer ones.
func (ps *Pendings) Put(p Pending) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if e, ok := ps.byState[p.State]; ok { // a repeated state would be a bug; keep the newer
		ps.remove(e)
	}
	ps.byState[p.State] = ps.order.PushBack(p)
	// All share one TTL, so the oldest expire first: prune from the front.
	for e := ps.order.Front(); e != nil && (len(ps.byState) > ps.max || ps.expired(e.Value.(Pending), p.Created)); e = ps.order.Front() {
		ps.remove(e)
	}
}

// Take removes and returns the pending sign-in for state if it exists, has not
// expired at now, and cookieState (from the browser's cookie) equals state. It
// is single use: a second Take of the same state fails. A wrong cookie leaves the
// sign-in in place, so that someone who learnt a state cannot cancel it.
func (ps *Pendings) Take(state, cookieState string, now time.Time) (Pending, bool) {
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(cookieState)) != 1 {
		return Pending{}, false
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	e, ok := ps.byState[state]
	if !ok {
		return Pending{}, false
	}
	ps.remove(e)
	p := e.Value.(Pending)
	if ps.expired(p, now) {
		return Pending{}, false
	}
	return p, true
}

func (ps *Pendings) expired(p Pending, now time.Time) bool {
	return !now.Before(p.Created.Add(ps.ttl))
}

func (ps *Pendings) remove(e *list.Element) {
	delete(ps.byState, e.Value.(Pending).State)
	ps.order.Remove(e)
}
