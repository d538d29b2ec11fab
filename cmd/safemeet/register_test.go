package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safemeet/internal/policy"
	"safemeet/internal/signalling"
)

// registerRow is the part of a register row these tests read.
type registerRow struct {
	ID, Title, Host, ActualStart, ActualEnd  string
	Attendees, Admissions, Denials, Removals int
}

// attendanceRow is the part of an attendance row these tests read.
type attendanceRow struct {
	Name, RoleLabel, Role, Joined, Left, AdmittedAt, AdmittedBy, Outcome string
	PresentSeconds, PresentMinutes                                       float64
}

// registerRecord is the part of a meeting's register record these tests read.
type registerRecord struct {
	Meeting    registerRow
	Attendance []attendanceRow
	Timeline   []struct{ Action, Actor, Subject, Outcome, Text string }
}

// registerList is the register's list of meetings as c sees it.
func (s *testServer) registerList(c *http.Client, query string) []registerRow {
	s.t.Helper()
	var out struct{ Meetings []registerRow }
	s.send(c, "GET", "/api/register?"+query, nil, http.StatusOK, &out)
	return out.Meetings
}

// registerRecord reads a meeting's record as the first admin.
func (s *testServer) registerRecord(meetingID string) registerRecord {
	s.t.Helper()
	var rec registerRecord
	s.send(s.host, "GET", "/api/register/"+meetingID, nil, http.StatusOK, &rec)
	return rec
}

// waitForRecord polls a meeting's record until cond holds and returns it.
func (s *testServer) waitForRecord(meetingID, what string, cond func(registerRecord) bool) registerRecord {
	s.t.Helper()
	var rec registerRecord
	waitFor(s.t, what, func() bool {
		rec = s.registerRecord(meetingID)
		return cond(rec)
	})
	return rec
}

// attendee is the attendance row of the person named, or nil.
func (r registerRecord) attendee(name string) *attendanceRow {
	for i := range r.Attendance {
		if r.Attendance[i].Name == name {
			return &r.Attendance[i]
		}
	}
	return nil
}

// parseTime reads an API time, failing the test if it is not one.
func parseTime(t *testing.T, what, v string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatalf("%s %q is not an RFC 3339 time: %v", what, v, err)
	}
	return at
}

