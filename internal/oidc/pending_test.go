package oidc

import (
	"sync"
	"testing"
	"time"

	"safemeet/internal/secret"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func pending(created time.Time) Pending {
	return Pending{State: secret.New(), Nonce: secret.New(), Verifier: secret.New(), Created: created}
}

func TestPendings_TakeWithinTTLWithTheRightCookieReturnsTheSignIn(t *testing.T) {
	ps := NewPendings(PendingTTL, PendingMax)
	p := pending(t0)
	ps.Put(p)
	got, ok := ps.Take(p.State, p.State, t0.Add(PendingTTL-time.Second))
	if !ok || got != p {
		t.Fatalf("Take() = %+v, %v; want %+v, true", got, ok, p)
	}
}

func TestPendings_AnExpiredSignInIsRefused(t *testing.T) {
	ps := NewPendings(PendingTTL, PendingMax)
	p := pending(t0)
	ps.Put(p)
	if _, ok := ps.Take(p.State, p.State, t0.Add(PendingTTL)); ok {
		t.Fatal("Take() at the TTL = true, want false")
	}
}

func TestPendings_AWrongCookieIsRefusedAndLeavesTheSignIn(t *testing.T) {
	ps := NewPendings(PendingTTL, PendingMax)
	p := pending(t0)
	ps.Put(p)
	for _, cookie := range []string{"", secret.New(), p.State + "x"} {
		if _, ok := ps.Take(p.State, cookie, t0); ok {
			t.Errorf("Take(cookie %q) = true, want false", cookie)
		}
	}
	if _, ok := ps.Take(p.State, p.State, t0); !ok {
		t.Error("Take(right cookie) after wrong ones = false, want true")
	}
}

func TestPendings_ASignInCanBeTakenOnlyOnce(t *testing.T) {
	ps := NewPendings(PendingTTL, PendingMax)
	p := pending(t0)
	ps.Put(p)
	if _, ok := ps.Take(p.State, p.State, t0); !ok {
		t.Fatal("first Take() = false, want true")
	}
	if _, ok := ps.Take(p.State, p.State, t0); ok {
		t.Fatal("second Take() = true, want false")
	}
}

func TestPendings_AnUnknownOrEmptyStateIsRefused(t *testing.T) {
	ps := NewPendings(PendingTTL, PendingMax)
	ps.Put(Pending{Created: t0}) // even if something with an empty state got in
	if _, ok := ps.Take("", "", t0); ok {
		t.Error(`Take("", "") = true, want false`)
	}
	s := secret.New()
	if _, ok := ps.Take(s, s, t0); ok {
		t.Error("Take(unknown) = true, want false")
	}
}

func TestPendings_TheOldestAreDroppedBeyondTheBound(t *testing.T) {
	ps := NewPendings(PendingTTL, 3)
	var all []Pending
	for i := range 5 {
		p := pending(t0.Add(time.Duration(i) * time.Second))
		all = append(all, p)
		ps.Put(p)
	}
	if n := len(ps.byState); n != 3 || ps.order.Len() != 3 {
		t.Fatalf("holding %d (list %d), want 3", n, ps.order.Len())
	}
	for i, p := range all {
		_, ok := ps.Take(p.State, p.State, t0.Add(time.Minute))
		if want := i >= 2; ok != want {
			t.Errorf("Take(sign-in %d) = %v, want %v", i, ok, want)
		}
	}
}

func TestPendings_PutForgetsExpiredSignIns(t *testing.T) {
	ps := NewPendings(PendingTTL, PendingMax)
	for range 10 {
		ps.Put(pending(t0))
	}
	late := pending(t0.Add(PendingTTL))
	ps.Put(late)
	if n := len(ps.byState); n != 1 {
		t.Fatalf("holding %d after the others expired, want 1", n)
	}
	if _, ok := ps.Take(late.State, late.State, late.Created); !ok {
		t.Fatal("Take(late) = false, want true")
	}
}

func TestPendings_IsSafeForConcurrentUse(t *testing.T) {
	ps := NewPendings(PendingTTL, 50)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range 200 {
				p := pending(t0.Add(time.Duration(i) * time.Millisecond))
				ps.Put(p)
				ps.Take(p.State, p.State, p.Created) // may miss: the others can push it out
			}
		})
	}
	wg.Wait()
	if n := len(ps.byState); n > 50 || n != ps.order.Len() {
		t.Fatalf("holding %d (list %d), want at most 50 and equal", n, ps.order.Len())
	}
}
