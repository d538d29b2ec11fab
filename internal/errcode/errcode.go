// Package errcode is safemeet's one error vocabulary: a stable machine code and a
// sentence a person understands, shared by HTTP, WebSocket and the audit log.
//
// Internal detail (wrapped causes) goes to the log; people see only Message.
package errcode

import (
	"errors"
	"net/http"
)

// Code is a stable, machine-readable error code. Codes never change meaning.
type Code string

// The codes. Keep docs/protocol.md in step with this list.
const (
	Internal            Code = "internal"
	BadRequest          Code = "bad_request"
	BadMessage          Code = "bad_message"
	MessageTooLarge     Code = "message_too_large"
	UnsupportedVersion  Code = "unsupported_version"
	UnknownMessage      Code = "unknown_message"
	NotSignedIn         Code = "not_signed_in"
	BadCredentials      Code = "bad_credentials"
	Forbidden           Code = "forbidden"
	NotFound            Code = "not_found"
	InvitationInvalid   Code = "invitation_invalid"
	InvitationInUse     Code = "invitation_in_use"
	MeetingEnded        Code = "meeting_ended"
	NotAllowedNow       Code = "not_allowed_now"
	NoSuchParticipant   Code = "no_such_participant"
	NotWaiting          Code = "not_waiting"
	Denied              Code = "denied"
	Removed             Code = "removed"
	MeetingLocked       Code = "meeting_locked"
	SentBack            Code = "sent_back"
	RateLimited         Code = "rate_limited"
	SlowConsumer        Code = "slow_consumer"
	BadOrigin           Code = "bad_origin"
	Conflict            Code = "conflict"
	Invalid             Code = "invalid"
	MediaFailed         Code = "media_failed"
	AuditUnavailable    Code = "audit_unavailable"
	SessionReplaced     Code = "session_replaced"
	MeetingNotStarted   Code = "meeting_not_started"
	LinkExpired         Code = "link_expired"
	ServerShuttingDown  Code = "server_shutting_down"
	ParticipantLeft     Code = "participant_left"
	HostRequired        Code = "host_required"
	AlreadyInMeeting    Code = "already_in_meeting"
	NegotiationFailed   Code = "negotiation_failed"
	TooManyParticipants Code = "too_many_participants"
	WouldLoosen         Code = "would_loosen"
	ShareNotAllowed     Code = "share_not_allowed"
	ShareBusy           Code = "share_busy"
	UnmuteNotAllowed    Code = "unmute_not_allowed"
	RenameNotAllowed    Code = "rename_not_allowed"
	NameInvalid         Code = "name_invalid"
	NameReserved        Code = "name_reserved"
	NameImpersonates    Code = "name_impersonates"
	ChatInvalid         Code = "chat_invalid"
	ChatTooLong         Code = "chat_too_long"
	ChatSlowDown        Code = "chat_slow_down"
	ChatBlocked         Code = "chat_blocked"
	DirectMessagesOff   Code = "direct_messages_off"
	OwnAccount          Code = "own_account"
	OwnMeeting          Code = "own_meeting"
	MeetingNotApproved  Code = "meeting_not_approved"
	NotPending          Code = "not_pending"
	MeetingRunning      Code = "meeting_running"
	InvitationNotOpen   Code = "invitation_not_open"
	InvitationClosed    Code = "invitation_closed"
	ConsentNeeded       Code = "consent_needed"
	ConsentClosed       Code = "consent_closed"
	ContractNotAccepted Code = "contract_not_accepted"
	ContractChanged     Code = "contract_changed"
	MailNotConfigured   Code = "mail_not_configured"
	AccountDisabled     Code = "account_disabled"
	SSONotConfigured    Code = "sso_not_configured"
	SSORefused          Code = "sso_refused"
	ConcernInvalid      Code = "concern_invalid"
	ApprovalStale       Code = "approval_stale"
)

