package room

import (
	"context"
	"strconv"
	"strings"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/store"
)

// The room keeps its safety state in the store as it changes, so that the
// register writes itself and a restarted server can put a running meeting
// back as it was: who is admitted, waiting, removed or denied, their roles,
// the lock, and when the room opened.
//
// persist runs on the room goroutine after every command: it compares each
// participant's stay and the room's own state with what was last written and
// writes what changed. A failed write is logged and tried again after the
// next command (the audit log, written before each decision, stays the
// authority on what happened).

// stayOf is p's stay as it stands at now, built on what was last written.
func (r *Room) stayOf(p *participant, gone bool, now time.Time) store.Stay {
	s := p.saved
	s.Role, s.Admission, s.DisplayName = p.role, p.admission, p.displayName
	if p.contractAccepted && s.ContractAcceptedAt.IsZero() {
		s.ContractAcceptedAt = now
	}
	// An admitted spell lasts while they hold their admitted place: connected,
	// or within their reconnect grace (but not the grace a restart gave them
	// before they are back).
	present := !gone && p.admitted() && (p.connected() || (p.graceTimer != nil && !p.away))
	if present && s.AdmittedSince.IsZero() {
		s.AdmittedSince = now
		if s.AdmittedAt.IsZero() {
			s.AdmittedAt, s.AdmittedBy = now, p.admittedBy
		}
	}
	if !present && !s.AdmittedSince.IsZero() {
		s.Present += now.Sub(s.AdmittedSince)
		s.AdmittedSince = time.Time{}
	}
	ended := gone || p.admission == meeting.AdmissionDenied || p.admission == meeting.AdmissionRemoved ||
		(r.ended && !r.shuttingDown)
	if ended && s.LeftAt.IsZero() {
		s.LeftAt = now
		s.Outcome = p.outcome
		if s.Outcome == "" {
			s.Outcome = "meeting ended"
		}
	}
	return s
}

// newStay is the stay of a person arriving now.
func (r *Room) newStay(p *participant, now time.Time) store.Stay {
	id := p.identity
	s := store.Stay{
		Meeting: r.meeting.ID, Participant: p.id, Key: id.Key, Name: id.Name, RoleLabel: id.RoleLabel,
		AgeGroup: id.AgeGroup, Role: p.role, Admission: p.admission, ArrivedAt: now,
	}
	if id.Consent.State == meeting.ConsentGiven {
		s.ConsentBy = id.Consent.By
	}
	return s
}

// stateOf is the room's own state as it stands.
func (r *Room) stateOf() store.RoomState {
	s := r.saved
	s.Meeting, s.OpenedAt, s.Locked, s.AutoLocked, s.Interruptions = r.meeting.ID, r.opened, r.locked, r.autoLocked, r.interruptions
	s.SeenAt = r.seen
	return s
}

// heartbeatEvery is how often a running room notes that it is alive. After a
// crash, attendance is counted up to the last beat, not through the outage.
const heartbeatEvery = 30 * time.Second

// heartbeat notes the time on the room goroutine every heartbeatEvery (the
// persist after it writes it) until the room stops.
func (r *Room) heartbeat() {
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.post(func() { r.seen = r.now() })
		case <-r.done:
			return
		}
	}
}

// persist writes what changed since the last call.
func (r *Room) persist() {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	now := r.now()
	if st := r.stateOf(); st != r.saved {
		if err := r.deps.Store.SaveRoomState(ctx, st); err != nil {
			r.log.Error("store room state", "err", err)
		} else {
			r.saved = st
		}
	}
	for _, id := range r.order {
		r.persistStay(ctx, r.participants[id], false, now)
	}
	for _, p := range r.gone {
		r.persistStay(ctx, p, true, now)
	}
	r.gone = r.gone[:0]
}

func (r *Room) persistStay(ctx context.Context, p *participant, gone bool, now time.Time) {
	s := r.stayOf(p, gone, now)
	if s == p.saved && !p.unsaved {
		return
	}
	if err := r.deps.Store.SaveStay(ctx, s); err != nil {
		r.log.Error("store stay", "participant_id", string(p.id), "err", err)
		if gone {
			r.gone = append(r.gone, p) // try again next time
		}
		return
	}
	p.saved, p.unsaved = s, false
}

// saveLocked writes the room's state with the lock as given, before the
// room takes it on.
func (r *Room) saveLocked(locked bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	st := r.stateOf()
	st.Locked = locked
	if err := r.deps.Store.SaveRoomState(ctx, st); err != nil {
		r.log.Error("store lock", "err", err)
		return errcode.Wrap(errcode.Internal, err)
	}
	r.saved = st
	return nil
}

