// Package signalling defines safemeet's wire protocol: the JSON messages a browser
// session and the server exchange over one WebSocket. docs/protocol.md documents
// each message; keep the two in step.
//
// Every message is a JSON object with a "type". Client messages are decoded with
// Decode, which refuses unknown types, unknown fields and oversized input.
package signalling

import (
	"encoding/json"

	"safemeet/internal/policy"
)

// Version is the protocol version spoken by this server.
const Version = 1

// Client → server message types.
const (
	TypeHello      = "hello"
	TypeAdmit      = "admit"
	TypeDeny       = "deny"
	TypeEnd        = "end"
	TypeLeave      = "leave"
	TypeMedia      = "media"
	TypePublish    = "publish"
	TypeSubscribed = "subscribed"
	TypeCandidate  = "candidate" // both directions

	// Host controls.
	TypeAdmitAll  = "admit_all"
	TypeLock      = "lock"
	TypeRemove    = "remove"
	TypeSendBack  = "send_back"
	TypeMute      = "mute"
	TypeCoHost    = "cohost"
	TypeSuspend   = "suspend"
	TypeRules     = "rules"
	TypeStopShare = "stop_share"
	TypeAskUnmute = "ask_unmute"

	// A participant's own media and name.
	TypeShare  = "share"
	TypeUnmute = "unmute"
	TypeRename = "rename"

	// Chat, reactions and raised hands.
	TypeChatSend   = "chat_send"
	TypeChatDelete = "chat_delete" // host, co-host
	TypeChatBlock  = "chat_block"  // host, co-host
	TypeChatClear  = "chat_clear"  // host, co-host
	TypeReact      = "react"
	TypeHand       = "hand"
	TypeLowerHand  = "lower_hand" // host, co-host
)

// Server → client message types.
const (
	TypeWelcome     = "welcome"
	TypeAdmission   = "admission"
	TypeRoster      = "roster"
	TypeParticipant = "participant"
	TypeGone        = "gone"
	TypeWaiting     = "waiting"
	TypeAnswer      = "answer"
	TypeOffer       = "offer"
	TypeNotice      = "notice"
	TypeEnded       = "ended"
	TypeError       = "error"
	TypeRoomState   = "room"
	TypeUnmuteAsk   = "unmute_request"
	TypeChat        = "chat"
	TypeChatHistory = "chat_history"
	TypeChatDeleted = "chat_deleted"
	TypeChatCleared = "chat_cleared"
	TypeChatBlocked = "chat_blocked"
	TypeReaction    = "reaction"
	TypeHands       = "hands"
)

// Hello is the first message of every session. Guests send Invite (their
// invitation token); staff send Meeting and are identified by their login cookie.
type Hello struct {
	Type    string `json:"type"`
	Version int    `json:"version"`
	Invite  string `json:"invite,omitempty"`
	Meeting string `json:"meeting,omitempty"`
}

// Admit asks to let a waiting participant into the room (host only).
type Admit struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// Deny asks to refuse a waiting participant (host only).
type Deny struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// End asks to end the meeting for everyone (host only).
type End struct {
	Type string `json:"type"`
}

// Leave says the sender is leaving the room; their session then closes.
type Leave struct {
	Type string `json:"type"`
}

// Media reports whether the sender's microphone and camera are on.
type Media struct {
	Type  string `json:"type"`
	Audio bool   `json:"audio"`
	Video bool   `json:"video"`
}

// Publish carries the SDP offer of the sender's publishing peer connection.
type Publish struct {
	Type string `json:"type"`
	SDP  string `json:"sdp"`
	// ScreenMID names the offer's media section that carries a screen share,
	// if any. The server forwards it only while the sender may share.
	ScreenMID string `json:"screen_mid,omitempty"`
}

// Subscribed carries the SDP answer to the server's latest subscribe Offer.
type Subscribed struct {
	Type string `json:"type"`
	SDP  string `json:"sdp"`
}

