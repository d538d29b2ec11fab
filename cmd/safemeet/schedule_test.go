package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/mail/mailtest"
	"safemeet/internal/policy"
)

// useMail starts a real SMTP server and makes it the organisation's mail relay.
func (s *testServer) useMail() *mailtest.Server {
	s.t.Helper()
	smtp := mailtest.Start(s.t)
	c := smtp.Config()
	s.send(s.host, "PUT", "/api/settings/mail", map[string]any{
		"host": c.Host, "port": c.Port, "security": c.Security, "username": "", "password": "",
		"from": c.From, "from_name": c.FromName,
	}, http.StatusOK, nil)
	return smtp
}

// meetingBody is a meeting to schedule under profile, starting at starts.
func meetingBody(profile string, starts time.Time) map[string]any {
	return map[string]any{
		"title": "Annual review", "purpose": "Review Sam's support plan with his parents", "category": "Annual review",
		"startsAt": starts.UTC().Format(time.RFC3339), "durationMinutes": 60, "profile": profile,
	}
}

// meetingView is the part of a meeting's JSON these tests read.
type meetingView struct {
	ID, Approval, ApprovalNote string
	StartsAt                   string
}

// schedule creates a meeting as the first admin, without approving it.
func (s *testServer) schedule(body map[string]any) meetingView {
	s.t.Helper()
	var m meetingView
	s.send(s.host, "POST", "/api/meetings", body, http.StatusCreated, &m)
	return m
}

// approval reads a meeting's approval state as its host sees it.
func (s *testServer) approval(id string) string {
	s.t.Helper()
	var got struct{ Meeting meetingView }
	s.send(s.host, "GET", "/api/meetings/"+id, nil, http.StatusOK, &got)
	return got.Meeting.Approval
}

var tokenAfter = map[string]*regexp.Regexp{
	"join":    regexp.MustCompile(`/join#([A-Za-z0-9_-]{43})`),
	"consent": regexp.MustCompile(`/consent#([A-Za-z0-9_-]{43})`),
}

// linkToken finds the token of the first /join# or /consent# link in text.
func linkToken(t *testing.T, text, kind string) string {
	t.Helper()
	m := tokenAfter[kind].FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no /%s# link in:\n%s", kind, text)
	}
	return m[1]
}

// lookup asks what an invitation token is for, as the join page does, and
// returns the refusal (zero if it works).
func (s *testServer) lookup(token string) (refusal struct{ Code, OpensAt string }) {
	s.t.Helper()
	var status int
	out := s.request(http.DefaultClient, "POST", "/api/invitation", map[string]any{"token": token}, &status)
	if status != http.StatusOK {
		decodeInto(s.t, out, &refusal)
	}
	return refusal
}

func TestSchedule_PurposeRequired(t *testing.T) {
	s := startServer(t, nil)
	for _, tc := range []struct {
		name, field string
		edit        func(map[string]any)
	}{
		{"no purpose", "purpose", func(b map[string]any) { delete(b, "purpose") }},
		{"a blank purpose", "purpose", func(b map[string]any) { b["purpose"] = "  \n " }},
		{"a category the organisation does not keep", "purpose category", func(b map[string]any) { b["category"] = "Party" }},
		{"no category", "purpose category", func(b map[string]any) { delete(b, "category") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := meetingBody(string(policy.ProfileInternalStaff), time.Now())
			tc.edit(body)
			var e apiRefusal
			s.send(s.host, "POST", "/api/meetings", body, http.StatusBadRequest, &e)
			if e.Code != string(errcode.Invalid) || e.Field != tc.field {
				t.Errorf("refusal = %+v, want invalid %q", e, tc.field)
			}
		})
	}
	// With a purpose and one of the categories the admin keeps, it is scheduled.
	m := s.schedule(meetingBody(string(policy.ProfileInternalStaff), time.Now()))
	var mine struct {
		Meetings []struct{ ID, Purpose, Category string }
	}
	s.send(s.host, "GET", "/api/meetings", nil, http.StatusOK, &mine)
	if len(mine.Meetings) != 1 || mine.Meetings[0].ID != m.ID || mine.Meetings[0].Category != "Annual review" ||
		mine.Meetings[0].Purpose != "Review Sam's support plan with his parents" {
		t.Errorf("meetings = %+v, want the one scheduled with its purpose and category", mine.Meetings)
	}
	// An admin's own categories replace the shipped ones.
	s.send(s.host, "PUT", "/api/settings/categories", map[string]any{"categories": []string{"Music therapy"}}, http.StatusOK, nil)
	var e apiRefusal
	s.send(s.host, "POST", "/api/meetings", meetingBody(string(policy.ProfileInternalStaff), time.Now()), http.StatusBadRequest, &e)
	if e.Field != "purpose category" {
		t.Errorf("after the admin's edit, category Annual review refused with %+v, want purpose category", e)
	}
}

