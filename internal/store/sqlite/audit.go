package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
)

// Append adds e to the audit log as the next entry of the hash chain. In one
// write transaction it reads the last entry, numbers e after it and stores e
// with its chain hash; the transaction holds SQLite's write lock from its
// start, so concurrent appends (from any process) are chained one after the
// other. e itself is not changed. An entry that could not be re-hashed to the
// same value after storage (see audit.Entry.Validate) is refused.
func (d *DB) Append(ctx context.Context, e audit.Entry) error {
	if err := e.Validate(); err != nil {
		return errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: audit append: %w", err))
	}
	details, err := encDetails(e.Details)
	if err != nil {
		return fmt.Errorf("sqlite: audit append: %w", err)
	}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		const last = `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`
		if err := tx.QueryRowContext(ctx, last).Scan(&e.Seq, &e.PrevHash); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		e.Seq++
		e.Hash = audit.ChainHash(e.PrevHash, e)
		const insert = `INSERT INTO audit_log (seq, at, actor, action, subject, outcome, details, meeting, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
		_, err := tx.ExecContext(ctx, insert, e.Seq, encTime(e.At), e.Actor, e.Action, e.Subject,
			string(e.Outcome), details, e.Meeting, e.PrevHash, e.Hash)
		return err
	})
	if err != nil {
		return storeErr("audit append", err)
	}
	return nil
}

// AuditEntries returns entries with Seq > after, in order, at most limit
// (which must be positive).
func (d *DB) AuditEntries(ctx context.Context, after int64, limit int) ([]audit.Entry, error) {
	if limit <= 0 {
		return nil, errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: audit entries: limit %d is not positive", limit))
	}
	const q = `SELECT seq, at, actor, action, subject, outcome, details, meeting, prev_hash, hash
		FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`
	return queryAll(ctx, d, "audit entries", scanEntry, q, after, limit)
}

// AuditEntriesForMeeting returns the entries belonging to one meeting, in
// order, at most limit (which must be positive; the meeting ID must not be
// empty, which would select every entry that belongs to no meeting). The index audit_log_meeting
// (meeting, seq) serves it.
func (d *DB) AuditEntriesForMeeting(ctx context.Context, meetingID string, limit int) ([]audit.Entry, error) {
	if limit <= 0 || meetingID == "" {
		return nil, errcode.Wrap(errcode.Invalid, fmt.Errorf("sqlite: meeting audit entries: meeting %q, limit %d", meetingID, limit))
	}
	const q = `SELECT seq, at, actor, action, subject, outcome, details, meeting, prev_hash, hash
		FROM audit_log WHERE meeting = $1 ORDER BY seq LIMIT $2`
	return queryAll(ctx, d, "meeting audit entries", scanEntry, q, meetingID, limit)
}

// scanEntry scans an audit_log row.
func scanEntry(r rowScanner) (audit.Entry, error) {
	var (
		e           audit.Entry
		at, details string
	)
	err := r.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &e.Outcome, &details, &e.Meeting, &e.PrevHash, &e.Hash)
	if err != nil {
		return audit.Entry{}, err
	}
	var td timeDecoder
	e.At = td.time(at)
	if td.err != nil {
		return audit.Entry{}, td.err
	}
	if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
		return audit.Entry{}, fmt.Errorf("decoding details of audit entry %d: %w", e.Seq, err)
	}
	if len(e.Details) == 0 {
		e.Details = nil
	}
	return e, nil
}

// encDetails encodes details as a JSON object ({} if there are none).
func encDetails(details map[string]string) (string, error) {
	if len(details) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(details)
	return string(b), err
}
