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
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

// autoLockActor is the audit log's name for the room's own auto-lock timer.
const autoLockActor = "system:auto-lock"

// SetRules makes the meeting's rules stricter (host only). Rules looser than
// the meeting's profile are refused whole, naming what they would loosen.
func (r *Room) SetRules(ctx context.Context, actor meeting.ParticipantID, rules policy.Rules) error {
	return r.command(ctx, actor, policy.ActionRules, "", func(a, _ *participant) error {
		if err := rules.Validate(); err != nil {
			return errcode.Wrap(errcode.Invalid, err)
		}
		if loosened := rules.Loosened(r.floor); len(loosened) > 0 {
			_ = r.record("meeting.rules", a.identity.Actor(), r.subject(), audit.Refused, map[string]string{"would_loosen": strings.Join(loosened, ", ")})
			return errcode.New(errcode.WouldLoosen)
		}
		if rules == r.rules {
			return nil
		}
		if err := r.record("meeting.rules", a.identity.Actor(), r.subject(), audit.Allowed, rulesDetails(rules)); err != nil {
			return err
		}
		r.applyRules(rules)
		return nil
	})
}

// tightenFloor applies an admin's edit of the meeting's profile: what got
// stricter applies at once, what got looser waits for the next meeting.
func (r *Room) tightenFloor(profile policy.Rules) {
	r.floor = r.floor.Tighten(profile)
	rules := r.rules.Tighten(profile)
	if rules == r.rules || r.ended {
		return
	}
	if err := r.record("meeting.rules", "system:profile", r.subject(), audit.Allowed, rulesDetails(rules)); err != nil {
		return
	}
	r.applyRules(rules)
}

func rulesDetails(r policy.Rules) map[string]string {
	return map[string]string{
		"auto_lock_minutes": strconv.Itoa(r.AutoLockMinutes),
		"screen_share":      string(r.ScreenShare),
		"media_on_entry":    string(r.MediaOnEntry),
		"self_unmute":       string(r.SelfUnmute),
		"display_names":     string(r.DisplayNames),
		"chime":             strconv.FormatBool(r.Chime),
		"max_participants":  strconv.Itoa(r.MaxParticipants),
		"direct_messages":   string(r.DirectMessages),
		"chat_links":        string(r.ChatLinks),
		"chat_history":      string(r.ChatHistory),
	}
}

// applyRules puts stricter rules into effect: shares and names the rules no
// longer allow end, the auto-lock is rescheduled, and everyone is told.
func (r *Room) applyRules(rules policy.Rules) {
	r.rules = rules
	for _, id := range r.order {
		p := r.participants[id]
		if p.sharing && !rules.MayShareScreen(p.role) {
			r.stopShare(p, "system:rules")
		}
		if p.displayName != "" && rules.DisplayNames != policy.NamesRenamable {
			_ = r.record("participant.rename", "system:rules", p.subject(), audit.Allowed, map[string]string{"reverted_to": p.identity.Name})
			p.displayName = ""
		}
	}
	r.scheduleAutoLock()
	r.broadcastAll(r.roomState())
	for _, id := range r.order {
		if p := r.participants[id]; p.admitted() && p.connected() {
			r.broadcastPerson(p, "")
		}
	}
}

// scheduleAutoLock (re)arms the auto-lock timer. The meeting locks the
// profile's minutes after its scheduled start or, if the room opened later
// than that start, after it opened: a host who starts late does not find the
// meeting locked before anyone could arrive.
func (r *Room) scheduleAutoLock() {
	if r.autoLock != nil {
		r.autoLock.Stop()
		r.autoLock = nil
	}
	if r.rules.AutoLockMinutes == 0 || r.autoLocked || r.ended {
		return
	}
	start := r.meeting.StartsAt
	if r.opened.After(start) {
		start = r.opened
	}
	at := start.Add(time.Duration(r.rules.AutoLockMinutes) * time.Minute)
	r.autoLock = time.AfterFunc(at.Sub(r.now()), func() { r.post(r.autoLockNow) })
}

// autoLockNow locks the meeting on the auto-lock timer. It locks once: a host
// may unlock afterwards, on purpose.
func (r *Room) autoLockNow() {
	r.autoLock = nil
	if r.ended || r.autoLocked {
		return
	}
	r.autoLocked = true
	if r.locked {
		return
	}
	minutes := strconv.Itoa(r.rules.AutoLockMinutes)
	if err := r.record("meeting.lock", autoLockActor, r.subject(), audit.Allowed, map[string]string{"reason": "auto_lock", "minutes": minutes}); err != nil {
		// Not audited, so not done; try again shortly.
		r.autoLocked = false
		r.autoLock = time.AfterFunc(10*time.Second, func() { r.post(r.autoLockNow) })
		return
	}
	r.locked = true
	r.broadcastAll(r.roomState())
	r.broadcastAll(signalling.Notice{
		Type: signalling.TypeNotice, Code: string(errcode.MeetingLocked),
		Message: "The meeting was locked automatically, " + minutes + " minutes after it started. Nobody new can join.",
	})
}

