package audit

import (
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 4, 9, 30, 0, 123456789, time.UTC)

func sample() Entry {
	return Entry{
		Seq:     7,
		At:      t0,
		Actor:   "staff:abc",
		Action:  "participant.admit",
		Subject: "participant:p1",
		Outcome: Allowed,
		Details: map[string]string{"name": "Sam", "role": "parent"},
		Meeting: "m1",
	}
}

func TestChainHashChangesWithEveryField(t *testing.T) {
	base := ChainHash("prev", sample())
	tests := []struct {
		name string
		prev string
		edit func(*Entry)
	}{
		{"a different previous hash", "prev2", func(*Entry) {}},
		{"a different sequence number", "prev", func(e *Entry) { e.Seq = 8 }},
		{"a time one nanosecond later", "prev", func(e *Entry) { e.At = e.At.Add(time.Nanosecond) }},
		{"a different actor", "prev", func(e *Entry) { e.Actor = "staff:abd" }},
		{"a different action", "prev", func(e *Entry) { e.Action = "participant.deny" }},
		{"a different subject", "prev", func(e *Entry) { e.Subject = "participant:p2" }},
		{"a different outcome", "prev", func(e *Entry) { e.Outcome = Refused }},
		{"a different meeting", "prev", func(e *Entry) { e.Meeting = "m2" }},
		{"a changed detail value", "prev", func(e *Entry) { e.Details = map[string]string{"name": "Sal", "role": "parent"} }},
		{"a renamed detail key", "prev", func(e *Entry) { e.Details = map[string]string{"nam": "Sam", "role": "parent"} }},
		{"an extra detail", "prev", func(e *Entry) { e.Details = map[string]string{"name": "Sam", "role": "parent", "x": ""} }},
		{"a removed detail", "prev", func(e *Entry) { e.Details = map[string]string{"name": "Sam"} }},
		{"text moved from actor to action", "prev", func(e *Entry) {
			e.Actor, e.Action = "staff:abcparticipant", ".admit"
		}},
		{"text moved from a detail key to its value", "prev", func(e *Entry) {
			e.Details = map[string]string{"nameS": "am", "role": "parent"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" gives a different hash", func(t *testing.T) {
			e := sample()
			tt.edit(&e)
			if got := ChainHash(tt.prev, e); got == base {
				t.Errorf("ChainHash = %s, the same as the unedited entry", got)
			}
		})
	}
}

func TestChainHashIgnoresRepresentationOnly(t *testing.T) {
	base := sample()
	want := ChainHash("prev", base)
	tests := []struct {
		name string
		edit func(*Entry)
	}{
		{"the same instant in another time zone", func(e *Entry) {
			e.At = e.At.In(time.FixedZone("UTC+5", 5*3600))
		}},
		{"different stored PrevHash and Hash fields", func(e *Entry) { e.PrevHash, e.Hash = "x", "y" }},
		{"the details map rebuilt in another order", func(e *Entry) {
			e.Details = map[string]string{"role": "parent", "name": "Sam"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" gives the same hash", func(t *testing.T) {
			e := sample()
			tt.edit(&e)
			if got := ChainHash("prev", e); got != want {
				t.Errorf("ChainHash = %s, want %s", got, want)
			}
		})
	}
}

func TestChainHashTreatsNilDetailsAsEmpty(t *testing.T) {
	a, b := sample(), sample()
	a.Details, b.Details = nil, map[string]string{}
	if got, want := ChainHash("", a), ChainHash("", b); got != want {
		t.Errorf("nil details hash %s, empty details hash %s", got, want)
	}
}

func TestChainHashIsHexSHA256(t *testing.T) {
	got := ChainHash("", sample())
	if len(got) != 64 || strings.Trim(got, "0123456789abcdef") != "" {
		t.Errorf("ChainHash = %q, want 64 lower-case hex digits", got)
	}
}
