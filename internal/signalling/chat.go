package signalling

import "safemeet/internal/chat"

// Chat, reactions and raised hands. docs/protocol.md ("Chat, reactions and
// raised hands") documents each message.

// ChatSend posts a chat message To "everyone", "hosts" (every host and
// co-host) or one participant's ID (a direct message, where the rules allow:
// then also shown to every host and co-host). Text is plain text.
type ChatSend struct {
	Type string `json:"type"`
	To   string `json:"to"`
	Text string `json:"text"`
}

// ChatDelete removes a message for everyone (host, co-host).
type ChatDelete struct {
	Type    string `json:"type"`
	Message uint64 `json:"message"`
}

// ChatBlock stops (Blocked true) or lets again a participant post (host, co-host).
type ChatBlock struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
	Blocked     bool   `json:"blocked"`
}

// ChatClear removes every message for everyone (host, co-host).
type ChatClear struct {
	Type string `json:"type"`
}

// React shows a reaction briefly on the sender's tile.
type React struct {
	Type     string `json:"type"`
	Reaction string `json:"reaction"`
}

// Hand raises or lowers the sender's hand.
type Hand struct {
	Type   string `json:"type"`
	Raised bool   `json:"raised"`
}

// LowerHand lowers someone's hand (host, co-host).
type LowerHand struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// ChatMessage is one chat message as its readers see it. To is "everyone",
// "hosts" or "direct" (then ToParticipant and ToName say to whom). Links, sent
// only where the rules make links clickable, mark the links in Text (UTF-16
// offsets); the client shows everything else as plain text.
type ChatMessage struct {
	ID            uint64      `json:"id"`
	From          string      `json:"from"`
	FromName      string      `json:"from_name"`
	FromRole      string      `json:"from_role"` // the sender's role when they sent it
	To            string      `json:"to"`
	ToParticipant string      `json:"to_participant,omitempty"`
	ToName        string      `json:"to_name,omitempty"`
	Text          string      `json:"text"`
	Links         []chat.Link `json:"links,omitempty"`
	At            string      `json:"at"`
}

// Chat delivers one new message.
type Chat struct {
	Type    string      `json:"type"`
	Message ChatMessage `json:"message"`
}

// ChatHistory replaces the receiver's chat with the messages they may see,
// sent on entering the room.
type ChatHistory struct {
	Type     string        `json:"type"`
	Messages []ChatMessage `json:"messages"`
	// Blocked lists who may not post: everyone blocked, for hosts; the
	// receiver alone, if blocked, for anyone else.
	Blocked []string `json:"blocked,omitempty"`
}

// ChatDeleted removes one message.
type ChatDeleted struct {
	Type    string `json:"type"`
	Message uint64 `json:"message"`
}

// ChatCleared removes every message.
type ChatCleared struct {
	Type string `json:"type"`
}

// ChatBlocked tells hosts and the participant concerned that they may (not) post.
type ChatBlocked struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
	Blocked     bool   `json:"blocked"`
}

// Reaction shows a participant's reaction.
type Reaction struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
	Reaction    string `json:"reaction"`
}

// Hands is the raised-hand queue, in the order hands went up.
type Hands struct {
	Type  string   `json:"type"`
	Queue []string `json:"queue"`
}
