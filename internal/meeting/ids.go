// Package meeting holds safemeet's domain types: typed IDs, roles, admission
// states and the stored meeting and invitation records. It does no I/O.
package meeting

import (
	"crypto/rand"
	"encoding/base32"
)

// ID identifies a meeting. It is 128 random bits, so it cannot be guessed.
type ID string

// InvitationID identifies an invitation record (not its secret token).
type InvitationID string

// StaffID identifies a staff account.
type StaffID string

// ParticipantID identifies a participant in a room. It is stable across
// reconnects of the same invitation (or staff member) for the room's lifetime.
type ParticipantID string

// ProfileID identifies a safeguarding profile (policy.Profile).
type ProfileID string

// NewProfileID returns a new random profile ID.
func NewProfileID() ProfileID { return ProfileID(RandomID()) }

// SessionID identifies one WebSocket connection.
type SessionID string

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// RandomID returns 128 bits from crypto/rand, base32-encoded (26 characters).
func RandomID() string {
	var b [16]byte
	rand.Read(b[:]) // crypto/rand.Read never returns an error (Go ≥ 1.24).
	return idEncoding.EncodeToString(b[:])
}

// NewID returns a new random meeting ID.
func NewID() ID { return ID(RandomID()) }

// NewInvitationID returns a new random invitation ID.
func NewInvitationID() InvitationID { return InvitationID(RandomID()) }

// NewStaffID returns a new random staff ID.
func NewStaffID() StaffID { return StaffID(RandomID()) }

// NewSessionID returns a new random session ID.
func NewSessionID() SessionID { return SessionID(RandomID()) }

// NewParticipantID returns a new random participant ID.
func NewParticipantID() ParticipantID { return ParticipantID(RandomID()) }
