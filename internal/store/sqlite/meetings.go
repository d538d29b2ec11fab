package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

// CreateMeeting stores a new meeting with its profile as given (the caller
// checks that the profile exists; see migration 0002); errcode.NotFound if its
// host does not exist, errcode.Conflict if its ID is taken.
func (d *DB) CreateMeeting(ctx context.Context, m meeting.Meeting) error {
	if !storable(m.StartsAt) {
		return errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: create meeting: start %v out of range", m.StartsAt))
	}
	const q = `INSERT INTO meetings (id, host_id, title, purpose, category, profile_id, starts_at, duration_ns, created_at, ended_at,
			approval, approval_by, approval_at, approval_note, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`
	_, err := d.db.ExecContext(ctx, q, string(m.ID), string(m.HostID), m.Title, m.Purpose, m.Category, string(m.Profile),
		encTime(m.StartsAt), int64(m.Duration), encTime(m.CreatedAt), encNullTime(m.EndedAt),
		string(approvalOrDefault(m.Approval)), string(m.ApprovedBy), encNullTime(m.ApprovalAt), m.ApprovalNote, m.Revision)
	if err != nil {
		return storeErr("create meeting", err)
	}
	return nil
}

const meetingColumns = `id, host_id, title, purpose, category, profile_id, starts_at, duration_ns, created_at, ended_at,
	approval, approval_by, approval_at, approval_note, revision`

// approvalOrDefault stores a meeting made without an approval state as not
// needing one (the caller decides from its profile).
func approvalOrDefault(a meeting.Approval) meeting.Approval {
	if a == "" {
		return meeting.ApprovalNotNeeded
	}
	return a
}

// scanMeeting scans meetingColumns.
func scanMeeting(r rowScanner) (meeting.Meeting, error) {
	var (
		m               meeting.Meeting
		starts, created string
		ended, approved sql.NullString
		duration        int64
	)
	if err := r.Scan(&m.ID, &m.HostID, &m.Title, &m.Purpose, &m.Category, &m.Profile, &starts, &duration, &created, &ended,
		&m.Approval, &m.ApprovedBy, &approved, &m.ApprovalNote, &m.Revision); err != nil {
		return meeting.Meeting{}, err
	}
	var td timeDecoder
	m.StartsAt, m.CreatedAt, m.EndedAt, m.ApprovalAt = td.time(starts), td.time(created), td.null(ended), td.null(approved)
	m.Duration = time.Duration(duration)
	return m, td.err
}

