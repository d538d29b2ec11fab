package register

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// formulaLike are values a spreadsheet would run as a formula if a CSV cell
// began with them; the CSV must quote them, the workbook keep them exact.
var formulaLike = []string{
	`=HYPERLINK("http://evil","x")`,
	"+1+1",
	"-2+3",
	"@SUM(A1)",
	"\t=1",
	"\r=1",
	"-",
}

// harmless are values that must come through both formats unchanged.
var harmless = []string{"Anne-Marie", "O'Brien", "Ms Smith", "a=b", "1+1", ""}

// everyText returns a meeting and an attendance with every text field set
// to s.
func everyText(s string) (MeetingRow, AttendanceRow) {
	m := MeetingRow{MeetingID: s, Title: s, Purpose: s, Category: s, Profile: s, Host: s, Approver: s,
		ScheduledStart: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	a := AttendanceRow{MeetingID: s, MeetingTitle: s, Name: s, RoleLabel: s, DisplayName: s, Role: s,
		ConsentBy: s, AdmittedBy: s, Outcome: s}
	return m, a
}

// textColumns returns the indices of the text columns of cols.
func textColumns[R any](cols []column[R]) []int {
	var idx []int
	for i, c := range cols {
		if c.kind == kindText {
			idx = append(idx, i)
		}
	}
	return idx
}

// rowsOf builds one meeting and one attendance per value, each with every
// text field set to that value.
func rowsOf(values []string) ([]MeetingRow, []AttendanceRow) {
	var ms []MeetingRow
	var as []AttendanceRow
	for _, v := range values {
		m, a := everyText(v)
		ms, as = append(ms, m), append(as, a)
	}
	return ms, as
}

func TestExportNeutralisesFormulas(t *testing.T) {
	values := append(append([]string{}, formulaLike...), harmless...)
	want := map[string]string{}
	for _, v := range formulaLike {
		want[v] = "'" + v
	}
	for _, v := range harmless {
		want[v] = v
	}
	meetings, attendance := rowsOf(values)

	t.Run("CSV text cells that look like formulas begin with a quote", func(t *testing.T) {
		check := func(name string, records [][]string, cols []int) {
			for i, v := range values {
				for _, c := range cols {
					if got := records[i+1][c]; got != want[v] {
						t.Errorf("%s row for %q, column %q: got %q, want %q", name, v, records[0][c], got, want[v])
					}
				}
			}
		}
		check("meetings", meetingsCSV(t, meetings), textColumns(meetingColumns))
		check("attendance", attendanceCSV(t, attendance), textColumns(attendanceColumns))
	})

	t.Run("the workbook has no formula and keeps text exact", func(t *testing.T) {
		b, f := writeXLSX(t, meetings, attendance)
		for name, x := range sheetXML(t, b) {
			if loc := formulaElement.FindStringIndex(x); loc != nil {
				t.Errorf("%s has a formula element: %q", name, x[loc[0]:min(loc[1]+80, len(x))])
			}
		}
		check := func(sheet string, cols []int) {
			for i, v := range values {
				for _, c := range cols {
					r := ref(t, c, i+2)
					if got := cell(t, f, sheet, r); got != v {
						t.Errorf("%s!%s: got %q, want %q", sheet, r, got, v)
					}
					if got, err := f.GetCellFormula(sheet, r); err != nil || got != "" {
						t.Errorf("%s!%s has formula %q (%v), want none", sheet, r, got, err)
					}
				}
			}
		}
		check("Meetings", textColumns(meetingColumns))
		check("Attendance", textColumns(attendanceColumns))
	})
}

func TestExportSurvivesControlCharacters(t *testing.T) {
	const (
		name = "Ann\x00e \x1b[31mRed\x1b[0m\nsecond line \xff\u009b"
		want = "Ann\uFFFDe \uFFFD[31mRed\uFFFD[0m\nsecond line \uFFFD\uFFFD"
	)
	meetings, attendance := rowsOf([]string{name})

	t.Run("the CSV files read back with the characters replaced", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteMeetingsCSV(&b, meetings); err != nil {
			t.Fatal(err)
		}
		if err := WriteAttendanceCSV(&b, attendance); err != nil {
			t.Fatal(err)
		}
		if i := bytes.IndexAny(b.Bytes(), "\x00\x1b"); i >= 0 {
			t.Errorf("CSV has a control character at byte %d: %q", i, b.Bytes())
		}
		for _, records := range [][][]string{meetingsCSV(t, meetings), attendanceCSV(t, attendance)} {
			for _, c := range []int{1, 2} {
				if got := records[1][c]; got != want {
					t.Errorf("column %q: got %q, want %q", records[0][c], got, want)
				}
			}
		}
	})

	t.Run("the workbook is well-formed and reads back with the characters replaced", func(t *testing.T) {
		b, f := writeXLSX(t, meetings, attendance)
		for name, x := range sheetXML(t, b) {
			d := xml.NewDecoder(bytes.NewReader([]byte(x)))
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", name, err)
				}
			}
		}
		for _, r := range []string{"B2", "C2"} {
			for _, sheet := range []string{"Meetings", "Attendance"} {
				if got := cell(t, f, sheet, r); got != want {
					t.Errorf("%s!%s: got %q, want %q", sheet, r, got, want)
				}
			}
		}
	})
}

// TestExportFormulasAreTextInLibreOffice opens the workbook in a real
// spreadsheet: LibreOffice converts its first sheet to CSV, and a formula
// would come out as its result ("x", "2") where text comes out as itself.
func TestExportFormulasAreTextInLibreOffice(t *testing.T) {
	office := ""
	for _, name := range []string{"libreoffice", "soffice"} {
		if p, err := exec.LookPath(name); err == nil {
			office = p
			break
		}
	}
	if office == "" {
		t.Skip("LibreOffice is not installed")
	}
	if testing.Short() {
		t.Skip("starting LibreOffice is slow")
	}
	// Leading tabs and carriage returns are left out: how LibreOffice writes
	// them to CSV is its own business, and the XML test covers them.
	values := []string{`=HYPERLINK("http://evil","x")`, "+1+1", "-2+3", "@SUM(A1)", "-", "Anne-Marie"}
	meetings, _ := rowsOf(values)
	var b bytes.Buffer
	if err := WriteXLSX(&b, meetings, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "register.xlsx")
	if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), office, "--headless",
		"-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "csv", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	out, err := os.Open(filepath.Join(dir, "register.csv"))
	if err != nil {
		t.Fatalf("LibreOffice made no CSV: %v", err)
	}
	defer out.Close()
	records, err := csv.NewReader(out).ReadAll()
	if err != nil {
		t.Fatalf("reading LibreOffice's CSV: %v", err)
	}
	title := columnIndex(t, records[0], "Meeting")
	for i, v := range values {
		if got := records[i+1][title]; got != v {
			t.Errorf("LibreOffice shows %q as %q", v, got)
		}
	}
}
