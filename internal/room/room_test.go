package room

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
	"safemeet/internal/store"
)

// memLog is an in-memory audit log and meeting store that can be made to fail.
type memLog struct {
	mu      sync.Mutex
	entries []audit.Entry
	fail    bool
	ended   time.Time
	revoked map[meeting.InvitationID]bool
	rules   *policy.Rules // the meeting's profile; looseRules if nil
}

// looseRules let everything the rules can let, so tests of one rule start
// from nothing else in the way.
var looseRules = policy.Rules{
	ScreenShare: policy.ShareEveryone, MediaOnEntry: policy.EntryAllowed, SelfUnmute: policy.UnmuteFree,
	DisplayNames: policy.NamesRenamable, MaxParticipants: 100, DirectMessages: policy.DirectObserved,
	ChatLinks: policy.LinksClickable, ChatHistory: policy.HistorySinceStart,
}

func (l *memLog) RecordChat(context.Context, store.ChatRecord) error { return nil }

func (l *memLog) Profile(_ context.Context, id meeting.ProfileID) (policy.Profile, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rules != nil {
		return policy.Profile{ID: id, Name: "Test", Rules: *l.rules}, nil
	}
	return policy.Profile{ID: id, Name: "Test", Rules: looseRules}, nil
}

func (l *memLog) Append(_ context.Context, e audit.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail {
		return errors.New("disk full")
	}
	l.entries = append(l.entries, e)
	return nil
}

func (l *memLog) EndMeeting(_ context.Context, _ meeting.ID, at time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ended = at
	return nil
}

func (l *memLog) RevokeInvitation(context.Context, meeting.ID, meeting.InvitationID, time.Time) error {
	return nil
}

func (l *memLog) RestoreInvitation(context.Context, meeting.ID, meeting.InvitationID) error {
	return nil
}

func (l *memLog) Invitation(_ context.Context, m meeting.ID, id meeting.InvitationID) (meeting.Invitation, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	inv := meeting.Invitation{ID: id, MeetingID: m}
	if l.revoked[id] {
		inv.RevokedAt = time.Now()
	}
	return inv, nil
}

// has reports whether an entry with action, actor and outcome was written.
func (l *memLog) has(action, actor string, outcome audit.Outcome) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.entries {
		if e.Action == action && e.Actor == actor && e.Outcome == outcome {
			return true
		}
	}
	return false
}

func (l *memLog) actions() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.entries {
		out = append(out, e.Action)
	}
	return out
}

// sink records what the room sends one session.
type sink struct {
	mu     sync.Mutex
	msgs   []any
	closed errcode.Code
}

func (s *sink) Send(msg any)          { s.mu.Lock(); s.msgs = append(s.msgs, msg); s.mu.Unlock() }
func (s *sink) SetPeer(*sfu.Peer)     {}
func (s *sink) SubscribeOffer(string) {}
func (s *sink) PeerFailed(error)      {}
func (s *sink) Close(code errcode.Code, final any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if final != nil {
		s.msgs = append(s.msgs, final)
	}
	s.closed = code
}

func (s *sink) last() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.msgs) == 0 {
		return nil
	}
	return s.msgs[len(s.msgs)-1]
}

func (s *sink) count(match func(any) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.msgs {
		if match(m) {
			n++
		}
	}
	return n
}

func newTestManager(log *memLog) *Manager {
	return NewManager(Deps{Store: log, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now, Grace: 30 * time.Second})
}

var testMeeting = meeting.Meeting{ID: "m1", HostID: "staff1", Title: "Review"}

func hostIdentity() Identity {
	return Identity{Key: "staff:staff1", Name: "Ms Host", RoleLabel: "Host", Role: meeting.RoleHost, Staff: "staff1"}
}

func guestIdentity(n string) Identity {
	return Identity{Key: "invitation:" + n, Name: "Guest " + n, RoleLabel: "parent", Role: meeting.RoleParticipant, Invitation: meeting.InvitationID(n)}
}

func join(t *testing.T, m *Manager, id Identity, s *sink) (*Room, Joined) {
	t.Helper()
	r, j, err := m.Join(context.Background(), testMeeting, id, meeting.NewSessionID(), s)
	if err != nil {
		t.Fatalf("join %s: %v", id.Name, err)
	}
	return r, j
}

func TestRoom_AdmissionIsRefusedWhenItCannotBeAudited(t *testing.T) {
	log := &memLog{}
	m := newTestManager(log)
	hs, gs := &sink{}, &sink{}
	r, h := join(t, m, hostIdentity(), hs)
	_, g := join(t, m, guestIdentity("a"), gs)

	log.mu.Lock()
	log.fail = true
	log.mu.Unlock()
	err := r.Admit(context.Background(), h.Participant, g.Participant)
	if got := errcode.Of(err); got != errcode.AuditUnavailable {
		t.Fatalf("Admit with a failing audit log: %v, want %s", err, errcode.AuditUnavailable)
	}
	if n := gs.count(func(m any) bool { _, ok := m.(signalling.Admission); return ok }); n != 0 {
		t.Errorf("guest got %d admission messages, want 0: the admission must not happen", n)
	}
}

func TestRoom_WaitingGuestGetsOnlyTheirWelcome(t *testing.T) {
	log := &memLog{}
	m := newTestManager(log)
	hs, gs := &sink{}, &sink{}
	join(t, m, hostIdentity(), hs)
	_, g := join(t, m, guestIdentity("a"), gs)
	if g.Admission != meeting.AdmissionWaiting {
		t.Fatalf("guest admission = %v, want waiting", g.Admission)
	}
	if n := gs.count(func(any) bool { return true }); n != 1 {
		t.Errorf("waiting guest got %d messages, want only the welcome", n)
	}
	if w, ok := hs.last().(signalling.Waiting); !ok || len(w.Participants) != 1 || w.Participants[0].Name != "Guest a" {
		t.Errorf("host's last message = %#v, want a waiting list with Guest a", hs.last())
	}
}