func TestApproval_UnapprovedMeetingCannotInviteOrStart(t *testing.T) {
	s := startServer(t, nil)
	smtp := s.useMail()
	m := s.schedule(meetingBody(string(policy.ProfileChildren), time.Now()))
	if m.Approval != "pending" {
		t.Fatalf("a Children and families meeting starts %q, want pending", m.Approval)
	}
	// Its invitation is queued, and nothing is sent while it waits.
	var inv struct {
		Invitation struct{ ID, Delivery string }
		Link       string
	}
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Jo Smith", "roleLabel": "parent", "email": "jo@home.example"}, http.StatusCreated, &inv)
	if inv.Link != "" || inv.Invitation.Delivery != "queued" {
		t.Errorf("invitation of an unapproved meeting = %+v, want queued and no link", inv)
	}
	// It cannot start: its host is refused.
	if _, err := s.dial(s.hostOptions(m.ID)); refusalCode(err) != string(errcode.MeetingNotApproved) {
		t.Errorf("host joining an unapproved meeting: %v, want %s", err, errcode.MeetingNotApproved)
	}
	// Its host cannot approve it, even holding the approver role.
	var e apiRefusal
	s.send(s.host, "POST", "/api/meetings/"+m.ID+"/approve", map[string]any{"note": ""}, http.StatusForbidden, &e)
	if e.Code != string(errcode.OwnMeeting) {
		t.Errorf("self-approval refused with %+v, want %s", e, errcode.OwnMeeting)
	}
	// Nor can a host without the approver role.
	teacher := s.signInNewStaff("teacher@school.example", "host")
	s.send(teacher, "POST", "/api/meetings/"+m.ID+"/approve", map[string]any{"note": ""}, http.StatusForbidden, nil)
	time.Sleep(300 * time.Millisecond) // the delivery job was kicked by the invitation
	if got := smtp.Messages(); len(got) != 0 {
		t.Fatalf("%d messages sent for an unapproved meeting, want none", len(got))
	}

	// An approver sees it in the queue and approves it: the invitation goes, and the meeting starts.
	approver := s.signInNewStaff("dsl@school.example", "approver")
	var queue struct {
		Meetings []struct {
			Meeting     meetingView
			Invitations []struct{ Name string }
		}
	}
	s.send(approver, "GET", "/api/approvals", nil, http.StatusOK, &queue)
	if len(queue.Meetings) != 1 || queue.Meetings[0].Meeting.ID != m.ID || len(queue.Meetings[0].Invitations) != 1 {
		t.Fatalf("approval queue = %+v, want the meeting with its one invitee", queue.Meetings)
	}
	// A decision names what the approver saw: after the host adds an invitee,
	// the approver's earlier view no longer approves anything.
	seen := s.fingerprint(approver, m.ID)
	s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Kim Lee", "roleLabel": "carer", "email": "kim@home.example"}, http.StatusCreated, nil)
	var stale apiRefusal
	s.send(approver, "POST", "/api/meetings/"+m.ID+"/approve", map[string]any{"note": "Fine", "fingerprint": seen}, http.StatusConflict, &stale)
	if stale.Code != string(errcode.ApprovalStale) {
		t.Errorf("approving what changed since it was read: %+v, want %s", stale, errcode.ApprovalStale)
	}
	s.send(approver, "POST", "/api/meetings/"+m.ID+"/approve", map[string]any{"note": "Fine", "fingerprint": s.fingerprint(approver, m.ID)}, http.StatusOK, nil)
	msgs := smtp.Wait(t, 3, 10*time.Second) // two invitations, and the host's notice
	var invitation, notice *mailtest.Received
	for i := range msgs {
		switch msgs[i].To[0] {
		case "jo@home.example":
			invitation = &msgs[i]
		case "head@school.example", s.m.Config.AdminEmail:
			notice = &msgs[i]
		}
	}
	if invitation == nil || notice == nil {
		t.Fatalf("after approval got mail to %v, want the invitee's invitation and the host's notice", recipients(msgs))
	}
	if !strings.Contains(notice.Text(t), "approved") || !strings.Contains(notice.Text(t), "Fine") {
		t.Errorf("host's notice = %q, want it approved with the note", notice.Text(t))
	}
	s.joinAsHost(m.ID, false)
	g := s.mustJoinAsGuest(linkToken(t, invitation.Text(t), "join"), false)
	if g.Admission() != "waiting" {
		t.Errorf("invitee after approval: %s, want waiting", g.Admission())
	}
}

func recipients(msgs []mailtest.Received) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To...)
	}
	return out
}

