// Package store defines safemeet's storage interface and records. Implementations
// are named after their technology: store/sqlite (the default) and, later,
// store/postgres; the same tests run against each.
//
// Methods return errcode errors for expected outcomes (errcode.NotFound,
// errcode.Conflict) and wrapped internal errors otherwise.
package store

import (
	"context"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

// Staff is a staff account.
type Staff struct {
	ID           meeting.StaffID
	Email        string // lower-cased
	Name         string
	PasswordHash string // argon2id PHC string; empty means no password sign-in
	Admin        bool
	CreatedAt    time.Time
	DisabledAt   time.Time // zero while active
}

// Active reports whether the account may sign in.
func (s Staff) Active() bool { return s.DisabledAt.IsZero() }

// Login is a signed-in browser. Only the hash of its cookie value is stored.
type Login struct {
	IDHash    string
	StaffID   meeting.StaffID
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SigninLink is a one-time sign-in link (e.g. the first admin's).
type SigninLink struct {
	TokenHash string
	StaffID   meeting.StaffID
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ChatRecord is one chat message as the meeting's record keeps it, including
// messages later deleted in the room. Sender and Recipient are audit actors
// ("invitation:<id>", "staff:<id>"); Recipient is set for direct messages.
type ChatRecord struct {
	Meeting       meeting.ID
	Sender        string
	SenderName    string
	Audience      string // "everyone", "hosts" or "direct"
	Recipient     string
	RecipientName string
	Text          string
	At            time.Time
}

// Store is everything safemeet keeps. It also is the audit log.
type Store interface {
	audit.Log

	// EnsureOrg creates the organisation on a first start; created reports whether it did.
	EnsureOrg(ctx context.Context, name string, now time.Time) (created bool, err error)

	// CountStaff returns how many staff accounts exist (0 on a first start).
	CountStaff(ctx context.Context) (int, error)
	// CreateStaff adds an account; errcode.Conflict if the email is taken.
	CreateStaff(ctx context.Context, s Staff) error
	StaffByEmail(ctx context.Context, email string) (Staff, error)
	StaffByID(ctx context.Context, id meeting.StaffID) (Staff, error)
	ListStaff(ctx context.Context) ([]Staff, error)
	SetPassword(ctx context.Context, id meeting.StaffID, passwordHash string) error

	CreateLogin(ctx context.Context, l Login) error
	// LoginStaff returns the active staff member of an unexpired login;
	// errcode.NotFound otherwise.
	LoginStaff(ctx context.Context, idHash string, now time.Time) (Staff, error)
	DeleteLogin(ctx context.Context, idHash string) error

	CreateSigninLink(ctx context.Context, l SigninLink) error
	// UseSigninLink atomically consumes an unused, unexpired link and returns
	// its staff ID; errcode.NotFound otherwise.
	UseSigninLink(ctx context.Context, tokenHash string, now time.Time) (meeting.StaffID, error)

	// Profiles lists every safeguarding profile: the three shipped ones first,
	// strictest first (policy.ProfileChildren, policy.ProfileAdults,
	// policy.ProfileInternalStaff), then the organisation's own by name.
	Profiles(ctx context.Context) ([]policy.Profile, error)
	// Profile finds a profile by ID; errcode.NotFound if none.
	Profile(ctx context.Context, id meeting.ProfileID) (policy.Profile, error)
	// CreateProfile adds a profile; errcode.Conflict if its name (or ID) is
	// taken, errcode.Invalid if it has no ID or name or its rules are invalid.
	CreateProfile(ctx context.Context, p policy.Profile, now time.Time) error
	// UpdateProfile replaces a profile's name and rules; errcode.NotFound if
	// there is no such profile, errcode.Conflict if another has the name,
	// errcode.Invalid as for CreateProfile. Profiles are never deleted.
	UpdateProfile(ctx context.Context, p policy.Profile, now time.Time) error

	// CreateMeeting stores a new meeting, with the profile it is given (which
	// the caller has checked exists); errcode.NotFound if its host does not
	// exist, errcode.Conflict if its ID is taken.
	CreateMeeting(ctx context.Context, m meeting.Meeting) error
	// Meeting finds a meeting, with its profile, by ID; errcode.NotFound if none.
	Meeting(ctx context.Context, id meeting.ID) (meeting.Meeting, error)
	// MeetingsByHost lists a host's meetings, soonest start first.
	MeetingsByHost(ctx context.Context, host meeting.StaffID) ([]meeting.Meeting, error)
	// EndMeeting records that the meeting ended at; ending twice keeps the first time.
	EndMeeting(ctx context.Context, id meeting.ID, at time.Time) error

	CreateInvitation(ctx context.Context, inv meeting.Invitation, tokenHash string) error
	// InvitationByTokenHash finds an invitation (revoked or not) by its token hash.
	InvitationByTokenHash(ctx context.Context, tokenHash string) (meeting.Invitation, error)
	Invitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID) (meeting.Invitation, error)
	Invitations(ctx context.Context, meetingID meeting.ID) ([]meeting.Invitation, error)
	RevokeInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, at time.Time) error
	// RestoreInvitation makes a revoked invitation work again (a host lifting a removal).
	RestoreInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID) error
	// ReplaceInvitationToken gives an unrevoked invitation a new token; the old one stops working.
	ReplaceInvitationToken(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash string) error

	// RecordChat keeps a chat message with its meeting's record.
	RecordChat(ctx context.Context, c ChatRecord) error
	// ChatRecords returns a meeting's chat, in the order it was posted.
	ChatRecords(ctx context.Context, id meeting.ID) ([]ChatRecord, error)

	// AuditEntries returns entries with Seq > after, in order, at most limit.
	AuditEntries(ctx context.Context, after int64, limit int) ([]audit.Entry, error)

	Close() error
}