func TestRoom_AdmitAndEndAreAuditedInOrder(t *testing.T) {
	log := &memLog{}
	m := newTestManager(log)
	hs, gs := &sink{}, &sink{}
	r, h := join(t, m, hostIdentity(), hs)
	_, g := join(t, m, guestIdentity("a"), gs)
	if err := r.Admit(context.Background(), h.Participant, g.Participant); err != nil {
		t.Fatal(err)
	}
	if err := r.End(context.Background(), g.Participant); errcode.Of(err) != errcode.HostRequired {
		t.Fatalf("guest ending the meeting: %v, want host_required", err)
	}
	if err := r.End(context.Background(), h.Participant); err != nil {
		t.Fatal(err)
	}
	want := []string{"participant.join_host", "participant.wait", "participant.admit", "decision.end", "meeting.end"}
	got := log.actions()
	if len(got) != len(want) {
		t.Fatalf("audit actions = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit actions = %v, want %v", got, want)
		}
	}
	if gs.closed != errcode.MeetingEnded || hs.closed != errcode.MeetingEnded {
		t.Errorf("sessions closed with %q and %q, want meeting_ended", gs.closed, hs.closed)
	}
	if _, running := m.Running(testMeeting.ID); running {
		t.Error("room still running after the meeting ended")
	}
}

func TestRoom_DisconnectedGuestLosesPlaceAfterGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &memLog{}
		m := newTestManager(log)
		defer m.Shutdown()
		r, h := join(t, m, hostIdentity(), &sink{})
		gs := &sink{}
		sess := meeting.NewSessionID()
		_, g, err := m.Join(context.Background(), testMeeting, guestIdentity("a"), sess, gs)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Admit(context.Background(), h.Participant, g.Participant); err != nil {
			t.Fatal(err)
		}

		r.Detach(g.Participant, sess)
		time.Sleep(29 * time.Second)
		synctest.Wait()
		_, back, err := m.Join(context.Background(), testMeeting, guestIdentity("a"), meeting.NewSessionID(), &sink{})
		if err != nil || back.Admission != meeting.AdmissionAdmitted || back.Participant != g.Participant {
			t.Fatalf("rejoin within grace = %+v, %v; want the same admitted place", back, err)
		}

		r.Detach(back.Participant, "not-the-current-session")
		synctest.Wait()
		if _, j, err := m.Join(context.Background(), testMeeting, guestIdentity("a"), meeting.NewSessionID(), &sink{}); errcode.Of(err) != errcode.InvitationInUse {
			t.Fatalf("a stale session's detach must not free the place: %+v, %v", j, err)
		}
	})
}

func TestRoom_PlaceIsForgottenWhenGraceExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &memLog{}
		m := newTestManager(log)
		defer m.Shutdown()
		r, h := join(t, m, hostIdentity(), &sink{})
		sess := meeting.NewSessionID()
		_, g, _ := m.Join(context.Background(), testMeeting, guestIdentity("a"), sess, &sink{})
		_ = r.Admit(context.Background(), h.Participant, g.Participant)
		r.Detach(g.Participant, sess)
		time.Sleep(31 * time.Second)
		synctest.Wait()
		_, back, err := m.Join(context.Background(), testMeeting, guestIdentity("a"), meeting.NewSessionID(), &sink{})
		if err != nil || back.Admission != meeting.AdmissionWaiting {
			t.Fatalf("rejoin after grace = %+v, %v; want waiting", back, err)
		}
	})
}

func TestRoom_InvitationRevokedAfterItWasResolvedCannotJoin(t *testing.T) {
	// The session resolved the token, then the host revoked it before the join
	// reached the room: the room must check again.
	log := &memLog{revoked: map[meeting.InvitationID]bool{"a": true}}
	m := newTestManager(log)
	defer m.Shutdown()
	join(t, m, hostIdentity(), &sink{})
	_, _, err := m.Join(context.Background(), testMeeting, guestIdentity("a"), meeting.NewSessionID(), &sink{})
	if got := errcode.Of(err); got != errcode.InvitationInvalid {
		t.Fatalf("join with an invitation revoked after it was resolved: %v, want %s", err, errcode.InvitationInvalid)
	}
}

func (l *memLog) RecordContractAcceptance(context.Context, store.ContractAcceptance) error {
	return nil
}
func (l *memLog) ContractAccepted(context.Context, meeting.ID, meeting.InvitationID, string) (bool, error) {
	return false, nil
}

func (l *memLog) StaffByID(_ context.Context, id meeting.StaffID) (store.Staff, error) {
	return store.Staff{ID: id, Roles: store.Roles{Host: true}}, nil
}

func (l *memLog) SaveStay(context.Context, store.Stay) error                { return nil }
func (l *memLog) Stays(context.Context, meeting.ID) ([]store.Stay, error)   { return nil, nil }
func (l *memLog) SaveRoomState(context.Context, store.RoomState) error      { return nil }
func (l *memLog) OpenRoomStates(context.Context) ([]store.RoomState, error) { return nil, nil }
func (l *memLog) Meeting(_ context.Context, id meeting.ID) (meeting.Meeting, error) {
	return meeting.Meeting{ID: id}, nil
}

func (l *memLog) RecordConcern(context.Context, store.Concern) error { return nil }
