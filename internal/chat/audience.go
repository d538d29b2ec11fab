package chat

import (
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// Audience is who a message is for.
type Audience int

// Audiences. The zero value is AudienceUnknown, which no message may have.
const (
	AudienceUnknown Audience = iota
	// Everyone: everyone admitted to the room.
	Everyone
	// Hosts: every host and co-host, and the sender. Never a private line to one
	// member of staff.
	Hosts
	// Direct: one participant, and also every host and co-host, so nothing
	// between two people is unobserved. Allowed only when the profile's
	// DirectMessages is "observed".
	Direct
)

// String returns the audience as the wire names it: "everyone", "hosts",
// "direct" (or "unknown").
func (a Audience) String() string {
	switch a {
	case Everyone:
		return "everyone"
	case Hosts:
		return "hosts"
	case Direct:
		return "direct"
	default:
		return "unknown"
	}
}

// MarshalText encodes the audience as its String, for JSON.
func (a Audience) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// ParseTo reads a chat_send message's "to": "everyone", "hosts", or a
// participant's ID (a direct message to them). It returns AudienceUnknown for
// an empty to. Whether the participant exists, is admitted and is not the
// sender is for the room to check.
func ParseTo(to string) (Audience, meeting.ParticipantID) {
	switch to {
	case "":
		return AudienceUnknown, ""
	case "everyone":
		return Everyone, ""
	case "hosts":
		return Hosts, ""
	default:
		return Direct, meeting.ParticipantID(to)
	}
}

// CheckAudience returns nil if a message may go to a under the meeting's
// direct-message rule: ChatInvalid for an unknown audience, DirectMessagesOff for
// a direct message unless the rule is policy.DirectObserved.
func CheckAudience(a Audience, rule policy.DirectMessages) error {
	switch a {
	case Everyone, Hosts:
		return nil
	case Direct:
		if rule == policy.DirectObserved {
			return nil
		}
		return errcode.New(errcode.DirectMessagesOff)
	default:
		return errcode.New(errcode.ChatInvalid)
	}
}

// Message is one chat message.
type Message struct {
	// ID is given by Log.Add: increasing within a room, never reused.
	ID       uint64
	From     meeting.ParticipantID
	FromName string
	// FromRole is the sender's role when they sent it, so readers can tell staff
	// from others (the name alone proves nothing).
	FromRole meeting.Role
	Audience Audience
	// To and ToName name the recipient of a Direct message; empty otherwise.
	To     meeting.ParticipantID
	ToName string
	// Text is the cleaned text (see Clean). It is never HTML.
	Text string
	At   time.Time
}

// Viewer is someone who may see messages.
type Viewer struct {
	ID meeting.ParticipantID
	// Host is true for the host and co-hosts, as they are now.
	Host bool
}

// CanSee reports whether v may see m: everyone sees messages to Everyone; the
// sender and every host and co-host see messages to Hosts; the sender, the
// recipient and every host and co-host see Direct messages. Use it both for the
// history and for delivering a new (or deleted) message live.
func CanSee(v Viewer, m Message) bool {
	switch m.Audience {
	case Everyone:
		return true
	case Hosts:
		return v.Host || v.ID == m.From
	case Direct:
		return v.Host || v.ID == m.From || v.ID == m.To
	default:
		return false
	}
}
