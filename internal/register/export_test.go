package register

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	wantMeetingHeader = []string{
		"Meeting ID", "Meeting", "Purpose", "Category", "Profile", "Host",
		"Approved by", "Approved at", "Scheduled start", "Scheduled end",
		"Started", "Ended", "Attendees", "Admitted", "Denied", "Removed",
		"Concerns", "Server restarts",
	}
	wantAttendanceHeader = []string{
		"Meeting ID", "Meeting", "Name", "Role label", "Name used", "Role",
		"Under 16 (via parent/carer)", "Consent given by", "Contract accepted",
		"Joined", "Left", "Minutes present", "Admitted by", "Outcome",
	}
)

// bst is an hour ahead of UTC, so a time given in it shows whether the export
// converts to UTC.
var bst = time.FixedZone("BST", 60*60)

func sampleMeetings() []MeetingRow {
	return []MeetingRow{{
		MeetingID:      "m-1",
		Title:          "Year 9 maths catch-up",
		Purpose:        "Revision, with \"worked examples\"",
		Category:       "Teaching",
		Profile:        "Under-16 group",
		Host:           "Ms Smith",
		Approver:       "Mr Jones",
		ApprovedAt:     time.Date(2026, 5, 28, 16, 45, 0, 0, time.UTC),
		ScheduledStart: time.Date(2026, 6, 1, 10, 0, 0, 0, bst),
		ScheduledEnd:   time.Date(2026, 6, 1, 11, 0, 0, 0, bst),
		ActualStart:    time.Date(2026, 6, 1, 9, 2, 0, 0, time.UTC),
		ActualEnd:      time.Date(2026, 6, 1, 9, 58, 30, 0, time.UTC),
		Attendees:      3,
		Admissions:     4,
		Denials:        1,
		Removals:       1,
		Concerns:       2,
		Interruptions:  1,
	}, {
		MeetingID:      "m-2",
		Title:          "Parents' evening",
		Host:           "Ms Smith",
		ScheduledStart: time.Date(2026, 6, 2, 17, 0, 0, 0, time.UTC),
		ScheduledEnd:   time.Date(2026, 6, 2, 18, 0, 0, 0, time.UTC),
	}}
}

func sampleAttendance() []AttendanceRow {
	return []AttendanceRow{{
		MeetingID:        "m-1",
		MeetingTitle:     "Year 9 maths catch-up",
		Name:             "Sam Pupil",
		RoleLabel:        "Pupil",
		DisplayName:      "Sammy",
		Role:             "participant",
		GuardianChild:    true,
		ConsentBy:        "Pat Pupil (parent)",
		ContractAccepted: time.Date(2026, 6, 1, 9, 1, 0, 0, time.UTC),
		Joined:           time.Date(2026, 6, 1, 9, 3, 0, 0, time.UTC),
		Present:          12*time.Minute + 29*time.Second,
		AdmittedBy:       "Ms Smith",
		Outcome:          "meeting ended",
	}, {
		MeetingID:    "m-1",
		MeetingTitle: "Year 9 maths catch-up",
		Name:         "Ms Smith",
		Role:         "host",
		Joined:       time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC),
		Left:         time.Date(2026, 6, 1, 9, 58, 30, 0, time.UTC),
		Present:      58*time.Minute + 30*time.Second,
		Outcome:      "left",
	}}
}

// byHeader pairs a record with its header.
func byHeader(header, record []string) map[string]string {
	m := make(map[string]string, len(header))
	for i, h := range header {
		m[h] = record[i]
	}
	return m
}

