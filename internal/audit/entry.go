// Package audit defines the append-only, hash-chained audit log of every
// safeguarding-relevant decision, and the chain arithmetic that proves it unedited.
package audit

import (
	"context"
	"time"
)

// Outcome is how a decision came out.
type Outcome string

// Outcomes.
const (
	Allowed Outcome = "allowed"
	Refused Outcome = "refused"
)

// Entry is one audit record. Seq, PrevHash and Hash are filled in by the log
// when the entry is appended.
type Entry struct {
	Seq     int64
	At      time.Time // UTC
	Actor   string    // e.g. "staff:<id>", "invitation:<id>", "system"
	Action  string    // e.g. "participant.admit"
	Subject string    // e.g. "meeting:<id>", "participant:<id>"
	Outcome Outcome
	Details map[string]string // never a token, passcode or chat text
	Meeting string            // meeting ID the entry belongs to, if any

	PrevHash string
	Hash     string
}

// Log appends entries. If Append fails, the action it records must not happen.
type Log interface {
	Append(ctx context.Context, e Entry) error
}
