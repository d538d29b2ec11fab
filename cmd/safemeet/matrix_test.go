package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"safemeet/internal/errcode"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/webrtctest"
)

// permissionCodes are the refusals that mean "you may not", as opposed to
// "that was allowed but could not be done" (e.g. a bad SDP).
var permissionCodes = []string{string(errcode.HostRequired), string(errcode.Forbidden), string(errcode.NotAllowedNow)}

// matrixRoom is meeting A with someone in every standing that has a session,
// and spare targets for the hosts' allowed actions; plus the host of meeting B.
type matrixRoom struct {
	s                     *testServer
	host, cohost, p, w    *webrtctest.Participant
	targets, waitTargets  map[policy.Standing]*webrtctest.Participant
	other                 *webrtctest.Participant // host of another meeting
	removedToken, meeting string
}

func newMatrixRoom(t *testing.T, s *testServer) *matrixRoom {
	mid := s.createMeeting()
	m := &matrixRoom{s: s, meeting: mid, targets: map[policy.Standing]*webrtctest.Participant{}, waitTargets: map[policy.Standing]*webrtctest.Participant{}}
	m.host = s.joinAsHost(mid, false)
	guest := func(name string) *webrtctest.Participant {
		_, tok := s.invite(mid, name, "tester")
		return s.mustJoinAsGuest(tok, false)
	}
	m.cohost, m.p = guest("Co Host"), guest("Pat Participant")
	admit(t, m.host, m.cohost)
	admit(t, m.host, m.p)
	if err := m.host.Send(signalling.CoHost{Type: signalling.TypeCoHost, Participant: m.cohost.ID(), On: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the co-host's role", func() bool { return m.cohost.Role() == "co-host" })
	for _, st := range []policy.Standing{policy.StandingHost, policy.StandingCoHost} {
		m.targets[st] = guest("Target of " + string(st))
		admit(t, m.host, m.targets[st])
		m.waitTargets[st] = guest("Waiting target of " + string(st))
	}
	m.w = guest("Wendy Waiting")
	_, m.removedToken = s.invite(mid, "Rory Removed", "tester")
	r := s.mustJoinAsGuest(m.removedToken, false)
	_ = m.host.Send(signalling.Remove{Type: signalling.TypeRemove, Participant: r.ID()})
	waitFor(t, "Rory's removal", func() bool { return r.Admission() == "removed" })
	m.other = s.joinAsHost(s.createMeeting(), false)
	waitFor(t, "the host to see everyone waiting", func() bool { return len(m.host.Waiting()) == 3 })
	return m
}

// probe builds the message typ, aimed at targets in meeting A where it has one.
func (m *matrixRoom) probe(typ string, sender policy.Standing) any {
	admitted, waiting := m.p.ID(), m.w.ID()
	if tgt := m.targets[sender]; tgt != nil {
		admitted, waiting = tgt.ID(), m.waitTargets[sender].ID()
	}
	switch typ {
	case "admit", "deny":
		return map[string]any{"type": typ, "participant": waiting}
	case "remove", "send_back":
		return map[string]any{"type": typ, "participant": admitted}
	case "cohost":
		return map[string]any{"type": typ, "participant": admitted, "on": true}
	case "mute":
		return map[string]any{"type": typ, "participant": admitted, "kind": "audio", "muted": true}
	case "ask_unmute":
		return map[string]any{"type": typ, "participant": admitted, "kind": "audio"}
	case "stop_share":
		return map[string]any{"type": typ, "participant": admitted}
	case "unmute":
		return map[string]any{"type": typ, "kind": "audio"}
	case "share":
		return map[string]any{"type": typ, "on": true}
	case "rename":
		return map[string]any{"type": typ, "name": "Sam Probe"}
	case "chat_send":
		return map[string]any{"type": typ, "to": "everyone", "text": "probe"}
	case "chat_delete":
		return map[string]any{"type": typ, "message": 1}
	case "chat_block":
		return map[string]any{"type": typ, "participant": admitted, "blocked": true}
	case "lower_hand":
		return map[string]any{"type": typ, "participant": admitted}
	case "concern":
		return map[string]any{"type": typ, "participant": admitted, "note": "probe"}
	case "accept_contract":
		return map[string]any{"type": typ, "hash": "probe"}
	case "react":
		return map[string]any{"type": typ, "reaction": "applause"}
	case "hand":
		return map[string]any{"type": typ, "raised": true}
	case "rules":
		// The meeting's own rules: a change that loosens nothing.
		return map[string]any{"type": typ, "rules": m.host.Rules()}
	case "lock":
		return map[string]any{"type": typ, "locked": true}
	case "media":
		return map[string]any{"type": typ, "audio": true, "video": true}
	case "publish", "subscribed":
		return map[string]any{"type": typ, "sdp": "v=0"}
	case "candidate":
		return map[string]any{"type": typ, "target": "publish", "candidate": map[string]any{"candidate": ""}}
	default:
		return map[string]any{"type": typ}
	}
}

// send delivers msg from p and reports the code of its refusal ("" if none).
// A sentinel message after it tells when the server has answered.
func send(t *testing.T, p *webrtctest.Participant, typ string, msg any) string {
	t.Helper()
	before := len(p.Errors())
	if err := p.Send(msg); err != nil {
		t.Fatalf("send %s: %v", typ, err)
	}
	_ = p.Send(map[string]string{"type": "sentinel"})
	answered := func() bool {
		for _, e := range p.Errors()[before:] {
			if e.Ref == "sentinel" {
				return true
			}
		}
		select {
		case <-p.Done():
			return true
		default:
			return false
		}
	}
	waitFor(t, "the server to answer "+typ, answered)
	for _, e := range p.Errors()[before:] {
		if e.Ref == typ {
			return e.Code
		}
	}
	return ""
}

// firstFrameRefused sends msg on a fresh connection without hello: nothing
// reaches a meeting before authentication.
func firstFrameRefused(t *testing.T, s *testServer, data string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {s.url}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	_ = c.Write(ctx, websocket.MessageText, []byte(data))
	_, reply, err := c.Read(ctx)
	if err != nil || !strings.Contains(string(reply), `"type":"error"`) {
		return false
	}
	_, _, err = c.Read(ctx)
	return websocket.CloseStatus(err) != -1
}

func TestAuthorisationMatrix(t *testing.T) {
	for _, typ := range signalling.ClientTypes() {
		if _, ok := policy.Matrix[typ]; !ok {
			t.Errorf("client message %q has no row in policy.Matrix", typ)
		}
	}
	s := startServer(t, nil)
	for _, typ := range signalling.ClientTypes() {
		rule := policy.Matrix[typ]
		t.Run(typ, func(t *testing.T) {
			m := newMatrixRoom(t, s)
			checkOutsiders(t, m, typ, rule)
			if typ == "hello" {
				return // every session above began with an accepted hello
			}
			// Least privileged first, so allowed actions cannot disturb later senders.
			for _, st := range []policy.Standing{policy.StandingWaiting, policy.StandingParticipant, policy.StandingCoHost, policy.StandingHost} {
				sender := map[policy.Standing]*webrtctest.Participant{policy.StandingWaiting: m.w, policy.StandingParticipant: m.p, policy.StandingCoHost: m.cohost, policy.StandingHost: m.host}[st]
				code := send(t, sender, typ, m.probe(typ, st))
				refused := slices.Contains(permissionCodes, code)
				if refused == rule.Allows(st) {
					t.Errorf("%s from %s: refused=%v (code %q), matrix allows=%v", typ, st, refused, code, rule.Allows(st))
				}
			}
		})
	}
}

// checkOutsiders sends typ from the standings that have no place in meeting A.
func checkOutsiders(t *testing.T, m *matrixRoom, typ string, rule policy.Rule) {
	if typ == "hello" {
		if _, err := m.s.joinAsGuest(m.removedToken, false); refusalCode(err) != string(errcode.InvitationInvalid) {
			t.Errorf("hello from a removed person: %v, want invitation_invalid", err)
		}
		_, err := webrtctest.Dial(m.s.ctx(), webrtctest.Options{BaseURL: m.s.url, Meeting: m.meeting, LoopbackOnly: true})
		if refusalCode(err) != string(errcode.NotSignedIn) {
			t.Errorf("hello without a login: %v, want not_signed_in", err)
		}
		return
	}
	if !firstFrameRefused(t, m.s, `{"type":"`+typ+`"}`) {
		t.Errorf("%s before hello (removed or unauthenticated) was not refused", typ)
	}
	// The host of another meeting: targets in A are unknown there, and
	// meeting-wide actions change only their own meeting.
	code := send(t, m.other, typ, m.probe(typ, policy.StandingOtherMeeting))
	if code != "" && code != string(errcode.NoSuchParticipant) && code != string(errcode.NotFound) && !slices.Contains(permissionCodes, code) && code != string(errcode.NegotiationFailed) && code != string(errcode.BadMessage) {
		t.Errorf("%s from another meeting's host: unexpected code %q", typ, code)
	}
	time.Sleep(50 * time.Millisecond)
	if m.host.Locked() || m.host.Ended() != nil || m.w.Admission() != "waiting" || m.p.Admission() != "admitted" || m.p.Roster()[m.p.ID()].AudioBlocked {
		t.Errorf("%s from another meeting's host changed meeting A", typ)
	}
	_ = rule
}
