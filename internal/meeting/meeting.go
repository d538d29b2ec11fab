package meeting

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Meeting is the scheduled, stored meeting.
type Meeting struct {
	ID        ID
	HostID    StaffID
	Title     string
	Purpose   string
	Profile   ProfileID // the safeguarding profile whose rules the meeting runs under
	StartsAt  time.Time
	Duration  time.Duration
	CreatedAt time.Time
	EndedAt   time.Time // zero until the host ends it
}

// Ended reports whether the host has ended the meeting.
func (m Meeting) Ended() bool { return !m.EndedAt.IsZero() }

// Invitation is one invitee's personal capability to join one meeting.
// Only the hash of its token is ever stored.
type Invitation struct {
	ID        InvitationID
	MeetingID ID
	Name      string // the invitee's name, shown to the host and in the room
	RoleLabel string // e.g. "parent of Sam, 9B"
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// Revoked reports whether the invitation has been revoked.
func (i Invitation) Revoked() bool { return !i.RevokedAt.IsZero() }

// Limits on what people type.
const (
	MaxTitleLen     = 200
	MaxPurposeLen   = 2000
	MaxNameLen      = 100
	MaxRoleLabelLen = 200
	MaxDuration     = 24 * time.Hour
)

// ErrInvalid is returned (wrapped) by the Validate functions.
var ErrInvalid = errors.New("invalid")

// CleanText trims s, and reports whether it is valid UTF-8 of 1..max runes with no
// control characters or bidirectional overrides (which can disguise a name).
func CleanText(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return s, false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r) {
			return s, false
		}
	}
	return s, true
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// ValidateNew cleans and checks a meeting about to be created.
func (m *Meeting) ValidateNew() error {
	var ok bool
	if m.Title, ok = CleanText(m.Title, MaxTitleLen); !ok {
		return fieldError("title")
	}
	if m.Purpose, ok = cleanMultiline(m.Purpose, MaxPurposeLen); !ok {
		return fieldError("purpose")
	}
	if m.StartsAt.IsZero() {
		return fieldError("start")
	}
	if m.Duration <= 0 || m.Duration > MaxDuration {
		return fieldError("duration")
	}
	return nil
}

// ValidateNew cleans and checks an invitation about to be created.
func (i *Invitation) ValidateNew() error {
	var ok bool
	if i.Name, ok = CleanText(i.Name, MaxNameLen); !ok {
		return fieldError("name")
	}
	if i.RoleLabel, ok = CleanText(i.RoleLabel, MaxRoleLabelLen); !ok {
		return fieldError("role label")
	}
	return nil
}

// cleanMultiline is CleanText that also allows line breaks and tabs.
func cleanMultiline(s string, max int) (string, bool) {
	flat := strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ").Replace(s)
	if _, ok := CleanText(flat, max); !ok {
		return s, false
	}
	return strings.TrimSpace(s), true
}

// FieldError names the field that failed validation.
type FieldError struct{ Field string }

func (e *FieldError) Error() string { return "invalid " + e.Field }

// FieldName names the field for the person who typed it.
func (e *FieldError) FieldName() string { return e.Field }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldError(field string) error { return &FieldError{Field: field} }