// Share starts or stops the actor's own screen share. Starting follows the
// rules; a host or co-host starting takes over from anyone else sharing,
// anyone else waits their turn. Stopping one's own share is always allowed.
func (r *Room) Share(ctx context.Context, actor meeting.ParticipantID, on bool) error {
	action := policy.ActionShare
	if !on {
		action = policy.ActionMedia
	}
	return r.command(ctx, actor, action, "", func(a, _ *participant) error {
		if !on {
			if a.sharing {
				r.stopShare(a, a.identity.Actor())
			}
			return nil
		}
		if a.sharing {
			return nil
		}
		for _, id := range r.order {
			q := r.participants[id]
			if !q.sharing || q == a {
				continue
			}
			if !a.role.IsHost() {
				return errcode.New(errcode.ShareBusy)
			}
			r.stopShare(q, a.identity.Actor())
		}
		if err := r.record("screen.start", a.identity.Actor(), a.subject(), audit.Allowed, nil); err != nil {
			return err
		}
		a.sharing = true
		if a.peer != nil {
			a.peer.SetForwarding(sfu.KindScreen, true)
		}
		r.broadcastPerson(a, "")
		return nil
	})
}

// StopShare stops someone else's screen share (host, or co-host for participants).
func (r *Room) StopShare(ctx context.Context, actor, target meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionStopShare, target, func(a, t *participant) error {
		if t.sharing {
			r.stopShare(t, a.identity.Actor())
		}
		return nil
	})
}

// stopShare stops forwarding p's screen at once and tells everyone, p
// included (their browser then stops capturing). It is never refused: if the
// audit write fails, stopping is still the safe way to fail.
func (r *Room) stopShare(p *participant, actor string) {
	_ = r.record("screen.stop", actor, p.subject(), audit.Allowed, nil)
	p.sharing = false
	if p.peer != nil {
		p.peer.SetForwarding(sfu.KindScreen, false)
	}
	r.broadcastPerson(p, "")
}

// AskUnmute asks a participant to turn their microphone or camera back on; a
// host's block becomes theirs to lift. They choose.
func (r *Room) AskUnmute(ctx context.Context, actor, target meeting.ParticipantID, kind sfu.Kind) error {
	if kind != sfu.KindAudio && kind != sfu.KindVideo {
		return errcode.New(errcode.BadMessage)
	}
	return r.command(ctx, actor, policy.ActionAskUnmute, target, func(a, t *participant) error {
		if err := r.record("participant.ask_unmute_"+string(kind), a.identity.Actor(), t.subject(), audit.Allowed, nil); err != nil {
			return err
		}
		_, _, asked := t.flags(kind)
		*asked = true
		t.send(signalling.UnmuteRequest{Type: signalling.TypeUnmuteAsk, Kind: string(kind), By: a.name()})
		r.broadcastPerson(t, "")
		return nil
	})
}

// Unmute lifts a host's block of the actor's own microphone or camera, if it
// is theirs to lift: the rules let participants unmute themselves and no host
// held the block, or a host has asked them to.
func (r *Room) Unmute(ctx context.Context, actor meeting.ParticipantID, kind sfu.Kind) error {
	if kind != sfu.KindAudio && kind != sfu.KindVideo {
		return errcode.New(errcode.BadMessage)
	}
	return r.command(ctx, actor, policy.ActionUnmute, "", func(a, _ *participant) error {
		blocked, held, asked := a.flags(kind)
		if !*blocked {
			*asked = false
			return nil
		}
		if r.held(a, kind) {
			_ = r.record("participant.unmute_"+string(kind), a.identity.Actor(), a.subject(), audit.Refused, nil)
			return errcode.New(errcode.UnmuteNotAllowed)
		}
		if err := r.record("participant.unmute_"+string(kind), a.identity.Actor(), a.subject(), audit.Allowed, nil); err != nil {
			return err
		}
		*blocked, *held, *asked = false, false, false
		if a.peer != nil {
			a.peer.SetForwarding(kind, true)
		}
		r.broadcastPerson(a, "")
		return nil
	})
}

// applyEntryRules sets a newly admitted participant's media as the rules say.
// It returns whether their client should start muted.
func (r *Room) applyEntryRules(p *participant) bool {
	if p.role != meeting.RoleParticipant {
		return false
	}
	switch r.rules.MediaOnEntry {
	case policy.EntryOffUntilAllowed:
		p.audioBlocked, p.audioHeld = true, true
		p.videoBlocked, p.videoHeld = true, true
		return true
	case policy.EntryMuted:
		// Where they may unmute only when asked, the server holds the microphone.
		if r.rules.SelfUnmute == policy.UnmuteWhenAsked {
			p.audioBlocked = true
		}
		return true
	default:
		return false
	}
}

func (r *Room) subject() string { return "meeting:" + string(r.meeting.ID) }
