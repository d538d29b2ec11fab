package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func mustLoad(t *testing.T) []migration {
	t.Helper()
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	return ms
}

// rawDB opens a bare database file with the store's settings and no schema.
func rawDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "raw.db")+"?"+dsnParams())
	if err != nil {
		t.Fatalf("sql.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = $1`, name).Scan(&n)
	if err != nil {
		t.Fatalf("looking for table %s: %v", name, err)
	}
	return n == 1
}

func appliedVersions(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatalf("counting versions: %v", err)
	}
	return n
}

func TestTheEmbeddedMigrationsLoadInOrder(t *testing.T) {
	ms := mustLoad(t)
	if len(ms) == 0 || ms[0].name != "0001_init.sql" {
		t.Fatalf("first migration = %+v, want 0001_init.sql", ms)
	}
}

func TestMigrationsApplyInOrderOnce(t *testing.T) {
	db := rawDB(t)
	fsys := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)},
		"migrations/0002_b.sql": {Data: []byte(`CREATE TABLE b (y INTEGER REFERENCES a (x));`)},
	}
	for i := range 2 {
		if err := migrate(context.Background(), db, fsys); err != nil {
			t.Fatalf("migrate run %d: %v", i+1, err)
		}
	}
	if got := appliedVersions(t, db); got != 2 {
		t.Errorf("applied versions = %d, want 2", got)
	}
	var rows int
	if err := db.QueryRow(`SELECT COUNT(*) FROM a`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("rows in a = %d (%v), want 1: a second run must not re-apply", rows, err)
	}
}

func TestAFailingMigrationLeavesNoTrace(t *testing.T) {
	db := rawDB(t)
	fsys := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER);`)},
		"migrations/0002_b.sql": {Data: []byte(`CREATE TABLE b (y INTEGER); THIS IS NOT SQL;`)},
	}
	err := migrate(context.Background(), db, fsys)
	if err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("migrate = %v, want an error naming 0002_b.sql", err)
	}
	if !tableExists(t, db, "a") || tableExists(t, db, "b") {
		t.Errorf("table a exists %v, b exists %v; want a only", tableExists(t, db, "a"), tableExists(t, db, "b"))
	}
	if got := appliedVersions(t, db); got != 1 {
		t.Errorf("applied versions = %d, want 1", got)
	}
}

func TestBadlyNamedMigrationsAreRefused(t *testing.T) {
	tests := []struct {
		name  string
		files []string
	}{
		{"a name without a version is refused", []string{"migrations/init.sql"}},
		{"a gap in versions is refused", []string{"migrations/0001_a.sql", "migrations/0003_c.sql"}},
		{"a repeated version is refused", []string{"migrations/0001_a.sql", "migrations/0001_b.sql"}},
		{"a first version other than one is refused", []string{"migrations/0002_a.sql"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = &fstest.MapFile{Data: []byte(`SELECT 1;`)}
			}
			if _, err := loadMigrations(fsys); err == nil {
				t.Errorf("loadMigrations(%v) succeeded, want an error", tt.files)
			}
		})
	}
}

func TestADatabaseFromANewerProgramIsRefused(t *testing.T) {
	db := rawDB(t)
	one := fstest.MapFS{"migrations/0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER);`)}}
	two := fstest.MapFS{
		"migrations/0001_a.sql": one["migrations/0001_a.sql"],
		"migrations/0002_b.sql": {Data: []byte(`CREATE TABLE b (y INTEGER);`)},
	}
	if err := migrate(context.Background(), db, two); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	err := migrate(context.Background(), db, one)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("migrate with fewer migrations = %v, want a 'newer' error", err)
	}
}

func TestMeetingsFromBeforeProfilesFallUnderTheStrictestProfile(t *testing.T) {
	db := rawDB(t)
	ctx := context.Background()
	initSQL, err := fs.ReadFile(migrationFS, "migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, fstest.MapFS{"migrations/0001_init.sql": {Data: initSQL}}); err != nil {
		t.Fatalf("migrate to 0001: %v", err)
	}
	for _, stmt := range []string{
		`INSERT INTO staff (id, email, name, created_at) VALUES ('s1', 'a@x.example', 'A', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO meetings (id, host_id, title, purpose, starts_at, duration_ns, created_at)
			VALUES ('m1', 's1', 'T', 'P', '2026-01-01T00:00:00.000000000Z', 60, '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO invitations (id, meeting_id, token_hash, name, role_label, created_at)
			VALUES ('i1', 'm1', 'h1', 'N', 'R', '2026-01-01T00:00:00.000000000Z')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := migrate(ctx, db, migrationFS); err != nil {
		t.Fatalf("migrate to latest: %v", err)
	}
	var profile string
	if err := db.QueryRow(`SELECT profile_id FROM meetings WHERE id = 'm1'`).Scan(&profile); err != nil {
		t.Fatal(err)
	}
	if profile != "children-families" {
		t.Errorf("an existing meeting's profile = %q, want children-families", profile)
	}
}
