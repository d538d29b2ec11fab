package chat

import (
	"time"

	"safemeet/internal/meeting"
)

// The chat rate limit: at most RateMessages messages from one sender in any
// RateWindow.
const (
	RateMessages = 5
	RateWindow   = 5 * time.Second
)

// Limiter limits how often each participant may do something, over a sliding
// window. The zero value limits to RateMessages per RateWindow; use NewLimiter
// for another limit (e.g. for reactions). Time is passed in, so tests need no
// clock.
type Limiter struct {
	n      int
	window time.Duration
	// sent holds, per participant, the times of their last (at most n) allowed
	// actions, oldest first.
	sent map[meeting.ParticipantID][]time.Time
}

// NewLimiter returns a limiter allowing n actions per window for each participant.
func NewLimiter(n int, window time.Duration) *Limiter {
	return &Limiter{n: n, window: window}
}

// Allow reports whether id may act at now, and if so counts it. A refused
// action does not count, so someone who keeps trying is let through as soon
// as their oldest counted action is a whole window old.
func (l *Limiter) Allow(id meeting.ParticipantID, now time.Time) bool {
	n, window := l.n, l.window
	if n <= 0 {
		n, window = RateMessages, RateWindow
	}
	if l.sent == nil {
		l.sent = make(map[meeting.ParticipantID][]time.Time)
	}
	times := l.sent[id]
	for len(times) > 0 && now.Sub(times[0]) >= window {
		times = times[1:]
	}
	if len(times) >= n {
		l.sent[id] = times
		return false
	}
	if len(times) == cap(times) { // start afresh rather than grow forever
		times = append(make([]time.Time, 0, n), times...)
	}
	l.sent[id] = append(times, now)
	return true
}

// Forget drops what the limiter knows of id (when they leave the room).
func (l *Limiter) Forget(id meeting.ParticipantID) {
	delete(l.sent, id)
}
