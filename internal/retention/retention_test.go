package retention

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
	"safemeet/internal/store"
	"safemeet/internal/store/sqlite"
)

// now is when the first run happens.
var now = time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC)

// fixture is a real SQLite store with one host and a profile that keeps chat
// 30 days and the register 90.
type fixture struct {
	t       *testing.T
	db      *sqlite.DB
	path    string
	host    store.Staff
	profile meeting.ProfileID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "safemeet.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, db: db, path: path}
	f.host = store.Staff{ID: meeting.NewStaffID(), Email: "host@x.example", Name: "Hana Host", Roles: store.Roles{Host: true}, CreatedAt: now.AddDate(-1, 0, 0)}
	f.must("CreateStaff", db.CreateStaff(ctx, f.host))
	shipped, err := db.Profile(ctx, policy.ProfileAdults)
	f.must("Profile", err)
	p := policy.Profile{
		ID: meeting.NewProfileID(), Name: "Short keeping", Rules: shipped.Rules, Scheduling: shipped.Scheduling,
		Retention: policy.Retention{ChatDays: 30, RegisterDays: 90},
	}
	f.must("CreateProfile", db.CreateProfile(ctx, p, now.AddDate(-1, 0, 0)))
	f.profile = p.ID
	return f
}

func (f *fixture) must(what string, err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

// endedMeeting adds a meeting that ended at ended, with chat messages and two stays.
func (f *fixture) endedMeeting(title string, ended time.Time, chat int) meeting.Meeting {
	f.t.Helper()
	ctx := context.Background()
	start := ended.Add(-time.Hour)
	m := meeting.Meeting{
		ID: meeting.NewID(), HostID: f.host.ID, Title: title, Purpose: "Review", Profile: f.profile,
		StartsAt: start, Duration: time.Hour, CreatedAt: start.AddDate(0, 0, -7), Approval: meeting.ApprovalApproved,
	}
	f.must("CreateMeeting", f.db.CreateMeeting(ctx, m))
	for i := range chat {
		f.must("RecordChat", f.db.RecordChat(ctx, store.ChatRecord{
			Meeting: m.ID, Sender: "staff:" + string(f.host.ID), SenderName: f.host.Name, Audience: "everyone",
			Text: "message " + strconv.Itoa(i), At: start.Add(time.Duration(i) * time.Minute),
		}))
	}
	for _, who := range []struct {
		key, name string
		role      meeting.Role
	}{{"staff:" + string(f.host.ID), f.host.Name, meeting.RoleHost}, {"invitation:inv1", "Pat Parent", meeting.RoleParticipant}} {
		f.must("SaveStay", f.db.SaveStay(ctx, store.Stay{
			Meeting: m.ID, Participant: meeting.NewParticipantID(), Key: who.key, Name: who.name, RoleLabel: "Attendee",
			Role: who.role, Admission: meeting.AdmissionAdmitted, ArrivedAt: start, AdmittedAt: start, AdmittedBy: f.host.Name,
			Present: time.Hour, LeftAt: ended, Outcome: "left",
		}))
	}
	f.must("EndMeeting", f.db.EndMeeting(ctx, m.ID, ended))
	m.EndedAt = ended
	return m
}

// concern flags a concern in m.
func (f *fixture) concern(m meeting.Meeting) {
	f.t.Helper()
	f.must("RecordConcern", f.db.RecordConcern(context.Background(), store.Concern{
		ID: meeting.RandomID(), Meeting: m.ID, RaisedBy: "staff:" + string(f.host.ID), RaisedByName: f.host.Name,
		Note: "Disclosure", At: m.EndedAt.Add(-time.Minute),
	}))
}

// kept returns how many chat messages and stays m still has.
func (f *fixture) kept(m meeting.Meeting) (chat, stays int) {
	f.t.Helper()
	ctx := context.Background()
	c, err := f.db.ChatRecords(ctx, m.ID)
	f.must("ChatRecords", err)
	s, err := f.db.Stays(ctx, m.ID)
	f.must("Stays", err)
	return len(c), len(s)
}

func (f *fixture) wantKept(m meeting.Meeting, chat, stays int) {
	f.t.Helper()
	if c, s := f.kept(m); c != chat || s != stays {
		f.t.Errorf("meeting %q keeps %d messages and %d stays, want %d and %d", m.Title, c, s, chat, stays)
	}
}

// entries returns the retention job's audit entries after seq.
func (f *fixture) entries(after int64) []audit.Entry {
	f.t.Helper()
	all, err := f.db.AuditEntries(context.Background(), after, 10000)
	f.must("AuditEntries", err)
	var out []audit.Entry
	for _, e := range all {
		if e.Actor == actor {
			out = append(out, e)
		}
	}
	return out
}

// lastSeq is the audit log's last sequence number.
func (f *fixture) lastSeq() int64 {
	f.t.Helper()
	all, err := f.db.AuditEntries(context.Background(), 0, 10000)
	f.must("AuditEntries", err)
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].Seq
}

