package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// migrationFS holds the schema migrations, named NNNN_description.sql and
// applied in version order. Never edit one that has shipped; add the next.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrate applies, in order and each in its own transaction, every migration
// in fsys/migrations not yet recorded in schema_migrations. It refuses a
// database that has migrations this program does not know (a newer version).
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`
	if _, err := db.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var latest int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&latest); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if known := len(ms); latest > known {
		return fmt.Errorf("migrate: database schema version %d is newer than this program's %d", latest, known)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, m); err != nil {
			return fmt.Errorf("migrate: %s: %w", m.name, err)
		}
	}
	return nil
}

// applyMigration applies m unless it is already recorded. The check, the
// change and the record share one transaction, which takes the write lock at
// once, so two processes starting together cannot both apply it.
func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	const record = `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`
	if _, err := tx.ExecContext(ctx, record, m.version, m.name, encTime(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// loadMigrations reads fsys/migrations/*.sql and checks that their versions
// run 1, 2, 3… without gaps or repeats.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	slices.Sort(names)
	ms := make([]migration, 0, len(names))
	for i, name := range names {
		base := path.Base(name)
		digits, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(digits)
		if !ok || err != nil || version != i+1 {
			return nil, fmt.Errorf("migrate: %s: want a name starting %04d_", name, i+1)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		ms = append(ms, migration{version: version, name: base, sql: string(text)})
	}
	return ms, nil
}
