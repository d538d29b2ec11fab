// Package room runs a meeting while it is live. Each room is an actor: one
// goroutine owns its state (roster, waiting room, admissions) and handles
// commands one at a time, so admissions and removals are totally ordered and
// audited in the order they took effect. The room asks the policy package before
// it acts, writes the audit log before any change becomes visible, and tells the
// SFU who may send and receive media. It never blocks on the network: messages
// to sessions go through their non-blocking Sink.
package room

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/chat"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/sfu"
	"safemeet/internal/store"
)

// Sink is how the room talks to one session. Every method must return at once:
// the session queues the message or, if it cannot keep up, drops itself.
type Sink interface {
	sfu.PeerEvents
	// Send queues one wire message (a signalling struct).
	Send(msg any)
	// SetPeer hands the session its media peer once it may use media; nil
	// takes media away.
	SetPeer(p *sfu.Peer)
	// Close sends final (if not nil) and closes the session with code.
	Close(code errcode.Code, final any)
}

// Store is what a room writes: the audit log, the meeting's end, and the
// revocation of a removed person's invitation.
type Store interface {
	audit.Log
	EndMeeting(ctx context.Context, id meeting.ID, at time.Time) error
	RevokeInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, at time.Time) error
	RestoreInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID) error
	Invitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID) (meeting.Invitation, error)
	// Profile returns the safeguarding profile a meeting runs under.
	Profile(ctx context.Context, id meeting.ProfileID) (policy.Profile, error)
	// RecordChat keeps a chat message with the meeting's record.
	RecordChat(ctx context.Context, c store.ChatRecord) error
	// RecordContractAcceptance and ContractAccepted keep and read invitees'
	// acceptances of the participation contract.
	RecordContractAcceptance(ctx context.Context, a store.ContractAcceptance) error
	ContractAccepted(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, hash string) (bool, error)
	// StaffByID reads a staff account, to check again on the room goroutine
	// that a joining staff member may still host.
	StaffByID(ctx context.Context, id meeting.StaffID) (store.Staff, error)
	// The room's state and everyone's stays, kept as they change so that a
	// restarted server can put running meetings back (see persist.go).
	SaveStay(ctx context.Context, s store.Stay) error
	Stays(ctx context.Context, id meeting.ID) ([]store.Stay, error)
	SaveRoomState(ctx context.Context, s store.RoomState) error
	OpenRoomStates(ctx context.Context) ([]store.RoomState, error)
	Meeting(ctx context.Context, id meeting.ID) (meeting.Meeting, error)
	RecordConcern(ctx context.Context, c store.Concern) error
}

// MediaPlane makes media peers. *sfu.SFU satisfies it.
type MediaPlane interface {
	NewPeer(id string, ev sfu.PeerEvents) *sfu.Peer
}

// Deps are what every room needs; Manager passes them on.
type Deps struct {
	Store  Store
	Media  MediaPlane
	Logger *slog.Logger
	Now    func() time.Time
	// Grace is how long a disconnected participant keeps their place.
	Grace time.Duration
	// OnConcern, if set, is told of every safeguarding concern once it is
	// stored (to tell the designated safeguarding leads); it runs on its own goroutine.
	OnConcern func(m meeting.Meeting, c store.Concern)
}

// errClosed is returned by commands sent to a room that has stopped.
var errClosed = errors.New("room closed")

// Room is one running meeting.
type Room struct {
	deps    Deps
	meeting meeting.Meeting
	log     *slog.Logger

	cmds chan func()
	done chan struct{}
	// onStop tells the manager the room has stopped (called from the room goroutine).
	onStop func()
	// over is set as soon as the meeting has ended or the room stops, so the
	// manager never reports a finished room as running.
	over atomic.Bool

	// State below is owned by the room goroutine.
	ended  bool
	locked bool
	// floor is the meeting's profile as it was when the room started, tightened
	// by any later stricter edit of the profile; rules are what the room
	// enforces now: the floor, or stricter if a host made them so.
	floor, rules policy.Rules
	opened       time.Time   // when the room started
	autoLock     *time.Timer // pending auto-lock; nil if none
	autoLocked   bool        // the auto-lock has happened (it happens once)
	// contract is the participation contract invitees accept before they may
	// be admitted ("" for none), as it was when the room started.
	contract, contractHash string
	// interruptions counts the server restarts this meeting has run through.
	interruptions int
	// shuttingDown: the server is stopping; the room is closed but will be
	// put back when it starts again, so nobody's stay ends.
	shuttingDown bool
	// saved is the room state last written to the store; gone are the
	// participants forgotten since the last persist (see persist.go).
	saved store.RoomState
	gone  []*participant
	// seen is when the room last beat (see heartbeat); kept as RoomState.SeenAt.
	seen time.Time

	chat         chat.Log
	chatLimit    *chat.Limiter
	reactLimit   *chat.Limiter
	hands        chat.Hands
	participants map[meeting.ParticipantID]*participant
	byKey        map[string]*participant
	order        []meeting.ParticipantID // arrival order, for stable rosters
}

