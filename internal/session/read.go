package session

import (
	"context"
	"errors"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/sfu"
	"safemeet/internal/signalling"
)

// handler handles one decoded client message. A returned errcode error is sent
// back to the browser; nothing else happens.
type handler func(s *Session, ctx context.Context, msg any) error

// handlers dispatches client messages after hello.
var handlers = map[string]handler{
	signalling.TypeAdmit:      (*Session).onAdmit,
	signalling.TypeDeny:       (*Session).onDeny,
	signalling.TypeEnd:        (*Session).onEnd,
	signalling.TypeLeave:      (*Session).onLeave,
	signalling.TypeMedia:      (*Session).onMedia,
	signalling.TypePublish:    (*Session).onPublish,
	signalling.TypeSubscribed: (*Session).onSubscribed,
	signalling.TypeCandidate:  (*Session).onCandidate,
	signalling.TypeAdmitAll:   (*Session).onAdmitAll,
	signalling.TypeLock:       (*Session).onLock,
	signalling.TypeRemove:     (*Session).onRemove,
	signalling.TypeSendBack:   (*Session).onSendBack,
	signalling.TypeMute:       (*Session).onMute,
	signalling.TypeCoHost:     (*Session).onCoHost,
	signalling.TypeSuspend:    (*Session).onSuspend,
	signalling.TypeRules:      (*Session).onRules,
	signalling.TypeShare:      (*Session).onShare,
	signalling.TypeStopShare:  (*Session).onStopShare,
	signalling.TypeAskUnmute:  (*Session).onAskUnmute,
	signalling.TypeUnmute:     (*Session).onUnmute,
	signalling.TypeRename:     (*Session).onRename,
	signalling.TypeChatSend:   (*Session).onChatSend,
	signalling.TypeChatDelete: (*Session).onChatDelete,
	signalling.TypeChatClear:  (*Session).onChatClear,
	signalling.TypeChatBlock:  (*Session).onChatBlock,
	signalling.TypeReact:      (*Session).onReact,
	signalling.TypeHand:       (*Session).onHand,
	signalling.TypeLowerHand:  (*Session).onLowerHand,

	signalling.TypeAcceptContract: (*Session).onAcceptContract,
	signalling.TypeConcern:        (*Session).onConcern,
}

// read runs the reader: hello first, then one message at a time until the
// connection ends.
func (s *Session) read(ctx context.Context) {
	if !s.hello(ctx) {
		return
	}
	for {
		data, text, err := s.readMessage(ctx)
		if err != nil {
			return
		}
		// Too large for its type ends the session (1009) before anything
		// else, rate limit included, looks at it. Binary frames are never
		// messages, so they have no larger limit.
		if (!text && len(data) > signalling.MaxMessageSize) || (text && signalling.CheckSize(data) != nil) {
			s.log.Info("message too large; session closed")
			s.Close(errcode.MessageTooLarge, nil)
			return
		}
		if !s.limiter.Allow() {
			s.refusals++
			if s.refusals > maxRefusals {
				s.Close(errcode.RateLimited, nil)
				return
			}
			s.sendError("", errcode.RateLimited)
			continue
		}
		s.refusals = 0
		if !text {
			s.sendError("", errcode.BadMessage) // only JSON text frames are messages
			continue
		}
		if err := s.dispatch(ctx, data); errors.Is(err, errDone) {
			return
		}
	}
}

// readMessage reads one frame and says whether it is text. Binary frames
// count against the rate limit like any message and are refused. A frame
// above the read limit makes the library close the connection with 1009
// (message too big); that ends this session only, as read does for a
// message above its type's limit.
func (s *Session) readMessage(ctx context.Context) (data []byte, text bool, err error) {
	typ, data, err := s.conn.Read(ctx)
	if err != nil {
		if websocket.CloseStatus(err) == websocket.StatusMessageTooBig {
			s.log.Info("message too large; session closed")
		}
		return nil, false, err
	}
	return data, typ == websocket.MessageText, nil
}

func (s *Session) dispatch(ctx context.Context, data []byte) error {
	typ, msg, err := signalling.Decode(data)
	switch {
	case errors.Is(err, signalling.ErrUnknownType):
		s.sendError(typ, errcode.UnknownMessage)
		return nil
	case err != nil:
		s.sendError(typ, errcode.BadMessage)
		return nil
	case typ == signalling.TypeHello:
		s.sendError(typ, errcode.NotAllowedNow)
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, commandTimout)
	defer cancel()
	err = handlers[typ](s, cctx, msg)
	if err != nil && !errors.Is(err, errDone) {
		code := errcode.Of(err)
		if code == errcode.Internal {
			s.log.Error("handling message", "type", typ, "err", err)
		}
		s.sendError(typ, code)
	}
	return err
}

