// Package register exports the meeting register: one row per meeting and one
// row per attendance, as CSV files or as one Excel workbook.
//
// The package is pure: it takes rows and writes files. Gathering the rows from
// the store, and deciding who may download them, is the caller's job.
//
// Every column is defined once (see columns.go) with the header a person reads,
// and both formats are written from those definitions, so the CSV files and the
// workbook always have the same columns in the same order.
//
// Text in the register comes partly from outside the staff team (invitees'
// names, display names, titles typed by hosts), so it is treated as hostile:
// characters that are invalid in XML or that drive a terminal are replaced
// (see clean), and CSV cells that a spreadsheet would run as a formula are
// made inert (see neutralise and
// https://owasp.org/www-community/attacks/CSV_Injection).
package register

import "time"

// MeetingRow is one meeting in the register (one row per meeting).
type MeetingRow struct {
	MeetingID, Title, Purpose, Category, Profile string
	// Host is the host's name.
	Host string
	// Approver is the approver's name, "" if none.
	Approver string
	// ApprovedAt is the zero time if the meeting was not approved.
	ApprovedAt                   time.Time
	ScheduledStart, ScheduledEnd time.Time
	// ActualStart and ActualEnd are the zero time if the meeting never ran or
	// is still running.
	ActualStart, ActualEnd        time.Time
	Attendees                     int
	Admissions, Denials, Removals int
	Concerns                      int
	// Interruptions counts server restarts while the meeting ran.
	Interruptions int
}

// AttendanceRow is one attendance: one person's one stay in a meeting (one row
// per stay).
type AttendanceRow struct {
	MeetingID, MeetingTitle string
	// Name is the invitation's (or staff account's) name.
	Name      string
	RoleLabel string
	// DisplayName is the name they used, if they renamed themselves.
	DisplayName string
	// Role is "host", "co-host" or "participant".
	Role string
	// GuardianChild is true for an invitee under 16, invited through a
	// parent or carer.
	GuardianChild bool
	// ConsentBy is who consented, for such a child.
	ConsentBy string
	// ContractAccepted is the zero time if no contract was accepted.
	ContractAccepted time.Time
	// Left is the zero time if they are still there.
	Joined, Left time.Time
	// Present is the total time admitted during this stay.
	Present    time.Duration
	AdmittedBy string
	// Outcome is how the stay ended, e.g. "left", "removed by Ms Smith",
	// "denied by Ms Smith", "sent back", "meeting ended".
	Outcome string
}
