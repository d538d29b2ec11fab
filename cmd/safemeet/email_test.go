package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"safemeet/internal/errcode"
	"safemeet/internal/policy"
)

func TestInvite_EmailSentOnlyToRecordedAddressWithICS(t *testing.T) {
	s := startServer(t, nil)
	smtp := s.useMail()
	start := time.Now().Add(30 * time.Minute).Truncate(time.Second).UTC()
	m := s.schedule(meetingBody(string(policy.ProfileInternalStaff), start))

	var inv struct {
		Invitation struct{ ID, Delivery, Email string }
		Link       string
	}
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{
		"name": "Jo Smith", "roleLabel": "parent of Sam", "email": " Jo.Smith@Home.Example ",
	}, http.StatusCreated, &inv)
	if inv.Link != "" {
		t.Errorf("with email set up the host was shown the link %q; it must go only by email", inv.Link)
	}
	got := smtp.Wait(t, 1, 10*time.Second)
	time.Sleep(200 * time.Millisecond) // anything else sent would have arrived by now
	if all := smtp.Messages(); len(all) != 1 {
		t.Fatalf("%d messages sent, want exactly one: to %v", len(all), recipients(all))
	}
	msg := got[0]
	if len(msg.To) != 1 || msg.To[0] != "jo.smith@home.example" {
		t.Fatalf("envelope recipients = %v, want only the recorded address", msg.To)
	}
	h := msg.Header(t)
	if to := h.Get("To"); !strings.Contains(to, "<jo.smith@home.example>") || strings.Count(to, "@") != 1 {
		t.Errorf("To header = %q, want only the invitee", to)
	}
	if h.Get("Cc") != "" || h.Get("Bcc") != "" {
		t.Errorf("Cc %q, Bcc %q, want none", h.Get("Cc"), h.Get("Bcc"))
	}
	text := msg.Text(t)
	token := linkToken(t, text, "join")
	if refusal := s.lookup(token); refusal.Code != "" {
		t.Errorf("the emailed link is refused: %+v", refusal)
	}
	for _, want := range []string{"Jo Smith", "Annual review", "Review Sam's support plan"} {
		if !strings.Contains(text, want) {
			t.Errorf("invitation text lacks %q:\n%s", want, text)
		}
	}

	raw := msg.Calendar(t)
	if raw == nil {
		t.Fatal("no calendar invitation in the message")
	}
	for i, line := range bytes.SplitAfter(raw, []byte("\n")) {
		if len(line) > 0 && !bytes.HasSuffix(line, []byte("\r\n")) {
			t.Fatalf("calendar line %d does not end in CRLF: %q", i+1, line)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parsing the .ics: %v", err)
	}
	if p := cal.CalendarProperties; !hasCalendarProp(cal, ics.PropertyMethod, "REQUEST") {
		t.Errorf("calendar properties %v, want METHOD:REQUEST", p)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("calendar has %d events, want 1", len(events))
	}
	ev := events[0]
	if at, err := ev.GetStartAt(); err != nil || !at.Equal(start) {
		t.Errorf("DTSTART = %v (%v), want %v", at, err, start)
	}
	if at, err := ev.GetEndAt(); err != nil || !at.Equal(start.Add(time.Hour)) {
		t.Errorf("DTEND = %v (%v), want %v", at, err, start.Add(time.Hour))
	}
	if sum := ev.GetProperty(ics.ComponentPropertySummary); sum == nil || sum.Value != "Annual review" {
		t.Errorf("SUMMARY = %v, want the meeting's title", sum)
	}
	att := ev.Attendees()
	if len(att) != 1 || att[0].Email() != "jo.smith@home.example" {
		t.Errorf("attendees = %v, want only the invitee", att)
	}
	if u := ev.GetProperty(ics.ComponentPropertyUrl); u == nil || !strings.HasSuffix(u.Value, "/join#"+token) {
		t.Errorf("URL = %v, want the personal link", u)
	}

	// The host sees it was delivered, and a refused address is shown with the server's reason.
	smtp.RejectRecipient("nobody@home.example", "mailbox unavailable")
	var bad struct{ Invitation struct{ ID string } }
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Al Jones", "roleLabel": "parent", "email": "nobody@home.example"}, http.StatusCreated, &bad)
	waitFor(t, "the failed delivery to show", func() bool {
		for _, i := range s.invitations(m.ID) {
			if i.ID == bad.Invitation.ID {
				return strings.Contains(i.DeliveryError, "550") && strings.Contains(i.DeliveryError, "mailbox unavailable") &&
					i.Delivery == "queued" && i.Attempts == 1 && i.NextAttemptAt != ""
			}
		}
		return false
	})
	for _, i := range s.invitations(m.ID) {
		if i.ID == inv.Invitation.ID && (i.Delivery != "sent" || i.SentAt == "") {
			t.Errorf("delivered invitation shows %+v, want sent", i)
		}
	}
}

