package webrtctest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"

	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

// fakeServer is a minimal stand-in for safemeet's server, just enough of the
// protocol to exercise a Participant: one meeting, one host (by cookie),
// guests by invitation, a waiting room, and media through a real SFU.
type fakeServer struct {
	t   *testing.T
	srv *httptest.Server
	sfu *sfu.SFU

	mu       sync.Mutex
	nextID   int
	sessions map[string]*fakeSession
}

type fakeSession struct {
	srv       *fakeServer
	conn      *websocket.Conn
	outMu     sync.Mutex
	out       chan any // nil once closed
	id, role  string
	admission string
	peer      *sfu.Peer
}

const (
	hostCookie  = "login=host"
	guestInvite = "invite-guest"
	meetingID   = "m1"
)

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	s, err := sfu.New(sfu.Config{ListenIP: "127.0.0.1", IncludeLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	fs := &fakeServer{t: t, sfu: s, sessions: make(map[string]*fakeSession)}
	fs.srv = httptest.NewServer(http.HandlerFunc(fs.serveWS))
	t.Cleanup(func() {
		fs.srv.CloseClientConnections()
		fs.srv.Close()
		_ = s.Close()
	})
	return fs
}

func (fs *fakeServer) serveWS(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/ws" || r.Header.Get("Origin") != fs.srv.URL {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // Origin checked above
	if err != nil {
		return
	}
	defer conn.CloseNow()
	ctx := r.Context()
	_, data, err := conn.Read(ctx)
	if err != nil {
		return
	}
	_, msg, err := signalling.Decode(data)
	hello, ok := msg.(*signalling.Hello)
	if err != nil || !ok {
		return
	}
	role := ""
	switch {
	case hello.Invite == guestInvite:
		role = "participant"
	case hello.Meeting == meetingID && r.Header.Get("Cookie") == hostCookie:
		role = "host"
	default:
		b, _ := json.Marshal(signalling.Error{Type: signalling.TypeError, Code: "invitation_invalid", Message: "This invitation is not valid."})
		_ = conn.Write(ctx, websocket.MessageText, b)
		conn.Close(websocket.StatusPolicyViolation, "")
		return
	}
	sess := fs.join(conn, role)
	go sess.writeLoop(ctx, sess.out)
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			fs.leave(sess)
			return
		}
		typ, msg, err := signalling.Decode(data)
		fs.mu.Lock()
		peer := sess.peer
		fs.mu.Unlock()
		if h := fakeHandlers[typ]; err == nil && h != nil && (peer != nil || typ == signalling.TypeAdmit || typ == signalling.TypeEnd) {
			h(sess, peer, msg)
		}
	}
}

// fakeHandlers dispatches client messages by type.
var fakeHandlers = map[string]func(*fakeSession, *sfu.Peer, any){
	signalling.TypeAdmit: func(s *fakeSession, _ *sfu.Peer, m any) { s.srv.admit(s, m.(*signalling.Admit).Participant) },
	signalling.TypeEnd:   func(s *fakeSession, _ *sfu.Peer, _ any) { s.srv.end(s) },
	signalling.TypePublish: func(s *fakeSession, peer *sfu.Peer, m any) {
		answer, err := peer.Publish(m.(*signalling.Publish).SDP, "")
		if err != nil {
			s.send(signalling.Error{Type: signalling.TypeError, Code: "negotiation_failed", Message: err.Error(), Ref: "publish"})
			return
		}
		s.send(signalling.Answer{Type: signalling.TypeAnswer, SDP: answer})
	},
	signalling.TypeSubscribed: func(_ *fakeSession, peer *sfu.Peer, m any) { _ = peer.SubscribeAnswer(m.(*signalling.Subscribed).SDP) },
	signalling.TypeCandidate: func(_ *fakeSession, peer *sfu.Peer, m any) {
		c := m.(*signalling.Candidate)
		init := webrtc.ICECandidateInit{Candidate: c.Candidate.Candidate, SDPMid: c.Candidate.SDPMid, SDPMLineIndex: c.Candidate.SDPMLineIndex, UsernameFragment: c.Candidate.UsernameFragment}
		_ = peer.AddCandidate(sfu.Target(c.Target), init)
	},
}

