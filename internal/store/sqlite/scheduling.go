package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// InvitationByConsentTokenHash finds an invitation by the hash of its
// consent token; errcode.NotFound if none.
func (d *DB) InvitationByConsentTokenHash(ctx context.Context, tokenHash string) (meeting.Invitation, error) {
	const q = `SELECT ` + invitationColumns + ` FROM invitations WHERE consent_token_hash = $1`
	return d.oneInvitation(ctx, "invitation by consent token hash", q, tokenHash)
}

// SetConsent records a parent's or carer's answer; errcode.NotFound if there
// is no such invitation.
func (d *DB) SetConsent(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, c meeting.ConsentRecord) error {
	const q = `UPDATE invitations SET consent = $3, consent_by = $4, consent_at = $5 WHERE meeting_id = $1 AND id = $2`
	return d.exec(ctx, "set consent", q, string(meetingID), string(id), string(c.State), c.By, encNullTime(c.At))
}

// QueueInvitation (re)queues an unrevoked invitation for email delivery not
// before notBefore; errcode.NotFound if it is missing or revoked.
func (d *DB) QueueInvitation(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, notBefore time.Time) error {
	const q = `UPDATE invitations SET delivery = 'queued', attempts = 0, delivery_error = '', next_attempt_at = $3
		WHERE meeting_id = $1 AND id = $2 AND revoked_at IS NULL`
	return d.exec(ctx, "queue invitation", q, string(meetingID), string(id), encTime(notBefore))
}

// InvitationsDue lists queued, unrevoked invitations of cleared meetings that
// have not ended, due at now, oldest first, at most limit.
func (d *DB) InvitationsDue(ctx context.Context, now time.Time, limit int) ([]meeting.Invitation, error) {
	const q = `SELECT ` + invitationColumns + ` FROM invitations JOIN meetings ON meetings.id = invitations.meeting_id
		WHERE invitations.delivery = 'queued' AND invitations.revoked_at IS NULL AND invitations.next_attempt_at <= $1
		  AND meetings.ended_at IS NULL AND meetings.approval IN ('not_needed', 'approved')
		ORDER BY invitations.next_attempt_at, invitations.id LIMIT $2`
	return queryAll(ctx, d, "invitations due", scanInvitation, q, encTime(now), limit)
}

// SetDeliveryTokens replaces an unrevoked invitation's token hash and, if
// consentHash is not "", its consent token hash; errcode.NotFound if it is
// missing or revoked.
func (d *DB) SetDeliveryTokens(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash, consentHash string) error {
	const q = `UPDATE invitations SET token_hash = $3, consent_token_hash = COALESCE($4, consent_token_hash)
		WHERE meeting_id = $1 AND id = $2 AND revoked_at IS NULL`
	var consent any
	if consentHash != "" {
		consent = consentHash
	}
	return d.exec(ctx, "set delivery tokens", q, string(meetingID), string(id), tokenHash, consent)
}

// DeliverySucceeded marks an invitation sent at, if it still has the token
// that was sent (a resend meanwhile queued it again).
func (d *DB) DeliverySucceeded(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash string, at time.Time) error {
	const q = `UPDATE invitations SET delivery = 'sent', attempts = 0, delivery_error = '', sent_at = $4
		WHERE meeting_id = $1 AND id = $2 AND token_hash = $3`
	return d.exec(ctx, "delivery succeeded", q, string(meetingID), string(id), tokenHash, encTime(at))
}

// DeliveryFailed records a failed attempt and when to retry, if the
// invitation still has the token that was being sent.
func (d *DB) DeliveryFailed(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, tokenHash, reason string, retryAt time.Time) error {
	const q = `UPDATE invitations SET attempts = attempts + 1, delivery_error = $4, next_attempt_at = $5
		WHERE meeting_id = $1 AND id = $2 AND token_hash = $3`
	return d.exec(ctx, "delivery failed", q, string(meetingID), string(id), tokenHash, reason, encTime(retryAt))
}

// RecordContractAcceptance keeps one acceptance; accepting the same text
// twice keeps the first time.
func (d *DB) RecordContractAcceptance(ctx context.Context, a store.ContractAcceptance) error {
	const q = `INSERT INTO contract_acceptances (meeting_id, invitation_id, name, contract_hash, accepted_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, invitation_id, contract_hash) DO NOTHING`
	if _, err := d.db.ExecContext(ctx, q, string(a.Meeting), string(a.Invitation), a.Name, a.ContractHash, encTime(a.At)); err != nil {
		return storeErr("record contract acceptance", err)
	}
	return nil
}