func hasCalendarProp(cal *ics.Calendar, p ics.Property, value string) bool {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) && cp.Value == value {
			return true
		}
	}
	return false
}

// invitationView is an invitation as the host's meeting page reads it.
type invitationView struct {
	ID, Delivery, DeliveryError, SentAt, NextAttemptAt string
	Attempts                                           int
	Revoked                                            bool
	Consent                                            struct{ State, By, At string }
}

// invitations lists a meeting's invitations as its host sees them.
func (s *testServer) invitations(meetingID string) []invitationView {
	s.t.Helper()
	var got struct{ Invitations []invitationView }
	s.send(s.host, "GET", "/api/meetings/"+meetingID, nil, http.StatusOK, &got)
	return got.Invitations
}

func TestInvite_ResendRevokesOldLink(t *testing.T) {
	s := startServer(t, nil)
	smtp := s.useMail()
	m := s.schedule(meetingBody(string(policy.ProfileInternalStaff), time.Now()))
	var inv struct{ Invitation struct{ ID string } }
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Jo Smith", "roleLabel": "parent", "email": "jo@home.example"}, http.StatusCreated, &inv)
	first := linkToken(t, smtp.Wait(t, 1, 10*time.Second)[0].Text(t), "join")
	if refusal := s.lookup(first); refusal.Code != "" {
		t.Fatalf("first link refused: %+v", refusal)
	}

	var resent struct{ Link string }
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations/"+inv.Invitation.ID+"/link", nil, http.StatusOK, &resent)
	if resent.Link != "" {
		t.Errorf("resending showed the host the link %q; it must go only by email", resent.Link)
	}
	// The old link stops at once, before the new mail is even sent.
	if refusal := s.lookup(first); refusal.Code != string(errcode.InvitationInvalid) {
		t.Errorf("old link after a resend: %+v, want %s", refusal, errcode.InvitationInvalid)
	}
	msgs := smtp.Wait(t, 2, 10*time.Second)
	if msgs[1].To[0] != "jo@home.example" {
		t.Errorf("resent to %v, want the recorded address", msgs[1].To)
	}
	second := linkToken(t, msgs[1].Text(t), "join")
	if second == first {
		t.Fatal("the resent invitation carries the old link")
	}
	if refusal := s.lookup(second); refusal.Code != "" {
		t.Errorf("new link refused: %+v", refusal)
	}
	s.joinAsHost(m.ID, false)
	if _, err := s.joinAsGuest(first, false); refusalCode(err) != string(errcode.InvitationInvalid) {
		t.Errorf("joining with the old link: %v, want %s", err, errcode.InvitationInvalid)
	}
	s.mustJoinAsGuest(second, false)
}

func TestInvite_NewLinkTakesTheOldLinksHolderOut(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	iid, old := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	leaked := s.mustJoinAsGuest(old, false)
	admit(t, host, leaked)

	var fresh struct{ Link string }
	s.post(s.host, "/api/meetings/"+mid+"/invitations/"+iid+"/link", nil, http.StatusOK, &fresh)
	waitFor(t, "the old link's holder to be taken out", func() bool { return leaked.Err() != nil })
	waitFor(t, "the host to see them gone", func() bool { _, in := host.Roster()[leaked.ID()]; return !in })
	_, token, _ := strings.Cut(fresh.Link, "/join#")
	jo := s.mustJoinAsGuest(token, false)
	if jo.Admission() != "waiting" || jo.ID() == leaked.ID() {
		t.Errorf("the new link's holder: %s as %s, want waiting in a new place", jo.Admission(), jo.ID())
	}
	if _, err := s.joinAsGuest(old, false); refusalCode(err) != string(errcode.InvitationInvalid) {
		t.Errorf("the old link again: %v, want %s", err, errcode.InvitationInvalid)
	}
}