// Target names one of a session's two peer connections.
const (
	TargetPublish   = "publish"
	TargetSubscribe = "subscribe"
)

// ICECandidate mirrors the browser's RTCIceCandidateInit.
type ICECandidate struct {
	Candidate        string  `json:"candidate"`
	SDPMid           *string `json:"sdpMid,omitempty"`
	SDPMLineIndex    *uint16 `json:"sdpMLineIndex,omitempty"`
	UsernameFragment *string `json:"usernameFragment,omitempty"`
}

// Candidate trickles one ICE candidate for the Target peer connection.
type Candidate struct {
	Type      string       `json:"type"`
	Target    string       `json:"target"`
	Candidate ICECandidate `json:"candidate"`
}

// Welcome answers Hello: who the server says the sender is.
type Welcome struct {
	Type        string `json:"type"`
	Version     int    `json:"version"`
	Session     string `json:"session"`
	Participant string `json:"participant"`
	Name        string `json:"name"`
	RoleLabel   string `json:"roleLabel"`
	Role        string `json:"role"`
	Admission   string `json:"admission"`
	Meeting     string `json:"meeting"` // the meeting's title
	// Contract is the participation contract, for an invitee, when the
	// meeting's profile has one.
	Contract *ContractOffer `json:"contract,omitempty"`
}

// Admission tells a participant their own admission state changed.
type Admission struct {
	Type      string `json:"type"`
	Admission string `json:"admission"`
	Code      string `json:"code,omitempty"`
	Message   string `json:"message,omitempty"`
	// Muted asks the client to start with its microphone and camera off
	// (the profile's "muted on entry").
	Muted bool `json:"muted,omitempty"`
}

// Person is one admitted participant as others see them. Role comes from the
// server, never from anything the participant typed.
type Person struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	RoleLabel string `json:"roleLabel"`
	Role      string `json:"role"`
	Audio     bool   `json:"audio"`
	Video     bool   `json:"video"`
	// AudioBlocked and VideoBlocked say a host has stopped this person's
	// microphone or camera; the server forwards nothing of it until a host allows it.
	AudioBlocked bool `json:"audioBlocked,omitempty"`
	VideoBlocked bool `json:"videoBlocked,omitempty"`
	// AudioHeld and VideoHeld say the person cannot lift that block
	// themselves: they may unmute only when a host asks.
	AudioHeld bool `json:"audioHeld,omitempty"`
	VideoHeld bool `json:"videoHeld,omitempty"`
	// Screen says the server is forwarding this person's screen share.
	Screen bool `json:"screen,omitempty"`
	// InvitedName is the invitation's name when the person renamed
	// themselves; only hosts and co-hosts are sent it.
	InvitedName string `json:"invitedName,omitempty"`
}

// Roster is the full list of admitted participants, sent once on admission.
type Roster struct {
	Type         string   `json:"type"`
	Participants []Person `json:"participants"`
}

// ParticipantUpdate adds or updates one participant in the receiver's roster.
type ParticipantUpdate struct {
	Type        string `json:"type"`
	Participant Person `json:"participant"`
}

// Gone removes one participant from the receiver's roster.
type Gone struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// WaitingPerson is one person in the waiting room, as hosts see them.
type WaitingPerson struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	RoleLabel string `json:"roleLabel"`
	Since     string `json:"since"` // RFC 3339
	// ContractAccepted says whether they have accepted the participation
	// contract (only then may a host admit them); absent when no contract
	// applies to them.
	ContractAccepted *bool  `json:"contractAccepted,omitempty"`
	AgeGroup         string `json:"ageGroup,omitempty"` // "adult" or "under16" (invitees)
	// Consent: for an invitee under 16, the parent's or carer's consent.
	Consent *ConsentNote `json:"consent,omitempty"`
}