// entryFor finds the entry with action about m; ok false if there is none.
func entryFor(es []audit.Entry, action string, m meeting.Meeting) (audit.Entry, int) {
	var (
		found audit.Entry
		n     int
	)
	for _, e := range es {
		if e.Action == action && e.Meeting == string(m.ID) {
			found, n = e, n+1
		}
	}
	return found, n
}

func (f *fixture) job(at *time.Time, st store.Store) *Job {
	if st == nil {
		st = f.db
	}
	return &Job{Store: st, Now: func() time.Time { return *at }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func wantDetails(t *testing.T, e audit.Entry, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if e.Details[k] != v {
			t.Errorf("%s of meeting %s: details[%q] = %q, want %q (all: %v)", e.Action, e.Meeting, k, e.Details[k], v, e.Details)
		}
	}
}

func TestRetention_PurgesExpiredChatButKeepsHeld(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.endedMeeting("A", now.AddDate(0, 0, -40), 3)
	b := f.endedMeeting("B", now.AddDate(0, 0, -40), 2)
	f.concern(b)
	c := f.endedMeeting("C", now.AddDate(0, 0, -10), 4)
	at := now
	j := f.job(&at, nil)

	r, err := j.RunOnce(ctx)
	if err != nil {
		t.Fatalf("first RunOnce: %v", err)
	}
	if want := (Report{ChatPurged: 1, Held: 1}); r != want {
		t.Errorf("first run reported %+v, want %+v", r, want)
	}
	f.wantKept(a, 0, 2) // chat expired at 30 days, the register keeps 90
	f.wantKept(b, 2, 2) // held by its concern
	f.wantKept(c, 4, 2) // not expired
	first := f.entries(0)
	if e, n := entryFor(first, actionPurge, a); n != 1 {
		t.Errorf("%d retention.purge entries for A, want 1", n)
	} else {
		wantDetails(t, e, map[string]string{"what": "chat", "messages": "3"})
		if e.Outcome != audit.Allowed || e.Subject != "meeting:"+string(a.ID) || !e.At.Equal(now) {
			t.Errorf("purge entry = %+v, want allowed, about meeting %s, at %v", e, a.ID, now)
		}
	}
	if e, n := entryFor(first, actionHold, b); n != 1 {
		t.Errorf("%d retention.hold entries for B, want 1", n)
	} else {
		wantDetails(t, e, map[string]string{"what": "chat"})
	}
	if len(first) != 2 {
		t.Errorf("first run wrote %d entries, want 2: %+v", len(first), first)
	}

	seq := f.lastSeq()
	r, err = j.RunOnce(ctx)
	if err != nil {
		t.Fatalf("second RunOnce: %v", err)
	}
	if want := (Report{Held: 1}); r != want {
		t.Errorf("second run reported %+v, want %+v", r, want)
	}
	f.wantKept(a, 0, 2)
	f.wantKept(b, 2, 2)
	f.wantKept(c, 4, 2)
	second := f.entries(seq)
	if len(second) != 1 || second[0].Action != actionHold || second[0].Meeting != string(b.ID) {
		t.Errorf("second run wrote %+v, want only B's hold", second)
	}

	at = now.AddDate(0, 0, 60) // A and B ended 100 days ago, C 70
	seq = f.lastSeq()
	r, err = j.RunOnce(ctx)
	if err != nil {
		t.Fatalf("third RunOnce: %v", err)
	}
	if want := (Report{ChatPurged: 1, StaysPurged: 1, Held: 1}); r != want {
		t.Errorf("run at 100 days reported %+v, want %+v", r, want)
	}
	f.wantKept(a, 0, 0)
	f.wantKept(b, 2, 2)
	f.wantKept(c, 0, 2)
	third := f.entries(seq)
	if e, n := entryFor(third, actionPurge, a); n != 1 {
		t.Errorf("%d retention.purge entries for A at 100 days, want 1", n)
	} else {
		wantDetails(t, e, map[string]string{"what": "register", "stays": "2"})
	}
	if e, n := entryFor(third, actionHold, b); n != 1 {
		t.Errorf("%d retention.hold entries for B at 100 days, want 1", n)
	} else {
		wantDetails(t, e, map[string]string{"what": "chat,register"})
	}
	if e, n := entryFor(third, actionPurge, c); n != 1 {
		t.Errorf("%d retention.purge entries for C at 100 days, want 1", n)
	} else {
		wantDetails(t, e, map[string]string{"what": "chat", "messages": "4"})
	}
	if len(third) != 3 {
		t.Errorf("run at 100 days wrote %d entries, want 3: %+v", len(third), third)
	}
	all, err := f.db.AuditEntries(ctx, 0, 10000)
	f.must("AuditEntries", err)
	if bad, ok := audit.Verify(all); !ok {
		t.Errorf("audit chain breaks at %d", bad)
	}
	for _, m := range []meeting.Meeting{a, b, c} {
		if got, err := f.db.Meeting(ctx, m.ID); err != nil || got.Title != m.Title || !got.EndedAt.Equal(m.EndedAt) {
			t.Errorf("meeting %q after purges = %+v, %v; want it kept", m.Title, got, err)
		}
	}
}

// failingAudit is the real store with an audit log that cannot be written.
type failingAudit struct{ store.Store }

var errDiskFull = errors.New("disk full")

func (failingAudit) Append(context.Context, audit.Entry) error { return errDiskFull }

func TestRetention_NothingIsPurgedWhenTheAuditLogCannotBeWritten(t *testing.T) {
	f := newFixture(t)
	a := f.endedMeeting("A", now.AddDate(0, 0, -100), 3)
	at := now
	r, err := f.job(&at, failingAudit{f.db}).RunOnce(context.Background())
	if !errors.Is(err, errDiskFull) {
		t.Errorf("RunOnce error = %v, want %v", err, errDiskFull)
	}
	if r != (Report{}) {
		t.Errorf("RunOnce reported %+v, want nothing done", r)
	}
	f.wantKept(a, 3, 2)
	if es := f.entries(0); len(es) != 0 {
		t.Errorf("audit log has %+v, want no retention entries", es)
	}
	// With the log back, the same run purges both.
	if _, err := f.job(&at, nil).RunOnce(context.Background()); err != nil {
		t.Fatalf("RunOnce with a working log: %v", err)
	}
	f.wantKept(a, 0, 0)
}

// staleCandidates is the real store listing candidates as they were before a
// concern was raised: the concern arrives between listing and purging.
type staleCandidates struct{ store.Store }

func (s staleCandidates) RetentionCandidates(ctx context.Context, before time.Time) ([]store.Retained, error) {
	cs, err := s.Store.RetentionCandidates(ctx, before)
	for i := range cs {
		cs[i].Held = false
	}
	return cs, err
}

func TestRetention_AConcernRaisedDuringTheRunStillHolds(t *testing.T) {
	f := newFixture(t)
	b := f.endedMeeting("B", now.AddDate(0, 0, -100), 2)
	f.concern(b)
	at := now
	r, err := f.job(&at, staleCandidates{f.db}).RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	if want := (Report{Held: 1}); r != want {
		t.Errorf("RunOnce reported %+v, want %+v", r, want)
	}
	f.wantKept(b, 2, 2)
	if _, n := entryFor(f.entries(0), actionHold, b); n != 1 {
		t.Errorf("%d retention.hold entries, want 1", n)
	}
}

func TestRetention_AMeetingWhoseProfileCannotBeReadIsSkipped(t *testing.T) {
	f := newFixture(t)
	a := f.endedMeeting("A", now.AddDate(0, 0, -100), 3)
	// A second connection to the same file stands for a damaged or hand-edited row.
	raw, err := sql.Open("sqlite", f.path)
	f.must("sql.Open", err)
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE profiles SET retention = '{}' WHERE id = $1`, string(f.profile)); err != nil {
		t.Fatalf("damaging the profile: %v", err)
	}
	at := now
	r, err := f.job(&at, nil).RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	if want := (Report{Skipped: 1}); r != want {
		t.Errorf("RunOnce reported %+v, want %+v", r, want)
	}
	f.wantKept(a, 3, 2)
	if es := f.entries(0); len(es) != 0 {
		t.Errorf("audit log has %+v, want no retention entries", es)
	}
}

func TestRetention_RunStopsWhenItsContextEnds(t *testing.T) {
	f := newFixture(t)
	a := f.endedMeeting("A", now.AddDate(0, 0, -40), 3)
	at := now
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		f.job(&at, nil).Run(ctx, time.Hour)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, _ := f.kept(a); c == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for the first run to purge A's chat: still there after 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not return after its context ended")
	}
}
