package mail

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// Event is a meeting as a calendar invitation.
type Event struct {
	// UID is stable per invitation, e.g. "<invitationID>@<host>"; the same UID
	// with a higher Sequence updates the event in the invitee's calendar.
	UID         string
	Sequence    int
	Start       time.Time
	End         time.Time
	Summary     string // meeting title
	Description string // purpose and the personal link
	URL         string // the personal link (may be empty for a guardian's consent-only mail)

	OrganizerName, OrganizerEmail string
	AttendeeName, AttendeeEmail   string
	Stamp                         time.Time // DTSTAMP; zero means now
}

// Calendar returns e as an iCalendar object (RFC 5545) with METHOD:REQUEST,
// one VEVENT, times in UTC, lines ending in CRLF.
//
// golang-ical escapes TEXT values (backslash, semicolon, comma, newline) and
// folds lines at 75 octets without splitting a UTF-8 sequence; this function
// removes what it does not handle: carriage returns and other control
// characters, which could otherwise start a new property. URL is left out when
// empty or malformed; ORGANIZER and ATTENDEE when their email is empty.
func Calendar(e Event) []byte {
	cal := &ics.Calendar{}
	cal.SetProductId("-//safemeet//safemeet//EN")
	cal.SetVersion("2.0")
	cal.SetMethod(ics.MethodRequest)
	cal.SetCalscale("GREGORIAN")

	ev := ics.NewEvent(icsText(e.UID))
	ev.SetSequence(e.Sequence)
	stamp := e.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	ev.SetDtStampTime(stamp)
	ev.SetStartAt(e.Start)
	ev.SetEndAt(e.End)
	ev.SetSummary(icsText(e.Summary))
	ev.SetDescription(icsText(e.Description))
	if plainURI(e.URL) {
		ev.SetURL(e.URL)
	}
	if e.OrganizerEmail != "" {
		ev.Properties = append(ev.Properties, calAddress(ics.ComponentPropertyOrganizer,
			e.OrganizerName, e.OrganizerEmail))
	}
	if e.AttendeeEmail != "" {
		ev.Properties = append(ev.Properties, calAddress(ics.ComponentPropertyAttendee,
			e.AttendeeName, e.AttendeeEmail,
			"ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=FALSE"))
	}
	ev.SetStatus(ics.ObjectStatusConfirmed)
	cal.AddVEvent(ev)
	return []byte(cal.Serialize(ics.WithNewLineWindows))
}

// calAddress builds an ORGANIZER or ATTENDEE property with its CN in double
// quotes. golang-ical writes unquoted parameter values with backslash escapes
// (CN=O\'Brien\, Mary), which RFC 5545 section 3.1 does not define and
// calendar clients show literally; a quoted-string needs no escaping beyond
// having no DQUOTE or control characters. The parameters therefore go into
// the property name, which golang-ical writes verbatim.
func calAddress(prop ics.ComponentProperty, name, email string, params ...string) ics.IANAProperty {
	var b strings.Builder
	b.WriteString(string(prop))
	if name = noControls(strings.ReplaceAll(name, `"`, "'")); name != "" {
		b.WriteString(`;CN="` + name + `"`)
	}
	for _, p := range params {
		b.WriteString(";" + p)
	}
	return ics.IANAProperty{BaseProperty: ics.BaseProperty{
		IANAToken: b.String(),
		Value:     "mailto:" + noControls(email),
	}}
}

// icsText prepares s for a TEXT value: line breaks become "\n" (which
// golang-ical escapes), other control characters except tab are dropped.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// plainURI reports whether s can be written as a URI value unescaped: a
// malformed link is left out rather than mended into a different one.
func plainURI(s string) bool {
	return s != "" && utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || unicode.IsControl(r)
	})
}

// noControls drops every control character, for values golang-ical writes
// without escaping.
func noControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