// hello reads and checks the first message and places the session in its room.
func (s *Session) hello(ctx context.Context) bool {
	hctx, cancel := context.WithTimeout(ctx, helloTimeout)
	data, text, err := s.readMessage(hctx)
	cancel()
	if err != nil {
		return false
	}
	typ, msg, err := signalling.Decode(data)
	h, ok := msg.(*signalling.Hello)
	switch {
	case !text || err != nil || typ != signalling.TypeHello || !ok:
		return s.refuse(typ, errcode.BadMessage)
	case h.Version != signalling.Version:
		return s.refuse(typ, errcode.UnsupportedVersion)
	}
	mt, identity, err := s.deps.Identify(ctx, h)
	if err != nil {
		return s.refuse(typ, errcode.Of(err))
	}
	r, joined, err := s.deps.Rooms.Join(ctx, mt, identity, s.id, s)
	if err != nil {
		code := errcode.Of(err)
		if identity.Invitation != "" && code == errcode.MeetingEnded {
			code = errcode.InvitationInvalid // an ended meeting's link looks like any invalid link
		}
		return s.refuse(typ, code)
	}
	s.room, s.participant = r, joined.Participant
	s.log = s.log.With("meeting_id", string(mt.ID), "participant_id", string(joined.Participant))
	s.log.Info("session joined", "role", joined.Role.String(), "admission", joined.Admission.String())
	return true
}

func (s *Session) refuse(ref string, code errcode.Code) bool {
	s.log.Info("hello refused", "code", string(code))
	s.Close(code, signalling.Error{Type: signalling.TypeError, Code: string(code), Message: errcode.Message(code), Ref: ref})
	return false
}

func (s *Session) onAdmit(ctx context.Context, msg any) error {
	return s.room.Admit(ctx, s.participant, meeting.ParticipantID(msg.(*signalling.Admit).Participant))
}

func (s *Session) onDeny(ctx context.Context, msg any) error {
	return s.room.Deny(ctx, s.participant, meeting.ParticipantID(msg.(*signalling.Deny).Participant))
}

func (s *Session) onEnd(ctx context.Context, _ any) error {
	return s.room.End(ctx, s.participant)
}

func (s *Session) onLeave(ctx context.Context, _ any) error {
	if err := s.room.Leave(ctx, s.participant, s.id); err != nil {
		return err
	}
	s.left = true
	s.Close(errcode.ParticipantLeft, nil)
	return errDone
}

func (s *Session) onMedia(ctx context.Context, msg any) error {
	m := msg.(*signalling.Media)
	return s.room.SetMedia(ctx, s.participant, m.Audio, m.Video)
}

// mediaPeer returns the session's peer, which exists only while the room lets
// this participant use media.
func (s *Session) mediaPeer() (*sfu.Peer, error) {
	p := s.peer.Load()
	if p == nil {
		return nil, errcode.New(errcode.NotAllowedNow)
	}
	return p, nil
}

func (s *Session) onPublish(_ context.Context, msg any) error {
	p, err := s.mediaPeer()
	if err != nil {
		return err
	}
	answer, err := p.Publish(msg.(*signalling.Publish).SDP, msg.(*signalling.Publish).ScreenMID)
	if err != nil {
		s.log.Info("publish negotiation failed", "err", err)
		return errcode.Wrap(errcode.NegotiationFailed, err)
	}
	s.Send(signalling.Answer{Type: signalling.TypeAnswer, SDP: answer})
	return nil
}

func (s *Session) onSubscribed(_ context.Context, msg any) error {
	p, err := s.mediaPeer()
	if err != nil {
		return err
	}
	if err := p.SubscribeAnswer(msg.(*signalling.Subscribed).SDP); err != nil {
		s.log.Info("subscribe negotiation failed", "err", err)
		return errcode.Wrap(errcode.NegotiationFailed, err)
	}
	return nil
}

func (s *Session) onCandidate(_ context.Context, msg any) error {
	c := msg.(*signalling.Candidate)
	var target sfu.Target
	switch c.Target {
	case signalling.TargetPublish:
		target = sfu.TargetPublish
	case signalling.TargetSubscribe:
		target = sfu.TargetSubscribe
	default:
		return errcode.New(errcode.BadMessage)
	}
	p, err := s.mediaPeer()
	if err != nil {
		return err
	}
	init := webrtc.ICECandidateInit{
		Candidate: c.Candidate.Candidate, SDPMid: c.Candidate.SDPMid,
		SDPMLineIndex: c.Candidate.SDPMLineIndex, UsernameFragment: c.Candidate.UsernameFragment,
	}
	if err := p.AddCandidate(target, init); err != nil {
		return errcode.Wrap(errcode.BadMessage, err)
	}
	return nil
}
