package room

import (
	"context"
	"strconv"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/signalling"
)

// Joined tells a session where the room placed it.
type Joined struct {
	Participant meeting.ParticipantID
	Role        meeting.Role
	Admission   meeting.Admission
}

// Join places a session in the room. A new invitee waits; the meeting's host is
// admitted (and admits nobody else by arriving). A person returning within the
// grace period gets their place back. An invitation that already has a live
// session is refused, and the hosts are told someone tried it.
func (r *Room) Join(ctx context.Context, id Identity, session meeting.SessionID, sink Sink) (Joined, error) {
	var res Joined
	var err error
	if e := r.do(ctx, func() { res, err = r.join(id, session, sink) }); e != nil {
		return Joined{}, e
	}
	return res, err
}

func (r *Room) join(id Identity, session meeting.SessionID, sink Sink) (Joined, error) {
	if r.ended {
		return Joined{}, errcode.New(errcode.MeetingEnded)
	}
	if id.Invitation != "" && !r.invitationValid(id.Invitation) {
		return Joined{}, errcode.New(errcode.InvitationInvalid)
	}
	if id.Staff != "" && !r.staffMayHost(id.Staff) {
		return Joined{}, errcode.New(errcode.NotSignedIn)
	}
	p := r.byKey[id.Key]
	if p != nil {
		if err := r.rejoin(p, id, session, sink); err != nil {
			return Joined{}, err
		}
	} else {
		if r.locked && id.Role != meeting.RoleHost {
			_ = r.record("participant.wait", id.Actor(), "meeting:"+string(r.meeting.ID), audit.Refused, map[string]string{"reason": "locked", "name": id.Name})
			r.tellHosts(signalling.Notice{
				Type: signalling.TypeNotice, Code: string(errcode.MeetingLocked),
				Message: id.Name + " (" + id.RoleLabel + ") tried to join, but the meeting is locked.",
			})
			return Joined{}, errcode.New(errcode.MeetingLocked)
		}
		if id.Role != meeting.RoleHost && r.present() >= r.rules.MaxParticipants {
			_ = r.record("participant.wait", id.Actor(), r.subject(), audit.Refused, map[string]string{"reason": "full", "name": id.Name})
			r.tellHosts(signalling.Notice{
				Type: signalling.TypeNotice, Code: string(errcode.TooManyParticipants),
				Message: id.Name + " (" + id.RoleLabel + ") tried to join, but the meeting has reached its maximum of " + strconv.Itoa(r.rules.MaxParticipants) + " people.",
			})
			return Joined{}, errcode.New(errcode.TooManyParticipants)
		}
		var err error
		if p, err = r.arrive(id, session, sink); err != nil {
			return Joined{}, err
		}
	}
	return Joined{Participant: p.id, Role: p.role, Admission: p.admission}, nil
}

// present counts the people holding a place in the room: waiting or
// admitted, connected or within their reconnect grace.
func (r *Room) present() int {
	n := 0
	for _, p := range r.participants {
		if p.admission == meeting.AdmissionWaiting || p.admission == meeting.AdmissionAdmitted {
			n++
		}
	}
	return n
}

// invitationValid checks the invitation again on the room goroutine: it may
// have been revoked after the session resolved it, and revocations are written
// to the store before the room is told, so this closes the gap.
func (r *Room) invitationValid(id meeting.InvitationID) bool {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	inv, err := r.deps.Store.Invitation(ctx, r.meeting.ID, id)
	return err == nil && !inv.Revoked()
}

// staffMayHost checks again, on the room goroutine, that a staff member's
// account is active and holds the host role: a disabling that lands between
// the session's sign-in check and this join has taken the room's state
// already, so this closes the gap.
func (r *Room) staffMayHost(id meeting.StaffID) bool {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	st, err := r.deps.Store.StaffByID(ctx, id)
	return err == nil && st.Active() && st.Host
}

// arrive adds a person the room has not seen (or has forgotten).
func (r *Room) arrive(id Identity, session meeting.SessionID, sink Sink) (*participant, error) {
	p := &participant{
		id:        meeting.NewParticipantID(),
		identity:  id,
		role:      id.Role,
		admission: meeting.AdmissionWaiting,
		since:     r.now(),
	}
	if r.needsContract(p) {
		p.contractAccepted = r.priorAcceptance(id)
	}
	p.saved, p.unsaved = r.newStay(p, p.since), true
	action := "participant.wait"
	if id.Role == meeting.RoleHost {
		p.admission = meeting.AdmissionAdmitted
		action = "participant.join_host"
	}
	if err := r.record(action, id.Actor(), p.subject(), audit.Allowed, map[string]string{"name": id.Name, "role_label": id.RoleLabel}); err != nil {
		return nil, err
	}
	r.participants[p.id] = p
	r.byKey[id.Key] = p
	r.order = append(r.order, p.id)
	r.attach(p, session, sink)
	return p, nil
}

