package register

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// readCSV parses b as CSV, as a person's tools would.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("reading CSV back: %v", err)
	}
	return records
}

// meetingsCSV and attendanceCSV write rows and parse them back.
func meetingsCSV(t *testing.T, rows []MeetingRow) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMeetingsCSV(&b, rows); err != nil {
		t.Fatalf("WriteMeetingsCSV: %v", err)
	}
	return readCSV(t, b.Bytes())
}

func attendanceCSV(t *testing.T, rows []AttendanceRow) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteAttendanceCSV(&b, rows); err != nil {
		t.Fatalf("WriteAttendanceCSV: %v", err)
	}
	return readCSV(t, b.Bytes())
}

// writeXLSX writes a workbook and returns its bytes and the workbook read
// back with excelize.
func writeXLSX(t *testing.T, meetings []MeetingRow, attendance []AttendanceRow) ([]byte, *excelize.File) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, meetings, attendance); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("opening workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return b.Bytes(), f
}

// sheetXML returns the raw XML of every worksheet in the workbook b, by path
// inside the zip.
func sheetXML(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("opening workbook as zip: %v", err)
	}
	sheets := map[string]string{}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatalf("opening %s: %v", zf.Name, err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatalf("reading %s: %v", zf.Name, err)
		}
		sheets[zf.Name] = string(data)
	}
	if len(sheets) != 2 {
		t.Fatalf("workbook has worksheets %v, want 2", keys(sheets))
	}
	return sheets
}

func keys(m map[string]string) []string {
	var k []string
	for name := range m {
		k = append(k, name)
	}
	return k
}

// formulaElement matches a formula element, <f>, <f ...> or <f/>, with or
// without a namespace prefix.
var formulaElement = regexp.MustCompile(`<([A-Za-z0-9_]+:)?f[\s>/]`)

// cell returns a cell's displayed value, failing the test on error.
func cell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatalf("GetCellValue(%s!%s): %v", sheet, ref, err)
	}
	return v
}

// ref is the cell name of a column (0-based) and a row (1-based).
func ref(t *testing.T, col, row int) string {
	t.Helper()
	name, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// columnIndex finds a header in a header row.
func columnIndex(t *testing.T, header []string, name string) int {
	t.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in header %q", name, header)
	return -1
}
