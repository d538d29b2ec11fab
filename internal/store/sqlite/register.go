package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// roleNames and admissionNames are how roles and admissions are stored.
var (
	roleNames      = map[meeting.Role]string{meeting.RoleHost: "host", meeting.RoleCoHost: "co-host", meeting.RoleParticipant: "participant"}
	admissionNames = map[meeting.Admission]string{
		meeting.AdmissionWaiting: "waiting", meeting.AdmissionAdmitted: "admitted",
		meeting.AdmissionDenied: "denied", meeting.AdmissionRemoved: "removed",
	}
)

func lookupKey[K comparable](m map[K]string, v string) K {
	for k, name := range m {
		if name == v {
			return k
		}
	}
	var zero K
	return zero
}

// SaveStay writes a stay as it now stands.
func (d *DB) SaveStay(ctx context.Context, s store.Stay) error {
	const q = `INSERT INTO stays (meeting_id, participant_id, person_key, name, role_label, display_name, age_group, consent_by,
			role, admission, contract_accepted_at, arrived_at, admitted_at, admitted_by, admitted_since, present_ns, left_at, outcome)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
		ON CONFLICT (meeting_id, participant_id) DO UPDATE SET
			display_name = excluded.display_name, role = excluded.role, admission = excluded.admission,
			contract_accepted_at = excluded.contract_accepted_at, admitted_at = excluded.admitted_at,
			admitted_by = excluded.admitted_by, admitted_since = excluded.admitted_since,
			present_ns = excluded.present_ns, left_at = excluded.left_at, outcome = excluded.outcome`
	_, err := d.db.ExecContext(ctx, q, string(s.Meeting), string(s.Participant), s.Key, s.Name, s.RoleLabel, s.DisplayName,
		string(s.AgeGroup), s.ConsentBy, roleNames[s.Role], admissionNames[s.Admission], encNullTime(s.ContractAcceptedAt),
		encTime(s.ArrivedAt), encNullTime(s.AdmittedAt), s.AdmittedBy, encNullTime(s.AdmittedSince), int64(s.Present),
		encNullTime(s.LeftAt), s.Outcome)
	if err != nil {
		return storeErr("save stay", err)
	}
	return nil
}

// Stays lists a meeting's stays, in arrival order.
func (d *DB) Stays(ctx context.Context, id meeting.ID) ([]store.Stay, error) {
	const q = `SELECT meeting_id, participant_id, person_key, name, role_label, display_name, age_group, consent_by,
			role, admission, contract_accepted_at, arrived_at, admitted_at, admitted_by, admitted_since, present_ns, left_at, outcome
		FROM stays WHERE meeting_id = $1 ORDER BY arrived_at, participant_id`
	return queryAll(ctx, d, "stays", func(r rowScanner) (store.Stay, error) {
		var (
			s                               store.Stay
			role, admission, arrived        string
			contract, admitted, since, left sql.NullString
			present                         int64
		)
		if err := r.Scan(&s.Meeting, &s.Participant, &s.Key, &s.Name, &s.RoleLabel, &s.DisplayName, &s.AgeGroup, &s.ConsentBy,
			&role, &admission, &contract, &arrived, &admitted, &s.AdmittedBy, &since, &present, &left, &s.Outcome); err != nil {
			return s, err
		}
		var td timeDecoder
		s.Role, s.Admission = lookupKey(roleNames, role), lookupKey(admissionNames, admission)
		s.ContractAcceptedAt, s.ArrivedAt, s.AdmittedAt = td.null(contract), td.time(arrived), td.null(admitted)
		s.AdmittedSince, s.LeftAt, s.Present = td.null(since), td.null(left), time.Duration(present)
		return s, td.err
	}, q, string(id))
}

// SaveRoomState writes a room's state as it now stands.
func (d *DB) SaveRoomState(ctx context.Context, s store.RoomState) error {
	const q = `INSERT INTO room_states (meeting_id, opened_at, locked, auto_locked, interruptions, closed_at, seen_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (meeting_id) DO UPDATE SET opened_at = excluded.opened_at, locked = excluded.locked,
			auto_locked = excluded.auto_locked, interruptions = excluded.interruptions, closed_at = excluded.closed_at,
			seen_at = excluded.seen_at`
	_, err := d.db.ExecContext(ctx, q, string(s.Meeting), encTime(s.OpenedAt), s.Locked, s.AutoLocked, s.Interruptions,
		encNullTime(s.ClosedAt), encNullTime(s.SeenAt))
	if err != nil {
		return storeErr("save room state", err)
	}
	return nil
}

const roomStateColumns = `meeting_id, opened_at, locked, auto_locked, interruptions, closed_at, seen_at`

func scanRoomState(r rowScanner) (store.RoomState, error) {
	var (
		s            store.RoomState
		opened       string
		closed, seen sql.NullString
	)
	if err := r.Scan(&s.Meeting, &opened, &s.Locked, &s.AutoLocked, &s.Interruptions, &closed, &seen); err != nil {
		return s, err
	}
	var td timeDecoder
	s.OpenedAt, s.ClosedAt, s.SeenAt = td.time(opened), td.null(closed), td.null(seen)
	return s, td.err
}

// RoomState reads a meeting's room state; errcode.NotFound if it never ran.
func (d *DB) RoomState(ctx context.Context, id meeting.ID) (store.RoomState, error) {
	s, err := scanRoomState(d.db.QueryRowContext(ctx, `SELECT `+roomStateColumns+` FROM room_states WHERE meeting_id = $1`, string(id)))
	if err != nil {
		return store.RoomState{}, storeErr("room state", err)
	}
	return s, nil
}

