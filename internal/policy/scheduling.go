package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"safemeet/internal/meeting"
)

// InviteTiming says when a meeting's invitations are emailed.
type InviteTiming string

// Invitation timings, loosest first.
const (
	InviteNow       InviteTiming = "now"        // as soon as the meeting is cleared
	InviteDayBefore InviteTiming = "day_before" // 24 hours before the start (or at once if later)
)

var timingOrder = []InviteTiming{InviteNow, InviteDayBefore}

// maxWindowMinutes bounds how far a link's window reaches beyond the meeting.
const maxWindowMinutes = 24 * 60

// Scheduling is how a profile governs a meeting before it runs: approval,
// when invitations go, and when a link works.
type Scheduling struct {
	// RequiresApproval: the meeting sends no invitation and cannot start until
	// an approver (not its host) approves it. On is stricter.
	RequiresApproval bool         `json:"requires_approval"`
	InviteTiming     InviteTiming `json:"invite_timing"`
	// A link works from LinkOpensMinutesBefore the scheduled start until
	// LinkClosesMinutesAfter the scheduled end. Fewer minutes is stricter.
	LinkOpensMinutesBefore int `json:"link_opens_minutes_before"`
	LinkClosesMinutesAfter int `json:"link_closes_minutes_after"`
}

// StrictestScheduling is what a new profile gets unless an admin says otherwise.
var StrictestScheduling = Scheduling{RequiresApproval: true, InviteTiming: InviteDayBefore, LinkOpensMinutesBefore: 15}

// Validate reports the first setting that is out of range.
func (s Scheduling) Validate() error {
	switch {
	case rank(timingOrder, s.InviteTiming) < 0:
		return fieldError("invitation timing")
	case s.LinkOpensMinutesBefore < 0 || s.LinkOpensMinutesBefore > maxWindowMinutes:
		return fieldError("link opens minutes before")
	case s.LinkClosesMinutesAfter < 0 || s.LinkClosesMinutesAfter > maxWindowMinutes:
		return fieldError("link closes minutes after")
	}
	return nil
}

// Loosened names the settings s loosens compared with base (nil if none).
func (s Scheduling) Loosened(base Scheduling) []string {
	var out []string
	if base.RequiresApproval && !s.RequiresApproval {
		out = append(out, "approval")
	}
	if rank(timingOrder, s.InviteTiming) < rank(timingOrder, base.InviteTiming) {
		out = append(out, "invitation timing")
	}
	if s.LinkOpensMinutesBefore > base.LinkOpensMinutesBefore || s.LinkClosesMinutesAfter > base.LinkClosesMinutesAfter {
		out = append(out, "link window")
	}
	return out
}

// Window is when an invitation to m works.
func (s Scheduling) Window(m meeting.Meeting) (opens, closes time.Time) {
	opens = m.StartsAt.Add(-time.Duration(s.LinkOpensMinutesBefore) * time.Minute)
	closes = m.EndsAt().Add(time.Duration(s.LinkClosesMinutesAfter) * time.Minute)
	return opens, closes
}

// SendAfter is the earliest time an invitation to m may be emailed.
func (s Scheduling) SendAfter(m meeting.Meeting) time.Time {
	if s.InviteTiming == InviteDayBefore {
		return m.StartsAt.Add(-24 * time.Hour)
	}
	return time.Time{}
}

// ApprovalFor is the approval state a meeting starts in (or returns to when
// what was approved changes) under s.
func (s Scheduling) ApprovalFor() meeting.Approval {
	if s.RequiresApproval {
		return meeting.ApprovalPending
	}
	return meeting.ApprovalNotNeeded
}

// ParseScheduling decodes scheduling settings stored or sent as JSON. Every
// setting must be present and valid.
func ParseScheduling(data []byte) (Scheduling, error) {
	return parseComplete[Scheduling]("scheduling", data, schedulingKeys)
}

var schedulingKeys = []settingKey{
	{"requires_approval", "approval"},
	{"invite_timing", "invitation timing"},
	{"link_opens_minutes_before", "link opens minutes before"},
	{"link_closes_minutes_after", "link closes minutes after"},
}

// MaxContractLen bounds a participation contract, in bytes.
const MaxContractLen = 20000

// ContractHash names one version of a participation contract: the hex
// SHA-256 of its text. An acceptance records the hash of what was shown.
func ContractHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}
