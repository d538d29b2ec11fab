package auth

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
	"safemeet/internal/store/sqlite"
)

var t0 = time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)

// fixture is a Service on a real SQLite store with a clock the test moves.
type fixture struct {
	t   *testing.T
	db  *sqlite.DB
	svc *Service
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "safemeet.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, now: t0}
	f.svc = &Service{Store: db, Now: func() time.Time { return f.now }}
	return f
}

// failingAudit is a store whose audit log cannot be written.
type failingAudit struct{ store.Store }

func (failingAudit) Append(context.Context, audit.Entry) error { return errors.New("disk full") }

// breakAudit makes every later audit write fail.
func (f *fixture) breakAudit() { f.svc.Store = failingAudit{f.db} }

// staff creates an account directly in the store; password "" means none.
func (f *fixture) staff(email, password string, admin, disabled bool) store.Staff {
	f.t.Helper()
	st := store.Staff{ID: meeting.NewStaffID(), Email: email, Name: "Someone", Roles: store.Roles{Admin: admin, Host: true}, CreatedAt: t0}
	if password != "" {
		st.PasswordHash = mustHash(f.t, password)
	}
	if disabled {
		st.DisabledAt = t0
	}
	if err := f.db.CreateStaff(context.Background(), st); err != nil {
		f.t.Fatalf("CreateStaff: %v", err)
	}
	return st
}

func mustHash(t *testing.T, pw string) string {
	t.Helper()
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	return h
}

// lastAudit returns the newest audit entry.
func (f *fixture) lastAudit() audit.Entry {
	f.t.Helper()
	es, err := f.db.AuditEntries(context.Background(), 0, 10000)
	if err != nil || len(es) == 0 {
		f.t.Fatalf("AuditEntries = %d entries, %v; want some", len(es), err)
	}
	if bad, ok := audit.Verify(es); !ok {
		f.t.Fatalf("audit chain breaks at %d", bad)
	}
	return es[len(es)-1]
}

// auditCount returns how many audit entries there are.
func (f *fixture) auditCount() int {
	f.t.Helper()
	es, err := f.db.AuditEntries(context.Background(), 0, 10000)
	if err != nil {
		f.t.Fatalf("AuditEntries: %v", err)
	}
	return len(es)
}

// wantAudit checks the newest audit entry's action, outcome, actor and details.
func (f *fixture) wantAudit(action string, outcome audit.Outcome, actor string, details map[string]string) {
	f.t.Helper()
	e := f.lastAudit()
	got := []any{e.Action, e.Outcome, e.Actor, e.Details}
	want := []any{action, outcome, actor, details}
	if !reflect.DeepEqual(got, want) {
		f.t.Errorf("last audit entry action, outcome, actor, details = %v, want %v", got, want)
	}
}

// wantErr fails the test unless err is exactly errcode.New(code).
func wantErr(t *testing.T, what string, err error, code errcode.Code) {
	t.Helper()
	if want := errcode.New(code); !reflect.DeepEqual(err, error(want)) {
		t.Errorf("%s: error = %#v, want exactly %#v", what, err, want)
	}
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, what string, err error, code errcode.Code) {
	t.Helper()
	if got := errcode.Of(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}
