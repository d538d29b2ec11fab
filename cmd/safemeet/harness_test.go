package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/webrtctest"
)

// testServer is the real program, wired as in production, on a loopback port
// with a temporary data folder and loopback-only media.
type testServer struct {
	t        *testing.T
	m        *Main
	url      string
	out      *syncBuffer
	host     *http.Client // signed in as the first admin
	approver *http.Client // signed in as an approver who hosts nothing; made when first needed
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs safemeet; edit may change its configuration before it starts.
func startServer(t *testing.T, edit func(*Main)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	m := NewMain(out, io.Discard)
	m.Listener = ln
	m.Config.Listen = ln.Addr().String()
	m.Config.PublicURL = "http://" + ln.Addr().String()
	m.Config.DataDir = t.TempDir()
	m.Config.MediaPort = 0
	m.Config.MediaIP = "127.0.0.1"
	m.Config.DevLoopbackCandidates = true
	m.Config.LogLevel = "error"
	if edit != nil {
		edit(m)
	}
	if err := m.Config.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	s := &testServer{t: t, m: m, url: m.Config.PublicURL, out: out}
	s.host = s.signInFirstAdmin()
	return s
}

var signinLink = regexp.MustCompile(`/signin#([A-Za-z0-9_-]+)`)

// signInFirstAdmin uses the one-time link printed on the first start.
func (s *testServer) signInFirstAdmin() *http.Client {
	s.t.Helper()
	match := signinLink.FindStringSubmatch(s.out.String())
	if match == nil {
		s.t.Fatalf("no sign-in link in the start-up output:\n%s", s.out.String())
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	s.post(c, "/api/signin-link", map[string]any{"token": match[1]}, http.StatusOK, nil)
	return c
}

// post sends a same-origin JSON POST and checks the status; out receives the body.
func (s *testServer) post(c *http.Client, path string, body any, wantStatus int, out any) []byte {
	s.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", s.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", s.url)
	resp, err := c.Do(req)
	if err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		s.t.Fatalf("POST %s: status %d, want %d: %s", path, resp.StatusCode, wantStatus, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("POST %s: decode %s: %v", path, data, err)
		}
	}
	return data
}

// createMeeting schedules a meeting as the first admin and returns its ID. It
// runs under the loosest shipped profile, so tests of one control meet no
// other rule; tests of a profile's rules use createMeetingWithProfile.
func (s *testServer) createMeeting() string {
	s.t.Helper()
	return s.createMeetingWithProfile(policy.ProfileInternalStaff)
}

// createMeetingWithProfile schedules a meeting under profile, starting now.
func (s *testServer) createMeetingWithProfile(profile meeting.ProfileID) string {
	s.t.Helper()
	var m struct{ ID string }
	s.post(s.host, "/api/meetings", map[string]any{
		"title": "Annual review", "purpose": "Review Sam's support plan with his parents", "category": "Annual review",
		"startsAt": time.Now().UTC().Format(time.RFC3339), "durationMinutes": 60,
		"profile": string(profile),
	}, http.StatusCreated, &m)
	s.approveIfNeeded(m.ID)
	return m.ID
}

// approveIfNeeded has an approver (not the host) approve a meeting whose
// profile needs approval, so tests of the running meeting can start it.
func (s *testServer) approveIfNeeded(meetingID string) {
	s.t.Helper()
	var got struct{ Meeting struct{ Approval string } }
	s.send(s.host, "GET", "/api/meetings/"+meetingID, nil, http.StatusOK, &got)
	if got.Meeting.Approval != "pending" {
		return
	}
	if s.approver == nil {
		s.approver = s.signInNewStaff("dsl@school.example", "approver")
	}
	s.post(s.approver, "/api/meetings/"+meetingID+"/approve", map[string]any{"note": "Agreed", "fingerprint": s.fingerprint(s.approver, meetingID)}, http.StatusOK, nil)
}

// fingerprint is what an approver is shown of a meeting, as their decision names it.
func (s *testServer) fingerprint(approver *http.Client, meetingID string) string {
	s.t.Helper()
	var got struct {
		Meeting struct {
			ApprovalFingerprint string `json:"approval_fingerprint"`
		}
	}
	s.send(approver, "GET", "/api/meetings/"+meetingID, nil, http.StatusOK, &got)
	return got.Meeting.ApprovalFingerprint
}