// ContractAccepted reports whether the invitation accepted the contract with hash.
func (d *DB) ContractAccepted(ctx context.Context, meetingID meeting.ID, id meeting.InvitationID, hash string) (bool, error) {
	const q = `SELECT COUNT(*) FROM contract_acceptances WHERE meeting_id = $1 AND invitation_id = $2 AND contract_hash = $3`
	var n int
	if err := d.db.QueryRowContext(ctx, q, string(meetingID), string(id), hash).Scan(&n); err != nil {
		return false, storeErr("contract accepted", err)
	}
	return n > 0, nil
}

// ContractAcceptances lists a meeting's acceptances, oldest first.
func (d *DB) ContractAcceptances(ctx context.Context, meetingID meeting.ID) ([]store.ContractAcceptance, error) {
	const q = `SELECT meeting_id, invitation_id, name, contract_hash, accepted_at FROM contract_acceptances
		WHERE meeting_id = $1 ORDER BY accepted_at, invitation_id`
	return queryAll(ctx, d, "contract acceptances", func(r rowScanner) (store.ContractAcceptance, error) {
		var (
			a  store.ContractAcceptance
			at string
		)
		if err := r.Scan(&a.Meeting, &a.Invitation, &a.Name, &a.ContractHash, &at); err != nil {
			return a, err
		}
		var td timeDecoder
		a.At = td.time(at)
		return a, td.err
	}, q, string(meetingID))
}

// QueueMail adds a message to the outbox; errcode.Conflict if its ID is taken.
func (d *DB) QueueMail(ctx context.Context, m store.OutboxMail) error {
	const q = `INSERT INTO outbox (id, to_email, to_name, subject, body, meeting_id, created_at, next_attempt_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	_, err := d.db.ExecContext(ctx, q, m.ID, normEmail(m.ToEmail), m.ToName, m.Subject, m.Body, string(m.Meeting),
		encTime(m.CreatedAt), encTime(m.NextAttemptAt))
	if err != nil {
		return storeErr("queue mail", err)
	}
	return nil
}

// MailDue lists unsent outbox mail due at now, oldest first, at most limit.
func (d *DB) MailDue(ctx context.Context, now time.Time, limit int) ([]store.OutboxMail, error) {
	const q = `SELECT id, to_email, to_name, subject, body, meeting_id, created_at, attempts, delivery_error, next_attempt_at, sent_at
		FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`
	return queryAll(ctx, d, "mail due", func(r rowScanner) (store.OutboxMail, error) {
		var (
			m             store.OutboxMail
			created, next string
			sent          sql.NullString
		)
		if err := r.Scan(&m.ID, &m.ToEmail, &m.ToName, &m.Subject, &m.Body, &m.Meeting, &created, &m.Attempts,
			&m.DeliveryError, &next, &sent); err != nil {
			return m, err
		}
		var td timeDecoder
		m.CreatedAt, m.NextAttemptAt, m.SentAt = td.time(created), td.time(next), td.null(sent)
		return m, td.err
	}, q, encTime(now), limit)
}

// MailSucceeded marks outbox mail sent at.
func (d *DB) MailSucceeded(ctx context.Context, id string, at time.Time) error {
	return d.exec(ctx, "mail succeeded", `UPDATE outbox SET sent_at = $2, delivery_error = '' WHERE id = $1`, id, encTime(at))
}

// MailFailed records a failed attempt at outbox mail and when to retry.
func (d *DB) MailFailed(ctx context.Context, id, reason string, retryAt time.Time) error {
	const q = `UPDATE outbox SET attempts = attempts + 1, delivery_error = $2, next_attempt_at = $3 WHERE id = $1`
	return d.exec(ctx, "mail failed", q, id, reason, encTime(retryAt))
}

// Setting returns an organisation setting's JSON; errcode.NotFound if unset.
func (d *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	if err := d.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v); err != nil {
		return "", storeErr("setting", err)
	}
	return v, nil
}

// SetSetting stores an organisation setting's JSON.
func (d *DB) SetSetting(ctx context.Context, key, value string, now time.Time) error {
	if key == "" {
		return errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: set setting: empty key"))
	}
	const q = `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
	if _, err := d.db.ExecContext(ctx, q, key, value, encTime(now)); err != nil {
		return storeErr("set setting", err)
	}
	return nil
}