// OpenRoomStates lists the rooms not closed.
func (d *DB) OpenRoomStates(ctx context.Context) ([]store.RoomState, error) {
	const q = `SELECT ` + roomStateColumns + ` FROM room_states WHERE closed_at IS NULL ORDER BY opened_at, meeting_id`
	return queryAll(ctx, d, "open room states", scanRoomState, q)
}

// RecordConcern keeps a safeguarding concern.
func (d *DB) RecordConcern(ctx context.Context, c store.Concern) error {
	const q = `INSERT INTO concerns (id, meeting_id, raised_by, raised_by_name, about, about_name, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	_, err := d.db.ExecContext(ctx, q, c.ID, string(c.Meeting), c.RaisedBy, c.RaisedByName, string(c.About), c.AboutName, c.Note, encTime(c.At))
	if err != nil {
		return storeErr("record concern", err)
	}
	return nil
}

// Concerns lists a meeting's concerns, oldest first.
func (d *DB) Concerns(ctx context.Context, id meeting.ID) ([]store.Concern, error) {
	const q = `SELECT id, meeting_id, raised_by, raised_by_name, about, about_name, note, at FROM concerns
		WHERE meeting_id = $1 ORDER BY at, id`
	return queryAll(ctx, d, "concerns", func(r rowScanner) (store.Concern, error) {
		var (
			c  store.Concern
			at string
		)
		if err := r.Scan(&c.ID, &c.Meeting, &c.RaisedBy, &c.RaisedByName, &c.About, &c.AboutName, &c.Note, &at); err != nil {
			return c, err
		}
		var td timeDecoder
		c.At = td.time(at)
		return c, td.err
	}, q, string(id))
}

// RegisterMeetings lists meetings for the register, soonest start first.
func (d *DB) RegisterMeetings(ctx context.Context, f store.RegisterFilter) ([]meeting.Meeting, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("starts_at >= ?", encTime(f.From))
	}
	if !f.To.IsZero() {
		add("starts_at < ?", encTime(f.To))
	}
	if f.Host != "" {
		add("host_id = ?", string(f.Host))
	}
	if f.Profile != "" {
		add("profile_id = ?", string(f.Profile))
	}
	if f.Purpose != "" {
		args = append(args, f.Purpose, "%"+escapeLike(strings.ToLower(f.Purpose))+"%")
		n := len(args)
		where = append(where, "(category = $"+itoa(n-1)+" OR lower(purpose) LIKE $"+itoa(n)+` ESCAPE '\')`)
	}
	q := `SELECT ` + meetingColumns + ` FROM meetings`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY starts_at, id`
	return queryAll(ctx, d, "register meetings", scanMeeting, q, args...)
}

func itoa(n int) string { return strconv.Itoa(n) }

// escapeLike escapes LIKE's wildcards so a search for "50%" finds "50%".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// RetentionCandidates lists meetings that ended before endedBefore and still
// have chat or stays to purge.
func (d *DB) RetentionCandidates(ctx context.Context, endedBefore time.Time) ([]store.Retained, error) {
	const q = `SELECT ` + meetingColumns + `,
			EXISTS (SELECT 1 FROM concerns WHERE concerns.meeting_id = meetings.id), chat_purged_at, register_purged_at
		FROM meetings WHERE ended_at IS NOT NULL AND ended_at < $1 AND (chat_purged_at IS NULL OR register_purged_at IS NULL)
		ORDER BY ended_at, id`
	return queryAll(ctx, d, "retention candidates", func(r rowScanner) (store.Retained, error) {
		var (
			x            store.Retained
			chat, detail sql.NullString
		)
		m, err := scanMeeting(extraScanner{r, []any{&x.Held, &chat, &detail}})
		if err != nil {
			return x, err
		}
		var td timeDecoder
		x.Meeting, x.ChatPurgedAt, x.RegisterPurgedAt = m, td.null(chat), td.null(detail)
		return x, td.err
	}, q, encTime(endedBefore))
}

// extraScanner scans a row whose first columns are read by another scan
// function and whose last columns go into extra.
type extraScanner struct {
	r     rowScanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.r.Scan(append(dest, e.extra...)...) }

// PurgeChat deletes a meeting's chat text and marks it purged at.
func (d *DB) PurgeChat(ctx context.Context, id meeting.ID, at time.Time) (int64, error) {
	return d.purge(ctx, "purge chat", `DELETE FROM chat_messages WHERE meeting_id = $1`,
		`UPDATE meetings SET chat_purged_at = COALESCE(chat_purged_at, $2) WHERE id = $1`, id, at)
}

// PurgeStays deletes a meeting's stays and marks its register details purged at.
func (d *DB) PurgeStays(ctx context.Context, id meeting.ID, at time.Time) (int64, error) {
	return d.purge(ctx, "purge stays", `DELETE FROM stays WHERE meeting_id = $1`,
		`UPDATE meetings SET register_purged_at = COALESCE(register_purged_at, $2) WHERE id = $1`, id, at)
}

// purge runs a deletion and its marking in one transaction, refusing if the
// meeting has a concern (checked inside the transaction, so a concern raised
// meanwhile still holds).
func (d *DB) purge(ctx context.Context, op, del, mark string, id meeting.ID, at time.Time) (int64, error) {
	var n int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var held bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM concerns WHERE meeting_id = $1)`, string(id)).Scan(&held); err != nil {
			return err
		}
		if held {
			return nil
		}
		res, err := tx.ExecContext(ctx, del, string(id))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, mark, string(id), encTime(at))
		return err
	})
	if err != nil {
		return 0, storeErr(op, err)
	}
	return n, nil
}
