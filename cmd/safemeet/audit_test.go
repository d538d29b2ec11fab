package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"safemeet/internal/audit"
	"safemeet/internal/store/sqlite"
)

func TestAudit_VerifyDetectsEditDeleteReorder(t *testing.T) {
	dir, entries := auditedDataFolder(t)
	n := int64(len(entries))
	if n < 5 {
		t.Fatalf("the server wrote %d audit entries, want at least 5 to tamper with", n)
	}

	out, errOut, status := runAuditCommand(t, "verify", "--data", dir)
	want := fmt.Sprintf("Audit log intact: %d entries, last hash %s.\n", n, entries[n-1].Hash)
	if status != 0 || out != want {
		t.Fatalf("verify of the untouched log: status %d, output %q (stderr %q); want 0 and %q", status, out, errOut, want)
	}

	mid := n / 2
	tests := []struct {
		name       string
		tamper     func(t *testing.T, db *sql.DB)
		wantBad    int64
		wantReason string
	}{
		{"an entry's actor edited in place is reported at that entry", func(t *testing.T, db *sql.DB) {
			execSQL(t, db, `UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = $1`, mid)
		}, mid, "entry edited (its hash does not match its contents)"},
		{"an entry deleted from the middle is reported where it is missing", func(t *testing.T, db *sql.DB) {
			execSQL(t, db, `DELETE FROM audit_log WHERE seq = $1`, mid)
		}, mid, fmt.Sprintf("entry missing or out of order (expected sequence %d, found %d)", mid, mid+1)},
		{"two entries swapped under their sequence numbers are reported at the first", func(t *testing.T, db *sql.DB) {
			swapRows(t, db, 2, n-1)
		}, 2, "entry edited or moved here"},
		{"an entry edited with its hash recomputed is reported at the next entry", func(t *testing.T, db *sql.DB) {
			e := entries[mid-1]
			e.Details = map[string]string{"note": "nothing happened"}
			execSQL(t, db, `UPDATE audit_log SET details = $1, hash = $2 WHERE seq = $3`,
				`{"note":"nothing happened"}`, audit.ChainHash(e.PrevHash, e), mid)
		}, mid + 1, "does not follow the entry before it (previous hash differs)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			copied := tamperedCopy(t, dir, tt.tamper)
			out, errOut, status := runAuditCommand(t, "verify", "--data", copied)
			prefix := fmt.Sprintf("Audit log BROKEN at entry %d: ", tt.wantBad)
			if status != 1 || !strings.HasPrefix(out, prefix) || !strings.Contains(out, tt.wantReason) {
				t.Errorf("verify: status %d, output %q (stderr %q); want 1 and %q", status, out, errOut, prefix+tt.wantReason)
			}

			// Read in pages smaller than the log, the verdict is the same.
			db, err := sqlite.Open(filepath.Join(copied, "safemeet.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			v, err := verifyAuditLog(context.Background(), db, 2, nil)
			if err != nil || v.bad != tt.wantBad {
				t.Errorf("verify in pages of 2: broken at %d (%v), want %d", v.bad, err, tt.wantBad)
			}
		})
	}
}

func TestAudit_VerifyWithAKeptHashDetectsEntriesRemovedFromTheEnd(t *testing.T) {
	dir, entries := auditedDataFolder(t)
	n := int64(len(entries))
	kept := fmt.Sprintf("%d:%s", n, entries[n-1].Hash)

	if out, errOut, status := runAuditCommand(t, "verify", "--data", dir, "--expect", kept); status != 0 {
		t.Fatalf("verify --expect of the untouched log: status %d, output %q (stderr %q), want 0", status, out, errOut)
	}

	truncated := tamperedCopy(t, dir, func(t *testing.T, db *sql.DB) {
		execSQL(t, db, `DELETE FROM audit_log WHERE seq = $1`, n)
	})
	if _, _, status := runAuditCommand(t, "verify", "--data", truncated); status != 0 {
		t.Errorf("verify without --expect of a log cut short: status %d, want 0 (the chain cannot show it)", status)
	}
	out, _, status := runAuditCommand(t, "verify", "--data", truncated, "--expect", kept)
	if want := fmt.Sprintf("Audit log BROKEN at entry %d: entry missing", n); status != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("verify --expect of a log cut short: status %d, output %q; want 1 and %q…", status, out, want)
	}

	rewritten := tamperedCopy(t, dir, func(t *testing.T, db *sql.DB) {
		e := entries[n-1]
		e.Actor = "staff:someone-else"
		execSQL(t, db, `UPDATE audit_log SET actor = $1, hash = $2 WHERE seq = $3`, e.Actor, audit.ChainHash(e.PrevHash, e), n)
	})
	out, _, status = runAuditCommand(t, "verify", "--data", rewritten, "--expect", kept)
	if want := fmt.Sprintf("Audit log BROKEN at entry %d: its hash differs from the copy kept", n); status != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("verify --expect of a rewritten last entry: status %d, output %q; want 1 and %q…", status, out, want)
	}
}

