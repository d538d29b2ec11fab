package sqlite

import (
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
	const q = `INSERT INTO meetings (id, host_id, title, purpose, profile_id, starts_at, duration_ns, created_at, ended_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	_, err := d.db.ExecContext(ctx, q, string(m.ID), string(m.HostID), m.Title, m.Purpose, string(m.Profile),
		encTime(m.StartsAt), int64(m.Duration), encTime(m.CreatedAt), encNullTime(m.EndedAt))
	if err != nil {
		return storeErr("create meeting", err)
	}
	return nil
}

const meetingColumns = `id, host_id, title, purpose, profile_id, starts_at, duration_ns, created_at, ended_at`

// scanMeeting scans meetingColumns.
func scanMeeting(r rowScanner) (meeting.Meeting, error) {
	var (
		m               meeting.Meeting
		starts, created string
		ended           sql.NullString
		duration        int64
	)
	if err := r.Scan(&m.ID, &m.HostID, &m.Title, &m.Purpose, &m.Profile, &starts, &duration, &created, &ended); err != nil {
		return meeting.Meeting{}, err
	}
	var td timeDecoder
	m.StartsAt, m.CreatedAt, m.EndedAt = td.time(starts), td.time(created), td.null(ended)
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

// CreateInvitation stores an invitation with the hash of its token;
// errcode.NotFound if its meeting does not exist, errcode.Conflict if its ID
// or token hash is taken.
func (d *DB) CreateInvitation(ctx context.Context, inv meeting.Invitation, tokenHash string) error {
	const q = `INSERT INTO invitations (id, meeting_id, token_hash, name, role_label, created_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`
	_, err := d.db.ExecContext(ctx, q, string(inv.ID), string(inv.MeetingID), tokenHash, inv.Name,
		inv.RoleLabel, encTime(inv.CreatedAt), encNullTime(inv.RevokedAt))
	if err != nil {
		return storeErr("create invitation", err)
	}
	return nil
}

const invitationColumns = `id, meeting_id, name, role_label, created_at, revoked_at`

// scanInvitation scans invitationColumns.
func scanInvitation(r rowScanner) (meeting.Invitation, error) {
	var (
		inv     meeting.Invitation
		created string
		revoked sql.NullString
	)
	if err := r.Scan(&inv.ID, &inv.MeetingID, &inv.Name, &inv.RoleLabel, &created, &revoked); err != nil {
		return meeting.Invitation{}, err
	}
	var td timeDecoder
	inv.CreatedAt, inv.RevokedAt = td.time(created), td.null(revoked)
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
