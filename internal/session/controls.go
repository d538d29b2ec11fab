package session

import (
	"context"

	"safemeet/internal/meeting"
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
	return s.room.Mute(ctx, s.participant, meeting.ParticipantID(m.Participant), sfu.Kind(m.Kind), m.Muted)
}

func (s *Session) onCoHost(ctx context.Context, msg any) error {
	m := msg.(*signalling.CoHost)
	return s.room.SetCoHost(ctx, s.participant, meeting.ParticipantID(m.Participant), m.On)
}

func (s *Session) onSuspend(ctx context.Context, _ any) error {
	return s.room.Suspend(ctx, s.participant)
}
