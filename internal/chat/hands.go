package chat

import (
	"slices"

	"safemeet/internal/meeting"
)

// Hands is the queue of raised hands, in the order they went up. The zero
// value is an empty queue.
type Hands struct {
	queue []meeting.ParticipantID
}

// Raise puts id's hand up, at the end of the queue. It returns false if it was
// already up (which keeps its place).
func (h *Hands) Raise(id meeting.ParticipantID) bool {
	if slices.Contains(h.queue, id) {
		return false
	}
	h.queue = append(h.queue, id)
	return true
}

// Lower takes id's hand down. It returns false if it was not up. Call it when
// id leaves the room or is sent back to the waiting room too.
func (h *Hands) Lower(id meeting.ParticipantID) bool {
	i := slices.Index(h.queue, id)
	if i < 0 {
		return false
	}
	h.queue = slices.Delete(h.queue, i, i+1)
	return true
}

// Raised reports whether id's hand is up.
func (h *Hands) Raised(id meeting.ParticipantID) bool {
	return slices.Contains(h.queue, id)
}

// Queue returns the raised hands, first raised first. The slice is the
// caller's.
func (h *Hands) Queue() []meeting.ParticipantID {
	return slices.Clone(h.queue)
}

// Clear lowers every hand.
func (h *Hands) Clear() { h.queue = nil }