func TestApproval_EditingApprovedMeetingNeedsReapproval(t *testing.T) {
	s := startServer(t, nil)
	start := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	m := s.schedule(meetingBody(string(policy.ProfileChildren), start))
	s.approveIfNeeded(m.ID)
	if got := s.approval(m.ID); got != "approved" {
		t.Fatalf("approval = %q, want approved", got)
	}
	// A new title alone is not what was approved: it stays approved.
	body := meetingBody(string(policy.ProfileChildren), start)
	body["title"] = "Annual review (Sam)"
	s.send(s.host, "PUT", "/api/meetings/"+m.ID, body, http.StatusOK, nil)
	if got := s.approval(m.ID); got != "approved" {
		t.Errorf("after a title change approval = %q, want approved", got)
	}
	for _, tc := range []struct {
		what string
		edit func(map[string]any)
	}{
		{"time", func(b map[string]any) { b["startsAt"] = start.Add(time.Hour).Format(time.RFC3339) }},
		{"duration", func(b map[string]any) { b["durationMinutes"] = 90 }},
		{"purpose", func(b map[string]any) { b["purpose"] = "Something else" }},
		{"profile", func(b map[string]any) { b["profile"] = string(policy.ProfileAdults) }},
		{"invitees", nil},
		{"restored invitee", nil},
	} {
		t.Run(tc.what, func(t *testing.T) {
			var inv struct{ Invitation struct{ ID string } }
			if tc.what == "restored invitee" {
				// Revoked when the approver decided; brought back after.
				s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Revoked parent", "roleLabel": "parent"}, http.StatusCreated, &inv)
				s.post(s.host, "/api/meetings/"+m.ID+"/invitations/"+inv.Invitation.ID+"/revoke", nil, http.StatusOK, nil)
			}
			s.approveIfNeeded(m.ID)
			switch {
			case tc.what == "restored invitee":
				s.post(s.host, "/api/meetings/"+m.ID+"/invitations/"+inv.Invitation.ID+"/restore", nil, http.StatusOK, nil)
			case tc.edit == nil:
				s.post(s.host, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Another parent", "roleLabel": "parent"}, http.StatusCreated, nil)
			default:
				b := meetingBody(string(policy.ProfileChildren), start)
				tc.edit(b)
				s.send(s.host, "PUT", "/api/meetings/"+m.ID, b, http.StatusOK, nil)
			}
			// Even a switch to a profile that needs no approval goes back to
			// an approver: an edit never clears a meeting by itself.
			want := "pending"
			if got := s.approval(m.ID); got != want {
				t.Errorf("after changing the %s approval = %q, want %q", tc.what, got, want)
			}
			if _, err := s.dial(s.hostOptions(m.ID)); refusalCode(err) != string(errcode.MeetingNotApproved) {
				t.Errorf("host joining after the change: %v, want %s", err, errcode.MeetingNotApproved)
			}
			// Put the profile back for the next case.
			s.send(s.host, "PUT", "/api/meetings/"+m.ID, meetingBody(string(policy.ProfileChildren), start), http.StatusOK, nil)
		})
	}
}

func TestInvite_LinkOnlyWorksInsideWindow(t *testing.T) {
	s := startServer(t, nil)
	// Internal staff links open 60 minutes before the start and close 60 after the end.
	later := time.Now().Add(3 * time.Hour).Truncate(time.Second)
	future := s.schedule(meetingBody(string(policy.ProfileInternalStaff), later))
	_, futureToken := s.invite(future.ID, "Jo Smith", "parent")
	got := s.lookup(futureToken)
	if got.Code != string(errcode.InvitationNotOpen) || got.OpensAt != later.Add(-time.Hour).UTC().Format(time.RFC3339) {
		t.Errorf("link of a meeting in 3 hours: %+v, want %s opening at %s", got, errcode.InvitationNotOpen, later.Add(-time.Hour).UTC().Format(time.RFC3339))
	}
	if _, err := s.joinAsGuest(futureToken, false); refusalCode(err) != string(errcode.InvitationNotOpen) {
		t.Errorf("joining before the window: %v, want %s", err, errcode.InvitationNotOpen)
	}

	past := s.schedule(meetingBody(string(policy.ProfileInternalStaff), time.Now().Add(-4*time.Hour)))
	_, pastToken := s.invite(past.ID, "Jo Smith", "parent")
	if got := s.lookup(pastToken); got.Code != string(errcode.InvitationClosed) {
		t.Errorf("link of a meeting that ended hours ago: %+v, want %s", got, errcode.InvitationClosed)
	}
	if _, err := s.joinAsGuest(pastToken, false); refusalCode(err) != string(errcode.InvitationClosed) {
		t.Errorf("joining after the window: %v, want %s", err, errcode.InvitationClosed)
	}

	soon := s.schedule(meetingBody(string(policy.ProfileInternalStaff), time.Now().Add(30*time.Minute)))
	_, soonToken := s.invite(soon.ID, "Jo Smith", "parent")
	if got := s.lookup(soonToken); got.Code != "" {
		t.Errorf("link of a meeting in 30 minutes (inside the window): %+v, want it to work", got)
	}
	s.joinAsHost(soon.ID, false)
	if g := s.mustJoinAsGuest(soonToken, false); g.Admission() != "waiting" {
		t.Errorf("joining inside the window: %s, want waiting", g.Admission())
	}
}

// request makes a same-origin JSON request and returns the body, with the
// status in *status (for answers that may go either way).
func (s *testServer) request(c *http.Client, method, path string, body any, status *int) []byte {
	s.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", s.url)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	*status = resp.StatusCode
	return data
}

func decodeInto(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}