func TestRegister_RecordsAttendanceAndDurations(t *testing.T) {
	s := startServer(t, nil)
	mid := s.createMeeting()
	_, tokA := s.invite(mid, "Jo Smith", "parent of Sam, 9B")
	_, tokB := s.invite(mid, "Alex Green", "school nurse")
	start := time.Now().Truncate(time.Second)

	host := s.joinAsHost(mid, false)
	a := s.mustJoinAsGuest(tokA, false)
	b := s.mustJoinAsGuest(tokB, false)
	admit(t, host, a)
	bID := b.Welcome().Participant
	waitFor(t, "the host to see Alex waiting", func() bool {
		return slices.ContainsFunc(host.Waiting(), func(w signalling.WaitingPerson) bool { return w.ID == bID })
	})
	if err := host.Deny(bID); err != nil {
		t.Fatalf("deny: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := a.Leave(); err != nil {
		t.Fatalf("leave: %v", err)
	}
	rec := s.waitForRecord(mid, "Jo's stay to end in the register", func(r registerRecord) bool {
		jo := r.attendee("Jo Smith")
		return jo != nil && jo.Left != ""
	})
	span := time.Since(start)

	jo := rec.attendee("Jo Smith")
	joined, left := parseTime(t, "Jo joined", jo.Joined), parseTime(t, "Jo left", jo.Left)
	if joined.Before(start) || left.Before(joined) || left.After(time.Now()) {
		t.Errorf("Jo joined %v and left %v, want in order between %v and now", joined, left, start)
	}
	if jo.AdmittedBy != "Administrator" || jo.AdmittedAt == "" || jo.Outcome != "left" {
		t.Errorf("Jo admitted by %q at %q, outcome %q; want Administrator, a time, left", jo.AdmittedBy, jo.AdmittedAt, jo.Outcome)
	}
	if jo.PresentSeconds < 1.5 || jo.PresentSeconds > span.Seconds() {
		t.Errorf("Jo present %.3f s, want at least 1.5 s and at most the %.3f s the test ran", jo.PresentSeconds, span.Seconds())
	}
	if want := jo.PresentSeconds / 60; jo.PresentMinutes < want-0.05 || jo.PresentMinutes > want+0.05 {
		t.Errorf("Jo present %.1f minutes, want %.3f to one decimal", jo.PresentMinutes, want)
	}
	alex := rec.attendee("Alex Green")
	if alex == nil || alex.Outcome != "denied by Administrator" || alex.AdmittedAt != "" || alex.PresentSeconds != 0 || alex.Left == "" {
		t.Errorf("Alex's attendance = %+v, want denied by Administrator, never admitted, none present, a time left", alex)
	}
	if h := rec.attendee("Administrator"); h == nil || h.Role != "host" || h.PresentSeconds <= 0 || h.Outcome != "in the meeting" {
		t.Errorf("the host's attendance = %+v, want the host, present, in the meeting", h)
	}

	if err := host.End(); err != nil {
		t.Fatalf("end: %v", err)
	}
	rec = s.waitForRecord(mid, "the meeting to end in the register", func(r registerRecord) bool {
		h := r.attendee("Administrator")
		return r.Meeting.ActualEnd != "" && h != nil && h.Outcome == "meeting ended"
	})
	m := rec.Meeting
	started, ended := parseTime(t, "actual start", m.ActualStart), parseTime(t, "actual end", m.ActualEnd)
	if started.Before(start) || ended.Before(started) {
		t.Errorf("meeting ran from %v to %v, want in order from %v", started, ended, start)
	}
	if m.Attendees != 2 || m.Admissions != 1 || m.Denials != 1 || m.Removals != 0 {
		t.Errorf("attendees %d, admissions %d, denials %d, removals %d; want 2, 1, 1, 0", m.Attendees, m.Admissions, m.Denials, m.Removals)
	}
	var texts []string
	for _, e := range rec.Timeline {
		texts = append(texts, e.Text)
	}
	admitted := slices.Index(texts, "Administrator admitted Jo Smith")
	denied := slices.Index(texts, "Administrator denied Alex Green entry")
	endedAt := slices.Index(texts, "Administrator ended the meeting")
	if admitted < 0 || denied < admitted || endedAt < denied {
		t.Errorf("timeline (admitted at %d, denied at %d, ended at %d) =\n%s\nwant the admission, then the denial, then the end",
			admitted, denied, endedAt, strings.Join(texts, "\n"))
	}
}

// download GETs path as c and returns the response (body read) and body.
func (s *testServer) download(c *http.Client, path string, wantStatus int) (*http.Response, []byte) {
	s.t.Helper()
	resp, err := c.Get(s.url + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != wantStatus {
		s.t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, wantStatus, body)
	}
	return resp, body
}

// exportCSV downloads one table of the register as CSV and parses it.
func (s *testServer) exportCSV(c *http.Client, table, filters string) [][]string {
	s.t.Helper()
	resp, body := s.download(c, "/api/register/export?format=csv&table="+table+"&"+filters, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		s.t.Errorf("%s CSV Content-Type %q, want text/csv; charset=utf-8", table, ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="safemeet-register-`) || !strings.HasSuffix(cd, `.csv"`) {
		s.t.Errorf("%s CSV Content-Disposition %q, want an attachment named safemeet-register-….csv", table, cd)
	}
	rest, ok := bytes.CutPrefix(body, []byte("\xEF\xBB\xBF"))
	if !ok {
		s.t.Errorf("%s CSV does not begin with a UTF-8 byte order mark: %q", table, body[:min(len(body), 20)])
	}
	records, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		s.t.Fatalf("%s CSV: %v", table, err)
	}
	return records
}

// exportXLSX downloads the register as a workbook and opens it.
func (s *testServer) exportXLSX(c *http.Client, filters string) *excelize.File {
	s.t.Helper()
	resp, body := s.download(c, "/api/register/export?format=xlsx&"+filters, http.StatusOK)
	if ct, want := resp.Header.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"; ct != want {
		s.t.Errorf("XLSX Content-Type %q, want %q", ct, want)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasSuffix(cd, `.xlsx"`) {
		s.t.Errorf("XLSX Content-Disposition %q, want an attachment named ….xlsx", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		s.t.Fatalf("open XLSX: %v", err)
	}
	s.t.Cleanup(func() { _ = f.Close() })
	return f
}

// column is a header's index in a table (first row), failing if it has none.
func column(t *testing.T, rows [][]string, header string) int {
	t.Helper()
	if len(rows) == 0 {
		t.Fatalf("table is empty, want a header row")
	}
	i := slices.Index(rows[0], header)
	if i < 0 {
		t.Fatalf("no %q column in %q", header, rows[0])
	}
	return i
}

// findRow is the index of the first row whose cell under header is value, or -1.
func findRow(t *testing.T, rows [][]string, header, value string) int {
	t.Helper()
	c := column(t, rows, header)
	return slices.IndexFunc(rows, func(r []string) bool { return c < len(r) && r[c] == value })
}

// cell is a row's cell under header ("" if the row is short).
func cell(t *testing.T, rows [][]string, row int, header string) string {
	t.Helper()
	c := column(t, rows, header)
	if row < 0 || c >= len(rows[row]) {
		return ""
	}
	return rows[row][c]
}

// ranMeeting runs a meeting under the loosest profile with its host and one
// guest, admitted, until the host ends it, and returns its ID.
func (s *testServer) ranMeeting(title, guest, roleLabel string) string {
	s.t.Helper()
	body := meetingBody(string(policy.ProfileInternalStaff), time.Now())
	body["title"] = title
	mid := s.schedule(body).ID
	s.approveIfNeeded(mid)
	_, tok := s.invite(mid, guest, roleLabel)
	host := s.joinAsHost(mid, false)
	g := s.mustJoinAsGuest(tok, false)
	admit(s.t, host, g)
	if err := host.End(); err != nil {
		s.t.Fatalf("end: %v", err)
	}
	s.waitForRecord(mid, "the meeting to end in the register", func(r registerRecord) bool { return r.Meeting.ActualEnd != "" })
	return mid
}

func TestRegister_ExportCSVAndXLSX(t *testing.T) {
	s := startServer(t, nil)
	mid := s.ranMeeting("Annual review", "Zoë Brontë", "parent of Sam, 9B")
	filters := "from=" + time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)

	meetings := s.exportCSV(s.host, "meetings", filters)
	if i := findRow(t, meetings, "Meeting ID", mid); i < 0 || cell(t, meetings, i, "Meeting") != "Annual review" ||
		cell(t, meetings, i, "Attendees") != "2" || cell(t, meetings, i, "Started") == "" {
		t.Errorf("meetings CSV %q: want the meeting, titled Annual review, with 2 attendees and a start", meetings)
	}
	attendance := s.exportCSV(s.host, "attendance", filters)
	if i := findRow(t, attendance, "Name", "Zoë Brontë"); i < 0 || cell(t, attendance, i, "Meeting ID") != mid ||
		cell(t, attendance, i, "Admitted by") != "Administrator" || cell(t, attendance, i, "Outcome") != "meeting ended" {
		t.Errorf("attendance CSV %q: want Zoë Brontë in the meeting, admitted by Administrator, until it ended", attendance)
	}

	f := s.exportXLSX(s.host, filters)
	sheetMeetings, err := f.GetRows("Meetings")
	if err != nil {
		t.Fatalf("Meetings sheet: %v", err)
	}
	if i := findRow(t, sheetMeetings, "Meeting ID", mid); i < 0 || cell(t, sheetMeetings, i, "Meeting") != "Annual review" {
		t.Errorf("Meetings sheet %q: want the meeting, titled Annual review", sheetMeetings)
	}
	sheetAttendance, err := f.GetRows("Attendance")
	if err != nil {
		t.Fatalf("Attendance sheet: %v", err)
	}
	if i := findRow(t, sheetAttendance, "Name", "Zoë Brontë"); i < 0 || cell(t, sheetAttendance, i, "Role label") != "parent of Sam, 9B" {
		t.Errorf("Attendance sheet %q: want Zoë Brontë, parent of Sam, 9B", sheetAttendance)
	}

	// With the audit log unwritable (a trigger stands for a full disk), an
	// export is refused and no file is sent.
	db, err := sql.Open("sqlite", filepath.Join(s.m.Config.DataDir, "safemeet.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER register_test_disk_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	for _, query := range []string{"format=csv&table=attendance", "format=xlsx"} {
		resp, body := s.download(s.host, "/api/register/export?"+query, http.StatusServiceUnavailable)
		if cd := resp.Header.Get("Content-Disposition"); cd != "" || !bytes.Contains(body, []byte(`"audit_unavailable"`)) {
			t.Errorf("export (%s) with the audit log unwritable: Content-Disposition %q, body %s; want none and audit_unavailable", query, cd, body)
		}
	}
	if _, err := db.Exec(`DROP TRIGGER register_test_disk_full`); err != nil {
		t.Fatal(err)
	}

	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, e := range entries {
		if e.Action == "register.export" {
			exports = append(exports, e.Details["format"]+" "+e.Details["table"]+" "+e.Details["from"]+" "+e.Details["meetings"])
		}
	}
	from := strings.TrimPrefix(filters, "from=")
	want := []string{"csv meetings " + from + " 1", "csv attendance " + from + " 1", "xlsx meetings,attendance " + from + " 1"}
	if !slices.Equal(exports, want) {
		t.Errorf("register.export audit entries (format, table, from, meetings) = %q, want %q", exports, want)
	}
}

func TestRegister_ExportNeutralisesFormulas(t *testing.T) {
	const (
		title     = `=HYPERLINK("http://evil.example","click")`
		name      = `@SUM(1+1)`
		roleLabel = `+cmd|' /C calc'!A0`
	)
	s := startServer(t, nil)
	mid := s.ranMeeting(title, name, roleLabel)

	meetings := s.exportCSV(s.host, "meetings", "")
	if i := findRow(t, meetings, "Meeting ID", mid); cell(t, meetings, i, "Meeting") != "'"+title {
		t.Errorf("meetings CSV title = %q, want %q", cell(t, meetings, i, "Meeting"), "'"+title)
	}
	attendance := s.exportCSV(s.host, "attendance", "")
	i := findRow(t, attendance, "Name", "'"+name)
	if i < 0 {
		t.Fatalf("attendance CSV %q has no row named %q", attendance, "'"+name)
	}
	if got := cell(t, attendance, i, "Role label"); got != "'"+roleLabel {
		t.Errorf("attendance CSV role label = %q, want %q", got, "'"+roleLabel)
	}
	if got := cell(t, attendance, i, "Meeting"); got != "'"+title {
		t.Errorf("attendance CSV meeting = %q, want %q", got, "'"+title)
	}

	f := s.exportXLSX(s.host, "")
	for _, c := range []struct{ sheet, keyHeader, key, header, want string }{
		{"Meetings", "Meeting ID", mid, "Meeting", title},
		{"Attendance", "Name", name, "Name", name},
		{"Attendance", "Name", name, "Role label", roleLabel},
		{"Attendance", "Name", name, "Meeting", title},
	} {
		rows, err := f.GetRows(c.sheet)
		if err != nil {
			t.Fatalf("%s sheet: %v", c.sheet, err)
		}
		row := findRow(t, rows, c.keyHeader, c.key)
		if row < 0 {
			t.Fatalf("%s sheet %q has no row with %s %q", c.sheet, rows, c.keyHeader, c.key)
		}
		ref, _ := excelize.CoordinatesToCellName(column(t, rows, c.header)+1, row+1)
		value, _ := f.GetCellValue(c.sheet, ref)
		formula, _ := f.GetCellFormula(c.sheet, ref)
		if value != c.want || formula != "" {
			t.Errorf("%s!%s (%s) = %q with formula %q, want %q with none", c.sheet, ref, c.header, value, formula, c.want)
		}
	}
}

func TestRegister_HostSeesOnlyOwnMeetings(t *testing.T) {
	s := startServer(t, nil)
	hosts := []*http.Client{s.signInNewStaff("one@school.example", "host"), s.signInNewStaff("two@school.example", "host")}
	var ids []string
	for i, c := range hosts {
		body := meetingBody(string(policy.ProfileInternalStaff), time.Now())
		body["title"] = []string{"Host one's meeting", "Host two's meeting"}[i]
		var m struct{ ID string }
		s.send(c, "POST", "/api/meetings", body, http.StatusCreated, &m)
		ids = append(ids, m.ID)
	}
	listed := func(rows []registerRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.ID)
		}
		slices.Sort(out)
		return out
	}

	if got := listed(s.registerList(hosts[0], "")); !slices.Equal(got, ids[:1]) {
		t.Errorf("host one's register lists %q, want only their meeting %q", got, ids[:1])
	}
	exported := s.exportCSV(hosts[0], "meetings", "")
	if len(exported) != 2 || exported[1][0] != ids[0] {
		t.Errorf("host one's export %q, want the header and their meeting %q alone", exported, ids[0])
	}
	var refusal apiRefusal
	s.send(hosts[0], "GET", "/api/register/"+ids[1], nil, http.StatusNotFound, &refusal)
	var missing apiRefusal
	s.send(hosts[0], "GET", "/api/register/no-such-meeting", nil, http.StatusNotFound, &missing)
	if refusal != missing || refusal.Code != "not_found" {
		t.Errorf("another host's meeting answers %+v, a missing one %+v; want the same not_found", refusal, missing)
	}
	s.send(hosts[0], "GET", "/api/register/"+ids[0], nil, http.StatusOK, nil)
	s.send(hosts[0], "GET", "/api/register?host="+url.QueryEscape(s.staffID(hosts[1])), nil, http.StatusForbidden, nil)
	s.download(hosts[0], "/api/register/export?format=xlsx&host="+url.QueryEscape(s.staffID(hosts[1])), http.StatusForbidden)

	auditor := s.signInNewStaff("dsl@school.example", "auditor")
	want := slices.Sorted(slices.Values(ids))
	if got := listed(s.registerList(auditor, "")); !slices.Equal(got, want) {
		t.Errorf("the auditor's register lists %q, want both meetings %q", got, want)
	}
	if got := listed(s.registerList(auditor, "host="+url.QueryEscape(s.staffID(hosts[1])))); !slices.Equal(got, ids[1:]) {
		t.Errorf("the auditor's register of host two lists %q, want %q", got, ids[1:])
	}
	s.send(auditor, "GET", "/api/register/"+ids[1], nil, http.StatusOK, nil)

	nobody := s.signInNewStaff("office@school.example")
	for _, path := range []string{"/api/register", "/api/register/" + ids[0], "/api/register/export?format=csv"} {
		var got apiRefusal
		s.send(nobody, "GET", path, nil, http.StatusForbidden, &got)
		if got.Code != "forbidden" {
			t.Errorf("GET %s by staff without a register role: code %q, want forbidden", path, got.Code)
		}
	}
}

// staffID is the ID of the staff member signed in on c.
func (s *testServer) staffID(c *http.Client) string {
	s.t.Helper()
	var me struct{ ID string }
	s.send(c, "GET", "/api/me", nil, http.StatusOK, &me)
	return me.ID
}

func TestRegister_MeetingOverAndEmptiedEndsByItself(t *testing.T) {
	s := startServer(t, nil)
	// Scheduled two hours ago for one hour: its time is over.
	m := s.schedule(meetingBody("internal-staff", time.Now().Add(-2*time.Hour)))
	host := s.joinAsHost(m.ID, false)
	if err := host.Leave(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the meeting to be stored as ended", func() bool {
		var got struct{ Meeting struct{ Ended bool } }
		s.send(s.host, "GET", "/api/meetings/"+m.ID, nil, http.StatusOK, &got)
		return got.Meeting.Ended
	})
	if !s.auditedAs("meeting.end", m.ID) {
		t.Error("the end is not in the audit log")
	}
	// A meeting whose time is not over does not end when its room empties.
	now := s.schedule(meetingBody("internal-staff", time.Now()))
	h2 := s.joinAsHost(now.ID, false)
	if err := h2.Leave(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	var got struct{ Meeting struct{ Ended bool } }
	s.send(s.host, "GET", "/api/meetings/"+now.ID, nil, http.StatusOK, &got)
	if got.Meeting.Ended {
		t.Error("a meeting still within its time ended when its room emptied")
	}
}
