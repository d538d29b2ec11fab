package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/store"
	"safemeet/internal/store/storetest"
)

// openTemp opens a new database file in a temporary directory.
func openTemp(t *testing.T) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "safemeet.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestEveryConnectionGetsTheSettings(t *testing.T) {
	d := openTemp(t)
	ctx := context.Background()
	// Hold several connections at once so that the pool must open new ones.
	var conns []interface{ Close() error }
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range 3 {
		c, err := d.db.Conn(ctx)
		if err != nil {
			t.Fatalf("Conn: %v", err)
		}
		conns = append(conns, c)
		for _, p := range []struct{ pragma, want string }{
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"synchronous", "1"},
			{"busy_timeout", "10000"},
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", p.pragma, err)
			}
			if got != p.want {
				t.Errorf("connection %d: PRAGMA %s = %q, want %q", i, p.pragma, got, p.want)
			}
		}
	}
}

func TestReopeningKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "safemeet.db")
	ctx := context.Background()
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := d.EnsureOrg(ctx, "Hillside", time.Now()); err != nil {
		t.Fatalf("EnsureOrg: %v", err)
	}
	d.Close()

	d, err = Open(path)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer d.Close()
	created, err := d.EnsureOrg(ctx, "Hillside", time.Now())
	if err != nil || created {
		t.Errorf("EnsureOrg after reopening = (%v, %v), want (false, nil)", created, err)
	}
	var versions int
	if err := d.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&versions); err != nil {
		t.Fatalf("counting migrations: %v", err)
	}
	if want := len(mustLoad(t)); versions != want {
		t.Errorf("schema_migrations holds %d versions, want %d", versions, want)
	}
}

func TestAPathWithAQuestionMarkIsRefused(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "a?b.db")); err == nil {
		t.Errorf("Open succeeded, want an error")
	}
}

func TestTheAuditLogRefusesEditsAndDeletions(t *testing.T) {
	d := openTemp(t)
	e := audit.Entry{At: time.Now(), Actor: "system", Action: "test", Outcome: audit.Allowed}
	if err := d.Append(context.Background(), e); err != nil {
		t.Fatalf("Append: %v", err)
	}
	for _, stmt := range []string{
		`UPDATE audit_log SET outcome = 'refused'`,
		`DELETE FROM audit_log`,
	} {
		if _, err := d.db.Exec(stmt); err == nil {
			t.Errorf("%s succeeded, want it refused", stmt)
		}
	}
}

func TestAppendsFromTwoProcessesKeepTheChainIntact(t *testing.T) {
	// Two DBs on one file stand for two processes (say the server and an
	// admin command): only SQLite's own locking keeps them in order.
	path := filepath.Join(t.TempDir(), "safemeet.db")
	ctx := context.Background()
	var dbs [2]*DB
	for i := range dbs {
		d, err := Open(path)
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer d.Close()
		dbs[i] = d
	}
	var wg sync.WaitGroup
	for w := range 10 {
		wg.Go(func() {
			for i := range 10 {
				e := audit.Entry{At: time.Now(), Actor: "system", Action: "test", Outcome: audit.Allowed,
					Details: map[string]string{"w": string(rune('a' + w)), "i": string(rune('a' + i))}}
				if err := dbs[w%2].Append(ctx, e); err != nil {
					t.Errorf("Append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	got, err := dbs[0].AuditEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatalf("AuditEntries: %v", err)
	}
	if len(got) != 100 {
		t.Errorf("read %d entries, want 100", len(got))
	}
	if bad, ok := audit.Verify(got); !ok {
		t.Errorf("Verify: chain breaks at %d", bad)
	}
}
