package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"strings"
	"time"

	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// EnsureOrg creates the organisation on a first start; created reports whether it did.
func (d *DB) EnsureOrg(ctx context.Context, name string, now time.Time) (bool, error) {
	const q = `INSERT INTO org (id, name, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`
	res, err := d.db.ExecContext(ctx, q, name, encTime(now))
	if err != nil {
		return false, storeErr("ensure org", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, storeErr("ensure org", err)
	}
	return n == 1, nil
}

// CountStaff returns how many staff accounts exist (0 on a first start).
func (d *DB) CountStaff(ctx context.Context) (int, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff`).Scan(&n); err != nil {
		return 0, storeErr("count staff", err)
	}
	return n, nil
}

// normEmail is the stored form of an email address: trimmed and lower-cased.
func normEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateStaff adds an account, lower-casing its email; errcode.Conflict if
// the email or ID is taken.
func (d *DB) CreateStaff(ctx context.Context, s store.Staff) error {
	const q = `INSERT INTO staff (id, email, name, password_hash, admin, host, approver, auditor, created_at, disabled_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	_, err := d.db.ExecContext(ctx, q, string(s.ID), normEmail(s.Email), s.Name, s.PasswordHash,
		s.Admin, s.Host, s.Approver, s.Auditor, encTime(s.CreatedAt), encNullTime(s.DisabledAt))
	if err != nil {
		return storeErr("create staff", err)
	}
	return nil
}

const staffColumns = `staff.id, staff.email, staff.name, staff.password_hash, staff.admin, staff.host, staff.approver, staff.auditor, staff.created_at, staff.disabled_at,
	COALESCE(staff.sso_subject, '')`

// scanStaff scans staffColumns.
func scanStaff(r rowScanner) (store.Staff, error) {
	var (
		s        store.Staff
		created  string
		disabled sql.NullString
	)
	if err := r.Scan(&s.ID, &s.Email, &s.Name, &s.PasswordHash, &s.Admin, &s.Host, &s.Approver, &s.Auditor, &created, &disabled, &s.SSOSubject); err != nil {
		return store.Staff{}, err
	}
	var td timeDecoder
	s.CreatedAt, s.DisabledAt = td.time(created), td.null(disabled)
	return s, td.err
}

// oneStaff runs a query for at most one staff member; errcode.NotFound if none.
func (d *DB) oneStaff(ctx context.Context, op, query string, args ...any) (store.Staff, error) {
	s, err := scanStaff(d.db.QueryRowContext(ctx, query, args...))
	if err != nil {
		return store.Staff{}, storeErr(op, err)
	}
	return s, nil
}

// StaffByEmail finds an account by email, in any letter case; errcode.NotFound if none.
func (d *DB) StaffByEmail(ctx context.Context, email string) (store.Staff, error) {
	return d.oneStaff(ctx, "staff by email", `SELECT `+staffColumns+` FROM staff WHERE email = $1`, normEmail(email))
}

// StaffByID finds an account by ID; errcode.NotFound if none.
func (d *DB) StaffByID(ctx context.Context, id meeting.StaffID) (store.Staff, error) {
	return d.oneStaff(ctx, "staff by id", `SELECT `+staffColumns+` FROM staff WHERE id = $1`, string(id))
}

// ListStaff returns every account, ordered by email.
func (d *DB) ListStaff(ctx context.Context) ([]store.Staff, error) {
	return queryAll(ctx, d, "list staff", scanStaff, `SELECT `+staffColumns+` FROM staff ORDER BY email`)
}

// SetPassword replaces an account's password hash ("" removes password
// sign-in); errcode.NotFound if there is no such account.
func (d *DB) SetPassword(ctx context.Context, id meeting.StaffID, passwordHash string) error {
	return d.exec(ctx, "set password", `UPDATE staff SET password_hash = $2 WHERE id = $1`, string(id), passwordHash)
}

// BindSSOSubject binds an account to a single sign-on identity unless it is
// bound to another.
func (d *DB) BindSSOSubject(ctx context.Context, id meeting.StaffID, subject string) error {
	const q = `UPDATE staff SET sso_subject = $2 WHERE id = $1 AND (sso_subject IS NULL OR sso_subject = $2)`
	return d.exec(ctx, "bind sso subject", q, string(id), subject)
}

// SetRoles replaces an account's roles; errcode.NotFound if there is no such account.
func (d *DB) SetRoles(ctx context.Context, id meeting.StaffID, r store.Roles) error {
	const q = `UPDATE staff SET admin = $2, host = $3, approver = $4, auditor = $5 WHERE id = $1`
	return d.exec(ctx, "set roles", q, string(id), r.Admin, r.Host, r.Approver, r.Auditor)
}

// DisableStaff disables an account (keeping the first time) and deletes its
// logins in one transaction, so that no request signed in as it succeeds
// after this returns; errcode.NotFound if there is no such account.
func (d *DB) DisableStaff(ctx context.Context, id meeting.StaffID, at time.Time) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1`, string(id), encTime(at))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, sql.ErrNoRows)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM logins WHERE staff_id = $1`, string(id))
		return err
	})
	if err != nil {
		return storeErr("disable staff", err)
	}
	return nil
}

