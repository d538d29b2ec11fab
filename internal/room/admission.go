package room

import (
	"context"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
)

// Admit lets a waiting participant in, on a host's explicit decision.
func (r *Room) Admit(ctx context.Context, actor, target meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionAdmit, target, r.admit)
}

func (r *Room) admit(a, t *participant) error {
	if r.needsContract(t) && !t.contractAccepted {
		_ = r.record("participant.admit", a.identity.Actor(), t.subject(), audit.Refused, map[string]string{"reason": "contract_not_accepted"})
		return errcode.New(errcode.ContractNotAccepted)
	}
	details := map[string]string{"name": t.identity.Name, "media_on_entry": string(r.rules.MediaOnEntry)}
	if err := r.record("participant.admit", a.identity.Actor(), t.subject(), audit.Allowed, details); err != nil {
		return err
	}
	t.admission = meeting.AdmissionAdmitted
	t.since = r.now()
	if t.admittedBy == "" {
		t.admittedBy = a.identity.Name
	}
	if t.firstAdmitted.IsZero() {
		t.firstAdmitted = t.since
	}
	muted := r.applyEntryRules(t)
	r.sendWaitingList()
	if t.connected() {
		r.enterRoom(t, signalling.Admission{Type: signalling.TypeAdmission, Admission: t.admission.String(), Muted: muted})
	}
	return nil
}

// Deny refuses a waiting participant; their session closes and, for the rest of
// this room's life, their invitation cannot bring them back to the waiting room.
func (r *Room) Deny(ctx context.Context, actor, target meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionDeny, target, func(a, t *participant) error {
		if err := r.record("participant.deny", a.identity.Actor(), t.subject(), audit.Allowed, map[string]string{"name": t.identity.Name}); err != nil {
			return err
		}
		t.admission = meeting.AdmissionDenied
		t.since = r.now()
		t.outcome = "denied by " + a.identity.Name
		if t.connected() {
			sink := t.sink
			t.sink, t.session = nil, ""
			sink.Close(errcode.Denied, signalling.Admission{
				Type: signalling.TypeAdmission, Admission: t.admission.String(),
				Code: string(errcode.Denied), Message: errcode.Message(errcode.Denied),
			})
		}
		r.sendWaitingList()
		return nil
	})
}

// End ends the meeting for everyone: every session closes with a message, and
// the meeting is stored as ended, so its invitations stop working.
func (r *Room) End(ctx context.Context, actor meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionEnd, "", func(a, _ *participant) error {
		if err := r.record("meeting.end", a.identity.Actor(), "meeting:"+string(r.meeting.ID), audit.Allowed, nil); err != nil {
			return err
		}
		sctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := r.deps.Store.EndMeeting(sctx, r.meeting.ID, r.now()); err != nil {
			r.log.Error("store meeting end", "err", err)
			return errcode.Wrap(errcode.Internal, err)
		}
		r.closeAll(errcode.MeetingEnded)
		return nil
	})
}

// Shutdown closes every session because the server is stopping. The meeting is
// not ended: people can rejoin when the server is back.
func (r *Room) Shutdown() {
	err := r.do(context.Background(), func() {
		_ = r.record("meeting.server_shutdown", "system", "meeting:"+string(r.meeting.ID), audit.Allowed, nil)
		r.shuttingDown = true
		r.closeAll(errcode.ServerShuttingDown)
	})
	if err == nil {
		// The loop writes the room's state after the command and then stops;
		// the store must not close before it has.
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
		}
	}
}

func (r *Room) closeAll(code errcode.Code) {
	r.ended = true
	r.over.Store(true)
	final := signalling.Ended{Type: signalling.TypeEnded, Code: string(code), Message: errcode.Message(code)}
	for _, id := range r.order {
		p := r.participants[id]
		r.detachMedia(p)
		if p.graceTimer != nil {
			p.graceTimer.Stop()
			p.graceTimer = nil
		}
		if p.sink != nil {
			sink := p.sink
			p.sink, p.session = nil, ""
			sink.Close(code, final)
		}
	}
}