func TestAudit_VerifyOfAnUnreadableEntryIsNotReportedIntact(t *testing.T) {
	dir, _ := auditedDataFolder(t)
	damaged := tamperedCopy(t, dir, func(t *testing.T, db *sql.DB) {
		execSQL(t, db, `UPDATE audit_log SET details = 'not json' WHERE seq = 2`)
	})
	out, errOut, status := runAuditCommand(t, "verify", "--data", damaged)
	if status != 2 || out != "" || !strings.Contains(errOut, "audit entry 2") {
		t.Errorf("verify of a log with an unreadable entry: status %d, stdout %q, stderr %q; want 2 and entry 2 named", status, out, errOut)
	}
}

func TestAudit_UsageAndUncheckableLogs(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	tests := []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    string // in stdout
		wantErr    string // in stderr
	}{
		{"audit --help prints the subcommands", []string{"--help"}, 0, "safemeet audit verify", ""},
		{"audit verify --help explains what the chain cannot show", []string{"verify", "--help"}, 0, "removed from the end", ""},
		{"audit alone is a usage error", nil, 2, "", "usage:"},
		{"an unknown audit subcommand is a usage error", []string{"erase"}, 2, "", `unknown audit subcommand "erase"`},
		{"an unknown flag is a usage error", []string{"verify", "--dta", missing}, 2, "", "flag provided but not defined"},
		{"a malformed kept hash is a usage error", []string{"verify", "--data", missing, "--expect", "7"}, 2, "", "want SEQ:HASH"},
		{"a data folder without a database is not checked", []string{"verify", "--data", missing}, 2, "", "no safemeet database to check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, status := runAuditCommand(t, tt.args...)
			if status != tt.wantStatus || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("status %d, stdout %q, stderr %q; want %d, %q in stdout and %q in stderr",
					status, out, errOut, tt.wantStatus, tt.wantOut, tt.wantErr)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("verify of a missing data folder left %s behind (%v)", missing, err)
	}
}

// auditedDataFolder runs the real server in a new data folder, signs in,
// schedules a meeting and invites someone (each writing audit entries), stops
// the server and returns the folder and its audit entries.
func auditedDataFolder(t *testing.T) (string, []audit.Entry) {
	t.Helper()
	dir := t.TempDir()
	s := startServer(t, func(m *Main) { m.Config.DataDir = dir })
	id := s.createMeeting()
	s.invite(id, "Pat Parent", "parent")
	if err := s.m.Close(); err != nil {
		t.Fatalf("closing the server: %v", err)
	}
	db, err := sqlite.Open(filepath.Join(dir, "safemeet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.AuditEntries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return dir, entries
}

// runAuditCommand runs `safemeet audit ARGS…` and returns its output and exit status.
func runAuditCommand(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"audit"}, args...), &out, &errOut)
	var code exitCode
	switch {
	case err == nil:
		status = 0
	case errors.As(err, &code):
		status = int(code)
	default:
		status = 1
		fmt.Fprintln(&errOut, "safemeet:", describe(err))
	}
	return out.String(), errOut.String(), status
}

// tamperedCopy copies the data folder and, as an attacker with the file can,
// drops the audit log's append-only triggers and runs tamper on the copy's
// database.
func tamperedCopy(t *testing.T, dir string, tamper func(*testing.T, *sql.DB)) string {
	t.Helper()
	copied := t.TempDir()
	if err := os.CopyFS(copied, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(copied, "safemeet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	execSQL(t, db, `DROP TRIGGER audit_log_no_update`)
	execSQL(t, db, `DROP TRIGGER audit_log_no_delete`)
	tamper(t, db)
	return copied
}

func execSQL(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	res, err := db.Exec(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if n, _ := res.RowsAffected(); n == 0 && !strings.HasPrefix(query, "DROP") {
		t.Fatalf("%s changed no row", query)
	}
}

// auditColumns are audit_log's columns other than seq.
const auditColumns = `at, actor, action, subject, outcome, details, meeting, prev_hash, hash`

// swapRows exchanges every column but seq between two audit_log rows.
func swapRows(t *testing.T, db *sql.DB, a, b int64) {
	t.Helper()
	read := func(seq int64) []any {
		vals := make([]any, 9)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := db.QueryRow(`SELECT `+auditColumns+` FROM audit_log WHERE seq = $1`, seq).Scan(ptrs...); err != nil {
			t.Fatalf("reading audit entry %d: %v", seq, err)
		}
		return vals
	}
	const write = `UPDATE audit_log SET (` + auditColumns + `) = ($1, $2, $3, $4, $5, $6, $7, $8, $9) WHERE seq = $10`
	rowA, rowB := read(a), read(b)
	execSQL(t, db, write, append(rowB, a)...)
	execSQL(t, db, write, append(rowA, b)...)
}
