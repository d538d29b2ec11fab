// Package webrtctest is a headless safemeet participant: it speaks the real
// wire protocol (internal/signalling) over a real WebSocket and sends and
// receives real WebRTC media with Pion. Integration tests and the load tool
// use it in place of a browser.
//
// A Participant connects with Dial, which returns once the server has
// welcomed it. From then on one goroutine reads the WebSocket and keeps the
// participant's view of the room (admission, roster, waiting list, notices);
// tests inspect it with the accessors and wait for changes with WaitFor. Once
// admitted it publishes synthetic audio and video (if Options.Publish) and
// answers the server's subscribe offers, counting the RTP packets it receives
// from each publisher. All methods are safe for concurrent use.
package webrtctest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coder/websocket"

	"safemeet/internal/policy"
	"safemeet/internal/signalling"
)

// ErrClosed is returned when sending on a participant whose connection is over.
var ErrClosed = errors.New("webrtctest: connection closed")

// Options configures a Participant.
type Options struct {
	// BaseURL is the server's origin, e.g. "https://127.0.0.1:8443". The
	// WebSocket is at BaseURL + "/ws" and the Origin header is set to it.
	BaseURL string
	// Invite is a guest's invitation token. Set it or Meeting.
	Invite string
	// Meeting is the meeting ID a signed-in staff member joins (with the
	// login cookie in Header or HTTPClient's jar).
	Meeting string
	// Header is added to the WebSocket handshake (e.g. a login Cookie). An
	// Origin set here replaces the default, to test the server's check.
	Header http.Header
	// HTTPClient makes the handshake, e.g. with a cookie jar or a test
	// server's TLS configuration. Nil uses http.DefaultClient.
	HTTPClient *http.Client
	// Publish sends synthetic audio and video once admitted.
	Publish bool
	// Screen also publishes a synthetic screen share, marked as such in the
	// publish message. Whether anyone receives it is the server's decision
	// (send signalling.Share to ask).
	Screen bool
	// Stamped, if set, makes Publish send stamped media instead: every
	// packet carries its send time (see StampedMedia and ReadStamp).
	Stamped *StampedMedia
	// OnTrack, if set, is called once for each received track with its
	// publisher's participant ID and kind ("audio" or "video"). The function
	// it returns, if not nil, is called with each raw RTP packet of that
	// track, on the track's reading goroutine; the slice is reused after it
	// returns.
	OnTrack func(stream, kind string) func(raw []byte)
	// IncludeLoopback gathers loopback ICE candidates too (development).
	IncludeLoopback bool
	// LoopbackOnly gathers and accepts only loopback ICE candidates, so no
	// media can leave the machine (tests).
	LoopbackOnly bool
	// Receivers, if set, receives the participant's media instead of a
	// subscribe PeerConnection: a loopback socket that one goroutine reads
	// for all the participants sharing Receivers, with no RTCP (see
	// lightReceiver). For receivers that only count and time packets, like
	// the load tool's; it needs LoopbackOnly.
	Receivers *Receivers
	// AcceptContract accepts the meeting's participation contract as soon as
	// the welcome offers it, as a person reading it and agreeing would.
	AcceptContract bool
	// Logger receives the participant's logs; nil discards them.
	Logger *slog.Logger
}

// Participant is one headless participant connected to a safemeet server.
type Participant struct {
	opts  Options
	log   *slog.Logger
	conn  *websocket.Conn
	media *media

	ctx    context.Context // ends when the connection ends or Close is called
	cancel context.CancelFunc
	out    chan []byte // messages for the writer
	ops    chan func() // media work, done in order by one goroutine
	done   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once

	mu      sync.Mutex
	welcome signalling.Welcome
	// contractAccepted: the server confirmed an acceptance of the contract.
	contractAccepted bool
	role             string // current role: the welcome's, then as the server updates it
	locked           bool   // the meeting is locked, as the server last said
	rules            policy.Rules
	unmuteAsks       []signalling.UnmuteRequest
	// Chat as the server has shown it: messages in order (deletions applied),
	// how many ever arrived, the hands queue, reactions, and whether this
	// participant may post.
	chat         []signalling.ChatMessage
	chatReceived int
	hands        []string
	reactions    []signalling.Reaction
	chatBlocked  bool
	admission    string
	waiting      []signalling.WaitingPerson
	roster       map[string]signalling.Person
	notices      []signalling.Notice
	errs         []signalling.Error
	ended        *signalling.Ended
	problems     []string
	connErr      error
	subOffers    int
	pubAnswers   int
}

