package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"safemeet/internal/errcode"
	"safemeet/internal/secret"
)

func TestInvitation_SecondSessionRefused(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent of Sam, 9B")
	host := s.joinAsHost(mid, false)
	first := s.mustJoinAsGuest(tok, false)
	admit(t, host, first)

	_, err := s.joinAsGuest(tok, false)
	if code := refusalCode(err); code != string(errcode.InvitationInUse) {
		t.Fatalf("second session: code %q (%v), want %q", code, err, errcode.InvitationInUse)
	}
	waitFor(t, "the host to be told about the second attempt", func() bool {
		for _, n := range host.Notices() {
			if n.Code == string(errcode.InvitationInUse) && n.Participant == first.Welcome().Participant && strings.Contains(n.Message, "Jo Smith") {
				return true
			}
		}
		return false
	})
	if got := first.Admission(); got != "admitted" {
		t.Errorf("first session's admission = %q, want it untouched (admitted)", got)
	}
}

// lookup asks the pre-join API about a token and returns status and body.
func lookup(t *testing.T, s *testServer, token string) (int, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"token": token})
	req, _ := http.NewRequest("POST", s.url+"/api/invitation", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", s.url)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// helloRefusal opens a WebSocket, says hello with token, and returns the raw
// refusal and the close status.
func helloRefusal(t *testing.T, s *testServer, token string) (string, websocket.StatusCode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {s.url}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"hello","version":1,"invite":"`+token+`"}`)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read refusal: %v", err)
	}
	_, _, err = c.Read(ctx)
	return string(msg), websocket.CloseStatus(err)
}

func TestInvitation_InvalidTokensIndistinguishable(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	revokedID, revoked := s.invite(mid, "Jo Smith", "parent")
	s.post(s.host, "/api/meetings/"+mid+"/invitations/"+revokedID+"/revoke", map[string]any{}, http.StatusOK, nil)
	ended := s.createMeeting()
	_, endedTok := s.invite(ended, "Kim Lee", "carer")
	host := s.joinAsHost(ended, false)
	if err := host.End(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the meeting to end", func() bool { return host.Ended() != nil })

	tokens := map[string]string{
		"unknown":       secret.New(),
		"garbage":       "not-a-token<>",
		"revoked":       revoked,
		"ended meeting": endedTok,
	}
	var firstStatus int
	var firstBody, firstHello string
	var firstClose websocket.StatusCode
	for kind, tok := range tokens {
		status, body := lookup(t, s, tok)
		hello, closeCode := helloRefusal(t, s, tok)
		if firstBody == "" {
			firstStatus, firstBody, firstHello, firstClose = status, body, hello, closeCode
			if status != http.StatusNotFound || !strings.Contains(body, string(errcode.InvitationInvalid)) {
				t.Fatalf("%s token: lookup %d %s, want 404 invitation_invalid", kind, status, body)
			}
			continue
		}
		if status != firstStatus || body != firstBody {
			t.Errorf("%s token: lookup %d %s; differs from %d %s", kind, status, body, firstStatus, firstBody)
		}
		if hello != firstHello || closeCode != firstClose {
			t.Errorf("%s token: hello refusal %s (%d); differs from %s (%d)", kind, hello, closeCode, firstHello, firstClose)
		}
	}
}

func TestMeeting_EndedMeetingRejectsInvitation(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	_, unused := s.invite(mid, "Kim Lee", "carer")
	host := s.joinAsHost(mid, true)
	g := s.mustJoinAsGuest(tok, true)
	admit(t, host, g)

	if err := host.End(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the guest to be told the meeting ended", func() bool {
		e := g.Ended()
		return e != nil && e.Code == string(errcode.MeetingEnded)
	})
	for _, token := range []string{tok, unused} {
		_, err := s.joinAsGuest(token, false)
		if code := refusalCode(err); code != string(errcode.InvitationInvalid) {
			t.Errorf("joining after the end: code %q (%v), want %q", code, err, errcode.InvitationInvalid)
		}
		if status, _ := lookup(t, s, token); status != http.StatusNotFound {
			t.Errorf("lookup after the end: status %d, want 404", status)
		}
	}
}

func TestInvitation_RevokedDuringMeetingRemovesGuestAndEveryWayBackFails(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	invID, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, true)
	g := s.mustJoinAsGuest(tok, true)
	admit(t, host, g)
	waitFor(t, "the host to receive the guest's media", func() bool { return host.PacketsFrom(g.ID()) > 20 })

	s.post(s.host, "/api/meetings/"+mid+"/invitations/"+invID+"/revoke", map[string]any{}, http.StatusOK, nil)
	waitFor(t, "the guest to be told they were removed", func() bool { return g.Admission() == "removed" })
	waitFor(t, "the guest's session to close", func() bool {
		select {
		case <-g.Done():
			return true
		default:
			return false
		}
	})
	waitFor(t, "the host's roster to lose the guest", func() bool { return len(host.Roster()) == 1 })
	before := host.PacketsFrom(g.ID())
	time.Sleep(time.Second)
	if after := host.PacketsFrom(g.ID()); after > before+5 {
		t.Errorf("host still receives the removed guest's media: %d → %d packets", before, after)
	}
	_, err := s.joinAsGuest(tok, false)
	if code := refusalCode(err); code != string(errcode.InvitationInvalid) {
		t.Errorf("rejoin with the revoked link: code %q (%v), want %q", code, err, errcode.InvitationInvalid)
	}
}
