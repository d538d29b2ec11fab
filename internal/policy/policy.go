// Package policy answers "may this actor do this now?" as a pure function of the
// actor, the action and the room's state. It does no I/O, so every rule is a
// table test, and the room applies only what Decide allows.
package policy

import (
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

// Action is something a participant asks the room to do.
type Action int

// Actions. The zero value ActionUnknown is never allowed.
const (
	ActionUnknown Action = iota
	// ActionAdmit lets a waiting participant into the room.
	ActionAdmit
	// ActionDeny refuses a waiting participant.
	ActionDeny
	// ActionEnd ends the meeting for everyone.
	ActionEnd
	// ActionMedia publishes, subscribes and negotiates media, and reports mic/camera state.
	ActionMedia
	// ActionReceiveRoom receives the roster and others' media and messages.
	ActionReceiveRoom
	// ActionLock locks or unlocks the meeting; ActionAdmitAll admits everyone waiting.
	ActionLock
	ActionAdmitAll
	// ActionRemove takes someone out of the meeting and revokes their invitation.
	ActionRemove
	// ActionSendBack returns an admitted participant to the waiting room.
	ActionSendBack
	// ActionMute stops or allows the forwarding of someone's microphone or camera.
	ActionMute
	// ActionMuteAll does so for everyone the actor may act on.
	ActionMuteAll
	// ActionCoHost makes or unmakes a co-host.
	ActionCoHost
	// ActionSuspend stops everyone else's media and locks the meeting (the
	// incident button).
	ActionSuspend
	// ActionRules makes the running meeting's rules stricter.
	ActionRules
	// ActionShare starts or stops one's own screen share, as the rules allow.
	ActionShare
	// ActionStopShare stops someone else's screen share.
	ActionStopShare
	// ActionAskUnmute asks someone to turn their microphone or camera back on.
	ActionAskUnmute
	// ActionUnmute lifts a mute of one's own media (the room also checks
	// whether this mute may be lifted by its owner).
	ActionUnmute
	// ActionRename changes one's own display name, as the rules allow.
	ActionRename
	// ActionChat posts a chat message (the room checks the audience and limits).
	ActionChat
	// ActionModerateChat deletes a message or clears the chat.
	ActionModerateChat
	// ActionChatBlock stops or lets again someone post.
	ActionChatBlock
	// ActionReact shows a reaction; ActionHand raises or lowers one's own hand.
	ActionReact
	ActionHand
	// ActionLowerHand lowers someone else's hand.
	ActionLowerHand
	// ActionAcceptContract accepts the participation contract, in the waiting room.
	ActionAcceptContract
	// ActionConcern flags a safeguarding concern (hosts and co-hosts).
	ActionConcern
)

func (a Action) String() string {
	switch a {
	case ActionAdmit:
		return "admit"
	case ActionDeny:
		return "deny"
	case ActionEnd:
		return "end"
	case ActionMedia:
		return "media"
	case ActionReceiveRoom:
		return "receive_room"
	case ActionLock:
		return "lock"
	case ActionAdmitAll:
		return "admit_all"
	case ActionRemove:
		return "remove"
	case ActionSendBack:
		return "send_back"
	case ActionMute:
		return "mute"
	case ActionMuteAll:
		return "mute_all"
	case ActionCoHost:
		return "cohost"
	case ActionSuspend:
		return "suspend"
	case ActionRules:
		return "rules"
	case ActionShare:
		return "share"
	case ActionStopShare:
		return "stop_share"
	case ActionAskUnmute:
		return "ask_unmute"
	case ActionUnmute:
		return "unmute"
	case ActionRename:
		return "rename"
	case ActionChat:
		return "chat"
	case ActionModerateChat:
		return "moderate_chat"
	case ActionChatBlock:
		return "chat_block"
	case ActionReact:
		return "react"
	case ActionHand:
		return "hand"
	case ActionLowerHand:
		return "lower_hand"
	case ActionAcceptContract:
		return "accept_contract"
	case ActionConcern:
		return "concern"
	default:
		return "unknown"
	}
}

// Party is a participant as the policy sees them.
type Party struct {
	Role      meeting.Role
	Admission meeting.Admission
}

// State is the part of the room's state a decision depends on.
type State struct {
	Ended bool
	// Rules are the meeting's rules as they stand.
	Rules Rules
	// Target is the participant acted upon, if the action has one; nil if the
	// target does not exist.
	Target *Party
}

// Decision is the policy's answer: allowed, or a stable code saying why not.
type Decision struct {
	Allowed bool
	Code    errcode.Code
}

func allow() Decision              { return Decision{Allowed: true} }
func deny(c errcode.Code) Decision { return Decision{Code: c} }

// Err returns nil if the decision allows, or the refusal as an *errcode.Error.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return errcode.New(d.Code)
}