// rejoin gives a known person their place back on a new session.
func (r *Room) rejoin(p *participant, id Identity, session meeting.SessionID, sink Sink) error {
	switch p.admission {
	case meeting.AdmissionDenied:
		_ = r.record("participant.rejoin", id.Actor(), p.subject(), audit.Refused, map[string]string{"admission": p.admission.String()})
		return errcode.New(errcode.Denied)
	case meeting.AdmissionRemoved:
		_ = r.record("participant.rejoin", id.Actor(), p.subject(), audit.Refused, map[string]string{"admission": p.admission.String()})
		return errcode.New(errcode.Removed)
	}
	if p.connected() {
		if id.Staff != "" {
			// A staff member reopening their meeting in a new tab moves there;
			// the old tab is told why it closed.
			if err := r.record("participant.session_replaced", id.Actor(), p.subject(), audit.Allowed, nil); err != nil {
				return err
			}
			old := p.sink
			r.detachMedia(p)
			p.sink, p.session = nil, ""
			old.Close(errcode.SessionReplaced, nil)
		} else {
			_ = r.record("invitation.reuse_refused", id.Actor(), p.subject(), audit.Refused, nil)
			r.tellHosts(signalling.Notice{
				Type:        signalling.TypeNotice,
				Code:        string(errcode.InvitationInUse),
				Message:     "Someone tried to use the invitation of " + id.Name + " (" + id.RoleLabel + ") from another window or browser while they are connected. They were not let in.",
				Participant: string(p.id),
			})
			return errcode.New(errcode.InvitationInUse)
		}
	}
	if err := r.record("participant.reconnect", id.Actor(), p.subject(), audit.Allowed, map[string]string{"admission": p.admission.String()}); err != nil {
		return err
	}
	p.identity = id // the same person (same key), as the store knows them now
	r.attach(p, session, sink)
	return nil
}

// attach connects a participant's place to a session and brings them up to date.
func (r *Room) attach(p *participant, session meeting.SessionID, sink Sink) {
	if p.graceTimer != nil {
		p.graceTimer.Stop()
		p.graceTimer = nil
	}
	p.epoch++
	p.session, p.sink = session, sink
	p.away = false
	// The welcome goes first, before anything the room sends this session.
	p.send(signalling.Welcome{
		Type: signalling.TypeWelcome, Version: signalling.Version,
		Session: string(session), Participant: string(p.id),
		Name: p.name(), RoleLabel: p.identity.RoleLabel,
		Role: p.role.String(), Admission: p.admission.String(),
		Meeting: r.meeting.Title, Contract: r.contractOffer(p),
	})
	switch p.admission {
	case meeting.AdmissionWaiting:
		r.sendWaitingList()
	case meeting.AdmissionAdmitted:
		r.enterRoom(p, nil)
	}
}

// Detach is called when a session's connection is gone. The participant keeps
// their place for the grace period; after it, they are forgotten, so coming
// back means waiting again.
func (r *Room) Detach(pid meeting.ParticipantID, session meeting.SessionID) {
	r.post(func() {
		p := r.participants[pid]
		if p == nil || p.session != session {
			return
		}
		r.disconnect(p)
		epoch := p.epoch
		p.graceTimer = time.AfterFunc(r.deps.Grace, func() {
			r.post(func() { r.expire(pid, epoch) })
		})
	})
}

// Leave is a participant leaving on purpose: their place goes at once.
func (r *Room) Leave(ctx context.Context, pid meeting.ParticipantID, session meeting.SessionID) error {
	return r.do(ctx, func() {
		p := r.participants[pid]
		if p == nil || p.session != session {
			return
		}
		_ = r.record("participant.leave", p.identity.Actor(), p.subject(), audit.Allowed, nil)
		r.disconnect(p)
		p.outcome = "left"
		r.forget(p)
	})
}

// disconnect takes a participant's session and media away and tells the others.
func (r *Room) disconnect(p *participant) {
	wasAdmitted := p.admitted() && p.connected()
	r.detachMedia(p)
	p.sink, p.session = nil, ""
	if wasAdmitted {
		r.broadcastAdmitted(signalling.Gone{Type: signalling.TypeGone, Participant: string(p.id)}, p.id)
	}
	if p.admission == meeting.AdmissionWaiting {
		r.sendWaitingList()
	}
}

func (r *Room) expire(pid meeting.ParticipantID, epoch int) {
	p := r.participants[pid]
	if p == nil || p.epoch != epoch || p.connected() {
		return
	}
	_ = r.record("participant.grace_expired", p.identity.Actor(), p.subject(), audit.Allowed, map[string]string{"admission": p.admission.String()})
	p.graceTimer = nil
	// Denied and removed people stay known, so their refusal sticks for the room's life.
	if p.admission == meeting.AdmissionWaiting || p.admission == meeting.AdmissionAdmitted {
		p.outcome = "connection lost"
		r.forget(p)
	}
}

func (r *Room) forget(p *participant) {
	if p.graceTimer != nil {
		p.graceTimer.Stop()
		p.graceTimer = nil
	}
	delete(r.participants, p.id)
	delete(r.byKey, p.identity.Key)
	r.gone = append(r.gone, p) // its stay ends at the next persist
	r.chatLimit.Forget(p.id)
	r.reactLimit.Forget(p.id)
	for i, id := range r.order {
		if id == p.id {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
}
