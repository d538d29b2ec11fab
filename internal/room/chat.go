package room

import (
	"context"
	"strconv"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/chat"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/signalling"
	"safemeet/internal/store"
)

// Reactions are limited apart from chat messages: a burst of applause is fine,
// a flood is not.
const (
	reactionRate   = 10
	reactionWindow = 5 * time.Second
)

// SendChat posts a chat message to everyone, to the hosts (every host and
// co-host), or directly to one participant where the rules allow (and then
// the hosts see it too). Waiting people never see chat. The text is not
// written to the audit log; a direct message's sender and recipient are.
func (r *Room) SendChat(ctx context.Context, actor meeting.ParticipantID, to, text string) error {
	return r.command(ctx, actor, policy.ActionChat, "", func(a, _ *participant) error {
		if a.chatBlocked {
			return errcode.New(errcode.ChatBlocked)
		}
		audience, toID := chat.ParseTo(to)
		if err := chat.CheckAudience(audience, r.rules.DirectMessages); err != nil {
			return err
		}
		var target *participant
		if audience == chat.Direct {
			target = r.participants[toID]
			if target == a {
				return errcode.New(errcode.ChatInvalid)
			}
			if target == nil || !target.admitted() || !target.connected() {
				return errcode.New(errcode.NoSuchParticipant)
			}
		}
		clean, err := chat.Clean(text)
		if err != nil {
			return err
		}
		if !r.chatLimit.Allow(a.id, r.now()) {
			return errcode.New(errcode.ChatSlowDown)
		}
		m := chat.Message{From: a.id, FromName: a.name(), FromRole: a.role, Audience: audience, Text: clean, At: r.now()}
		rec := store.ChatRecord{Meeting: r.meeting.ID, Sender: a.identity.Actor(), SenderName: a.name(), Audience: audience.String(), Text: clean, At: m.At}
		if target != nil {
			m.To, m.ToName = target.id, target.name()
			rec.Recipient, rec.RecipientName = target.identity.Actor(), target.name()
			if err := r.record("chat.direct", a.identity.Actor(), target.subject(), audit.Allowed, nil); err != nil {
				return err
			}
		}
		// A message the record cannot keep is not sent.
		sctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := r.deps.Store.RecordChat(sctx, rec); err != nil {
			return errcode.Wrap(errcode.Internal, err)
		}
		m = r.chat.Add(m)
		wire := signalling.Chat{Type: signalling.TypeChat, Message: r.wireChat(m)}
		for _, id := range r.order {
			if q := r.participants[id]; q.admitted() && chat.CanSee(viewer(q), m) {
				q.send(wire)
			}
		}
		return nil
	})
}

// DeleteChat removes a message for everyone (host, co-host); its author is told.
func (r *Room) DeleteChat(ctx context.Context, actor meeting.ParticipantID, id uint64) error {
	return r.command(ctx, actor, policy.ActionModerateChat, "", func(a, _ *participant) error {
		m, ok := r.chat.Find(id)
		if !ok {
			return errcode.New(errcode.NotFound)
		}
		if err := r.record("chat.delete", a.identity.Actor(), "participant:"+string(m.From), audit.Allowed, map[string]string{"message": strconv.FormatUint(id, 10)}); err != nil {
			return err
		}
		r.chat.Delete(id)
		for _, pid := range r.order {
			if q := r.participants[pid]; q.admitted() && chat.CanSee(viewer(q), m) {
				q.send(signalling.ChatDeleted{Type: signalling.TypeChatDeleted, Message: id})
			}
		}
		if author := r.participants[m.From]; author != nil && author != a {
			author.send(signalling.Notice{Type: signalling.TypeNotice, Code: "chat_deleted", Message: "A host removed one of your chat messages."})
		}
		return nil
	})
}

// ClearChat removes every message for everyone (host, co-host).
func (r *Room) ClearChat(ctx context.Context, actor meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionModerateChat, "", func(a, _ *participant) error {
		if err := r.record("chat.clear", a.identity.Actor(), r.subject(), audit.Allowed, nil); err != nil {
			return err
		}
		r.chat.Clear()
		r.broadcastAll(signalling.ChatCleared{Type: signalling.TypeChatCleared})
		return nil
	})
}

// BlockChat stops (or lets again) a participant post; they and the hosts are told.
func (r *Room) BlockChat(ctx context.Context, actor, target meeting.ParticipantID, blocked bool) error {
	return r.command(ctx, actor, policy.ActionChatBlock, target, func(a, t *participant) error {
		return r.blockChat(a, t, blocked)
	})
}

