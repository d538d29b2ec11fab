package webrtctest

import (
	"safemeet/internal/signalling"
	"slices"
)

// admitted is the admission state in which media and the roster flow.
const admitted = "admitted"

// handler handles one server message type.
type handler func(p *Participant, data []byte)

// handlers maps each server message type to its handler.
var handlers = map[string]handler{
	signalling.TypeWelcome:     decoded((*Participant).onWelcome),
	signalling.TypeAdmission:   decoded((*Participant).onAdmission),
	signalling.TypeRoster:      decoded((*Participant).onRoster),
	signalling.TypeParticipant: decoded((*Participant).onParticipant),
	signalling.TypeGone:        decoded((*Participant).onGone),
	signalling.TypeWaiting:     decoded((*Participant).onWaiting),
	signalling.TypeAnswer:      decoded((*Participant).onAnswer),
	signalling.TypeOffer:       decoded((*Participant).onOffer),
	signalling.TypeCandidate:   decoded((*Participant).onCandidate),
	signalling.TypeNotice:      decoded((*Participant).onNotice),
	signalling.TypeEnded:       decoded((*Participant).onEnded),
	signalling.TypeError:       decoded((*Participant).onError),
	signalling.TypeRoomState:   decoded((*Participant).onRoomState),
	signalling.TypeContract:    decoded((*Participant).onContract),
	signalling.TypeUnmuteAsk:   decoded((*Participant).onUnmuteRequest),
	signalling.TypeChat:        decoded((*Participant).onChat),
	signalling.TypeChatHistory: decoded((*Participant).onChatHistory),
	signalling.TypeChatDeleted: decoded((*Participant).onChatDeleted),
	signalling.TypeChatCleared: decoded((*Participant).onChatCleared),
	signalling.TypeChatBlocked: decoded((*Participant).onChatBlocked),
	signalling.TypeReaction:    decoded((*Participant).onReaction),
	signalling.TypeHands:       decoded((*Participant).onHands),
}

// decoded adapts a handler of one message struct to a handler of raw JSON.
// Messages that do not decode strictly are recorded as problems.
func decoded[T any](fn func(*Participant, *T)) handler {
	return func(p *Participant, data []byte) {
		var msg T
		if err := decodeStrict(data, &msg); err != nil {
			p.problem("%v: %s", err, truncate(data))
			return
		}
		fn(p, &msg)
	}
}

// dispatch hands one message to its handler.
func (p *Participant) dispatch(data []byte) {
	typ, err := messageType(data)
	if err != nil {
		p.problem("%v", err)
		return
	}
	h, ok := handlers[typ]
	if !ok {
		p.problem("unknown message type %q", typ)
		return
	}
	if len(data) > signalling.MaxMessageSize && typ != signalling.TypeOffer {
		// Only subscribe offers may be larger (MaxDescriptionSize, the
		// connection's read limit): a server bug, though still handled.
		p.problem("%s of %d bytes, above the protocol's %d", typ, len(data), signalling.MaxMessageSize)
	}
	p.log.Debug("received", "type", typ)
	h(p, data)
}

// requireAdmitted records a problem if a message that only admitted
// participants may receive arrives while this one is not admitted.
func (p *Participant) requireAdmitted(typ string) {
	if adm := p.Admission(); adm != admitted {
		p.problem("received %s while %s", typ, adm)
	}
}

func (p *Participant) onWelcome(*signalling.Welcome) {
	p.problem("second welcome")
}

func (p *Participant) onContract(m *signalling.Contract) {
	p.mu.Lock()
	p.contractAccepted = m.Accepted
	p.mu.Unlock()
}

func (p *Participant) onAdmission(m *signalling.Admission) {
	p.mu.Lock()
	prev := p.admission
	p.admission = m.Admission
	if m.Admission != admitted {
		clear(p.roster) // out of the room: nothing of it stays in view
	}
	p.mu.Unlock()
	switch {
	case m.Admission == admitted && prev != admitted:
		p.do(p.media.startPublishing)
	case m.Admission != admitted && prev == admitted:
		p.do(p.media.stop)
	}
}

func (p *Participant) onRoster(m *signalling.Roster) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.roster)
	for _, person := range m.Participants {
		p.roster[person.ID] = person
	}
}

func (p *Participant) onParticipant(m *signalling.ParticipantUpdate) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.roster[m.Participant.ID] = m.Participant
	if m.Participant.ID == p.welcome.Participant {
		p.role = m.Participant.Role
	}
}

func (p *Participant) onRoomState(m *signalling.RoomState) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.locked = m.Locked
	p.rules = m.Rules
}

func (p *Participant) onUnmuteRequest(m *signalling.UnmuteRequest) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unmuteAsks = append(p.unmuteAsks, *m)
}

func (p *Participant) onGone(m *signalling.Gone) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.roster, m.Participant)
}

func (p *Participant) onWaiting(m *signalling.Waiting) {
	if role := p.Role(); role != "host" && role != "co-host" {
		p.problem("received waiting list as %q", role)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting = m.Participants
}

func (p *Participant) onAnswer(m *signalling.Answer) {
	p.requireAdmitted(m.Type)
	p.do(func() { p.media.applyAnswer(m.SDP) })
}

func (p *Participant) onOffer(m *signalling.Offer) {
	p.requireAdmitted(m.Type)
	p.do(func() { p.media.answerOffer(m.SDP) })
}

func (p *Participant) onCandidate(m *signalling.Candidate) {
	p.do(func() { p.media.addRemoteCandidate(m.Target, m.Candidate) })
}

func (p *Participant) onNotice(m *signalling.Notice) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notices = append(p.notices, *m)
}

func (p *Participant) onEnded(m *signalling.Ended) {
	p.mu.Lock()
	p.ended = m
	p.mu.Unlock()
	p.do(p.media.stop)
}

func (p *Participant) onError(m *signalling.Error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, *m)
}

// truncate shortens a message for a problem report.
func truncate(data []byte) string {
	const max = 200
	if len(data) > max {
		return string(data[:max]) + "…"
	}
	return string(data)
}

func (p *Participant) onChat(m *signalling.Chat) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chat = append(p.chat, m.Message)
	p.chatReceived++
}

func (p *Participant) onChatHistory(m *signalling.ChatHistory) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chat = append([]signalling.ChatMessage(nil), m.Messages...)
	p.chatReceived += len(m.Messages)
	p.chatBlocked = slices.Contains(m.Blocked, p.welcome.Participant)
}

func (p *Participant) onChatDeleted(m *signalling.ChatDeleted) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chat = slices.DeleteFunc(p.chat, func(c signalling.ChatMessage) bool { return c.ID == m.Message })
}

func (p *Participant) onChatCleared(m *signalling.ChatCleared) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chat = nil
}

func (p *Participant) onChatBlocked(m *signalling.ChatBlocked) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	if m.Participant == p.welcome.Participant {
		p.chatBlocked = m.Blocked
	}
}

func (p *Participant) onReaction(m *signalling.Reaction) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reactions = append(p.reactions, *m)
}

func (p *Participant) onHands(m *signalling.Hands) {
	p.requireAdmitted(m.Type)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hands = append([]string(nil), m.Queue...)
}
