package mail_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"safemeet/internal/mail"
)

// longDescription has everything RFC 5545 TEXT must escape, multi-byte
// characters near the fold points, and lines long enough to fold.
const longDescription = "Purpose: review of Zoë's progress; attendance, reading and maths.\n" +
	"Join with your personal link (do not share it, it is yours alone): " +
	"https://meet.school.example/i/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\n" +
	"Écoutez — «ça va?» naïve café, 日本語のテキスト、絵文字 🙂🙂🙂 and a backslash \\ too."

func testEvent() mail.Event {
	london, _ := time.LoadLocation("Europe/London")
	return mail.Event{
		UID:            "inv-7f3a9c@meet.school.example",
		Sequence:       2,
		Start:          time.Date(2026, 3, 2, 15, 0, 0, 0, london),
		End:            time.Date(2026, 3, 2, 15, 30, 0, 0, london),
		Summary:        "Progress meeting: Zoë, 9B; reading",
		Description:    longDescription,
		URL:            "https://meet.school.example/i/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
		OrganizerName:  "Ms Smith, Year 9",
		OrganizerEmail: "smith@school.example",
		AttendeeName:   `Zoë O'Brien "Jo"`,
		AttendeeEmail:  "zoe@home.example",
		Stamp:          time.Date(2026, 2, 20, 9, 0, 0, 0, time.UTC),
	}
}

// checkLines fails unless every line of raw ends in CRLF, has no bare CR or
// LF, is at most 75 octets and is valid UTF-8 on its own (so folding never
// split a character).
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("calendar does not end in CRLF: %q", raw[max(0, len(raw)-20):])
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, want at most 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
	}
}

// unfold undoes RFC 5545 line folding.
func unfold(raw []byte) []string {
	s := strings.ReplaceAll(string(raw), "\r\n ", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

func TestCalendarWritesAFoldedEscapedRequest(t *testing.T) {
	raw := mail.Calendar(testEvent())
	checkLines(t, raw)

	lines := unfold(raw)
	for _, want := range []string{
		"BEGIN:VCALENDAR",
		"PRODID:-//safemeet//safemeet//EN",
		"VERSION:2.0",
		"METHOD:REQUEST",
		"CALSCALE:GREGORIAN",
		"BEGIN:VEVENT",
		"UID:inv-7f3a9c@meet.school.example",
		"SEQUENCE:2",
		"DTSTAMP:20260220T090000Z",
		"DTSTART:20260302T150000Z", // London is on GMT in early March
		"DTEND:20260302T153000Z",
		`SUMMARY:Progress meeting: Zoë\, 9B\; reading`,
		"URL:https://meet.school.example/i/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
		`ORGANIZER;CN="Ms Smith, Year 9":mailto:smith@school.example`,
		`ATTENDEE;CN="Zoë O'Brien 'Jo'";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:zoe@home.example`,
		"STATUS:CONFIRMED",
		"END:VEVENT",
		"END:VCALENDAR",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("calendar has no line %q; got:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	desc := ""
	for _, l := range lines {
		if strings.HasPrefix(l, "DESCRIPTION:") {
			desc = strings.TrimPrefix(l, "DESCRIPTION:")
		}
	}
	if want := `attendance\, reading and maths.\nJoin`; !strings.Contains(desc, want) {
		t.Errorf("DESCRIPTION = %q, want it to contain %q", desc, want)
	}
	if !strings.Contains(desc, `Purpose: review of Zoë's progress\;`) || !strings.Contains(desc, `backslash \\ too`) {
		t.Errorf("DESCRIPTION = %q, want ; and \\ escaped", desc)
	}
	if len(raw) < 2*75 || bytes.Count(raw, []byte("\r\n ")) < 3 {
		t.Errorf("expected the long description to be folded; got:\n%s", raw)
	}

	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ParseCalendar: %v", err)
	}
	ev := cal.Events()[0]
	if got := ev.GetProperty(ics.ComponentPropertyDescription).Value; got != longDescription {
		t.Errorf("DESCRIPTION round trip = %q, want %q", got, longDescription)
	}
}

func TestCalendarLineBreaksCannotAddProperties(t *testing.T) {
	e := testEvent()
	e.Summary = "Hello\r\nATTENDEE:mailto:evil@x.test"
	e.Description = "a\rb\r\nc\x00d"
	e.AttendeeName = "Jo\r\nATTENDEE:mailto:evil@x.test"
	e.UID = "id\r\nURL:https://evil.test"
	e.URL = "https://ok.test/\r\nATTENDEE:mailto:evil@x.test"
	raw := mail.Calendar(e)
	checkLines(t, raw)

	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ParseCalendar: %v", err)
	}
	ev := cal.Events()[0]
	if n := len(ev.Attendees()); n != 1 {
		t.Errorf("got %d attendees, want 1:\n%s", n, raw)
	}
	if n := len(ev.GetProperties(ics.ComponentPropertyUrl)); n != 0 {
		t.Errorf("got %d URL properties, want 0 (the URL had a line break):\n%s", n, raw)
	}
	if got, want := ev.GetProperty(ics.ComponentPropertyDescription).Value, "a\nb\ncd"; got != want {
		t.Errorf("DESCRIPTION = %q, want %q", got, want)
	}
	if got, want := ev.GetProperty(ics.ComponentPropertySummary).Value, "Hello\nATTENDEE:mailto:evil@x.test"; got != want {
		t.Errorf("SUMMARY = %q, want %q", got, want)
	}
}

func TestCalendarLeavesOutEmptyOptionalProperties(t *testing.T) {
	e := testEvent()
	e.URL, e.OrganizerEmail, e.AttendeeName = "", "", ""
	lines := unfold(mail.Calendar(e))
	for _, l := range lines {
		if strings.HasPrefix(l, "URL") || strings.HasPrefix(l, "ORGANIZER") {
			t.Errorf("unexpected line %q", l)
		}
	}
	if want := "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:zoe@home.example"; !slices.Contains(lines, want) {
		t.Errorf("calendar has no line %q; got:\n%s", want, strings.Join(lines, "\n"))
	}
}