// messages holds the fixed sentence for each code.
var messages = map[Code]string{
	Internal:            "Something went wrong on the server. Please try again.",
	BadRequest:          "The request could not be understood.",
	BadMessage:          "That message could not be understood and was ignored.",
	MessageTooLarge:     "That message was too large.",
	UnsupportedVersion:  "This page is out of date. Please reload it.",
	UnknownMessage:      "That kind of message is not supported.",
	NotSignedIn:         "Please sign in first.",
	BadCredentials:      "That email address and password do not match an account.",
	Forbidden:           "You are not allowed to do that.",
	NotFound:            "That could not be found.",
	InvitationInvalid:   "This invitation is not valid. Please ask the person who invited you for a new link.",
	InvitationInUse:     "This invitation is already in use in another window or browser. Each invitation lets one person in at a time.",
	MeetingEnded:        "This meeting has ended.",
	NotAllowedNow:       "You cannot do that at the moment.",
	NoSuchParticipant:   "That person is not in the meeting.",
	NotWaiting:          "That person is not in the waiting room.",
	Denied:              "The host did not let you into the meeting.",
	Removed:             "The host removed you from the meeting.",
	MeetingLocked:       "This meeting is locked, so nobody new can join. Please contact the person who invited you.",
	SentBack:            "The host moved you back to the waiting room.",
	RateLimited:         "Too many requests. Please slow down.",
	SlowConsumer:        "Your connection could not keep up with the meeting. Please rejoin.",
	BadOrigin:           "This page is not allowed to connect to the meeting server.",
	Conflict:            "That already exists.",
	Invalid:             "Some details are missing or not valid.",
	MediaFailed:         "Audio and video could not be connected.",
	AuditUnavailable:    "That could not be recorded, so it was not done. Please try again.",
	SessionReplaced:     "You joined the meeting from another window, so this one was closed.",
	MeetingNotStarted:   "The meeting has not started yet.",
	LinkExpired:         "This sign-in link is not valid. It may have been used already or have expired.",
	ServerShuttingDown:  "The meeting server is restarting. Please rejoin in a moment.",
	ParticipantLeft:     "You have left the meeting.",
	HostRequired:        "Only the host can do that.",
	AlreadyInMeeting:    "You are already in this meeting.",
	NegotiationFailed:   "Audio and video settings could not be agreed with the server.",
	TooManyParticipants: "This meeting is full.",
	WouldLoosen:         "A running meeting can be made stricter than its profile, never looser.",
	ShareNotAllowed:     "You are not allowed to share your screen in this meeting.",
	ShareBusy:           "Someone else is sharing their screen. Ask the host if you need to share.",
	UnmuteNotAllowed:    "You can unmute when the host asks you to.",
	RenameNotAllowed:    "Names in this meeting are fixed by the invitation.",
	NameInvalid:         "That name cannot be used. Use 1 to 40 letters, numbers, spaces or punctuation.",
	NameReserved:        "That name is reserved for staff roles. Please use your own name.",
	NameImpersonates:    "That name looks like the name of someone running the meeting. Please use your own name.",
	ChatInvalid:         "That message is empty or contains characters that cannot be sent.",
	ChatTooLong:         "That message is too long. Messages can be up to 2,000 characters.",
	ChatSlowDown:        "You are sending messages too quickly. Please wait a few seconds.",
	ChatBlocked:         "The host has stopped you from sending chat messages.",
	DirectMessagesOff:   "Direct messages are turned off in this meeting. You can write to everyone or to the hosts.",
	OwnAccount:          "You cannot do that to your own account. Ask another admin.",
	OwnMeeting:          "You cannot approve or decline a meeting you host. Another approver must decide.",
	MeetingNotApproved:  "This meeting has not been approved yet, so it cannot send invitations or start.",
	NotPending:          "That meeting is not waiting for approval.",
	MeetingRunning:      "The meeting is running or has ended, so it cannot be changed now.",
	InvitationNotOpen:   "This invitation cannot be used yet. It opens shortly before the meeting starts.",
	InvitationClosed:    "This meeting's time has passed, so the invitation no longer works.",
	ConsentNeeded:       "A parent or carer has not given consent for this invitation yet. The link works once they have.",
	ConsentClosed:       "This consent request is no longer open. Please contact the person who arranged the meeting.",
	ContractNotAccepted: "This person has not accepted the participation contract yet, so they cannot be let in.",
	ContractChanged:     "The participation contract has changed. Please read it again.",
	MailNotConfigured:   "Email is not set up on this server yet, so this invitation cannot be sent. Ask an admin to set up email.",
	AccountDisabled:     "Your staff account has been disabled.",
	SSONotConfigured:    "Single sign-on is not set up on this server.",
	SSORefused:          "Single sign-on did not let you in. Your organisation's account may not be registered here; ask an admin.",
	ConcernInvalid:      "Please describe the concern in 1 to 2,000 characters.",
	ApprovalStale:       "This meeting has changed since you opened it. Please read it again before deciding.",
}

// Message returns the human sentence for code.
func Message(code Code) string {
	if m, ok := messages[code]; ok {
		return m
	}
	return messages[Internal]
}

// HTTPStatus maps a code to the HTTP status it is served with.
func HTTPStatus(code Code) int {
	switch code {
	case BadRequest, BadMessage, Invalid, UnsupportedVersion, UnknownMessage, NameInvalid, NameReserved, NameImpersonates, ChatInvalid, ChatTooLong, ConcernInvalid:
		return http.StatusBadRequest
	case NotSignedIn, BadCredentials, LinkExpired:
		return http.StatusUnauthorized
	case Forbidden, BadOrigin, HostRequired, WouldLoosen, ShareNotAllowed, UnmuteNotAllowed, RenameNotAllowed, ChatBlocked, DirectMessagesOff,
		OwnAccount, OwnMeeting, ConsentNeeded, SSORefused, AccountDisabled:
		return http.StatusForbidden
	case NotFound, InvitationInvalid, NoSuchParticipant:
		return http.StatusNotFound
	case Conflict, InvitationInUse, AlreadyInMeeting, NotAllowedNow, ShareBusy, NotWaiting, MeetingLocked, TooManyParticipants,
		MeetingNotApproved, NotPending, ApprovalStale, MeetingRunning, InvitationNotOpen, ContractNotAccepted, ContractChanged, MailNotConfigured, SSONotConfigured:
		return http.StatusConflict
	case MeetingEnded, InvitationClosed, ConsentClosed:
		return http.StatusGone
	case MessageTooLarge:
		return http.StatusRequestEntityTooLarge
	case RateLimited, ChatSlowDown:
		return http.StatusTooManyRequests
	case AuditUnavailable, ServerShuttingDown:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Error is an error with a stable code. Err, if set, is internal detail for logs.
type Error struct {
	Code Code
	Err  error
}

// New returns an *Error with code and no internal cause.
func New(code Code) *Error { return &Error{Code: code} }

// Wrap returns an *Error with code whose internal cause is err.
func Wrap(code Code, err error) *Error { return &Error{Code: code, Err: err} }

func (e *Error) Error() string {
	if e.Err != nil {
		return string(e.Code) + ": " + e.Err.Error()
	}
	return string(e.Code)
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, errcode.New(errcode.NotFound)) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Of returns the code of err: its own if it is (or wraps) an *Error, Internal otherwise.
func Of(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
