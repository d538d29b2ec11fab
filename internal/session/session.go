// Package session runs one WebSocket connection from one browser tab: a reader
// that decodes, rate-limits and dispatches client messages, and a writer with a
// bounded queue. A session that cannot keep up is dropped alone; a bad message
// gets an error reply and never affects anyone else.
package session

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/room"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

// Timings and limits of a session.
const (
	helloTimeout  = 10 * time.Second
	writeTimeout  = 10 * time.Second
	pingInterval  = 15 * time.Second
	queueSize     = 256
	messageRate   = 30 // per second, sustained
	messageBurst  = 60
	maxRefusals   = 200 // rate-limit refusals in a row before the session is dropped
	commandTimout = 10 * time.Second
)

// Identify turns a hello into the meeting and the identity the server asserts.
// It must return errcode errors the person may see.
type Identify func(ctx context.Context, h *signalling.Hello) (meeting.Meeting, room.Identity, error)

// Deps are what sessions need.
type Deps struct {
	Rooms    *room.Manager
	Identify Identify
	Logger   *slog.Logger
}

// Session is one WebSocket connection.
type Session struct {
	deps Deps
	id   meeting.SessionID
	conn *websocket.Conn
	log  *slog.Logger

	out       chan []byte
	closing   chan struct{} // closed when the session must end after flushing
	closeOnce sync.Once
	closeCode errcode.Code

	peer atomic.Pointer[sfu.Peer]

	// Set once hello has been accepted; only the reader goroutine touches them.
	room        *room.Room
	participant meeting.ParticipantID
	left        bool
	limiter     *rate.Limiter
	refusals    int
}

// Serve runs a session on conn until it ends. It returns when both the reader
// and writer have stopped.
func Serve(ctx context.Context, deps Deps, conn *websocket.Conn) {
	s := &Session{
		deps:    deps,
		id:      meeting.NewSessionID(),
		conn:    conn,
		out:     make(chan []byte, queueSize),
		closing: make(chan struct{}),
		limiter: rate.NewLimiter(messageRate, messageBurst),
	}
	s.log = deps.Logger.With("session_id", string(s.id))
	conn.SetReadLimit(signalling.MaxMessageSize) // raised while there is a media peer (SetPeer)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); s.write(ctx) }()

	s.read(ctx)
	if s.room != nil && !s.left {
		s.room.Detach(s.participant, s.id)
	}
	s.Close(errcode.ParticipantLeft, nil)
	<-writerDone
}

// Send queues msg for the browser. If the queue is full the session is
// dropped: it is the slow one, and nobody else waits for it.
func (s *Session) Send(msg any) {
	b, err := json.Marshal(msg)
	if err != nil {
		s.log.Error("encode message", "err", err)
		return
	}
	select {
	case <-s.closing:
	case s.out <- b:
	default:
		s.log.Warn("session queue full; dropping session")
		s.Close(errcode.SlowConsumer, nil)
	}
}

// Close queues final (if any) and ends the session with code after the queued
// messages are written.
func (s *Session) Close(code errcode.Code, final any) {
	if final != nil {
		s.Send(final)
	}
	s.closeOnce.Do(func() {
		s.closeCode = code
		close(s.closing)
	})
}

// SetPeer gives the session its media peer (nil takes it away). Only with a
// peer may the browser send a subscribe answer, the one message that may be
// larger than MaxMessageSize (signalling.CheckSize); the read limit follows.
func (s *Session) SetPeer(p *sfu.Peer) {
	s.peer.Store(p)
	if p != nil {
		s.conn.SetReadLimit(signalling.MaxDescriptionSize)
	} else {
		s.conn.SetReadLimit(signalling.MaxMessageSize)
	}
}

// SubscribeOffer forwards the SFU's offer for the subscribe connection.
func (s *Session) SubscribeOffer(sdp string) {
	s.Send(signalling.Offer{Type: signalling.TypeOffer, SDP: sdp})
}

// PeerFailed ends the session: a failed peer connection cannot recover, and
// the browser reconnects within the grace period to get a fresh one.
func (s *Session) PeerFailed(err error) {
	s.log.Warn("media peer failed; closing session", "err", err)
	s.Close(errcode.MediaFailed, signalling.Error{Type: signalling.TypeError, Code: string(errcode.MediaFailed), Message: errcode.Message(errcode.MediaFailed)})
}

func (s *Session) sendError(ref string, code errcode.Code) {
	s.Send(signalling.Error{Type: signalling.TypeError, Code: string(code), Message: errcode.Message(code), Ref: ref})
}

// write sends queued messages, pings the browser, and closes the connection
// once the session is closing and the queue is drained.
func (s *Session) write(ctx context.Context) {
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	for {
		select {
		case b := <-s.out:
			if err := s.writeOne(ctx, b); err != nil {
				s.abort()
				return
			}
		case <-ping.C:
			go s.ping(ctx)
		case <-s.closing:
			s.drain(ctx)
			s.conn.Close(closeStatus(s.closeCode), string(s.closeCode))
			return
		case <-ctx.Done():
			s.conn.Close(websocket.StatusGoingAway, string(errcode.ServerShuttingDown))
			return
		}
	}
}

func (s *Session) writeOne(ctx context.Context, b []byte) error {
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return s.conn.Write(wctx, websocket.MessageText, b)
}

func (s *Session) drain(ctx context.Context) {
	for {
		select {
		case b := <-s.out:
			if s.writeOne(ctx, b) != nil {
				return
			}
		default:
			return
		}
	}
}

func (s *Session) ping(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if err := s.conn.Ping(pctx); err != nil && ctx.Err() == nil {
		s.log.Info("ping failed; closing session", "err", err)
		s.abort()
	}
}

// abort ends a connection that is broken: nothing more can be written.
func (s *Session) abort() {
	s.conn.CloseNow()
	s.closeOnce.Do(func() {
		s.closeCode = errcode.ParticipantLeft
		close(s.closing)
	})
}

func closeStatus(code errcode.Code) websocket.StatusCode {
	switch code {
	case errcode.MessageTooLarge:
		return websocket.StatusMessageTooBig
	case errcode.ParticipantLeft, errcode.MeetingEnded:
		return websocket.StatusNormalClosure
	case errcode.ServerShuttingDown:
		return websocket.StatusGoingAway
	case errcode.Internal:
		return websocket.StatusInternalError
	default:
		return websocket.StatusPolicyViolation
	}
}

// errDone stops the reader after a clean end (leave, close).
var errDone = errors.New("session done")
