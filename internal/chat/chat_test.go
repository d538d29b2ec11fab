package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

const (
	host      meeting.ParticipantID = "host"
	cohost    meeting.ParticipantID = "cohost"
	sender    meeting.ParticipantID = "sender"
	recipient meeting.ParticipantID = "recipient"
	other     meeting.ParticipantID = "other"
)

var t0 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func TestCanSee(t *testing.T) {
	viewers := map[string]Viewer{
		"host":      {ID: host, Host: true},
		"co-host":   {ID: cohost, Host: true},
		"sender":    {ID: sender},
		"recipient": {ID: recipient},
		"other":     {ID: other},
	}
	tests := []struct {
		audience Audience
		to       meeting.ParticipantID
		sees     map[string]bool
	}{
		{Everyone, "", map[string]bool{"host": true, "co-host": true, "sender": true, "recipient": true, "other": true}},
		{Hosts, "", map[string]bool{"host": true, "co-host": true, "sender": true, "recipient": false, "other": false}},
		{Direct, recipient, map[string]bool{"host": true, "co-host": true, "sender": true, "recipient": true, "other": false}},
		{AudienceUnknown, "", map[string]bool{"host": false, "co-host": false, "sender": false, "recipient": false, "other": false}},
	}
	for _, tt := range tests {
		m := Message{From: sender, Audience: tt.audience, To: tt.to, Text: "hi"}
		for name, v := range viewers {
			t.Run(fmt.Sprintf("%s message seen by %s", tt.audience, name), func(t *testing.T) {
				if got, want := CanSee(v, m), tt.sees[name]; got != want {
					t.Errorf("CanSee(%s, %s message) = %v, want %v", name, tt.audience, got, want)
				}
			})
		}
	}
}

func TestCanSeeDirectToAHostFromAParticipant(t *testing.T) {
	m := Message{From: sender, Audience: Direct, To: cohost}
	if !CanSee(Viewer{ID: host, Host: true}, m) {
		t.Error("the host cannot see a participant's direct message to a co-host; every host must")
	}
	if CanSee(Viewer{ID: other}, m) {
		t.Error("another participant can see a direct message")
	}
}

func TestAudienceStringAndJSON(t *testing.T) {
	tests := map[Audience]string{AudienceUnknown: "unknown", Everyone: "everyone", Hosts: "hosts", Direct: "direct", Audience(42): "unknown"}
	for a, want := range tests {
		if got := a.String(); got != want {
			t.Errorf("Audience(%d).String() = %q, want %q", a, got, want)
		}
		b, err := json.Marshal(a)
		if err != nil || string(b) != `"`+want+`"` {
			t.Errorf("json.Marshal(Audience(%d)) = %s, %v; want %q", a, b, err, want)
		}
	}
}

func TestParseTo(t *testing.T) {
	tests := []struct {
		to       string
		audience Audience
		id       meeting.ParticipantID
	}{
		{"everyone", Everyone, ""},
		{"hosts", Hosts, ""},
		{"abcdefghijklmnopqrstuvwxyz", Direct, "abcdefghijklmnopqrstuvwxyz"},
		{"", AudienceUnknown, ""},
	}
	for _, tt := range tests {
		a, id := ParseTo(tt.to)
		if a != tt.audience || id != tt.id {
			t.Errorf("ParseTo(%q) = %s, %q; want %s, %q", tt.to, a, id, tt.audience, tt.id)
		}
	}
}

func TestCheckAudience(t *testing.T) {
	tests := []struct {
		audience Audience
		rule     policy.DirectMessages
		want     errcode.Code // "" for allowed
	}{
		{Everyone, policy.DirectOff, ""},
		{Hosts, policy.DirectOff, ""},
		{Direct, policy.DirectOff, errcode.DirectMessagesOff},
		{Direct, policy.DirectObserved, ""},
		{Direct, "", errcode.DirectMessagesOff},
		{AudienceUnknown, policy.DirectObserved, errcode.ChatInvalid},
	}
	for _, tt := range tests {
		err := CheckAudience(tt.audience, tt.rule)
		if got := errcode.Of(err); got != tt.want {
			t.Errorf("CheckAudience(%s, %q) = %v, want %q", tt.audience, tt.rule, err, tt.want)
		}
	}
}

func ids(msgs []Message) []uint64 {
	var out []uint64
	for _, m := range msgs {
		out = append(out, m.ID)
	}
	return out
}

func TestLogAddGivesIncreasingIDs(t *testing.T) {
	var l Log
	for i := range 3 {
		m := l.Add(Message{ID: 99, From: sender, Audience: Everyone, Text: "hi", At: t0})
		if want := uint64(i + 1); m.ID != want {
			t.Errorf("Add() #%d ID = %d, want %d", i+1, m.ID, want)
		}
	}
	l.Clear()
	if m := l.Add(Message{Audience: Everyone, Text: "after clear"}); m.ID != 4 {
		t.Errorf("ID after Clear = %d, want 4 (IDs are never reused)", m.ID)
	}
}