// Dial connects to the server, sends hello and waits for welcome. If the
// server answers with an error (or ended), Dial returns it as a *ServerError;
// if it refuses the WebSocket handshake, as a *HandshakeError.
func Dial(ctx context.Context, o Options) (*Participant, error) {
	if o.Receivers != nil && !o.LoopbackOnly {
		return nil, errors.New("webrtctest: Receivers needs LoopbackOnly")
	}
	conn, err := dialWebSocket(ctx, o)
	if err != nil {
		return nil, err
	}
	hello := signalling.Hello{Type: signalling.TypeHello, Version: signalling.Version, Invite: o.Invite, Meeting: o.Meeting}
	welcome, err := greet(ctx, conn, hello)
	if err != nil {
		conn.CloseNow()
		return nil, err
	}

	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("participant_id", welcome.Participant, "session_id", welcome.Session)
	pctx, cancel := context.WithCancel(context.Background())
	p := &Participant{
		opts:      o,
		log:       log,
		conn:      conn,
		ctx:       pctx,
		cancel:    cancel,
		out:       make(chan []byte, 256),
		ops:       make(chan func(), 256),
		done:      make(chan struct{}),
		welcome:   welcome,
		admission: welcome.Admission,
		roster:    make(map[string]signalling.Person),
	}
	p.media = newMedia(p)
	p.wg.Add(3)
	go p.readLoop()
	go p.writeLoop()
	go p.opsLoop()
	if welcome.Admission == admitted {
		p.do(p.media.startPublishing)
	}
	if o.AcceptContract && welcome.Contract != nil && !welcome.Contract.Accepted {
		if err := p.AcceptContract(); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// AcceptContract accepts the participation contract the welcome offered.
func (p *Participant) AcceptContract() error {
	c := p.Welcome().Contract
	if c == nil {
		return errors.New("webrtctest: the welcome offered no participation contract")
	}
	return p.Send(signalling.AcceptContract{Type: signalling.TypeAcceptContract, Hash: c.Hash})
}

// ContractAccepted reports whether the server has confirmed this
// participant's acceptance of the participation contract.
func (p *Participant) ContractAccepted() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.contractAccepted
}

// Welcome returns the server's welcome.
func (p *Participant) Welcome() signalling.Welcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.welcome
}

// Role returns this participant's current role as the server last said.
func (p *Participant) Role() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.role == "" {
		return p.welcome.Role
	}
	return p.role
}

// Locked reports whether the server last said the meeting is locked.
func (p *Participant) Locked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.locked
}

// Rules returns the meeting's rules as the server last said.
func (p *Participant) Rules() policy.Rules {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rules
}

// UnmuteRequests returns the hosts' requests to unmute, oldest first.
func (p *Participant) UnmuteRequests() []signalling.UnmuteRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]signalling.UnmuteRequest(nil), p.unmuteAsks...)
}

// Chat returns the chat messages as shown now, oldest first.
func (p *Participant) Chat() []signalling.ChatMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]signalling.ChatMessage(nil), p.chat...)
}

// ChatReceived counts every chat message that ever arrived (live or as history).
func (p *Participant) ChatReceived() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.chatReceived
}

// ChatText returns the texts of the chat messages shown now.
func (p *Participant) ChatText() []string {
	var out []string
	for _, m := range p.Chat() {
		out = append(out, m.Text)
	}
	return out
}

// Hands returns the raised-hand queue as the server last said.
func (p *Participant) Hands() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hands...)
}

// Reactions returns the reactions seen, oldest first.
func (p *Participant) Reactions() []signalling.Reaction {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]signalling.Reaction(nil), p.reactions...)
}

// ChatBlocked reports whether the server said this participant may not post.
func (p *Participant) ChatBlocked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.chatBlocked
}

// ID returns the participant ID the server assigned.
func (p *Participant) ID() string { return p.Welcome().Participant }

// Admission returns the participant's current admission state, e.g. "waiting".
func (p *Participant) Admission() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.admission
}

// Waiting returns the latest waiting list (hosts only).
func (p *Participant) Waiting() []signalling.WaitingPerson {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.waiting)
}

// Roster returns the admitted participants the server has announced, by ID.
func (p *Participant) Roster() map[string]signalling.Person {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.roster)
}

// Notices returns every notice received so far.
func (p *Participant) Notices() []signalling.Notice {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.notices)
}

// Errors returns every error message received after welcome.
func (p *Participant) Errors() []signalling.Error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.errs)
}

// Ended returns the server's ended message, or nil if the meeting goes on.
func (p *Participant) Ended() *signalling.Ended {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ended == nil {
		return nil
	}
	e := *p.ended
	return &e
}

// Problems returns what went wrong that the server did not report: protocol
// violations (unknown or malformed messages, media or roster while not
// admitted) and local media failures. Integration tests expect none.
func (p *Participant) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.problems)
}

// Negotiations returns how many subscribe offers the participant has answered
// and publish answers it has applied.
func (p *Participant) Negotiations() (subscribeOffers, publishAnswers int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.subOffers, p.pubAnswers
}

// Done is closed when the WebSocket connection has ended.
func (p *Participant) Done() <-chan struct{} { return p.done }

// Err returns why the connection ended (nil while it is open). A normal
// closure by the server is reported as a websocket.CloseError.
func (p *Participant) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connErr
}

// WaitFor polls cond until it returns true or ctx ends; the error names what
// was awaited.
func (p *Participant) WaitFor(ctx context.Context, what string, cond func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("webrtctest: %s: waiting for %s: %w", p.ID(), what, ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// problem records a protocol violation or media failure.
func (p *Participant) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	p.log.Warn("problem", "problem", msg)
	p.mu.Lock()
	p.problems = append(p.problems, msg)
	p.mu.Unlock()
}

// do queues media work for the ops goroutine.
func (p *Participant) do(op func()) {
	select {
	case p.ops <- op:
	case <-p.ctx.Done():
	}
}

func (p *Participant) opsLoop() {
	defer p.wg.Done()
	for {
		select {
		case op := <-p.ops:
			op()
		case <-p.ctx.Done():
			return
		}
	}
}

// Close stops media, closes the WebSocket and waits for the participant's
// goroutines. It does not send leave first; call Leave for that.
func (p *Participant) Close() error {
	var err error
	p.once.Do(func() {
		select {
		case <-p.done:
			p.conn.CloseNow() // the server has gone already
		default:
			err = p.conn.Close(websocket.StatusNormalClosure, "")
		}
		p.cancel()
		p.wg.Wait()
		p.media.close()
		if errors.Is(err, net.ErrClosed) {
			err = nil
		}
	})
	return err
}
