package sqlite

import (
	"database/sql"
	"fmt"
	"time"
)

// timeLayout is RFC 3339 in UTC with exactly nine fractional digits: fixed
// width, so stored times sort and compare correctly as text, and exact to the
// nanosecond.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// encTime encodes t for storage.
func encTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// encNullTime encodes t, or NULL if t is zero (meaning "not yet").
func encNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return encTime(t)
}

// storable reports whether t survives encTime and decoding unchanged.
func storable(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// timeDecoder decodes stored times, keeping the first error so that a row's
// columns can be decoded in a row and checked once.
type timeDecoder struct{ err error }

// time decodes a NOT NULL time column.
func (d *timeDecoder) time(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("decoding stored time %q: %w", s, err)
	}
	return t
}

// null decodes a nullable time column; NULL is the zero time.
func (d *timeDecoder) null(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return d.time(s.String)
}
