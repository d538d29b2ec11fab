package policy

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"safemeet/internal/meeting"
)

var loosest = Rules{
	AutoLockMinutes: 0, ScreenShare: ShareEveryone, MediaOnEntry: EntryAllowed, SelfUnmute: UnmuteFree,
	DisplayNames: NamesRenamable, Chime: false, MaxParticipants: 100,
	DirectMessages: DirectObserved, ChatLinks: LinksClickable, ChatHistory: HistorySinceStart,
}

var strictest = Rules{
	AutoLockMinutes: 1, ScreenShare: ShareHostOnly, MediaOnEntry: EntryOffUntilAllowed, SelfUnmute: UnmuteWhenAsked,
	DisplayNames: NamesFixed, Chime: true, MaxParticipants: 2,
	DirectMessages: DirectOff, ChatLinks: LinksText, ChatHistory: HistoryFromJoin,
}

func TestRules_EveryRuleHasAnOrder(t *testing.T) {
	if !strictest.AtLeastAsStrictAs(loosest) || loosest.AtLeastAsStrictAs(strictest) {
		t.Fatal("the strictest rules must be stricter than the loosest, and not the other way")
	}
	if got := loosest.Loosened(strictest); len(got) != len(ruleKeys) {
		t.Errorf("loosest vs strictest loosens %d rules (%v), want all %d", len(got), got, len(ruleKeys))
	}
	if got := strictest.Loosened(loosest); got != nil {
		t.Errorf("strictest loosens %v", got)
	}
	if loosest.Tighten(strictest) != strictest || strictest.Tighten(loosest) != strictest {
		t.Error("Tighten must take the strictest of each rule")
	}
}

func TestRules_AutoLockOffIsLoosestAndFewerMinutesStricter(t *testing.T) {
	five, ten, off := loosest, loosest, loosest
	five.AutoLockMinutes, ten.AutoLockMinutes = 5, 10
	if !five.AtLeastAsStrictAs(ten) || ten.AtLeastAsStrictAs(five) || !ten.AtLeastAsStrictAs(off) || off.AtLeastAsStrictAs(ten) {
		t.Fatal("auto-lock order wrong: want off < 10 < 5 minutes")
	}
	if got := off.Tighten(ten).Tighten(five).AutoLockMinutes; got != 5 {
		t.Errorf("tightened auto-lock = %d, want 5", got)
	}
}

func TestRules_OneLoosenedRuleIsNamed(t *testing.T) {
	r := strictest
	r.ScreenShare = ShareHosts
	if got := r.Loosened(strictest); !slices.Equal(got, []string{"screen sharing"}) {
		t.Errorf("Loosened = %v, want [screen sharing]", got)
	}
}

func TestParseRules_RefusesMissingAndUnknownValues(t *testing.T) {
	data, _ := json.Marshal(strictest)
	if r, err := ParseRules(data); err != nil || r != strictest {
		t.Fatalf("ParseRules(strictest) = %+v, %v", r, err)
	}
	var raw map[string]any
	_ = json.Unmarshal(data, &raw)
	delete(raw, "chat_links")
	missing, _ := json.Marshal(raw)
	var fe *meeting.FieldError
	if _, err := ParseRules(missing); !errors.As(err, &fe) || fe.Field != "links in chat" {
		t.Errorf("missing chat_links: %v, want a field error naming links in chat", err)
	}
	raw["chat_links"] = "sometimes"
	bad, _ := json.Marshal(raw)
	if _, err := ParseRules(bad); !errors.As(err, &fe) || fe.Field != "links in chat" {
		t.Errorf("unknown chat_links: %v, want a field error naming links in chat", err)
	}
}

func TestRules_ScreenShareByRole(t *testing.T) {
	for _, tc := range []struct {
		share ScreenShare
		role  meeting.Role
		want  bool
	}{
		{ShareHostOnly, meeting.RoleHost, true}, {ShareHostOnly, meeting.RoleCoHost, false}, {ShareHostOnly, meeting.RoleParticipant, false},
		{ShareHosts, meeting.RoleCoHost, true}, {ShareHosts, meeting.RoleParticipant, false},
		{ShareEveryone, meeting.RoleParticipant, true}, {ShareEveryone, meeting.RoleUnknown, false},
	} {
		r := loosest
		r.ScreenShare = tc.share
		if got := r.MayShareScreen(tc.role); got != tc.want {
			t.Errorf("%s sharing under %q = %v, want %v", tc.role, tc.share, got, tc.want)
		}
	}
}
