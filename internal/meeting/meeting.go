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
	Purpose   string    // what the meeting is for, in the host's words (required)
	Category  string    // one of the organisation's purpose categories ("" if it keeps none)
	Profile   ProfileID // the safeguarding profile whose rules the meeting runs under
	StartsAt  time.Time
	Duration  time.Duration
	CreatedAt time.Time
	EndedAt   time.Time // zero until the host ends it

	Approval     Approval
	ApprovedBy   StaffID   // the approver who last approved or declined
	ApprovalAt   time.Time // when they did
	ApprovalNote string    // their note to the host
	// Revision counts the changes made to what invitees were told (time,
	// title, purpose); it is the calendar invitation's SEQUENCE.
	Revision int
}

// EndsAt is the scheduled end.
func (m Meeting) EndsAt() time.Time { return m.StartsAt.Add(m.Duration) }

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

	Email    string // where the link is emailed (an adult's own address; "" for manual delivery)
	AgeGroup AgeGroup
	Guardian Guardian // for AgeUnder16: the only address that mail for this invitation goes to
	Consent  ConsentRecord

	Delivery      Delivery
	Attempts      int       // failed delivery attempts since the last success
	DeliveryError string    // the mail server's reply to the last failed attempt
	NextAttemptAt time.Time // not sent before this (the profile's sending time, or a retry)
	SentAt        time.Time // when the mail server last accepted it
}

// MailTo is the one address this invitation's mail goes to: the parent's or
// carer's for an invitee under 16, the invitee's own otherwise.
func (i Invitation) MailTo() (name, email string) {
	if i.AgeGroup == AgeUnder16 {
		return i.Guardian.Name, i.Guardian.Email
	}
	return i.Name, i.Email
}

// NeedsConsent reports whether the link works only once a parent or carer has consented.
func (i Invitation) NeedsConsent() bool { return i.AgeGroup == AgeUnder16 }

// Revoked reports whether the invitation has been revoked.
func (i Invitation) Revoked() bool { return !i.RevokedAt.IsZero() }

// Limits on what people type.
const (
	MaxTitleLen     = 200
	MaxPurposeLen   = 2000
	MaxNameLen      = 100
	MaxRoleLabelLen = 200
	MaxCategoryLen  = 100
	MaxNoteLen      = 2000
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
	if m.Category != "" {
		if m.Category, ok = CleanText(m.Category, MaxCategoryLen); !ok {
			return fieldError("purpose category")
		}
	}
	if m.StartsAt.IsZero() {
		return fieldError("start")
	}
	if m.Duration <= 0 || m.Duration > MaxDuration {
		return fieldError("duration")
	}
	return nil
}

// ValidateNew cleans and checks an invitation about to be created. With
// emailed, its link is to be emailed, so the address it goes to (the
// invitee's, or for an invitee under 16 their parent's or carer's) is
// required; an invitee under 16 always needs a parent or carer named.
func (i *Invitation) ValidateNew(emailed bool) error {
	var ok bool
	if i.Name, ok = CleanText(i.Name, MaxNameLen); !ok {
		return fieldError("name")
	}
	if i.RoleLabel, ok = CleanText(i.RoleLabel, MaxRoleLabelLen); !ok {
		return fieldError("role label")
	}
	switch i.AgeGroup {
	case "":
		i.AgeGroup = AgeAdult
	case AgeAdult, AgeUnder16:
	default:
		return fieldError("age group")
	}
	if i.Email != "" || (emailed && i.AgeGroup == AgeAdult) {
		if i.Email, ok = CleanEmail(i.Email); !ok {
			return fieldError("email")
		}
	}
	if i.AgeGroup == AgeUnder16 {
		if i.Guardian.Name, ok = CleanText(i.Guardian.Name, MaxNameLen); !ok {
			return fieldError("parent or carer name")
		}
		if i.Guardian.Email, ok = CleanEmail(i.Guardian.Email); !ok {
			return fieldError("parent or carer email")
		}
	} else {
		i.Guardian = Guardian{}
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
