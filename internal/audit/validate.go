package audit

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrInvalidEntry is returned (wrapped) by Entry.Validate.
var ErrInvalidEntry = errors.New("invalid audit entry")

// Validate reports whether e can be stored and later re-hashed to the same
// value: it needs a time between the years 1 and 9999, an actor, an action and
// a known outcome, and every text must be valid UTF-8 without NUL bytes (which
// some databases would change or refuse).
func (e Entry) Validate() error {
	year := e.At.UTC().Year()
	switch {
	case e.At.IsZero() || year < 1 || year > 9999:
		return fmt.Errorf("%w: time %v out of range", ErrInvalidEntry, e.At)
	case e.Actor == "":
		return fmt.Errorf("%w: no actor", ErrInvalidEntry)
	case e.Action == "":
		return fmt.Errorf("%w: no action", ErrInvalidEntry)
	case e.Outcome != Allowed && e.Outcome != Refused:
		return fmt.Errorf("%w: unknown outcome %q", ErrInvalidEntry, e.Outcome)
	}
	texts := []string{e.Actor, e.Action, e.Subject, e.Meeting}
	for k, v := range e.Details {
		texts = append(texts, k, v)
	}
	for _, s := range texts {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return fmt.Errorf("%w: text %q is not valid UTF-8 without NUL", ErrInvalidEntry, s)
		}
	}
	return nil
}
