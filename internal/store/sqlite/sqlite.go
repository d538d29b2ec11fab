// Package sqlite is safemeet's default store: one SQLite file, opened with the
// pure-Go modernc.org/sqlite driver in WAL mode with foreign keys on, its schema
// kept by ordered migrations embedded in the binary.
//
// SQL uses $1-style placeholders, which both this driver and pgx accept, so a
// PostgreSQL store can share the statements.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"safemeet/internal/errcode"
	"safemeet/internal/store"
)

var _ store.Store = (*DB)(nil)

// busyTimeoutMS is how long a connection waits for another writer's lock
// before giving up with SQLITE_BUSY.
const busyTimeoutMS = 10000

// DB is a store.Store kept in one SQLite file. It is safe for concurrent use.
type DB struct {
	db *sql.DB
}

// Open opens (creating if need be) the database file at path and brings its
// schema up to date. Every pooled connection gets the same settings: WAL
// journal, foreign keys on, a busy timeout, synchronous=NORMAL, and
// transactions that take the write lock when they begin (BEGIN IMMEDIATE), so
// that a read-then-write transaction such as an audit append never fails
// half-way because another writer got in first.
func Open(path string) (*DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: open: unusable path %q", path)
	}
	db, err := sql.Open("sqlite", path+"?"+dsnParams())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(context.Background(), db, migrationFS); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &DB{db: db}, nil
}

// dsnParams returns the connection settings as DSN query parameters.
func dsnParams() string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return q.Encode()
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// inTx runs fn in a transaction, committing if it returns nil.
func (d *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// exec runs a statement that must change a row; errcode.NotFound if none matched.
func (d *DB) exec(ctx context.Context, op, query string, args ...any) error {
	res, err := d.db.ExecContext(ctx, query, args...)
	if err != nil {
		return storeErr(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeErr(op, err)
	}
	if n == 0 {
		return errcode.New(errcode.NotFound)
	}
	return nil
}

// storeErr turns a driver error into the store's vocabulary: a unique-key
// clash is errcode.Conflict, a missing referenced row (a foreign key) is
// errcode.NotFound, no rows is errcode.NotFound, anything else is wrapped
// with the operation's name.
func storeErr(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errcode.New(errcode.NotFound)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errcode.Wrap(errcode.Conflict, fmt.Errorf("sqlite: %s: %w", op, err))
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errcode.Wrap(errcode.NotFound, fmt.Errorf("sqlite: %s: %w", op, err))
		}
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

// queryAll runs a query and scans each row with scan.
func queryAll[T any](ctx context.Context, d *DB, op string, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storeErr(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, storeErr(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(op, err)
	}
	return out, nil
}
