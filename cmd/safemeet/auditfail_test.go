package main

import (
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/signalling"
	"safemeet/internal/webrtctest"
)

// auditBreaker is a second connection to the running server's database file,
// standing for a full disk: while its trigger is in place, no audit entry can
// be written, by any connection.
type auditBreaker struct {
	t  *testing.T
	db *sql.DB
}

func breakAuditLog(t *testing.T, s *testServer) *auditBreaker {
	t.Helper()
	path := filepath.Join(s.m.Config.DataDir, "safemeet.db")
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("opening a second connection: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	b := &auditBreaker{t: t, db: db}
	b.exec(`CREATE TRIGGER audit_log_disk_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	return b
}

func (b *auditBreaker) exec(stmt string) {
	b.t.Helper()
	if _, err := b.db.Exec(stmt); err != nil {
		b.t.Fatalf("%s: %v", stmt, err)
	}
}

// mend lets audit entries be written again.
func (b *auditBreaker) mend() { b.exec(`DROP TRIGGER audit_log_disk_full`) }

// admissionsOf returns the audit log's admission entries about participant id.
func (s *testServer) admissionsOf(id string) []audit.Entry {
	s.t.Helper()
	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 100000)
	if err != nil {
		s.t.Fatalf("AuditEntries: %v", err)
	}
	return slices.DeleteFunc(entries, func(e audit.Entry) bool {
		return e.Action != "participant.admit" || e.Subject != "participant:"+id
	})
}

func hasErrorCode(p *webrtctest.Participant, code string) bool {
	return slices.ContainsFunc(p.Errors(), func(e signalling.Error) bool { return e.Code == code })
}

func TestAudit_WriteFailureRefusesAdmission(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tok := s.invite(mid, "Pat Parent", "parent")
	host := s.joinAsHost(mid, true)
	guest := s.mustJoinAsGuest(tok, true)
	waitFor(t, "the host to see Pat waiting", func() bool {
		return slices.ContainsFunc(host.Waiting(), func(w signalling.WaitingPerson) bool { return w.ID == guest.ID() })
	})

	b := breakAuditLog(t, s)
	if err := host.Admit(guest.ID()); err != nil {
		t.Fatalf("sending admit: %v", err)
	}
	waitFor(t, "the host to be told the admission could not be recorded", func() bool {
		return hasErrorCode(host, "audit_unavailable")
	})
	// Anything the admission had sent the guest would have gone before the
	// host's error; give it time to arrive all the same.
	time.Sleep(300 * time.Millisecond)
	if got := guest.Admission(); got != "waiting" {
		t.Errorf("guest admission = %q, want waiting", got)
	}
	if r := guest.Roster(); len(r) != 0 {
		t.Errorf("the waiting guest was sent a roster: %v", r)
	}
	if n := guest.TotalPackets(); n != 0 {
		t.Errorf("the waiting guest received %d media packets, want 0", n)
	}
	if p := guest.Problems(); len(p) != 0 {
		t.Errorf("guest saw protocol problems: %v", p)
	}
	if _, ok := host.Roster()[guest.ID()]; ok {
		t.Errorf("the host's roster shows the guest as admitted")
	}
	if got := s.admissionsOf(guest.ID()); len(got) != 0 {
		t.Errorf("audit log has admission entries %+v, want none", got)
	}

	b.mend()
	if err := host.Admit(guest.ID()); err != nil {
		t.Fatalf("sending admit again: %v", err)
	}
	waitFor(t, "the guest to be admitted once the log works", func() bool { return guest.Admission() == "admitted" })
	got := s.admissionsOf(guest.ID())
	if len(got) != 1 || got[0].Outcome != audit.Allowed {
		t.Errorf("audit log has admission entries %+v, want one allowed", got)
	}
	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 100000)
	if err != nil {
		t.Fatalf("AuditEntries: %v", err)
	}
	if bad, ok := audit.Verify(entries); !ok {
		t.Errorf("audit chain breaks at %d", bad)
	}
}
