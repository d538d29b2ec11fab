package register

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet names in the workbook.
const (
	MeetingsSheet   = "Meetings"
	AttendanceSheet = "Attendance"
)

// Number formats in the workbook.
const (
	timeFormat    = "yyyy-mm-dd hh:mm"
	minutesFormat = "0.0"
)

// Column widths, in characters: text columns are as wide as their longest
// cell (or header) within these bounds; other columns fit their header and
// their widest possible value.
const (
	minWidth = 8
	maxWidth = 50
)

// styles are the workbook's cell styles, by ID.
type styles struct {
	header, time, minutes int
}

// WriteXLSX writes one workbook to w with two sheets, "Meetings" and
// "Attendance", with the same columns as the CSV files.
//
// Each sheet has a bold header row that stays in view when scrolling and
// columns wide enough to read. Times are Excel date-time cells in UTC shown as
// "yyyy-mm-dd hh:mm" (empty for none), time present is a number of minutes,
// counts are numbers, and text is cleaned (see clean) and written as a string
// cell, which a spreadsheet shows as text even when it begins with "=": no
// cell in the workbook has a formula, so text is kept exact and not given the
// quote prefix the CSV files need.
//
// The sheets are written with excelize's StreamWriter, so a long register is
// held in memory once, as rows, and not again as a worksheet.
func WriteXLSX(w io.Writer, meetings []MeetingRow, attendance []AttendanceRow) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("register: closing workbook: %w", cerr)
		}
	}()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("register: workbook styles: %w", err)
	}
	if err := f.SetSheetName(f.GetSheetName(0), MeetingsSheet); err != nil {
		return fmt.Errorf("register: naming sheet: %w", err)
	}
	if _, err := f.NewSheet(AttendanceSheet); err != nil {
		return fmt.Errorf("register: adding sheet: %w", err)
	}
	if err := writeSheet(f, MeetingsSheet, st, meetingColumns, meetings); err != nil {
		return fmt.Errorf("register: writing %s sheet: %w", MeetingsSheet, err)
	}
	if err := writeSheet(f, AttendanceSheet, st, attendanceColumns, attendance); err != nil {
		return fmt.Errorf("register: writing %s sheet: %w", AttendanceSheet, err)
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("register: writing workbook: %w", err)
	}
	return nil
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return st, err
	}
	tf, mf := timeFormat, minutesFormat
	if st.time, err = f.NewStyle(&excelize.Style{CustomNumFmt: &tf}); err != nil {
		return st, err
	}
	if st.minutes, err = f.NewStyle(&excelize.Style{CustomNumFmt: &mf}); err != nil {
		return st, err
	}
	return st, nil
}

func writeSheet[R any](f *excelize.File, sheet string, st styles, cols []column[R], rows []R) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, width := range widths(cols, rows) {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: st.header, Value: c.header}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for n, row := range rows {
		for i, c := range cols {
			cells[i] = xlsxCell(c.get(row), st)
		}
		ref, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// xlsxCell is the workbook form of v, for StreamWriter.SetRow: nil for an
// empty cell. A Go string given to SetRow becomes an inline string cell,
// never a formula (only Cell.Formula makes one, and this package never sets
// it).
func xlsxCell(v value, st styles) any {
	switch v.kind {
	case kindText:
		if v.text == "" {
			return nil
		}
		return clean(v.text)
	case kindCount:
		return v.num
	case kindTime:
		if v.at.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: st.time, Value: v.at.UTC()}
	case kindDuration:
		return excelize.Cell{StyleID: st.minutes, Value: inMinutes(v.dur)}
	case kindYesNo:
		return yesOrNo(v.flag)
	}
	panic(fmt.Sprintf("register: column of unknown kind %d", v.kind))
}

// widths returns the width of each column in characters.
func widths[R any](cols []column[R], rows []R) []float64 {
	w := make([]float64, len(cols))
	for i, c := range cols {
		n := utf8.RuneCountInString(c.header)
		switch c.kind {
		case kindTime:
			n = max(n, len("2006-01-02 15:04"))
		case kindText:
			for _, row := range rows {
				n = max(n, longestLine(c.get(row).text))
				if n >= maxWidth {
					break
				}
			}
		}
		w[i] = float64(min(max(n, minWidth), maxWidth) + 2)
	}
	return w
}

// longestLine is the length in characters of the longest line of s.
func longestLine(s string) int {
	longest, n := 0, 0
	for _, r := range s {
		if r == '\n' {
			n = 0
			continue
		}
		n++
		longest = max(longest, n)
	}
	return longest
}