func TestLogVisibleFiltersByViewerAndJoinTime(t *testing.T) {
	var l Log
	l.Add(Message{From: sender, Audience: Everyone, Text: "1 all", At: t0})
	l.Add(Message{From: sender, Audience: Hosts, Text: "2 hosts", At: t0.Add(time.Minute)})
	l.Add(Message{From: sender, Audience: Direct, To: recipient, Text: "3 direct", At: t0.Add(2 * time.Minute)})
	l.Add(Message{From: other, Audience: Everyone, Text: "4 all", At: t0.Add(3 * time.Minute)})

	tests := []struct {
		name   string
		viewer Viewer
		since  time.Time
		want   []uint64
	}{
		{"a host sees everything", Viewer{ID: host, Host: true}, time.Time{}, []uint64{1, 2, 3, 4}},
		{"the sender sees their own", Viewer{ID: sender}, time.Time{}, []uint64{1, 2, 3, 4}},
		{"the recipient sees the direct message", Viewer{ID: recipient}, time.Time{}, []uint64{1, 3, 4}},
		{"another participant sees only messages to everyone", Viewer{ID: other}, time.Time{}, []uint64{1, 4}},
		{"a late joiner sees from their join time", Viewer{ID: other}, t0.Add(90 * time.Second), []uint64{4}},
		{"a message at the join time is seen", Viewer{ID: recipient}, t0.Add(2 * time.Minute), []uint64{3, 4}},
		{"a late host sees from their join time", Viewer{ID: host, Host: true}, t0.Add(time.Minute), []uint64{2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(l.Visible(tt.viewer, tt.since)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Visible() IDs = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLogDeleteRemovesForEveryone(t *testing.T) {
	var l Log
	a := l.Add(Message{Audience: Everyone, Text: "a"})
	b := l.Add(Message{Audience: Direct, From: sender, To: recipient, Text: "b"})
	c := l.Add(Message{Audience: Everyone, Text: "c"})

	if got, ok := l.Find(b.ID); !ok || got.Text != "b" {
		t.Fatalf("Find(%d) = %+v, %v; want message b", b.ID, got, ok)
	}
	got, ok := l.Delete(b.ID)
	if !ok || got.Text != "b" || got.To != recipient {
		t.Fatalf("Delete(%d) = %+v, %v; want message b", b.ID, got, ok)
	}
	for _, v := range []Viewer{{ID: host, Host: true}, {ID: sender}, {ID: recipient}} {
		if got := ids(l.Visible(v, time.Time{})); !reflect.DeepEqual(got, []uint64{a.ID, c.ID}) {
			t.Errorf("after Delete, %s sees %v, want %v", v.ID, got, []uint64{a.ID, c.ID})
		}
	}
	if _, ok := l.Delete(b.ID); ok {
		t.Error("Delete of a deleted message = true, want false")
	}
	if _, ok := l.Find(b.ID); ok {
		t.Error("Find of a deleted message = true, want false")
	}
	if _, ok := l.Delete(999); ok {
		t.Error("Delete of an unknown ID = true, want false")
	}
	l.Clear()
	if l.Len() != 0 || len(l.Visible(Viewer{ID: host, Host: true}, time.Time{})) != 0 {
		t.Errorf("after Clear, Len() = %d, want 0", l.Len())
	}
	if _, ok := l.Delete(a.ID); ok {
		t.Error("Delete after Clear = true, want false")
	}
}

func TestLogKeepsTheLastMaxHistoryMessages(t *testing.T) {
	var l Log
	for range MaxHistory + 250 {
		l.Add(Message{Audience: Everyone, Text: "x"})
	}
	if l.Len() != MaxHistory {
		t.Fatalf("Len() = %d, want %d", l.Len(), MaxHistory)
	}
	got := l.Visible(Viewer{ID: other}, time.Time{})
	if first, last := got[0].ID, got[len(got)-1].ID; first != 251 || last != MaxHistory+250 {
		t.Errorf("kept IDs %d..%d, want 251..%d", first, last, MaxHistory+250)
	}
	if _, ok := l.Delete(10); ok {
		t.Error("Delete of a dropped message = true, want false")
	}
	if _, ok := l.Delete(600); !ok {
		t.Error("Delete of a kept message = false, want true")
	}
}

func TestLogBoundsTheTextItHolds(t *testing.T) {
	var l Log
	long := strings.Repeat("🙂", MaxLen) // 8,000 bytes
	for range 300 {
		l.Add(Message{Audience: Everyone, Text: long})
	}
	if l.bytes > MaxHistoryBytes {
		t.Errorf("log holds %d bytes of text, want at most %d", l.bytes, MaxHistoryBytes)
	}
	if want := MaxHistoryBytes / len(long); l.Len() != want {
		t.Errorf("Len() = %d, want %d", l.Len(), want)
	}
	l.Add(Message{Audience: Everyone, Text: "short"})
	if got := l.Visible(Viewer{}, time.Time{}); got[len(got)-1].Text != "short" {
		t.Error("the newest message was not kept")
	}
}

func TestLimiter(t *testing.T) {
	var l Limiter // the zero value: 5 per 5 seconds
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []struct {
		who  meeting.ParticipantID
		ms   int
		want bool
	}{
		{sender, 0, true},
		{sender, 100, true},
		{sender, 200, true},
		{sender, 300, true},
		{sender, 400, true},
		{sender, 500, false},   // the sixth within 5 s
		{other, 500, true},     // limits are per sender
		{sender, 4999, false},  // the first is not yet 5 s old
		{sender, 5000, true},   // the first has left the window
		{sender, 5001, false},  // the second is still in it
		{sender, 5100, true},   // now it has left too
		{sender, 60_000, true}, // long after: a fresh window
		{sender, 60_001, true},
	}
	for i, s := range steps {
		if got := l.Allow(s.who, at(s.ms)); got != s.want {
			t.Errorf("step %d: Allow(%s, +%dms) = %v, want %v", i, s.who, s.ms, got, s.want)
		}
	}
}

func TestLimiterRefusedAttemptsDoNotCount(t *testing.T) {
	l := NewLimiter(2, time.Second)
	l.Allow(sender, t0)
	l.Allow(sender, t0)
	for ms := 1; ms < 1000; ms += 50 {
		if l.Allow(sender, t0.Add(time.Duration(ms)*time.Millisecond)) {
			t.Fatalf("Allow at +%dms = true, want false", ms)
		}
	}
	if !l.Allow(sender, t0.Add(time.Second)) {
		t.Error("Allow after the window = false, want true: refused attempts must not count")
	}
}

func TestLimiterForget(t *testing.T) {
	var l Limiter
	for range RateMessages {
		l.Allow(sender, t0)
	}
	if l.Allow(sender, t0) {
		t.Fatal("Allow over the limit = true")
	}
	l.Forget(sender)
	if !l.Allow(sender, t0) {
		t.Error("Allow after Forget = false, want true")
	}
}

func TestHandsKeepTheOrderTheyWentUp(t *testing.T) {
	var h Hands
	if !h.Raise(sender) || !h.Raise(other) || !h.Raise(recipient) {
		t.Fatal("Raise of a lowered hand = false")
	}
	if h.Raise(sender) {
		t.Error("Raise of a raised hand = true, want false")
	}
	want := []meeting.ParticipantID{sender, other, recipient}
	if got := h.Queue(); !reflect.DeepEqual(got, want) {
		t.Errorf("Queue() = %v, want %v (raising again keeps the first place)", got, want)
	}
	if !h.Lower(other) {
		t.Error("Lower of a raised hand = false")
	}
	if h.Lower(other) {
		t.Error("Lower of a lowered hand = true, want false")
	}
	h.Raise(other)
	want = []meeting.ParticipantID{sender, recipient, other}
	if got := h.Queue(); !reflect.DeepEqual(got, want) {
		t.Errorf("Queue() = %v, want %v (a hand raised again goes to the back)", got, want)
	}
	if !h.Raised(recipient) || h.Raised(host) {
		t.Error("Raised() is wrong")
	}
	q := h.Queue()
	q[0] = "changed"
	if h.Queue()[0] != sender {
		t.Error("Queue() shares its slice with the queue")
	}
	h.Clear()
	if len(h.Queue()) != 0 {
		t.Errorf("Queue() after Clear = %v", h.Queue())
	}
}

func TestParseReaction(t *testing.T) {
	for _, r := range Reactions() {
		if got, ok := ParseReaction(string(r)); !ok || got != r {
			t.Errorf("ParseReaction(%q) = %q, %v; want it back", r, got, ok)
		}
	}
	if n := len(Reactions()); n != 5 {
		t.Errorf("%d reactions, want 5", n)
	}
	for _, s := range []string{"", "Applause", "thumbs-up", "<img src=x>", "applause ", "poop"} {
		if got, ok := ParseReaction(s); ok {
			t.Errorf("ParseReaction(%q) = %q, true; want false", s, got)
		}
	}
}

func TestErrorsAreErrcodes(t *testing.T) {
	_, err := Clean("")
	var e *errcode.Error
	if !errors.As(err, &e) {
		t.Fatalf("Clean(\"\") error %T is not an *errcode.Error", err)
	}
}