// Decide is the policy. Deny by default: anything not explicitly allowed is refused.
func Decide(actor Party, action Action, s State) Decision {
	if s.Ended {
		return deny(errcode.MeetingEnded)
	}
	if action == ActionAcceptContract {
		// The one thing done from the waiting room, and only there.
		if actor.Admission != meeting.AdmissionWaiting || actor.Role != meeting.RoleParticipant {
			return deny(errcode.NotAllowedNow)
		}
		return allow()
	}
	if actor.Admission != meeting.AdmissionAdmitted {
		return deny(errcode.NotAllowedNow)
	}
	switch action {
	case ActionAdmit, ActionDeny:
		if s.Target != nil && s.Target.Admission != meeting.AdmissionWaiting && actor.Role.IsHost() {
			return deny(errcode.NotWaiting)
		}
		return actOn(actor, s.Target, meeting.AdmissionWaiting)
	case ActionEnd:
		if actor.Role != meeting.RoleHost {
			return deny(errcode.HostRequired)
		}
		return allow()
	case ActionMedia, ActionReceiveRoom, ActionChat, ActionReact, ActionHand:
		if actor.Role == meeting.RoleUnknown {
			return deny(errcode.Forbidden)
		}
		return allow()
	case ActionLock, ActionAdmitAll, ActionMuteAll, ActionModerateChat, ActionConcern:
		if !actor.Role.IsHost() {
			return deny(errcode.HostRequired)
		}
		return allow()
	case ActionRemove:
		return actOn(actor, s.Target, meeting.AdmissionWaiting, meeting.AdmissionAdmitted)
	case ActionSendBack, ActionMute:
		return actOn(actor, s.Target, meeting.AdmissionAdmitted)
	case ActionSuspend, ActionRules:
		if actor.Role != meeting.RoleHost {
			return deny(errcode.HostRequired)
		}
		return allow()
	case ActionShare:
		if !s.Rules.MayShareScreen(actor.Role) {
			return deny(errcode.ShareNotAllowed)
		}
		return allow()
	case ActionStopShare, ActionAskUnmute, ActionChatBlock, ActionLowerHand:
		return actOn(actor, s.Target, meeting.AdmissionAdmitted)
	case ActionUnmute:
		if actor.Role == meeting.RoleUnknown {
			return deny(errcode.Forbidden)
		}
		return allow()
	case ActionRename:
		if s.Rules.DisplayNames != NamesRenamable {
			return deny(errcode.RenameNotAllowed)
		}
		if actor.Role == meeting.RoleUnknown {
			return deny(errcode.Forbidden)
		}
		return allow()
	case ActionCoHost:
		if actor.Role != meeting.RoleHost {
			return deny(errcode.HostRequired)
		}
		return actOn(actor, s.Target, meeting.AdmissionAdmitted)
	default:
		return deny(errcode.Forbidden)
	}
}

// actOn decides whether a host or co-host may act on target, who must be in
// one of the given admission states. Nobody acts on the host, and co-hosts act
// only on participants, never on each other.
func actOn(actor Party, target *Party, states ...meeting.Admission) Decision {
	if !actor.Role.IsHost() {
		return deny(errcode.HostRequired)
	}
	if target == nil {
		return deny(errcode.NoSuchParticipant)
	}
	if target.Role == meeting.RoleHost || (actor.Role == meeting.RoleCoHost && target.Role != meeting.RoleParticipant) {
		return deny(errcode.Forbidden)
	}
	for _, a := range states {
		if target.Admission == a {
			return allow()
		}
	}
	return deny(errcode.NotAllowedNow)
}
