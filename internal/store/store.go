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
	Roles
	CreatedAt  time.Time
	DisabledAt time.Time // zero while active
	// SSOSubject is the single sign-on identity ("<issuer> <sub>") the account
	// is bound to since its first sign-on; "" if it has never signed on.
	SSOSubject string
}

// Roles are what a staff member may do; one person may hold several.
type Roles struct {
	Admin    bool // accounts, profiles, settings
	Approver bool // approves meetings (senior leader, designated safeguarding lead)
	Host     bool // schedules and runs meetings
	Auditor  bool // reads the register
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

// ContractAcceptance is one invitee's acceptance of one version of a
// participation contract.
type ContractAcceptance struct {
	Meeting      meeting.ID
	Invitation   meeting.InvitationID
	Name         string // the invitation's name
	ContractHash string // policy.ContractHash of the text shown
	At           time.Time
}

// OutboxMail is one message without secrets waiting to be (or sent) by the
// delivery job: approval outcomes and notices.
type OutboxMail struct {
	ID            string
	ToEmail       string
	ToName        string
	Subject       string
	Body          string
	Meeting       meeting.ID // "" if about no meeting
	CreatedAt     time.Time
	Attempts      int
	DeliveryError string
	NextAttemptAt time.Time
	SentAt        time.Time
}

// Stay is one person's one place in a running meeting, from arriving until
// they leave for good: the register's attendance row, and (while open, or
// ending in removal or denial) what a restarted server restores.
type Stay struct {
	Meeting     meeting.ID
	Participant meeting.ParticipantID
	Key         string // "invitation:<id>" or "staff:<id>"
	Name        string // the invitation's or account's name
	RoleLabel   string
	DisplayName string // the name they chose, if they renamed themselves
	AgeGroup    meeting.AgeGroup
	ConsentBy   string // for an invitee under 16: who consented
	Role        meeting.Role
	Admission   meeting.Admission

	ContractAcceptedAt time.Time
	ArrivedAt          time.Time
	AdmittedAt         time.Time // first admission
	AdmittedBy         string    // name of who first admitted them
	AdmittedSince      time.Time // start of the current admitted spell; zero when not admitted
	Present            time.Duration
	LeftAt             time.Time
	Outcome            string // how the stay ended ("left", "removed by …", …)
}

// Open reports whether the stay has not ended.
func (s Stay) Open() bool { return s.LeftAt.IsZero() }

// PresentAt is the stay's admitted time up to now.
func (s Stay) PresentAt(now time.Time) time.Duration {
	if s.AdmittedSince.IsZero() {
		return s.Present
	}
	return s.Present + now.Sub(s.AdmittedSince)
}

// RoomState is what a running meeting's room keeps in the store so that a
// restarted server can put it back.
type RoomState struct {
	Meeting       meeting.ID
	OpenedAt      time.Time
	Locked        bool
	AutoLocked    bool
	Interruptions int       // server restarts while it ran
	ClosedAt      time.Time // zero while the room runs (or was cut off by a crash)
	SeenAt        time.Time // when the room was last known running (a heartbeat)
}

// Concern is a safeguarding concern a host or co-host flagged in a meeting.
type Concern struct {
	ID           string
	Meeting      meeting.ID
	RaisedBy     string // audit actor
	RaisedByName string
	About        meeting.ParticipantID // "" for the meeting as a whole
	AboutName    string
	Note         string
	At           time.Time
}

// RegisterFilter selects meetings for the register. Zero fields select all.
type RegisterFilter struct {
	From, To time.Time // scheduled start in [From, To)
	Host     meeting.StaffID
	Profile  meeting.ProfileID
	Purpose  string // matches the category exactly, or appears in the purpose text (any case)
}

// Retained is an ended meeting and what retention has done to it so far.
type Retained struct {
	Meeting          meeting.Meeting
	Held             bool // a concern holds its records
	ChatPurgedAt     time.Time
	RegisterPurgedAt time.Time
}

// Setting keys.
const (
	SettingPurposeCategories = "purpose_categories"
	SettingSMTP              = "smtp"
	SettingOIDC              = "oidc"
)

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
	// BindSSOSubject binds an account to a single sign-on identity, if it is
	// not bound to another: errcode.NotFound if there is no such account or it
	// is bound to a different one, errcode.Conflict if another account has it.
	BindSSOSubject(ctx context.Context, id meeting.StaffID, subject string) error
	// SetRoles replaces an account's roles; errcode.NotFound if there is no such account.
	SetRoles(ctx context.Context, id meeting.StaffID, r Roles) error
	// DisableStaff disables an account at (keeping the first time) and deletes
	// its logins, in one transaction; EnableStaff clears the disabling.
	// errcode.NotFound if there is no such account.
	DisableStaff(ctx context.Context, id meeting.StaffID, at time.Time) error
	EnableStaff(ctx context.Context, id meeting.StaffID) error

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
	// UpdateProfile replaces a profile's name, rules, scheduling and contract; errcode.NotFound if
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
	// UpdateMeeting replaces what can change of a meeting: title, purpose,
	// category, profile, start, duration, approval (state, by, at, note) and
	// revision. errcode.NotFound if there is no such meeting.
	UpdateMeeting(ctx context.Context, m meeting.Meeting) error
	// MeetingsAwaitingApproval lists pending meetings that have not ended, soonest first.
	MeetingsAwaitingApproval(ctx context.Context) ([]meeting.Meeting, error)

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
	// InvitationByConsentTokenHash finds an invitation by the hash of its
	// parent's or carer's consent token; errcode.NotFound if none.
	InvitationByConsentTokenHash(ctx context.Context, tokenHash string) (meeting.Invitation, error)
	// SetConsent records a parent's or carer's answer; errcode.NotFound if
	// there is no such invitation.
	SetConsent(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, c meeting.ConsentRecord) error
	// QueueInvitation (re)queues an unrevoked invitation for email delivery
	// not before notBefore, clearing its attempts and last error.
	// errcode.NotFound if it is missing or revoked.
	QueueInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, notBefore time.Time) error
	// InvitationsDue lists queued, unrevoked invitations of cleared meetings
	// that have not ended, whose next attempt is due at now, oldest first, at most limit.
	InvitationsDue(ctx context.Context, now time.Time, limit int) ([]meeting.Invitation, error)
	// SetDeliveryTokens replaces an unrevoked invitation's token hash and (if
	// consentHash is not "") its consent token hash, just before its mail is
	// sent; errcode.NotFound if it is missing or revoked.
	SetDeliveryTokens(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash, consentHash string) error
	// DeliverySucceeded marks an invitation sent at; DeliveryFailed records a
	// failed attempt and when to retry. Each applies only while the invitation
	// still has the token (hash) that was sent: if it was resent meanwhile,
	// the outcome is of a link that no longer exists, and errcode.NotFound.
	DeliverySucceeded(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash string, at time.Time) error
	DeliveryFailed(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash, reason string, retryAt time.Time) error

	// RecordContractAcceptance keeps one acceptance of a participation
	// contract; accepting the same text twice keeps the first time.
	RecordContractAcceptance(ctx context.Context, a ContractAcceptance) error
	// ContractAccepted reports whether the invitation has accepted the contract with this hash.
	ContractAccepted(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, hash string) (bool, error)
	// ContractAcceptances lists a meeting's acceptances, oldest first.
	ContractAcceptances(ctx context.Context, meetingID meeting.ID) ([]ContractAcceptance, error)

	// QueueMail adds a message without secrets to the outbox.
	QueueMail(ctx context.Context, m OutboxMail) error
	// MailDue lists unsent outbox mail due at now, oldest first, at most limit.
	MailDue(ctx context.Context, now time.Time, limit int) ([]OutboxMail, error)
	// MailSucceeded and MailFailed record a delivery attempt.
	MailSucceeded(ctx context.Context, id string, at time.Time) error
	MailFailed(ctx context.Context, id, reason string, retryAt time.Time) error

	// Setting returns an organisation setting's JSON; errcode.NotFound if unset.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting stores an organisation setting's JSON.
	SetSetting(ctx context.Context, key, value string, now time.Time) error

	// RecordChat keeps a chat message with its meeting's record.
	RecordChat(ctx context.Context, c ChatRecord) error
	// ChatRecords returns a meeting's chat, in the order it was posted.
	ChatRecords(ctx context.Context, id meeting.ID) ([]ChatRecord, error)

	// SaveStay writes a stay as it now stands (insert or replace).
	SaveStay(ctx context.Context, s Stay) error
	// Stays lists a meeting's stays, in arrival order.
	Stays(ctx context.Context, id meeting.ID) ([]Stay, error)
	// SaveRoomState writes a room's state as it now stands (insert or replace).
	SaveRoomState(ctx context.Context, s RoomState) error
	// RoomState reads a meeting's room state; errcode.NotFound if it never ran.
	RoomState(ctx context.Context, id meeting.ID) (RoomState, error)
	// OpenRoomStates lists the rooms not closed (running when the server stopped).
	OpenRoomStates(ctx context.Context) ([]RoomState, error)

	// RecordConcern keeps a safeguarding concern; Concerns lists a meeting's, oldest first.
	RecordConcern(ctx context.Context, c Concern) error
	Concerns(ctx context.Context, id meeting.ID) ([]Concern, error)

	// RegisterMeetings lists meetings for the register, soonest start first.
	RegisterMeetings(ctx context.Context, f RegisterFilter) ([]meeting.Meeting, error)

	// RetentionCandidates lists ended meetings whose chat or stays have not
	// been purged yet, ended before endedBefore.
	RetentionCandidates(ctx context.Context, endedBefore time.Time) ([]Retained, error)
	// PurgeChat deletes a meeting's chat text and marks it purged at; it
	// returns how many messages went. PurgeStays does the same for stays.
	PurgeChat(ctx context.Context, id meeting.ID, at time.Time) (int64, error)
	PurgeStays(ctx context.Context, id meeting.ID, at time.Time) (int64, error)

	// AuditEntries returns entries with Seq > after, in order, at most limit.
	AuditEntries(ctx context.Context, after int64, limit int) ([]audit.Entry, error)
	// AuditEntriesForMeeting returns the entries belonging to one meeting
	// (whose Meeting is meetingID), in order, at most limit; errcode.Invalid
	// if limit is not positive or meetingID is empty.
	AuditEntriesForMeeting(ctx context.Context, meetingID string, limit int) ([]audit.Entry, error)

	Close() error
}