// RevokeInvitation removes whoever holds the invitation from the room. The
// caller has already revoked it in the store, so no path leads back in.
func (r *Room) RevokeInvitation(ctx context.Context, actor string, inv meeting.InvitationID) error {
	return r.call(ctx, func() error {
		p := r.byKey["invitation:"+string(inv)]
		if p == nil || p.admission == meeting.AdmissionRemoved {
			return nil
		}
		if err := r.record("participant.remove", actor, p.subject(), audit.Allowed, map[string]string{"reason": "invitation revoked", "name": p.identity.Name}); err != nil {
			return err
		}
		r.takeOut(p, errcode.Removed)
		return nil
	})
}

// takeOut marks p removed, closes their session with a message, and updates
// everyone's view. Their media peer is closed, so nothing more is forwarded.
func (r *Room) takeOut(p *participant, code errcode.Code) {
	wasWaiting := p.admission == meeting.AdmissionWaiting
	sink := p.sink
	if p.connected() {
		r.disconnect(p)
	}
	p.admission = meeting.AdmissionRemoved
	if p.outcome == "" {
		p.outcome = outcomeFor(code)
	}
	if sink != nil {
		sink.Close(code, signalling.Admission{
			Type: signalling.TypeAdmission, Admission: p.admission.String(),
			Code: string(code), Message: errcode.Message(code),
		})
	}
	if wasWaiting {
		r.sendWaitingList()
	}
}

// SetMedia records whether a participant's microphone and camera are on, and
// tells the others.
func (r *Room) SetMedia(ctx context.Context, actor meeting.ParticipantID, audio, video bool) error {
	return r.command(ctx, actor, policy.ActionMedia, "", func(a, _ *participant) error {
		a.audio, a.video = audio, video
		r.broadcastPerson(a, a.id)
		return nil
	})
}

// command runs one participant's request on the room goroutine: it asks the
// policy, and only if allowed calls apply with the actor and target.
func (r *Room) command(ctx context.Context, actorID meeting.ParticipantID, action policy.Action, targetID meeting.ParticipantID, apply func(a, t *participant) error) error {
	return r.call(ctx, func() error { return r.decideAndApply(actorID, action, targetID, apply) })
}

func (r *Room) decideAndApply(actorID meeting.ParticipantID, action policy.Action, targetID meeting.ParticipantID, apply func(a, t *participant) error) error {
	a := r.participants[actorID]
	if a == nil || !a.connected() {
		return errcode.New(errcode.NotAllowedNow)
	}
	state := policy.State{Ended: r.ended, Rules: r.rules}
	t := r.participants[targetID]
	if t != nil {
		state.Target = &policy.Party{Role: t.role, Admission: t.admission}
	}
	d := policy.Decide(policy.Party{Role: a.role, Admission: a.admission}, action, state)
	if !d.Allowed {
		if action != policy.ActionMedia {
			_ = r.record("decision."+action.String(), a.identity.Actor(), string(targetID), audit.Refused, map[string]string{"code": string(d.Code)})
		}
		return d.Err()
	}
	return apply(a, t)
}

// staffDisabled removes a disabled staff member's place, and with it any host
// rights. Unlike a host's decision it is not refused when the audit write
// fails: taking rights away must not depend on the log (the failure is logged).
func (r *Room) staffDisabled(id meeting.StaffID, code errcode.Code) {
	p := r.byKey["staff:"+string(id)]
	if p == nil || p.admission == meeting.AdmissionRemoved {
		return
	}
	if err := r.record("participant.remove", "system", p.subject(), audit.Allowed, map[string]string{"reason": string(code), "name": p.identity.Name}); err != nil {
		r.log.Error("audit removal of disabled staff", "err", err)
	}
	wasAdmitted := p.admitted()
	p.role = meeting.RoleParticipant
	r.takeOut(p, code)
	if wasAdmitted {
		r.broadcastAll(r.roomState())
	}
}