// newRoom starts the room of a meeting that is not running.
func newRoom(m meeting.Meeting, profile policy.Profile, deps Deps, onStop func()) *Room {
	r := build(m, profile, deps, onStop)
	r.opened = r.now()
	r.seen = r.opened
	r.scheduleAutoLock()
	go r.loop()
	go r.heartbeat()
	return r
}

// build makes a room, not yet running.
func build(m meeting.Meeting, profile policy.Profile, deps Deps, onStop func()) *Room {
	r := &Room{
		deps:         deps,
		meeting:      m,
		floor:        profile.Rules,
		rules:        profile.Rules,
		contract:     profile.Contract,
		log:          deps.Logger.With("meeting_id", string(m.ID)),
		cmds:         make(chan func(), 64),
		done:         make(chan struct{}),
		onStop:       onStop,
		participants: map[meeting.ParticipantID]*participant{},
		byKey:        map[string]*participant{},
		chatLimit:    chat.NewLimiter(chat.RateMessages, chat.RateWindow),
		reactLimit:   chat.NewLimiter(reactionRate, reactionWindow),
	}
	if r.contract != "" {
		r.contractHash = policy.ContractHash(r.contract)
	}
	return r
}

// Meeting returns the meeting this room runs.
func (r *Room) Meeting() meeting.Meeting { return r.meeting }

func (r *Room) loop() {
	for {
		select {
		case f := <-r.cmds:
			f()
			r.persist()
			if r.ended || r.idle() {
				r.stop()
				return
			}
		case <-r.done:
			return
		}
	}
}

// stop ends the loop. Commands already queued are refused with errClosed by do.
func (r *Room) stop() {
	r.over.Store(true)
	r.closeState()
	if r.autoLock != nil {
		r.autoLock.Stop()
	}
	close(r.done)
	if r.onStop != nil {
		r.onStop()
	}
}

// idle reports whether nobody is connected or holding a place in grace.
func (r *Room) idle() bool {
	for _, p := range r.participants {
		if p.sink != nil || p.graceTimer != nil {
			return false
		}
	}
	return true
}

// do runs f on the room goroutine and waits for it to finish.
func (r *Room) do(ctx context.Context, f func()) error {
	finished := make(chan struct{})
	cmd := func() { defer close(finished); f() }
	select {
	case r.cmds <- cmd:
	case <-r.done:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-finished:
		return nil
	case <-r.done:
		// The room may stop right after running f; finished tells which.
		select {
		case <-finished:
			return nil
		default:
			return errClosed
		}
	}
}

// call runs f on the room goroutine and returns its error (or the room's, if
// f could not run).
func (r *Room) call(ctx context.Context, f func() error) error {
	var err error
	if e := r.do(ctx, func() { err = f() }); e != nil {
		return e
	}
	return err
}

// post runs f on the room goroutine without waiting (for timers and callbacks).
func (r *Room) post(f func()) {
	select {
	case r.cmds <- f:
	case <-r.done:
	}
}

func (r *Room) now() time.Time { return r.deps.Now().UTC() }

// record appends an audit entry for this meeting. If it fails, the caller must
// not carry out the action.
func (r *Room) record(action, actor, subject string, outcome audit.Outcome, details map[string]string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := r.deps.Store.Append(ctx, audit.Entry{
		At: r.now(), Actor: actor, Action: action, Subject: subject,
		Outcome: outcome, Details: details, Meeting: string(r.meeting.ID),
	})
	if err != nil {
		r.log.Error("audit append failed; action refused", "action", action, "err", err)
		return errcode.Wrap(errcode.AuditUnavailable, err)
	}
	return nil
}
