package meeting

import (
	"net/mail"
	"strings"
	"time"
)

// Approval is where a meeting stands with its approvers.
type Approval string

// Approval states. A meeting whose profile needs approval starts pending; an
// approver approves or declines it; editing what was approved (time, purpose,
// profile, invitees) makes it pending again.
const (
	ApprovalNotNeeded Approval = "not_needed"
	ApprovalPending   Approval = "pending"
	ApprovalApproved  Approval = "approved"
	ApprovalDeclined  Approval = "declined"
)

// Cleared reports whether a meeting in this state may send invitations and start.
func (a Approval) Cleared() bool { return a == ApprovalNotNeeded || a == ApprovalApproved }

// AgeGroup says whether an invitee is invited directly or through a parent or carer.
type AgeGroup string

// Age groups.
const (
	AgeAdult   AgeGroup = "adult"   // 16 or over: invited directly
	AgeUnder16 AgeGroup = "under16" // invited through a parent or carer, who must consent
)

// Consent is a parent's or carer's answer for an invitee under 16.
type Consent string

// Consent states. Only ConsentGiven makes the child's link work.
const (
	ConsentNone      Consent = ""          // not asked yet, or not answered
	ConsentGiven     Consent = "given"     // the link works (inside its window)
	ConsentRefused   Consent = "refused"   // the link never works
	ConsentWithdrawn Consent = "withdrawn" // given, then withdrawn: the link is revoked
)

// Delivery says how an invitation's link reaches the invitee.
type Delivery string

// Deliveries.
const (
	// DeliveryManual: no mail server is configured, so the host is shown the
	// link and passes it on.
	DeliveryManual Delivery = "manual"
	// DeliveryQueued: the link will be emailed (to the invitee, or for an
	// invitee under 16 to their parent or carer) when the meeting is cleared
	// and its profile's sending time has come; retried after a failure.
	DeliveryQueued Delivery = "queued"
	// DeliverySent: the server's mail relay accepted the message.
	DeliverySent Delivery = "sent"
)

// Guardian is the parent or carer through whom an invitee under 16 is invited.
type Guardian struct {
	Name  string
	Email string
}

// MaxEmailLen is the longest email address accepted, in bytes (RFC 5321's
// limit on a forward path, less its angle brackets).
const MaxEmailLen = 254

// CleanEmail returns the stored form of a bare address ("ann@x.org", not
// "Ann <ann@x.org>"): trimmed and lower-cased; ok is false if s is not one.
func CleanEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s || len(s) > MaxEmailLen {
		return "", false
	}
	return strings.ToLower(s), true
}

// ConsentRecord is what the host is shown about a child's consent.
type ConsentRecord struct {
	State Consent
	By    string // the parent's or carer's name as they typed it when answering
	At    time.Time
}