func TestExportCSVAndXLSX(t *testing.T) {
	meetings, attendance := sampleMeetings(), sampleAttendance()

	t.Run("the meetings CSV has a header and one row per meeting", func(t *testing.T) {
		records := meetingsCSV(t, meetings)
		if got, want := len(records), 1+len(meetings); got != want {
			t.Fatalf("got %d records, want %d", got, want)
		}
		if got := records[0]; !slices.Equal(got, wantMeetingHeader) {
			t.Fatalf("header: got %q, want %q", got, wantMeetingHeader)
		}
		checkFields(t, byHeader(records[0], records[1]), map[string]string{
			"Meeting ID":      "m-1",
			"Meeting":         "Year 9 maths catch-up",
			"Purpose":         meetings[0].Purpose,
			"Profile":         "Under-16 group",
			"Approved by":     "Mr Jones",
			"Approved at":     "2026-05-28T16:45:00Z",
			"Scheduled start": "2026-06-01T09:00:00Z",
			"Scheduled end":   "2026-06-01T10:00:00Z",
			"Started":         "2026-06-01T09:02:00Z",
			"Ended":           "2026-06-01T09:58:30Z",
			"Attendees":       "3",
			"Admitted":        "4",
			"Denied":          "1",
			"Removed":         "1",
			"Concerns":        "2",
			"Server restarts": "1",
		})
		checkFields(t, byHeader(records[0], records[2]), map[string]string{
			"Meeting":     "Parents' evening",
			"Approved by": "",
			"Approved at": "",
			"Started":     "",
			"Ended":       "",
			"Attendees":   "0",
		})
	})

	t.Run("the attendance CSV has minutes and yes or no", func(t *testing.T) {
		records := attendanceCSV(t, attendance)
		if got, want := len(records), 1+len(attendance); got != want {
			t.Fatalf("got %d records, want %d", got, want)
		}
		if got := records[0]; !slices.Equal(got, wantAttendanceHeader) {
			t.Fatalf("header: got %q, want %q", got, wantAttendanceHeader)
		}
		checkFields(t, byHeader(records[0], records[1]), map[string]string{
			"Name":                        "Sam Pupil",
			"Name used":                   "Sammy",
			"Under 16 (via parent/carer)": "yes",
			"Consent given by":            "Pat Pupil (parent)",
			"Contract accepted":           "2026-06-01T09:01:00Z",
			"Joined":                      "2026-06-01T09:03:00Z",
			"Left":                        "",
			"Minutes present":             "12.5",
			"Outcome":                     "meeting ended",
		})
		checkFields(t, byHeader(records[0], records[2]), map[string]string{
			"Role":                        "host",
			"Under 16 (via parent/carer)": "no",
			"Contract accepted":           "",
			"Left":                        "2026-06-01T09:58:30Z",
			"Minutes present":             "58.5",
		})
	})

	t.Run("the workbook has both sheets with the same columns", func(t *testing.T) {
		_, f := writeXLSX(t, meetings, attendance)
		if got, want := f.GetSheetList(), []string{"Meetings", "Attendance"}; !slices.Equal(got, want) {
			t.Fatalf("sheets: got %q, want %q", got, want)
		}
		for sheet, want := range map[string][]string{"Meetings": wantMeetingHeader, "Attendance": wantAttendanceHeader} {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatalf("GetRows(%s): %v", sheet, err)
			}
			if len(rows) == 0 || !slices.Equal(rows[0], want) {
				t.Errorf("%s header: got %q, want %q", sheet, rows, want)
			}
			checkHeaderStyle(t, f, sheet)
		}
	})

	t.Run("the workbook has times, minutes and counts as numbers", func(t *testing.T) {
		_, f := writeXLSX(t, meetings, attendance)
		start := ref(t, columnIndex(t, wantMeetingHeader, "Scheduled start"), 2)
		checkTimeCell(t, f, "Meetings", start, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
		ended := ref(t, columnIndex(t, wantMeetingHeader, "Ended"), 2)
		checkTimeCell(t, f, "Meetings", ended, time.Date(2026, 6, 1, 9, 58, 30, 0, time.UTC))
		never := ref(t, columnIndex(t, wantMeetingHeader, "Started"), 3)
		if got := cell(t, f, "Meetings", never); got != "" {
			t.Errorf("start of a meeting that never ran: got %q, want empty", got)
		}
		attendees := ref(t, columnIndex(t, wantMeetingHeader, "Attendees"), 2)
		checkNumberCell(t, f, "Meetings", attendees, 3)

		present := ref(t, columnIndex(t, wantAttendanceHeader, "Minutes present"), 2)
		checkNumberCell(t, f, "Attendance", present, 12.5)
		if got, want := cellNumFmt(t, f, "Attendance", present), "0.0"; got != want {
			t.Errorf("minutes format: got %q, want %q", got, want)
		}
		child := ref(t, columnIndex(t, wantAttendanceHeader, "Under 16 (via parent/carer)"), 2)
		if got := cell(t, f, "Attendance", child); got != "yes" {
			t.Errorf("under 16: got %q, want %q", got, "yes")
		}
		name := ref(t, columnIndex(t, wantAttendanceHeader, "Name"), 2)
		if got, err := f.GetCellType("Attendance", name); err != nil || got != excelize.CellTypeInlineString {
			t.Errorf("name cell type: got %v (%v), want inline string", got, err)
		}
	})

	t.Run("text columns are wide enough to read and no wider than the limit", func(t *testing.T) {
		_, f := writeXLSX(t, meetings, attendance)
		purpose, err := excelize.ColumnNumberToName(columnIndex(t, wantMeetingHeader, "Purpose") + 1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.GetColWidth("Meetings", purpose)
		if err != nil {
			t.Fatal(err)
		}
		if want := float64(len(meetings[0].Purpose) + 2); got != want {
			t.Errorf("Purpose width: got %v, want %v", got, want)
		}
		long := sampleMeetings()
		long[0].Purpose = strings.Repeat("x", 500)
		_, f = writeXLSX(t, long, nil)
		if got, _ := f.GetColWidth("Meetings", purpose); got != maxWidth+2 {
			t.Errorf("width of a very long Purpose: got %v, want %v", got, maxWidth+2)
		}
	})
}

func checkFields(t *testing.T, got, want map[string]string) {
	t.Helper()
	for h, w := range want {
		if g, ok := got[h]; !ok || g != w {
			t.Errorf("%s: got %q, want %q", h, g, w)
		}
	}
}

func checkHeaderStyle(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if style.Font == nil || !style.Font.Bold {
		t.Errorf("%s header is not bold", sheet)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 {
		t.Errorf("%s panes: got %+v, want the first row frozen", sheet, panes)
	}
}

func checkTimeCell(t *testing.T, f *excelize.File, sheet, ref string, want time.Time) {
	t.Helper()
	if got, want := cell(t, f, sheet, ref), want.Format("2006-01-02 15:04"); got != want {
		t.Errorf("%s!%s shown as %q, want %q", sheet, ref, got, want)
	}
	if got, want := cellNumFmt(t, f, sheet, ref), "yyyy-mm-dd hh:mm"; got != want {
		t.Errorf("%s!%s format: got %q, want %q", sheet, ref, got, want)
	}
	raw := rawNumber(t, f, sheet, ref)
	got, err := excelize.ExcelDateToTime(raw, false)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Sub(want); d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("%s!%s holds %v, want %v", sheet, ref, got, want)
	}
}

func checkNumberCell(t *testing.T, f *excelize.File, sheet, ref string, want float64) {
	t.Helper()
	if got := rawNumber(t, f, sheet, ref); got != want {
		t.Errorf("%s!%s: got %v, want %v", sheet, ref, got, want)
	}
}

// rawNumber reads a cell that must be a number cell.
func rawNumber(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("%s!%s has type %v, want a number", sheet, ref, typ)
	}
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, not a number: %v", sheet, ref, raw, err)
	}
	return n
}

func cellNumFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil {
		return ""
	}
	return *style.CustomNumFmt
}