// signInNewStaff has the first admin add a staff member with a password and
// the given roles ("admin", "approver", "host", "auditor"), and returns a
// client signed in as them.
func (s *testServer) signInNewStaff(email string, roles ...string) *http.Client {
	s.t.Helper()
	const password = "a long enough password"
	r := map[string]bool{}
	for _, role := range roles {
		r[role] = true
	}
	s.post(s.host, "/api/staff", map[string]any{"email": email, "name": "Staff " + email, "password": password, "roles": r}, http.StatusCreated, nil)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	s.post(c, "/api/login", map[string]any{"email": email, "password": password}, http.StatusOK, nil)
	return c
}

// admittedRoom starts a server with a meeting under profile, its host in the
// room and, for each name, a guest (role label "parent") the host admitted.
func admittedRoom(t *testing.T, profile meeting.ProfileID, names ...string) (s *testServer, meetingID string, host *webrtctest.Participant, guests []*webrtctest.Participant) {
	t.Helper()
	s = startServer(t, nil)
	meetingID = s.createMeetingWithProfile(profile)
	// Everyone is invited before the meeting starts: a meeting that needs
	// approval takes no new invitee while it runs.
	var tokens []string
	for _, n := range names {
		_, tok := s.invite(meetingID, n, "parent")
		tokens = append(tokens, tok)
	}
	host = s.joinAsHost(meetingID, false)
	for _, tok := range tokens {
		g := s.mustJoinAsGuest(tok, false)
		admit(t, host, g)
		guests = append(guests, g)
	}
	return s, meetingID, host, guests
}

// invite adds an invitee and returns the invitation ID and token. Adding an
// invitee sends an approved meeting back for approval, so it is approved
// again (by the approver) and the link made then.
func (s *testServer) invite(meetingID, name, roleLabel string) (id, token string) {
	s.t.Helper()
	var out struct {
		Invitation struct{ ID string }
		Link       string
	}
	s.post(s.host, "/api/meetings/"+meetingID+"/invitations", map[string]any{"name": name, "roleLabel": roleLabel}, http.StatusCreated, &out)
	if out.Link == "" {
		s.approveIfNeeded(meetingID)
		s.post(s.host, "/api/meetings/"+meetingID+"/invitations/"+out.Invitation.ID+"/link", nil, http.StatusOK, &out)
	}
	_, token, ok := strings.Cut(out.Link, "/join#")
	if !ok {
		s.t.Fatalf("invitation link %q has no token", out.Link)
	}
	return out.Invitation.ID, token
}

func (s *testServer) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	s.t.Cleanup(cancel)
	return ctx
}

// hostOptions are the dial options of the meeting's host (the first admin's login).
func (s *testServer) hostOptions(meetingID string) webrtctest.Options {
	h := http.Header{}
	u, _ := http.NewRequest("GET", s.url, nil)
	for _, c := range s.host.Jar.Cookies(u.URL) {
		h.Add("Cookie", c.String())
	}
	return webrtctest.Options{BaseURL: s.url, Meeting: meetingID, Header: h, IncludeLoopback: true, LoopbackOnly: true}
}

// guestOptions are the dial options of the holder of an invitation token.
func (s *testServer) guestOptions(token string) webrtctest.Options {
	return webrtctest.Options{BaseURL: s.url, Invite: token, IncludeLoopback: true, LoopbackOnly: true, AcceptContract: true}
}

// dial connects a participant, closed when the test ends.
func (s *testServer) dial(o webrtctest.Options) (*webrtctest.Participant, error) {
	p, err := webrtctest.Dial(s.ctx(), o)
	if err == nil {
		s.t.Cleanup(func() { p.Close() })
	}
	return p, err
}

// joinAsHost opens the meeting as its host.
func (s *testServer) joinAsHost(meetingID string, publish bool) *webrtctest.Participant {
	s.t.Helper()
	o := s.hostOptions(meetingID)
	o.Publish = publish
	p, err := s.dial(o)
	if err != nil {
		s.t.Fatalf("host dial: %v", err)
	}
	return p
}

// joinAsGuest opens an invitation; the error is returned for refusal tests.
func (s *testServer) joinAsGuest(token string, publish bool) (*webrtctest.Participant, error) {
	o := s.guestOptions(token)
	o.Publish = publish
	return s.dial(o)
}

func (s *testServer) mustJoinAsGuest(token string, publish bool) *webrtctest.Participant {
	s.t.Helper()
	p, err := s.joinAsGuest(token, publish)
	if err != nil {
		s.t.Fatalf("guest dial: %v", err)
	}
	return p
}

// waitFor polls cond until it holds, failing with the reason if it never does.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// refusalCode returns the code of the server's refusal of a Dial, or "".
func refusalCode(err error) string {
	var se *webrtctest.ServerError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}
