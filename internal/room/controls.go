package room

import (
	"context"
	"strconv"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

// Lock locks or unlocks the meeting. A locked meeting lets nobody new reach
// the waiting room; people already waiting stay and can still be admitted.
func (r *Room) Lock(ctx context.Context, actor meeting.ParticipantID, locked bool) error {
	return r.command(ctx, actor, policy.ActionLock, "", func(a, _ *participant) error {
		if r.locked == locked {
			return nil
		}
		action := "meeting.unlock"
		if locked {
			action = "meeting.lock"
		}
		if err := r.record(action, a.identity.Actor(), "meeting:"+string(r.meeting.ID), audit.Allowed, nil); err != nil {
			return err
		}
		// The lock must survive a crash: it is stored before it takes effect,
		// and a lock that cannot be stored is refused.
		if err := r.saveLocked(locked); err != nil {
			return err
		}
		r.locked = locked
		r.broadcastAll(r.roomState())
		return nil
	})
}

// AdmitAll admits everyone connected in the waiting room who may be admitted
// (those yet to accept the participation contract stay), each decision
// audited on its own.
func (r *Room) AdmitAll(ctx context.Context, actor meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionAdmitAll, "", func(a, _ *participant) error {
		for _, id := range append([]meeting.ParticipantID(nil), r.order...) {
			t := r.participants[id]
			if t.admission != meeting.AdmissionWaiting || !t.connected() || (r.needsContract(t) && !t.contractAccepted) {
				continue
			}
			if err := r.admit(a, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// Remove takes a participant out of the meeting and revokes their invitation,
// so every way back fails: the same link, a reconnect, a new tab or browser.
func (r *Room) Remove(ctx context.Context, actor, target meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionRemove, target, func(a, t *participant) error {
		if err := r.record("participant.remove", a.identity.Actor(), t.subject(), audit.Allowed, map[string]string{"name": t.identity.Name}); err != nil {
			return err
		}
		t.outcome = "removed by " + a.identity.Name
		if inv := t.identity.Invitation; inv != "" {
			sctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
			defer cancel()
			if err := r.deps.Store.RevokeInvitation(sctx, r.meeting.ID, inv, r.now()); err != nil {
				return errcode.Wrap(errcode.Internal, err)
			}
		}
		r.takeOut(t, errcode.Removed)
		return nil
	})
}

// LiftRemoval lets a removed invitee come back: their place is forgotten, so
// they arrive in the waiting room like anyone else. The caller restores the
// invitation in the store.
func (r *Room) LiftRemoval(ctx context.Context, actor string, inv meeting.InvitationID) error {
	return r.call(ctx, func() error {
		p := r.byKey["invitation:"+string(inv)]
		if p == nil || p.admission != meeting.AdmissionRemoved {
			return nil
		}
		if err := r.record("participant.removal_lifted", actor, p.subject(), audit.Allowed, map[string]string{"name": p.identity.Name}); err != nil {
			return err
		}
		r.forget(p)
		return nil
	})
}

// SendBack returns an admitted participant to the waiting room: their media
// stops at once and they see the room no more.
func (r *Room) SendBack(ctx context.Context, actor, target meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionSendBack, target, func(a, t *participant) error {
		if err := r.record("participant.send_back", a.identity.Actor(), t.subject(), audit.Allowed, map[string]string{"name": t.identity.Name}); err != nil {
			return err
		}
		r.detachMedia(t)
		t.admission = meeting.AdmissionWaiting
		t.role = meeting.RoleParticipant // privileges end at the door
		t.since = r.now()
		r.broadcastAdmitted(signalling.Gone{Type: signalling.TypeGone, Participant: string(t.id)}, t.id)
		t.send(signalling.Admission{
			Type: signalling.TypeAdmission, Admission: t.admission.String(),
			Code: string(errcode.SentBack), Message: errcode.Message(errcode.SentBack),
		})
		r.sendWaitingList()
		return nil
	})
}

// Mute stops (or allows again) the forwarding of a participant's microphone or
// camera in the SFU, whatever their browser does. An empty target means every
// participant the actor may act on.
func (r *Room) Mute(ctx context.Context, actor, target meeting.ParticipantID, kind sfu.Kind, muted, hold bool) error {
	if kind != sfu.KindAudio && kind != sfu.KindVideo {
		return errcode.New(errcode.BadMessage)
	}
	if target != "" {
		return r.command(ctx, actor, policy.ActionMute, target, func(a, t *participant) error {
			return r.block(a, t, kind, muted, hold)
		})
	}
	return r.command(ctx, actor, policy.ActionMuteAll, "", func(a, _ *participant) error {
		for _, id := range r.order {
			t := r.participants[id]
			d := policy.Decide(policy.Party{Role: a.role, Admission: a.admission}, policy.ActionMute,
				policy.State{Target: &policy.Party{Role: t.role, Admission: t.admission}})
			if !d.Allowed || t == a {
				continue
			}
			if err := r.block(a, t, kind, muted, hold); err != nil {
				return err
			}
		}
		return nil
	})
}

// block stops (or allows) the forwarding of t's media of kind. hold forbids t
// to lift the block themselves until a host asks them to.
func (r *Room) block(a, t *participant, kind sfu.Kind, blocked, hold bool) error {
	flag, held, asked := t.flags(kind)
	hold = hold && blocked
	if *flag == blocked && *held == hold {
		return nil
	}
	if err := r.record("participant.mute_"+string(kind), a.identity.Actor(), t.subject(), audit.Allowed, map[string]string{"muted": strconv.FormatBool(blocked), "hold": strconv.FormatBool(hold)}); err != nil {
		return err
	}
	*flag, *held, *asked = blocked, hold, false
	if t.peer != nil {
		t.peer.SetForwarding(kind, !blocked)
	}
	r.broadcastPerson(t, "")
	return nil
}

// Suspend is the incident button: the meeting locks, screen shares stop, chat
// posting stops and the SFU stops forwarding every other participant's
// microphone and camera, until hosts allow them one by one (or all at once).
func (r *Room) Suspend(ctx context.Context, actor meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionSuspend, "", func(a, _ *participant) error {
		if err := r.record("meeting.suspend", a.identity.Actor(), "meeting:"+string(r.meeting.ID), audit.Allowed, nil); err != nil {
			return err
		}
		r.locked = true
		r.broadcastAll(r.roomState())
		for _, id := range r.order {
			t := r.participants[id]
			// Waiting people have no media or chat to stop; the lock keeps
			// new ones out.
			if t == a || t.role == meeting.RoleHost || !t.admitted() {
				continue
			}
			if t.sharing {
				r.stopShare(t, a.identity.Actor())
			}
			if err := r.blockChat(a, t, true); err != nil {
				return err
			}
			for _, kind := range []sfu.Kind{sfu.KindAudio, sfu.KindVideo} {
				if err := r.block(a, t, kind, true, true); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SetCoHost makes or unmakes a co-host. Co-hosts see the waiting room and can
// admit, deny, lock, mute and remove participants, but never act on a host.
func (r *Room) SetCoHost(ctx context.Context, actor, target meeting.ParticipantID, on bool) error {
	return r.command(ctx, actor, policy.ActionCoHost, target, func(a, t *participant) error {
		role := meeting.RoleParticipant
		if on {
			role = meeting.RoleCoHost
		}
		if t.role == role {
			return nil
		}
		if err := r.record("participant.role", a.identity.Actor(), t.subject(), audit.Allowed, map[string]string{"role": role.String()}); err != nil {
			return err
		}
		t.role = role
		if t.sharing && !r.rules.MayShareScreen(role) {
			r.stopShare(t, a.identity.Actor())
		}
		r.broadcastPerson(t, "")
		r.sendChatState(t) // what they may see of the chat changed with the role
		if on {
			t.send(r.waitingList())
		}
		return nil
	})
}

// LinkReplaced takes whoever came in with an invitation's old link out of
// the room: a host replaces a link because it went astray, so its holder
// must not stay, and the invitee arriving with the new link must not find
// their place taken. The place is forgotten (not removed): the new link
// brings its holder to the waiting room like anyone else.
func (r *Room) LinkReplaced(ctx context.Context, actor string, inv meeting.InvitationID) error {
	return r.call(ctx, func() error {
		p := r.byKey["invitation:"+string(inv)]
		if p == nil || p.admission == meeting.AdmissionRemoved || p.admission == meeting.AdmissionDenied {
			return nil
		}
		if err := r.record("participant.link_replaced", actor, p.subject(), audit.Allowed, map[string]string{"name": p.identity.Name}); err != nil {
			return err
		}
		sink := p.sink
		wasWaiting := p.admission == meeting.AdmissionWaiting
		if p.connected() {
			r.disconnect(p)
		}
		if sink != nil {
			sink.Close(errcode.InvitationInvalid, signalling.Admission{
				Type: signalling.TypeAdmission, Admission: meeting.AdmissionRemoved.String(),
				Code: string(errcode.InvitationInvalid), Message: errcode.Message(errcode.InvitationInvalid),
			})
		}
		p.outcome = "link replaced"
		r.forget(p)
		if wasWaiting {
			r.sendWaitingList()
		}
		return nil
	})
}
