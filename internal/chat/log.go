package chat

import (
	"slices"
	"time"
)

// The room's chat history is bounded: the oldest messages are dropped once it
// holds MaxHistory messages or MaxHistoryBytes of text, whichever comes first.
// (Up to 1,000 typical messages; at least 128 of the longest.) It bounds what a
// late joiner is sent and what a room holds in memory; it is not the meeting's
// record.
const (
	MaxHistory      = 1000
	MaxHistoryBytes = 1 << 20
)

// Log is a room's recent chat, oldest first. The zero value is an empty log.
type Log struct {
	msgs  []Message // ascending ID
	last  uint64    // the last ID given
	bytes int       // len of every kept message's Text
}

// Add stores m with the next ID (overwriting m.ID) and returns it as stored.
// It may drop the oldest messages to stay within the bounds.
func (l *Log) Add(m Message) Message {
	l.last++
	m.ID = l.last
	l.msgs = append(l.msgs, m)
	l.bytes += len(m.Text)
	drop := 0
	for len(l.msgs)-drop > MaxHistory || (l.bytes > MaxHistoryBytes && len(l.msgs)-drop > 1) {
		l.bytes -= len(l.msgs[drop].Text)
		l.msgs[drop] = Message{} // let the text be collected
		drop++
	}
	// Reslicing keeps Add amortised O(1); append copies the kept tail when the
	// backing array fills.
	l.msgs = l.msgs[drop:]
	return m
}

// index returns where the message with id is, if the log holds it.
func (l *Log) index(id uint64) (int, bool) {
	return slices.BinarySearchFunc(l.msgs, id, func(m Message, id uint64) int {
		switch {
		case m.ID < id:
			return -1
		case m.ID > id:
			return 1
		}
		return 0
	})
}

// Find returns the message with id, if the log still holds it.
func (l *Log) Find(id uint64) (Message, bool) {
	if i, ok := l.index(id); ok {
		return l.msgs[i], true
	}
	return Message{}, false
}

// Delete removes the message with id, so nobody sees it again, and returns it
// (so the room can tell those who could see it: CanSee). It returns false if
// there is no such message (never was, dropped as old, or already deleted).
func (l *Log) Delete(id uint64) (Message, bool) {
	i, ok := l.index(id)
	if !ok {
		return Message{}, false
	}
	m := l.msgs[i]
	l.msgs = slices.Delete(l.msgs, i, i+1)
	l.bytes -= len(m.Text)
	return m, true
}

// Clear removes every message. IDs carry on from where they were.
func (l *Log) Clear() {
	l.msgs = nil
	l.bytes = 0
}

// Len returns how many messages the log holds.
func (l *Log) Len() int { return len(l.msgs) }

// Visible returns, oldest first, the messages v may see (CanSee) sent at or
// after since; a zero since means from the start. For the profile's "from_join"
// history, pass the time the viewer was first admitted to this room, so a
// reconnect does not hide what they already saw; for "since_start", pass the
// zero time.
func (l *Log) Visible(v Viewer, since time.Time) []Message {
	var out []Message
	for _, m := range l.msgs {
		if m.At.Before(since) || !CanSee(v, m) {
			continue
		}
		out = append(out, m)
	}
	return out
}