// Meeting finds a meeting by ID; errcode.NotFound if none.
func (d *DB) Meeting(ctx context.Context, id meeting.ID) (meeting.Meeting, error) {
	m, err := scanMeeting(d.db.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM meetings WHERE id = $1`, string(id)))
	if err != nil {
		return meeting.Meeting{}, storeErr("meeting", err)
	}
	return m, nil
}

// MeetingsByHost lists a host's meetings, soonest start first.
func (d *DB) MeetingsByHost(ctx context.Context, host meeting.StaffID) ([]meeting.Meeting, error) {
	const q = `SELECT ` + meetingColumns + ` FROM meetings WHERE host_id = $1 ORDER BY starts_at, id`
	return queryAll(ctx, d, "meetings by host", scanMeeting, q, string(host))
}

// EndMeeting records that the meeting ended at; ending twice keeps the first
// time. errcode.NotFound if there is no such meeting.
func (d *DB) EndMeeting(ctx context.Context, id meeting.ID, at time.Time) error {
	const q = `UPDATE meetings SET ended_at = COALESCE(ended_at, $2) WHERE id = $1`
	return d.exec(ctx, "end meeting", q, string(id), encTime(at))
}

// UpdateMeeting replaces what can change of a meeting; errcode.NotFound if
// there is no such meeting.
func (d *DB) UpdateMeeting(ctx context.Context, m meeting.Meeting) error {
	if !storable(m.StartsAt) {
		return errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: update meeting: start %v out of range", m.StartsAt))
	}
	const q = `UPDATE meetings SET title = $2, purpose = $3, category = $4, profile_id = $5, starts_at = $6, duration_ns = $7,
		approval = $8, approval_by = $9, approval_at = $10, approval_note = $11, revision = $12 WHERE id = $1`
	return d.exec(ctx, "update meeting", q, string(m.ID), m.Title, m.Purpose, m.Category, string(m.Profile),
		encTime(m.StartsAt), int64(m.Duration), string(approvalOrDefault(m.Approval)), string(m.ApprovedBy),
		encNullTime(m.ApprovalAt), m.ApprovalNote, m.Revision)
}

// MeetingsAwaitingApproval lists pending meetings that have not ended, soonest first.
func (d *DB) MeetingsAwaitingApproval(ctx context.Context) ([]meeting.Meeting, error) {
	const q = `SELECT ` + meetingColumns + ` FROM meetings WHERE approval = 'pending' AND ended_at IS NULL ORDER BY starts_at, id`
	return queryAll(ctx, d, "meetings awaiting approval", scanMeeting, q)
}

// CreateInvitation stores an invitation with the hash of its token;
// errcode.NotFound if its meeting does not exist, errcode.Conflict if its ID
// or token hash is taken.
func (d *DB) CreateInvitation(ctx context.Context, inv meeting.Invitation, tokenHash string) error {
	const q = `INSERT INTO invitations (id, meeting_id, token_hash, name, role_label, created_at, revoked_at,
			email, age_group, guardian_name, guardian_email, consent, consent_by, consent_at,
			delivery, attempts, delivery_error, next_attempt_at, sent_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`
	_, err := d.db.ExecContext(ctx, q, string(inv.ID), string(inv.MeetingID), tokenHash, inv.Name,
		inv.RoleLabel, encTime(inv.CreatedAt), encNullTime(inv.RevokedAt),
		normEmail(inv.Email), string(cmp.Or(inv.AgeGroup, meeting.AgeAdult)), inv.Guardian.Name, normEmail(inv.Guardian.Email),
		string(inv.Consent.State), inv.Consent.By, encNullTime(inv.Consent.At),
		string(cmp.Or(inv.Delivery, meeting.DeliveryManual)), inv.Attempts, inv.DeliveryError, encNullTime(inv.NextAttemptAt), encNullTime(inv.SentAt))
	if err != nil {
		return storeErr("create invitation", err)
	}
	return nil
}

const invitationColumns = `invitations.id, invitations.meeting_id, invitations.name, invitations.role_label,
	invitations.created_at, invitations.revoked_at, invitations.email, invitations.age_group,
	invitations.guardian_name, invitations.guardian_email, invitations.consent, invitations.consent_by,
	invitations.consent_at, invitations.delivery, invitations.attempts, invitations.delivery_error,
	invitations.next_attempt_at, invitations.sent_at`

// scanInvitation scans invitationColumns.
func scanInvitation(r rowScanner) (meeting.Invitation, error) {
	var (
		inv                            meeting.Invitation
		created                        string
		revoked, consentAt, next, sent sql.NullString
	)
	if err := r.Scan(&inv.ID, &inv.MeetingID, &inv.Name, &inv.RoleLabel, &created, &revoked,
		&inv.Email, &inv.AgeGroup, &inv.Guardian.Name, &inv.Guardian.Email, &inv.Consent.State, &inv.Consent.By,
		&consentAt, &inv.Delivery, &inv.Attempts, &inv.DeliveryError, &next, &sent); err != nil {
		return meeting.Invitation{}, err
	}
	var td timeDecoder
	inv.CreatedAt, inv.RevokedAt = td.time(created), td.null(revoked)
	inv.Consent.At, inv.NextAttemptAt, inv.SentAt = td.null(consentAt), td.null(next), td.null(sent)
	return inv, td.err
}

// oneInvitation runs a query for at most one invitation; errcode.NotFound if none.
func (d *DB) oneInvitation(ctx context.Context, op, query string, args ...any) (meeting.Invitation, error) {
	inv, err := scanInvitation(d.db.QueryRowContext(ctx, query, args...))
	if err != nil {
		return meeting.Invitation{}, storeErr(op, err)
	}
	return inv, nil
}

// InvitationByTokenHash finds an invitation (revoked or not) by its token
// hash; errcode.NotFound if none.
func (d *DB) InvitationByTokenHash(ctx context.Context, tokenHash string) (meeting.Invitation, error) {
	const q = `SELECT ` + invitationColumns + ` FROM invitations WHERE token_hash = $1`
	return d.oneInvitation(ctx, "invitation by token hash", q, tokenHash)
}

// Invitation finds one of a meeting's invitations; errcode.NotFound if none.
func (d *DB) Invitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID) (meeting.Invitation, error) {
	const q = `SELECT ` + invitationColumns + ` FROM invitations WHERE meeting_id = $1 AND id = $2`
	return d.oneInvitation(ctx, "invitation", q, string(meetingID), string(id))
}

// Invitations lists a meeting's invitations, oldest first.
func (d *DB) Invitations(ctx context.Context, meetingID meeting.ID) ([]meeting.Invitation, error) {
	const q = `SELECT ` + invitationColumns + ` FROM invitations WHERE meeting_id = $1 ORDER BY created_at, id`
	return queryAll(ctx, d, "invitations", scanInvitation, q, string(meetingID))
}

// RevokeInvitation revokes one of a meeting's invitations; revoking twice
// keeps the first time. errcode.NotFound if there is no such invitation.
func (d *DB) RevokeInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, at time.Time) error {
	const q = `UPDATE invitations SET revoked_at = COALESCE(revoked_at, $3) WHERE meeting_id = $1 AND id = $2`
	return d.exec(ctx, "revoke invitation", q, string(meetingID), string(id), encTime(at))
}

// RestoreInvitation clears an invitation's revocation; errcode.NotFound if
// there is no such invitation.
func (d *DB) RestoreInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID) error {
	const q = `UPDATE invitations SET revoked_at = NULL WHERE meeting_id = $1 AND id = $2`
	return d.exec(ctx, "restore invitation", q, string(meetingID), string(id))
}

// ReplaceInvitationToken gives an unrevoked invitation a new token hash, so
// the old token stops working; errcode.NotFound if the invitation is missing
// or revoked.
func (d *DB) ReplaceInvitationToken(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash string) error {
	const q = `UPDATE invitations SET token_hash = $3 WHERE meeting_id = $1 AND id = $2 AND revoked_at IS NULL`
	return d.exec(ctx, "replace invitation token", q, string(meetingID), string(id), tokenHash)
}
