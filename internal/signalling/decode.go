package signalling

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// MaxMessageSize is the largest message either side may send, in bytes,
// except the subscribe descriptions (MaxDescriptionSize).
const MaxMessageSize = 64 << 10

// MaxDescriptionSize is the largest subscribe description (subscribed from
// clients, offer from the server), in bytes. A description grows by about
// 600 bytes per track, and a meeting of 100 people with their cameras on has
// 200 tracks: about 120 KB. A publish description has at most a few tracks
// and keeps to MaxMessageSize.
const MaxDescriptionSize = 1 << 20

// Errors returned by Decode.
var (
	ErrTooLarge    = errors.New("message too large")
	ErrMalformed   = errors.New("malformed message")
	ErrUnknownType = errors.New("unknown message type")
)

// clientMessages makes an empty value for each client message type.
var clientMessages = map[string]func() any{
	TypeHello:      func() any { return &Hello{} },
	TypeAdmit:      func() any { return &Admit{} },
	TypeDeny:       func() any { return &Deny{} },
	TypeEnd:        func() any { return &End{} },
	TypeLeave:      func() any { return &Leave{} },
	TypeMedia:      func() any { return &Media{} },
	TypePublish:    func() any { return &Publish{} },
	TypeSubscribed: func() any { return &Subscribed{} },
	TypeCandidate:  func() any { return &Candidate{} },
	TypeAdmitAll:   func() any { return &AdmitAll{} },
	TypeLock:       func() any { return &Lock{} },
	TypeRemove:     func() any { return &Remove{} },
	TypeSendBack:   func() any { return &SendBack{} },
	TypeMute:       func() any { return &Mute{} },
	TypeCoHost:     func() any { return &CoHost{} },
	TypeSuspend:    func() any { return &Suspend{} },
	TypeRules:      func() any { return &Rules{} },
	TypeStopShare:  func() any { return &StopShare{} },
	TypeAskUnmute:  func() any { return &AskUnmute{} },
	TypeShare:      func() any { return &Share{} },
	TypeUnmute:     func() any { return &Unmute{} },
	TypeRename:     func() any { return &Rename{} },
	TypeChatSend:   func() any { return &ChatSend{} },
	TypeChatDelete: func() any { return &ChatDelete{} },
	TypeChatBlock:  func() any { return &ChatBlock{} },
	TypeChatClear:  func() any { return &ChatClear{} },
	TypeReact:      func() any { return &React{} },
	TypeHand:       func() any { return &Hand{} },
	TypeLowerHand:  func() any { return &LowerHand{} },

	TypeAcceptContract: func() any { return &AcceptContract{} },
	TypeConcern:        func() any { return &Concern{} },
}

// ClientTypes returns every client message type, sorted.
func ClientTypes() []string {
	types := make([]string, 0, len(clientMessages))
	for t := range clientMessages {
		types = append(types, t)
	}
	slices.Sort(types)
	return types
}

// CheckSize returns ErrTooLarge for a client message above its type's limit:
// MaxDescriptionSize for subscribed (a subscribe answer, which grows with
// the meeting), MaxMessageSize for every other type.
func CheckSize(data []byte) error {
	if len(data) <= MaxMessageSize {
		return nil
	}
	if len(data) > MaxDescriptionSize {
		return ErrTooLarge
	}
	if typ, err := messageType(data); err != nil || typ != TypeSubscribed {
		return ErrTooLarge
	}
	return nil
}

// messageType reads a message's "type".
func messageType(data []byte) (string, error) {
	var head struct {
		Type string `json:"type"`
	}
	err := json.Unmarshal(data, &head)
	return head.Type, err
}

// Decode parses one client message. It returns the message's type (when it could
// be read) and a pointer to its struct, e.g. *Hello.
func Decode(data []byte) (string, any, error) {
	if err := CheckSize(data); err != nil {
		return "", nil, err
	}
	typ, err := messageType(data)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	mk, ok := clientMessages[typ]
	if !ok {
		return typ, nil, ErrUnknownType
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD; refuse it.
	if !utf8.Valid(data) {
		return typ, nil, fmt.Errorf("%w: invalid UTF-8", ErrMalformed)
	}
	msg := mk()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(msg); err != nil {
		return typ, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return typ, nil, fmt.Errorf("%w: trailing data", ErrMalformed)
	}
	return typ, msg, nil
}