func (fs *fakeServer) join(conn *websocket.Conn, role string) *fakeSession {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	s := &fakeSession{srv: fs, conn: conn, out: make(chan any, 64), id: string(rune('a'+fs.nextID-1)) + "id", role: role, admission: "waiting"}
	fs.sessions[s.id] = s
	if role == "host" {
		s.admission = "admitted"
	}
	s.send(signalling.Welcome{Type: signalling.TypeWelcome, Version: 1, Session: "s-" + s.id, Participant: s.id, Role: role, Admission: s.admission, Meeting: "Test"})
	if role == "host" {
		fs.admitLocked(s)
	}
	fs.sendWaitingLocked()
	return s
}

func (fs *fakeServer) admit(host *fakeSession, id string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if s := fs.sessions[id]; host.role == "host" && s != nil && s.admission == "waiting" {
		s.admission = "admitted"
		fs.admitLocked(s)
		fs.sendWaitingLocked()
	}
}

// admitLocked creates s's media peer (before telling s, which then
// publishes at once), gives s the roster, announces s and connects media.
func (fs *fakeServer) admitLocked(s *fakeSession) {
	s.peer = fs.sfu.NewPeer(s.id, s)
	if s.role != "host" {
		s.send(signalling.Admission{Type: signalling.TypeAdmission, Admission: "admitted"})
	}
	var roster []signalling.Person
	for _, o := range fs.sessions {
		if o.admission != "admitted" {
			continue
		}
		roster = append(roster, signalling.Person{ID: o.id, Role: o.role})
		if o != s {
			o.send(signalling.ParticipantUpdate{Type: signalling.TypeParticipant, Participant: signalling.Person{ID: s.id, Role: s.role}})
			s.peer.Subscribe(o.peer)
			o.peer.Subscribe(s.peer)
		}
	}
	s.send(signalling.Roster{Type: signalling.TypeRoster, Participants: roster})
}

func (fs *fakeServer) sendWaitingLocked() {
	waiting := []signalling.WaitingPerson{}
	for _, o := range fs.sessions {
		if o.admission == "waiting" {
			waiting = append(waiting, signalling.WaitingPerson{ID: o.id, Since: time.Now().Format(time.RFC3339)})
		}
	}
	for _, o := range fs.sessions {
		if o.role == "host" {
			o.send(signalling.Waiting{Type: signalling.TypeWaiting, Participants: waiting})
		}
	}
}

func (fs *fakeServer) end(host *fakeSession) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if host.role != "host" {
		return
	}
	for _, o := range fs.sessions {
		o.send(signalling.Ended{Type: signalling.TypeEnded, Code: "meeting_ended", Message: "The host ended the meeting."})
		o.closeOut() // the writer closes the connection after the last message
	}
}

func (fs *fakeServer) leave(s *fakeSession) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	delete(fs.sessions, s.id)
	s.closeOut()
	if s.peer != nil {
		s.peer.Close()
	}
	for _, o := range fs.sessions {
		if o.admission == "admitted" && s.admission == "admitted" {
			o.send(signalling.Gone{Type: signalling.TypeGone, Participant: s.id})
		}
	}
	fs.sendWaitingLocked()
}

// send queues a message for the session's writer.
func (s *fakeSession) send(msg any) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if s.out == nil {
		return
	}
	select {
	case s.out <- msg:
	default:
		s.srv.t.Errorf("session %s: send queue full", s.id)
	}
}

func (s *fakeSession) closeOut() {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if s.out != nil {
		close(s.out)
		s.out = nil
	}
}

func (s *fakeSession) writeLoop(ctx context.Context, out <-chan any) {
	for msg := range out {
		b, _ := json.Marshal(msg)
		if s.conn.Write(ctx, websocket.MessageText, b) != nil {
			return
		}
	}
	s.conn.Close(websocket.StatusNormalClosure, "meeting ended")
}

// SubscribeOffer implements sfu.PeerEvents.
func (s *fakeSession) SubscribeOffer(sdp string) {
	s.send(signalling.Offer{Type: signalling.TypeOffer, SDP: sdp})
}

// PeerFailed implements sfu.PeerEvents.
func (s *fakeSession) PeerFailed(err error) { s.srv.t.Logf("peer %s failed: %v", s.id, err) }