// Waiting is the full waiting list, sent to hosts whenever it changes.
type Waiting struct {
	Type         string          `json:"type"`
	Participants []WaitingPerson `json:"participants"`
}

// Answer is the server's SDP answer to a Publish offer.
type Answer struct {
	Type string `json:"type"`
	SDP  string `json:"sdp"`
}

// Offer is the server's SDP offer for the receiver's subscribing peer connection.
type Offer struct {
	Type string `json:"type"`
	SDP  string `json:"sdp"`
}

// Notice tells hosts something they should know (e.g. someone tried to reuse an
// invitation). Participant names whom it concerns, if anyone.
type Notice struct {
	Type        string `json:"type"`
	Code        string `json:"code"`
	Message     string `json:"message"`
	Participant string `json:"participant,omitempty"`
}

// Ended says the meeting is over; the server closes the session after it.
type Ended struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error refuses a client message (Ref names its type). Nothing happened.
type Error struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Ref     string `json:"ref,omitempty"`
}

// AdmitAll lets everyone in the waiting room in (host or co-host).
type AdmitAll struct {
	Type string `json:"type"`
}

// Lock locks or unlocks the meeting (host or co-host). A locked meeting lets
// nobody new reach the waiting room.
type Lock struct {
	Type   string `json:"type"`
	Locked bool   `json:"locked"`
}

// Remove takes a participant out of the meeting and revokes their invitation
// (host, or co-host for non-hosts).
type Remove struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// SendBack returns an admitted participant to the waiting room (host or co-host).
type SendBack struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// Mute stops (Muted true) or allows again (false) the forwarding of one
// participant's microphone ("audio") or camera ("video"), whatever their
// browser does. An empty Participant means every participant but the hosts.
type Mute struct {
	Type        string `json:"type"`
	Participant string `json:"participant,omitempty"`
	Kind        string `json:"kind"`
	Muted       bool   `json:"muted"`
	// Hold forbids the participant to unmute themselves until a host asks.
	Hold bool `json:"hold,omitempty"`
}

// CoHost makes (On true) or unmakes a participant a co-host (host only).
type CoHost struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
	On          bool   `json:"on"`
}

// Suspend is the incident button (host only): it stops every other
// participant's microphone and camera and locks the meeting.
type Suspend struct {
	Type string `json:"type"`
}

// RoomState tells admitted participants the meeting-wide state: whether it is
// locked, and the safeguarding rules it runs under now.
type RoomState struct {
	Type   string       `json:"type"`
	Locked bool         `json:"locked"`
	Rules  policy.Rules `json:"rules"`
}

// Rules makes the running meeting's rules stricter (host only). Every rule
// must be present; none may be looser than the meeting's profile.
type Rules struct {
	Type  string          `json:"type"`
	Rules json.RawMessage `json:"rules"`
}

// Share starts (On true) or stops the sender's own screen share. The sender
// then publishes the screen in the section named by Publish.ScreenMID.
type Share struct {
	Type string `json:"type"`
	On   bool   `json:"on"`
}

// StopShare stops a participant's screen share (host, or co-host for participants).
type StopShare struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
}

// AskUnmute asks a participant to turn their microphone ("audio") or camera
// ("video") back on (host or co-host). The participant chooses.
type AskUnmute struct {
	Type        string `json:"type"`
	Participant string `json:"participant"`
	Kind        string `json:"kind"`
}

// Unmute is a participant lifting a host's mute of their own microphone or
// camera: allowed when the profile lets participants unmute themselves and the
// host did not forbid it, or when a host has asked them to.
type Unmute struct {
	Type string `json:"type"`
	Kind string `json:"kind"`
}

// Rename asks to change the sender's display name, where the profile allows it.
type Rename struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// UnmuteRequest tells a participant that a host asks them to unmute.
type UnmuteRequest struct {
	Type string `json:"type"`
	Kind string `json:"kind"`
	By   string `json:"by"` // the asking host's name
}
