package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"safemeet/internal/errcode"
	"safemeet/internal/signalling"
)

// rawGuest is a guest speaking raw WebSocket frames, for bad-input tests.
func rawGuest(t *testing.T, s *testServer, token string) (*websocket.Conn, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	c, _, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {s.url}}})
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadLimit(1 << 20)
	t.Cleanup(func() { c.CloseNow() })
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"hello","version":1,"invite":"`+token+`"}`)); err != nil {
		t.Fatal(err)
	}
	var w signalling.Welcome
	readJSON(t, ctx, c, &w)
	if w.Type != signalling.TypeWelcome {
		t.Fatalf("first message %+v, want welcome", w)
	}
	return c, ctx
}

func readJSON(t *testing.T, ctx context.Context, c *websocket.Conn, v any) {
	t.Helper()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func TestProtocol_MalformedMessageGetsErrorAndSessionContinues(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	c, ctx := rawGuest(t, s, tok)

	for _, tc := range []struct{ send, code string }{
		{`{not json`, string(errcode.BadMessage)},
		{`{"type":"teleport"}`, string(errcode.UnknownMessage)},
		{`{"type":"admit","participant":7}`, string(errcode.BadMessage)},
		{`{"type":"admit","participant":"x","extra":true}`, string(errcode.BadMessage)},
		{`{"type":"publish","sdp":"v=0"}`, string(errcode.NotAllowedNow)},
	} {
		if err := c.Write(ctx, websocket.MessageText, []byte(tc.send)); err != nil {
			t.Fatal(err)
		}
		var e signalling.Error
		readJSON(t, ctx, c, &e)
		if e.Type != signalling.TypeError || e.Code != tc.code || e.Message == "" {
			t.Errorf("after %s: got %+v, want error %s with a message", tc.send, e, tc.code)
		}
	}
}

// readError reads messages until an error arrives and returns it.
func readError(t *testing.T, ctx context.Context, c *websocket.Conn) signalling.Error {
	t.Helper()
	for {
		var e signalling.Error
		readJSON(t, ctx, c, &e)
		if e.Type == signalling.TypeError {
			return e
		}
	}
}

// readClose reads until the connection closes and returns its status.
func readClose(ctx context.Context, c *websocket.Conn) (websocket.StatusCode, error) {
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return websocket.CloseStatus(err), err
		}
	}
}

func TestProtocol_LargeSubscribeAnswerIsReadWhereOtherLargeMessagesCloseTheSession(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokWaiting := s.invite(mid, "Jo Smith", "parent")
	_, tok := s.invite(mid, "Kim Lee", "carer")
	host := s.joinAsHost(mid, false)

	// A subscribe answer for a meeting of 100 cameras is about 120 KB.
	sdp := "v=0\\r\\n" + strings.Repeat("a=x-pad:"+strings.Repeat("a", 590)+"\\r\\n", 200)
	answer := `{"type":"subscribed","sdp":"` + sdp + `"}`
	if len(answer) <= signalling.MaxMessageSize {
		t.Fatalf("the answer is %d bytes, want more than %d", len(answer), signalling.MaxMessageSize)
	}

	// Someone without media (here: waiting) has no offer to answer: their
	// large answer is as any large message, and ends their session.
	w, wctx := rawGuest(t, s, tokWaiting)
	if err := w.Write(wctx, websocket.MessageText, []byte(answer)); err != nil {
		t.Fatal(err)
	}
	if got, err := readClose(wctx, w); got != websocket.StatusMessageTooBig {
		t.Errorf("a waiting guest's %d-byte answer: close status %d (%v), want 1009", len(answer), got, err)
	}

	// Admitted, the answer is read and judged (no offer is outstanding),
	// and the session goes on.
	c, ctx := rawGuest(t, s, tok)
	waitFor(t, "Kim waiting", func() bool {
		ws := host.Waiting()
		return len(ws) == 1 && ws[0].Name == "Kim Lee"
	})
	if err := host.Admit(host.Waiting()[0].ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Kim admitted", func() bool { return len(host.Roster()) == 2 })
	if err := c.Write(ctx, websocket.MessageText, []byte(answer)); err != nil {
		t.Fatal(err)
	}
	if e := readError(t, ctx, c); e.Ref != signalling.TypeSubscribed || e.Code != string(errcode.NegotiationFailed) {
		t.Errorf("after a %d-byte answer: got %+v, want error negotiation_failed for subscribed", len(answer), e)
	}

	// Any other message above 64 KiB still closes the session with 1009.
	big := `{"type":"chat","text":"` + strings.Repeat("a", signalling.MaxMessageSize) + `"}`
	if err := c.Write(ctx, websocket.MessageText, []byte(big)); err != nil {
		t.Fatal(err)
	}
	if got, err := readClose(ctx, c); got != websocket.StatusMessageTooBig {
		t.Fatalf("after a %d-byte chat message: close status %d (%v), want 1009", len(big), got, err)
	}
}

func TestProtocol_OversizedMessageClosesOnlyThatSession(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokBad := s.invite(mid, "Jo Smith", "parent")
	_, tokGood := s.invite(mid, "Kim Lee", "carer")
	host := s.joinAsHost(mid, false)
	good := s.mustJoinAsGuest(tokGood, false)
	admit(t, host, good)
	c, ctx := rawGuest(t, s, tokBad)

	big := `{"type":"media","audio":true,"video":true,"x":"` + strings.Repeat("a", signalling.MaxMessageSize) + `"}`
	_ = c.Write(ctx, websocket.MessageText, []byte(big))
	_, _, err := c.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Fatalf("close status %d (%v), want 1009", got, err)
	}
	time.Sleep(200 * time.Millisecond)
	if good.Admission() != "admitted" || good.Ended() != nil {
		t.Errorf("other guest affected: admission %q ended %+v", good.Admission(), good.Ended())
	}
	if len(host.Roster()) != 2 {
		t.Errorf("host roster = %d people, want 2", len(host.Roster()))
	}
}

func TestProtocol_ForeignOriginRefused(t *testing.T) {
	s := startServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, strings.Replace(s.url, "http", "ws", 1)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("dial from a foreign origin: err %v resp %v, want 403", err, resp)
	}
	s.post(http.DefaultClient, "/api/login", map[string]any{"email": "a@b.c", "password": "x"}, http.StatusUnauthorized, nil)
}

func TestReconnect_WithinGraceKeepsAdmissionAfterItWaitsAgain(t *testing.T) {
	s := startServer(t, func(m *Main) { m.Config.ReconnectGrace = 1500 * time.Millisecond })
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	host := s.joinAsHost(mid, false)
	g := s.mustJoinAsGuest(tok, false)
	admit(t, host, g)

	g.Close()
	waitFor(t, "the host to see the guest go", func() bool { return len(host.Roster()) == 1 })
	back := s.mustJoinAsGuest(tok, false)
	if got := back.Admission(); got != "admitted" {
		t.Fatalf("admission after a quick reconnect = %q, want admitted", got)
	}
	if back.Welcome().Participant != g.Welcome().Participant {
		t.Errorf("participant ID changed across reconnect")
	}
	waitFor(t, "the host to see the guest back", func() bool { return len(host.Roster()) == 2 })

	back.Close()
	time.Sleep(2500 * time.Millisecond)
	late := s.mustJoinAsGuest(tok, false)
	if got := late.Admission(); got != "waiting" {
		t.Errorf("admission after the grace period = %q, want waiting", got)
	}
}

func TestProtocol_FloodIsRateLimitedAndSessionSurvives(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	c, ctx := rawGuest(t, s, tok)

	// A burst well over the limit: the excess is refused, one error each.
	const burst = 150
	for range burst {
		if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"teleport"}`)); err != nil {
			t.Fatal(err)
		}
	}
	limited, other := 0, 0
	for range burst {
		var e signalling.Error
		readJSON(t, ctx, c, &e)
		switch e.Code {
		case string(errcode.RateLimited):
			limited++
		case string(errcode.UnknownMessage):
			other++
		default:
			t.Fatalf("unexpected reply %+v", e)
		}
	}
	if limited == 0 || other == 0 {
		t.Fatalf("%d rate-limited and %d handled replies to a burst of %d; want both", limited, other, burst)
	}
	// After a pause the session is still there and answers normally.
	time.Sleep(2 * time.Second)
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"teleport"}`)); err != nil {
		t.Fatal(err)
	}
	var e signalling.Error
	readJSON(t, ctx, c, &e)
	if e.Code != string(errcode.UnknownMessage) {
		t.Errorf("after the pause: %+v, want the message handled again", e)
	}
}

func TestProtocol_BinaryFloodDropsOnlyThatSession(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Jo Smith", "parent")
	_, tokOther := s.invite(mid, "Kim Lee", "carer")
	host := s.joinAsHost(mid, false)
	c, ctx := rawGuest(t, s, tok)

	// 20,000 binary frames once made the reader recurse per frame until the
	// whole server died of a stack overflow; a small stack cap makes that certain.
	defer debug.SetMaxStack(debug.SetMaxStack(8 << 20))
	// Lockstep: one frame, one reply, so the session's queue never fills and
	// only the rate limit can stop the flood.
	for i := range 20000 {
		if err := c.Write(ctx, websocket.MessageBinary, nil); err != nil {
			break
		}
		_, b, err := c.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) || ce.Reason != string(errcode.RateLimited) {
				t.Fatalf("flooding session ended with %v after %d frames, want a close for rate_limited", err, i)
			}
			break
		}
		var e signalling.Error
		if json.Unmarshal(b, &e) != nil || (e.Code != string(errcode.BadMessage) && e.Code != string(errcode.RateLimited)) {
			t.Fatalf("reply to a binary frame: %s", b)
		}
		if i == 19999 {
			t.Fatal("20,000 binary frames in a row were all answered; the flood was never stopped")
		}
	}
	// The server and the meeting carry on for everyone else.
	other := s.mustJoinAsGuest(tokOther, false)
	admit(t, host, other)
}
