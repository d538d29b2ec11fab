package register

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// WriteMeetingsCSV writes a header row and one row per meeting to w.
//
// Times are RFC 3339 in UTC ("" for none), counts are whole numbers, and text
// is cleaned and neutralised (see clean and neutralise), so a text cell that
// would begin with "=", "+", "-", "@", tab or carriage return begins with a
// single quote instead.
func WriteMeetingsCSV(w io.Writer, rows []MeetingRow) error {
	if err := writeCSV(w, meetingColumns, rows); err != nil {
		return fmt.Errorf("register: writing meetings CSV: %w", err)
	}
	return nil
}

// WriteAttendanceCSV writes a header row and one row per attendance to w.
//
// Times are RFC 3339 in UTC ("" for none), time present is in minutes with one
// decimal ("12.5"), the under-16 column is "yes" or "no", and text is cleaned
// and neutralised as for WriteMeetingsCSV.
func WriteAttendanceCSV(w io.Writer, rows []AttendanceRow) error {
	if err := writeCSV(w, attendanceColumns, rows); err != nil {
		return fmt.Errorf("register: writing attendance CSV: %w", err)
	}
	return nil
}

func writeCSV[R any](w io.Writer, cols []column[R], rows []R) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(headers(cols)); err != nil {
		return err
	}
	record := make([]string, len(cols))
	for _, row := range rows {
		for i, c := range cols {
			record[i] = formatCSV(c.get(row))
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatCSV is the CSV form of v.
func formatCSV(v value) string {
	switch v.kind {
	case kindText:
		return neutralise(clean(v.text))
	case kindCount:
		return strconv.Itoa(v.num)
	case kindTime:
		if v.at.IsZero() {
			return ""
		}
		return v.at.UTC().Format(time.RFC3339)
	case kindDuration:
		return strconv.FormatFloat(inMinutes(v.dur), 'f', 1, 64)
	case kindYesNo:
		return yesOrNo(v.flag)
	}
	panic(fmt.Sprintf("register: column of unknown kind %d", v.kind))
}

// yesOrNo is how both formats write a boolean.
func yesOrNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// inMinutes is d in minutes, rounded to one decimal place so that both formats
// show the same number.
func inMinutes(d time.Duration) float64 {
	return d.Round(6 * time.Second).Minutes()
}