func (r *Room) blockChat(a, t *participant, blocked bool) error {
	if t.chatBlocked == blocked {
		return nil
	}
	if err := r.record("chat.block", a.identity.Actor(), t.subject(), audit.Allowed, map[string]string{"blocked": strconv.FormatBool(blocked)}); err != nil {
		return err
	}
	t.chatBlocked = blocked
	msg := signalling.ChatBlocked{Type: signalling.TypeChatBlocked, Participant: string(t.id), Blocked: blocked}
	t.send(msg)
	for _, id := range r.order {
		if q := r.participants[id]; q != t && q.admitted() && q.role.IsHost() {
			q.send(msg)
		}
	}
	return nil
}

// React shows the actor's reaction to everyone in the room.
func (r *Room) React(ctx context.Context, actor meeting.ParticipantID, reaction string) error {
	return r.command(ctx, actor, policy.ActionReact, "", func(a, _ *participant) error {
		re, ok := chat.ParseReaction(reaction)
		if !ok {
			return errcode.New(errcode.BadMessage)
		}
		if a.chatBlocked {
			return errcode.New(errcode.ChatBlocked)
		}
		if !r.reactLimit.Allow(a.id, r.now()) {
			return errcode.New(errcode.ChatSlowDown)
		}
		r.broadcastAll(signalling.Reaction{Type: signalling.TypeReaction, Participant: string(a.id), Reaction: string(re)})
		return nil
	})
}

// RaiseHand raises or lowers the actor's own hand.
func (r *Room) RaiseHand(ctx context.Context, actor meeting.ParticipantID, raised bool) error {
	return r.command(ctx, actor, policy.ActionHand, "", func(a, _ *participant) error {
		if raised {
			r.hands.Raise(a.id)
		} else {
			r.hands.Lower(a.id)
		}
		// Everyone gets the queue, changed or not, so the sender's button
		// always hears back.
		r.broadcastAll(r.handsMessage())
		return nil
	})
}

// LowerHand lowers someone's hand (host, co-host).
func (r *Room) LowerHand(ctx context.Context, actor, target meeting.ParticipantID) error {
	return r.command(ctx, actor, policy.ActionLowerHand, target, func(a, t *participant) error {
		r.hands.Lower(t.id)
		r.broadcastAll(r.handsMessage())
		return nil
	})
}

// leaveChat takes p out of the raised-hand queue as they leave the room.
func (r *Room) leaveChat(p *participant) {
	if r.hands.Lower(p.id) {
		r.broadcastAll(r.handsMessage())
	}
}

// sendChatState brings p's chat up to date as they enter the room (or their
// role changes what they may see): the history the rules let them see, who
// may not post, and the hands. Hosts always get the whole history.
func (r *Room) sendChatState(p *participant) {
	var since time.Time
	if r.rules.ChatHistory == policy.HistoryFromJoin && !p.role.IsHost() {
		since = p.firstAdmitted
	}
	history := signalling.ChatHistory{Type: signalling.TypeChatHistory, Messages: []signalling.ChatMessage{}}
	for _, m := range r.chat.Visible(viewer(p), since) {
		history.Messages = append(history.Messages, r.wireChat(m))
	}
	for _, id := range r.order {
		if q := r.participants[id]; q.chatBlocked && (q == p || p.role.IsHost()) {
			history.Blocked = append(history.Blocked, string(q.id))
		}
	}
	p.send(history)
	p.send(r.handsMessage())
}

func (r *Room) handsMessage() signalling.Hands {
	h := signalling.Hands{Type: signalling.TypeHands, Queue: []string{}}
	for _, id := range r.hands.Queue() {
		h.Queue = append(h.Queue, string(id))
	}
	return h
}

// wireChat is m as sent: links are marked only where the rules make them
// clickable; otherwise the client has nothing to make a link of.
func (r *Room) wireChat(m chat.Message) signalling.ChatMessage {
	w := signalling.ChatMessage{
		ID: m.ID, From: string(m.From), FromName: m.FromName, FromRole: m.FromRole.String(), To: m.Audience.String(),
		ToParticipant: string(m.To), ToName: m.ToName, Text: m.Text, At: m.At.Format(time.RFC3339),
	}
	if r.rules.ChatLinks == policy.LinksClickable {
		w.Links = chat.Links(m.Text)
	}
	return w
}

func viewer(p *participant) chat.Viewer { return chat.Viewer{ID: p.id, Host: p.role.IsHost()} }
