package register

import "time"

// kind is the kind of value a column holds; it decides how each format
// writes the value.
type kind int

const (
	kindUnknown  kind = iota
	kindText          // free text, possibly from outside the staff team
	kindCount         // a whole number
	kindTime          // an instant, or the zero time for none
	kindDuration      // a length of time, written as minutes
	kindYesNo         // a boolean, written "yes" or "no"
)

// value is one cell's value before it is written in either format.
type value struct {
	kind kind
	text string
	num  int
	at   time.Time
	dur  time.Duration
	flag bool
}

func text(s string) value           { return value{kind: kindText, text: s} }
func count(n int) value             { return value{kind: kindCount, num: n} }
func at(t time.Time) value          { return value{kind: kindTime, at: t} }
func minutes(d time.Duration) value { return value{kind: kindDuration, dur: d} }
func yesNo(b bool) value            { return value{kind: kindYesNo, flag: b} }

// column is one column of a sheet: its header, for people, and how to get its
// value from a row.
type column[R any] struct {
	header string
	kind   kind
	get    func(R) value
}

// col builds a column, taking its kind from the value get returns for a
// zero row so that the two cannot disagree.
func col[R any](header string, get func(R) value) column[R] {
	var zero R
	return column[R]{header: header, kind: get(zero).kind, get: get}
}

// meetingColumns are the columns of the meetings file and sheet, in order.
var meetingColumns = []column[MeetingRow]{
	col("Meeting ID", func(r MeetingRow) value { return text(r.MeetingID) }),
	col("Meeting", func(r MeetingRow) value { return text(r.Title) }),
	col("Purpose", func(r MeetingRow) value { return text(r.Purpose) }),
	col("Category", func(r MeetingRow) value { return text(r.Category) }),
	col("Profile", func(r MeetingRow) value { return text(r.Profile) }),
	col("Host", func(r MeetingRow) value { return text(r.Host) }),
	col("Approved by", func(r MeetingRow) value { return text(r.Approver) }),
	col("Approved at", func(r MeetingRow) value { return at(r.ApprovedAt) }),
	col("Scheduled start", func(r MeetingRow) value { return at(r.ScheduledStart) }),
	col("Scheduled end", func(r MeetingRow) value { return at(r.ScheduledEnd) }),
	col("Started", func(r MeetingRow) value { return at(r.ActualStart) }),
	col("Ended", func(r MeetingRow) value { return at(r.ActualEnd) }),
	col("Attendees", func(r MeetingRow) value { return count(r.Attendees) }),
	col("Admitted", func(r MeetingRow) value { return count(r.Admissions) }),
	col("Denied", func(r MeetingRow) value { return count(r.Denials) }),
	col("Removed", func(r MeetingRow) value { return count(r.Removals) }),
	col("Concerns", func(r MeetingRow) value { return count(r.Concerns) }),
	col("Server restarts", func(r MeetingRow) value { return count(r.Interruptions) }),
}

// attendanceColumns are the columns of the attendance file and sheet, in
// order.
var attendanceColumns = []column[AttendanceRow]{
	col("Meeting ID", func(r AttendanceRow) value { return text(r.MeetingID) }),
	col("Meeting", func(r AttendanceRow) value { return text(r.MeetingTitle) }),
	col("Name", func(r AttendanceRow) value { return text(r.Name) }),
	col("Role label", func(r AttendanceRow) value { return text(r.RoleLabel) }),
	col("Name used", func(r AttendanceRow) value { return text(r.DisplayName) }),
	col("Role", func(r AttendanceRow) value { return text(r.Role) }),
	col("Under 16 (via parent/carer)", func(r AttendanceRow) value { return yesNo(r.GuardianChild) }),
	col("Consent given by", func(r AttendanceRow) value { return text(r.ConsentBy) }),
	col("Contract accepted", func(r AttendanceRow) value { return at(r.ContractAccepted) }),
	col("Joined", func(r AttendanceRow) value { return at(r.Joined) }),
	col("Left", func(r AttendanceRow) value { return at(r.Left) }),
	col("Minutes present", func(r AttendanceRow) value { return minutes(r.Present) }),
	col("Admitted by", func(r AttendanceRow) value { return text(r.AdmittedBy) }),
	col("Outcome", func(r AttendanceRow) value { return text(r.Outcome) }),
}

// headers returns the header row of cols.
func headers[R any](cols []column[R]) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.header
	}
	return h
}