// EnableStaff clears an account's disabling; errcode.NotFound if there is no such account.
func (d *DB) EnableStaff(ctx context.Context, id meeting.StaffID) error {
	return d.exec(ctx, "enable staff", `UPDATE staff SET disabled_at = NULL WHERE id = $1`, string(id))
}

// CreateLogin records a login; errcode.NotFound if its staff member does not
// exist, errcode.Conflict if its ID hash is taken.
func (d *DB) CreateLogin(ctx context.Context, l store.Login) error {
	const q = `INSERT INTO logins (id_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`
	_, err := d.db.ExecContext(ctx, q, l.IDHash, string(l.StaffID), encTime(l.CreatedAt), encTime(l.ExpiresAt))
	if err != nil {
		return storeErr("create login", err)
	}
	return nil
}

// LoginStaff returns the active staff member of a login unexpired at now;
// errcode.NotFound if the login is missing or expired or its account disabled.
func (d *DB) LoginStaff(ctx context.Context, idHash string, now time.Time) (store.Staff, error) {
	const q = `SELECT ` + staffColumns + ` FROM logins JOIN staff ON staff.id = logins.staff_id
		WHERE logins.id_hash = $1 AND logins.expires_at > $2 AND staff.disabled_at IS NULL`
	return d.oneStaff(ctx, "login staff", q, idHash, encTime(now))
}

// DeleteLogin removes a login. Deleting one that does not exist is not an error.
func (d *DB) DeleteLogin(ctx context.Context, idHash string) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM logins WHERE id_hash = $1`, idHash); err != nil {
		return storeErr("delete login", err)
	}
	return nil
}

// CreateSigninLink records a one-time sign-in link; errcode.NotFound if its
// staff member does not exist.
func (d *DB) CreateSigninLink(ctx context.Context, l store.SigninLink) error {
	const q = `INSERT INTO signin_links (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`
	_, err := d.db.ExecContext(ctx, q, l.TokenHash, string(l.StaffID), encTime(l.CreatedAt), encTime(l.ExpiresAt))
	if err != nil {
		return storeErr("create signin link", err)
	}
	return nil
}

// UseSigninLink consumes an unused link unexpired at now and returns its staff
// ID, in one statement so that two uses cannot both succeed; errcode.NotFound
// if the link is missing, used or expired.
func (d *DB) UseSigninLink(ctx context.Context, tokenHash string, now time.Time) (meeting.StaffID, error) {
	const q = `UPDATE signin_links SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
		RETURNING staff_id`
	var id meeting.StaffID
	if err := d.db.QueryRowContext(ctx, q, tokenHash, encTime(now)).Scan(&id); err != nil {
		return "", storeErr("use signin link", err)
	}
	return id, nil
}
