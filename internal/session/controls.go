package session

import (
	"context"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

func (s *Session) onAdmitAll(ctx context.Context, _ any) error {
	return s.room.AdmitAll(ctx, s.participant)
}

func (s *Session) onLock(ctx context.Context, msg any) error {
	return s.room.Lock(ctx, s.participant, msg.(*signalling.Lock).Locked)
}

func (s *Session) onRemove(ctx context.Context, msg any) error {
	return s.room.Remove(ctx, s.participant, meeting.ParticipantID(msg.(*signalling.Remove).Participant))
}

func (s *Session) onSendBack(ctx context.Context, msg any) error {
	return s.room.SendBack(ctx, s.participant, meeting.ParticipantID(msg.(*signalling.SendBack).Participant))
}

func (s *Session) onMute(ctx context.Context, msg any) error {
	m := msg.(*signalling.Mute)
	return s.room.Mute(ctx, s.participant, meeting.ParticipantID(m.Participant), sfu.Kind(m.Kind), m.Muted, m.Hold)
}

func (s *Session) onCoHost(ctx context.Context, msg any) error {
	m := msg.(*signalling.CoHost)
	return s.room.SetCoHost(ctx, s.participant, meeting.ParticipantID(m.Participant), m.On)
}

func (s *Session) onSuspend(ctx context.Context, _ any) error {
	return s.room.Suspend(ctx, s.participant)
}

func (s *Session) onRules(ctx context.Context, msg any) error {
	rules, err := policy.ParseRules(msg.(*signalling.Rules).Rules)
	if err != nil {
		return errcode.Wrap(errcode.Invalid, err)
	}
	return s.room.SetRules(ctx, s.participant, rules)
}

func (s *Session) onShare(ctx context.Context, msg any) error {
	return s.room.Share(ctx, s.participant, msg.(*signalling.Share).On)
}

func (s *Session) onStopShare(ctx context.Context, msg any) error {
	return s.room.StopShare(ctx, s.participant, meeting.ParticipantID(msg.(*signalling.StopShare).Participant))
}

func (s *Session) onAskUnmute(ctx context.Context, msg any) error {
	m := msg.(*signalling.AskUnmute)
	return s.room.AskUnmute(ctx, s.participant, meeting.ParticipantID(m.Participant), sfu.Kind(m.Kind))
}

func (s *Session) onUnmute(ctx context.Context, msg any) error {
	return s.room.Unmute(ctx, s.participant, sfu.Kind(msg.(*signalling.Unmute).Kind))
}

func (s *Session) onRename(ctx context.Context, msg any) error {
	return s.room.Rename(ctx, s.participant, msg.(*signalling.Rename).Name)
}

func (s *Session) onAcceptContract(ctx context.Context, msg any) error {
	return s.room.AcceptContract(ctx, s.participant, msg.(*signalling.AcceptContract).Hash)
}

func (s *Session) onConcern(ctx context.Context, msg any) error {
	m := msg.(*signalling.Concern)
	return s.room.RaiseConcern(ctx, s.participant, meeting.ParticipantID(m.Participant), m.Note)
}

func (s *Session) onChatSend(ctx context.Context, msg any) error {
	m := msg.(*signalling.ChatSend)
	return s.room.SendChat(ctx, s.participant, m.To, m.Text)
}

func (s *Session) onChatDelete(ctx context.Context, msg any) error {
	return s.room.DeleteChat(ctx, s.participant, msg.(*signalling.ChatDelete).Message)
}

func (s *Session) onChatClear(ctx context.Context, _ any) error {
	return s.room.ClearChat(ctx, s.participant)
}

func (s *Session) onChatBlock(ctx context.Context, msg any) error {
	m := msg.(*signalling.ChatBlock)
	return s.room.BlockChat(ctx, s.participant, meeting.ParticipantID(m.Participant), m.Blocked)
}

func (s *Session) onReact(ctx context.Context, msg any) error {
	return s.room.React(ctx, s.participant, msg.(*signalling.React).Reaction)
}

func (s *Session) onHand(ctx context.Context, msg any) error {
	return s.room.RaiseHand(ctx, s.participant, msg.(*signalling.Hand).Raised)
}

func (s *Session) onLowerHand(ctx context.Context, msg any) error {
	return s.room.LowerHand(ctx, s.participant, meeting.ParticipantID(msg.(*signalling.LowerHand).Participant))
}