// closeState records that the room stopped for good (not when the server is
// only stopping: then the meeting is put back when it starts again).
func (r *Room) closeState() {
	if r.shuttingDown {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	st := r.stateOf()
	st.ClosedAt = r.now()
	if err := r.deps.Store.SaveRoomState(ctx, st); err != nil {
		r.log.Error("store room closed", "err", err)
	}
	// A meeting whose time is over and whose room has emptied has ended,
	// even if nobody pressed "end": its links stop, and retention counts
	// from here.
	if !r.ended && st.ClosedAt.After(r.meeting.EndsAt()) {
		if err := r.record("meeting.end", "system", r.subject(), audit.Allowed, map[string]string{"reason": "over_and_empty"}); err != nil {
			return
		}
		if err := r.deps.Store.EndMeeting(ctx, r.meeting.ID, st.ClosedAt); err != nil {
			r.log.Error("store meeting end", "err", err)
		}
	}
}

// outcomeFor is how a stay ends when its holder is taken out with code.
func outcomeFor(code errcode.Code) string {
	switch code {
	case errcode.AccountDisabled:
		return "account disabled"
	case errcode.HostRequired:
		return "host role removed"
	default:
		return "removed"
	}
}

// restore makes a room of a meeting that was running when the server stopped
// or was killed: its lock and opening time from state, and everyone it knew
// from stays. People who were waiting or admitted get their place back for
// the reconnect grace period; removed and denied people stay refused. The
// interruption is audited and counted, and the register shows it.
func restore(m meeting.Meeting, profile policy.Profile, deps Deps, st store.RoomState, stays []store.Stay, onStop func()) (*Room, error) {
	r := build(m, profile, deps, onStop)
	r.opened, r.locked, r.autoLocked = st.OpenedAt, st.Locked, st.AutoLocked
	r.interruptions = st.Interruptions + 1
	r.saved = st
	r.seen = r.now()
	// The last beat before the outage: attendance stops counting there.
	lastSeen := st.SeenAt
	if lastSeen.IsZero() {
		lastSeen = st.OpenedAt
	}
	restored := 0
	for _, s := range stays {
		if !s.Open() && s.Admission != meeting.AdmissionRemoved && s.Admission != meeting.AdmissionDenied {
			continue
		}
		p := restoredParticipant(s, lastSeen)
		r.participants[p.id] = p
		r.byKey[p.identity.Key] = p
		r.order = append(r.order, p.id)
		if s.Open() {
			restored++
			epoch := p.epoch
			pid := p.id
			p.graceTimer = time.AfterFunc(deps.Grace, func() { r.post(func() { r.expire(pid, epoch) }) })
		}
	}
	details := map[string]string{"restored": strconv.Itoa(restored), "interruptions": strconv.Itoa(r.interruptions), "locked": strconv.FormatBool(r.locked)}
	if err := r.record("meeting.interrupted", "system", r.subject(), audit.Allowed, details); err != nil {
		return nil, err
	}
	r.scheduleAutoLock()
	r.persist() // the interruption counts even if the server stops again at once
	go r.loop()
	go r.heartbeat()
	return r, nil
}

// restoredParticipant is the place of the person a stay describes, without a
// session. An admitted spell open at the crash is closed at lastSeen; a new
// one starts when they come back.
func restoredParticipant(s store.Stay, lastSeen time.Time) *participant {
	if !s.AdmittedSince.IsZero() {
		if lastSeen.After(s.AdmittedSince) {
			s.Present += lastSeen.Sub(s.AdmittedSince)
		}
		s.AdmittedSince = time.Time{}
	}
	id := Identity{Key: s.Key, Name: s.Name, RoleLabel: s.RoleLabel, Role: meeting.RoleParticipant, AgeGroup: s.AgeGroup}
	kind, rest, _ := strings.Cut(s.Key, ":")
	switch kind {
	case "invitation":
		id.Invitation = meeting.InvitationID(rest)
	case "staff":
		id.Staff, id.Role = meeting.StaffID(rest), meeting.RoleHost
	}
	if s.ConsentBy != "" {
		id.Consent = meeting.ConsentRecord{State: meeting.ConsentGiven, By: s.ConsentBy}
	}
	return &participant{
		id: s.Participant, identity: id, role: s.Role, admission: s.Admission, since: s.ArrivedAt,
		displayName: s.DisplayName, contractAccepted: !s.ContractAcceptedAt.IsZero(),
		firstAdmitted: s.AdmittedAt, admittedBy: s.AdmittedBy, outcome: s.Outcome, saved: s,
		away: s.Open(), unsaved: true,
	}
}
