package audit

import (
	"errors"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Entry)
		wantOK bool
	}{
		{"a complete entry is valid", func(*Entry) {}, true},
		{"an entry without details is valid", func(e *Entry) { e.Details = nil }, true},
		{"an entry without a time is invalid", func(e *Entry) { e.At = time.Time{} }, false},
		{"an entry after the year 9999 is invalid", func(e *Entry) { e.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, false},
		{"an entry without an actor is invalid", func(e *Entry) { e.Actor = "" }, false},
		{"an entry without an action is invalid", func(e *Entry) { e.Action = "" }, false},
		{"an entry with an unknown outcome is invalid", func(e *Entry) { e.Outcome = "maybe" }, false},
		{"a subject with invalid UTF-8 is invalid", func(e *Entry) { e.Subject = "a\xffb" }, false},
		{"a detail value with a NUL byte is invalid", func(e *Entry) { e.Details = map[string]string{"k": "a\x00"} }, false},
		{"a detail key with invalid UTF-8 is invalid", func(e *Entry) { e.Details = map[string]string{"\xfe": "v"} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sample()
			tt.edit(&e)
			err := e.Validate()
			if got := err == nil; got != tt.wantOK {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.wantOK)
			}
			if err != nil && !errors.Is(err, ErrInvalidEntry) {
				t.Errorf("Validate() = %v, want it to wrap ErrInvalidEntry", err)
			}
		})
	}
}
