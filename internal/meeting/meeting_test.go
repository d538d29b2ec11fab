package meeting

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRoleAndAdmissionStrings(t *testing.T) {
	roles := map[Role]string{RoleUnknown: "unknown", RoleHost: "host", RoleCoHost: "co-host", RoleParticipant: "participant", Role(99): "unknown"}
	for r, want := range roles {
		if got := r.String(); got != want {
			t.Errorf("Role(%d).String() = %q, want %q", r, got, want)
		}
	}
	adm := map[Admission]string{AdmissionUnknown: "unknown", AdmissionWaiting: "waiting", AdmissionAdmitted: "admitted", AdmissionDenied: "denied", AdmissionRemoved: "removed"}
	for a, want := range adm {
		if got := a.String(); got != want {
			t.Errorf("Admission(%d).String() = %q, want %q", a, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"  Jo Smith ", "Jo Smith", true},
		{"", "", false},
		{"   ", "", false},
		{"Jo\nSmith", "Jo\nSmith", false},
		{"Jo\u202eSmith", "Jo\u202eSmith", false},
		{"Zoë Ōkubo", "Zoë Ōkubo", true},
		{"\xff\xfe", "\xff\xfe", false},
		{strings.Repeat("a", 101), strings.Repeat("a", 101), false},
	}
	for _, tt := range tests {
		got, ok := CleanText(tt.in, MaxNameLen)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CleanText(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMeetingValidateNew_RequiresPurpose(t *testing.T) {
	m := Meeting{Title: "Annual review", Purpose: "  ", StartsAt: time.Now(), Duration: time.Hour}
	err := m.ValidateNew()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "purpose" || !errors.Is(err, ErrInvalid) {
		t.Fatalf("ValidateNew() = %v, want invalid purpose", err)
	}
	m.Purpose = "Review of Sam's plan\nwith parents"
	if err := m.ValidateNew(); err != nil {
		t.Fatalf("ValidateNew() = %v, want nil", err)
	}
}

func TestRandomIDIsUniqueAnd128Bits(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := RandomID()
		if len(id) != 26 {
			t.Fatalf("len(RandomID()) = %d, want 26", len(id))
		}
		if seen[id] {
			t.Fatalf("RandomID() repeated %q", id)
		}
		seen[id] = true
	}
}
