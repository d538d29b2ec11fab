package httpserver

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/register"
	"safemeet/internal/store"
)

// The meeting register (docs/api.md, "Register"): auditors and approvers read
// every meeting's record; a member of staff who is only a host reads the
// records of the meetings they host. A meeting they may not read looks the
// same as one that does not exist.

// mayReadRegister reports whether a staff member may open the register at all.
func mayReadRegister(r store.Roles) bool { return r.Auditor || r.Approver || r.Host }

// readsWholeRegister reports whether they see every meeting in it.
func readsWholeRegister(r store.Roles) bool { return r.Auditor || r.Approver }

// Limits on what the register reads and accepts.
const (
	maxFilterLen  = 200  // runes in a filter value
	maxTimeline   = 5000 // audit entries shown for one meeting
	csvByteMarker = "\uFEFF"
)

type registerRowJSON struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Purpose        string `json:"purpose"`
	Category       string `json:"category"`
	Profile        string `json:"profile"`
	ProfileName    string `json:"profileName"`
	HostID         string `json:"hostId"`
	Host           string `json:"host"`
	Approver       string `json:"approver"`
	ApprovedAt     string `json:"approvedAt"`
	ScheduledStart string `json:"scheduledStart"`
	ScheduledEnd   string `json:"scheduledEnd"`
	ActualStart    string `json:"actualStart"`
	ActualEnd      string `json:"actualEnd"`
	Running        bool   `json:"running"`
	Attendees      int    `json:"attendees"`
	Admissions     int    `json:"admissions"`
	Denials        int    `json:"denials"`
	Removals       int    `json:"removals"`
	Concerns       int    `json:"concerns"`
	Interruptions  int    `json:"interruptions"`
}

type attendanceJSON struct {
	Name               string  `json:"name"`
	RoleLabel          string  `json:"roleLabel"`
	DisplayName        string  `json:"displayName"`
	Role               string  `json:"role"`
	Under16            bool    `json:"under16"`
	ConsentBy          string  `json:"consentBy"`
	ContractAcceptedAt string  `json:"contractAcceptedAt"`
	Joined             string  `json:"joined"`
	AdmittedAt         string  `json:"admittedAt"`
	AdmittedBy         string  `json:"admittedBy"`
	Left               string  `json:"left"`
	PresentSeconds     float64 `json:"presentSeconds"`
	PresentMinutes     float64 `json:"presentMinutes"`
	Admission          string  `json:"admission"`
	Outcome            string  `json:"outcome"`
}

// record is what the register knows of one meeting.
type record struct {
	m        meeting.Meeting
	stays    []store.Stay
	state    store.RoomState // zero if it never ran
	concerns []store.Concern
}

// actualEnd is when the meeting ended: ended by a host, else its room closed.
func (rec record) actualEnd() time.Time {
	if rec.m.Ended() {
		return rec.m.EndedAt
	}
	return rec.state.ClosedAt
}

// present is a stay's admitted time; an open stay counts up to now, or up to
// the meeting's end if its room was cut off without closing the stay.
func (rec record) present(st store.Stay, now time.Time) time.Duration {
	if end := rec.actualEnd(); !end.IsZero() && end.Before(now) {
		now = end
	}
	return max(st.Present, st.PresentAt(now))
}

// names finds and remembers the names the register shows, for one request.
type names struct {
	s        *Server
	staff    map[meeting.StaffID]string
	profiles map[meeting.ProfileID]string
}

func (s *Server) newNames(ctx context.Context) (*names, error) {
	profiles, err := s.profileNames(ctx)
	if err != nil {
		return nil, err
	}
	return &names{s: s, staff: map[meeting.StaffID]string{}, profiles: profiles}, nil
}

func (n *names) staffName(ctx context.Context, id meeting.StaffID) string {
	name, ok := n.staff[id]
	if !ok {
		name = n.s.staffName(ctx, id)
		n.staff[id] = name
	}
	return name
}

// row is the meeting's line in the register.
func (rec record) row(ctx context.Context, n *names) register.MeetingRow {
	m := rec.m
	row := register.MeetingRow{
		MeetingID: string(m.ID), Title: m.Title, Purpose: m.Purpose, Category: m.Category,
		Profile: n.profiles[m.Profile], Host: n.staffName(ctx, m.HostID),
		ScheduledStart: m.StartsAt, ScheduledEnd: m.EndsAt(),
		ActualStart: rec.state.OpenedAt, ActualEnd: rec.actualEnd(),
		Concerns: len(rec.concerns), Interruptions: rec.state.Interruptions,
	}
	if row.Profile == "" {
		row.Profile = string(m.Profile)
	}
	if m.Approval == meeting.ApprovalApproved {
		row.Approver, row.ApprovedAt = n.staffName(ctx, m.ApprovedBy), m.ApprovalAt
	}
	attended := map[string]bool{}
	for _, st := range rec.stays {
		if !st.AdmittedAt.IsZero() {
			attended[st.Key] = true
		}
		if st.AdmittedBy != "" {
			row.Admissions++
		}
		switch st.Admission {
		case meeting.AdmissionDenied:
			row.Denials++
		case meeting.AdmissionRemoved:
			row.Removals++
		}
	}
	row.Attendees = len(attended)
	return row
}

func (s *Server) rowJSON(rec record, row register.MeetingRow) registerRowJSON {
	_, running := s.deps.Rooms.Running(rec.m.ID)
	return registerRowJSON{
		ID: row.MeetingID, Title: row.Title, Purpose: row.Purpose, Category: row.Category,
		Profile: string(rec.m.Profile), ProfileName: row.Profile, HostID: string(rec.m.HostID), Host: row.Host,
		Approver: row.Approver, ApprovedAt: timeJSON(row.ApprovedAt),
		ScheduledStart: timeJSON(row.ScheduledStart), ScheduledEnd: timeJSON(row.ScheduledEnd),
		ActualStart: timeJSON(row.ActualStart), ActualEnd: timeJSON(row.ActualEnd), Running: running,
		Attendees: row.Attendees, Admissions: row.Admissions, Denials: row.Denials, Removals: row.Removals,
		Concerns: row.Concerns, Interruptions: row.Interruptions,
	}
}

// outcome is how a stay ended, or where it stands while it is open.
func outcome(st store.Stay) string {
	switch {
	case !st.Open():
		return st.Outcome
	case st.Admission == meeting.AdmissionWaiting:
		return "waiting"
	default:
		return "in the meeting"
	}
}

// attendance is the meeting's attendance rows, one per stay.
func (rec record) attendance(now time.Time) []register.AttendanceRow {
	out := make([]register.AttendanceRow, 0, len(rec.stays))
	for _, st := range rec.stays {
		out = append(out, register.AttendanceRow{
			MeetingID: string(rec.m.ID), MeetingTitle: rec.m.Title, Name: st.Name, RoleLabel: st.RoleLabel,
			DisplayName: st.DisplayName, Role: st.Role.String(), GuardianChild: st.AgeGroup == meeting.AgeUnder16,
			ConsentBy: st.ConsentBy, ContractAccepted: st.ContractAcceptedAt, Joined: st.ArrivedAt, Left: st.LeftAt,
			Present: rec.present(st, now), AdmittedBy: st.AdmittedBy, Outcome: outcome(st),
		})
	}
	return out
}

func attendanceRowsJSON(rec record, rows []register.AttendanceRow) []attendanceJSON {
	out := make([]attendanceJSON, 0, len(rows))
	for i, a := range rows {
		st := rec.stays[i]
		out = append(out, attendanceJSON{
			Name: a.Name, RoleLabel: a.RoleLabel, DisplayName: a.DisplayName, Role: a.Role, Under16: a.GuardianChild,
			ConsentBy: a.ConsentBy, ContractAcceptedAt: timeJSON(a.ContractAccepted), Joined: timeJSON(a.Joined),
			AdmittedAt: timeJSON(st.AdmittedAt), AdmittedBy: a.AdmittedBy, Left: timeJSON(a.Left),
			PresentSeconds: math.Round(a.Present.Seconds()*1000) / 1000,
			PresentMinutes: math.Round(a.Present.Minutes()*10) / 10, // as the exports show it
			Admission:      st.Admission.String(), Outcome: a.Outcome,
		})
	}
	return out
}

// load gathers the register's record of m.
func (s *Server) load(ctx context.Context, m meeting.Meeting) (record, error) {
	rec := record{m: m}
	var err error
	if rec.stays, err = s.deps.Store.Stays(ctx, m.ID); err != nil {
		return rec, err
	}
	if rec.state, err = s.deps.Store.RoomState(ctx, m.ID); err != nil && errcode.Of(err) != errcode.NotFound {
		return rec, err
	}
	if rec.concerns, err = s.deps.Store.Concerns(ctx, m.ID); err != nil {
		return rec, err
	}
	return rec, nil
}

// registerFilter reads the filters of a register request. A member of staff
// who reads only their own meetings gets them alone; naming another host is
// refused (forbidden), whoever that is, so it tells them nothing.
func registerFilter(q url.Values, st store.Staff) (store.RegisterFilter, error) {
	var f store.RegisterFilter
	text := func(key, field string) (string, error) {
		v, ok := meeting.CleanText(q.Get(key), maxFilterLen)
		if v != "" && !ok {
			return "", errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: field})
		}
		return v, nil
	}
	day := func(key, field string) (time.Time, error) {
		v, err := text(key, field)
		if err != nil || v == "" {
			return time.Time{}, err
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return time.Time{}, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: field})
		}
		return d, nil
	}
	var (
		to            time.Time
		host, profile string
		err           error
	)
	if f.From, err = day("from", "from date"); err != nil {
		return f, err
	}
	if to, err = day("to", "to date"); err != nil {
		return f, err
	}
	if !to.IsZero() {
		if to.Before(f.From) {
			return f, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "to date"})
		}
		f.To = to.AddDate(0, 0, 1) // "to" is inclusive
	}
	if host, err = text("host", "host"); err != nil {
		return f, err
	}
	if profile, err = text("profile", "profile"); err != nil {
		return f, err
	}
	if f.Purpose, err = text("purpose", "purpose"); err != nil {
		return f, err
	}
	f.Host, f.Profile = meeting.StaffID(host), meeting.ProfileID(profile)
	if !readsWholeRegister(st.Roles) {
		if f.Host != "" && f.Host != st.ID {
			return f, errcode.New(errcode.Forbidden)
		}
		f.Host = st.ID
	}
	return f, nil
}

// records finds the meetings a request selects, with their records.
func (s *Server) records(r *http.Request) ([]record, store.RegisterFilter, error) {
	f, err := registerFilter(r.URL.Query(), staffFrom(r))
	if err != nil {
		return nil, f, err
	}
	ms, err := s.deps.Store.RegisterMeetings(r.Context(), f)
	if err != nil {
		return nil, f, err
	}
	out := make([]record, 0, len(ms))
	for _, m := range ms {
		rec, err := s.load(r.Context(), m)
		if err != nil {
			return nil, f, err
		}
		out = append(out, rec)
	}
	return out, f, nil
}

// getRegister lists the meetings a request selects, one row each.
func (s *Server) getRegister(w http.ResponseWriter, r *http.Request) {
	recs, _, err := s.records(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.newNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]registerRowJSON, 0, len(recs))
	for _, rec := range recs {
		out = append(out, s.rowJSON(rec, rec.row(r.Context(), n)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": out})
}

// getRegisterExport sends the register as a file: CSV (one table) or XLSX
// (both). Every export is audited before anything is sent, and refused if it
// cannot be.
func (s *Server) getRegisterExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format, table := q.Get("format"), q.Get("table")
	if table == "" {
		table = "meetings"
	}
	switch {
	case format != "csv" && format != "xlsx":
		s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "format"}))
		return
	case table != "meetings" && table != "attendance":
		s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "table"}))
		return
	}
	recs, f, err := s.records(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.newNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.deps.Now()
	var (
		meetings   []register.MeetingRow
		attendance []register.AttendanceRow
	)
	for _, rec := range recs {
		meetings = append(meetings, rec.row(r.Context(), n))
		attendance = append(attendance, rec.attendance(now)...)
	}
	if format == "xlsx" {
		table = "meetings,attendance"
	}
	var from, to string // the dates asked for, both inclusive
	if !f.From.IsZero() {
		from = f.From.Format(time.DateOnly)
	}
	if !f.To.IsZero() {
		to = f.To.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	details := map[string]string{
		"format": format, "table": table, "from": from, "to": to, "host": string(f.Host),
		"profile": string(f.Profile), "purpose": f.Purpose,
		"meetings": strconv.Itoa(len(meetings)), "attendance": strconv.Itoa(len(attendance)),
	}
	if err := s.audit(r.Context(), "register.export", "staff:"+string(staffFrom(r).ID), "register", "", details); err != nil {
		s.fail(w, r, err)
		return
	}
	var (
		buf         bytes.Buffer
		contentType string
		name        = "safemeet-register-" + now.UTC().Format(time.DateOnly)
	)
	switch {
	case format == "xlsx":
		contentType, name = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx"
		err = register.WriteXLSX(&buf, meetings, attendance)
	case table == "attendance":
		contentType, name = "text/csv; charset=utf-8", name+"-attendance.csv"
		buf.WriteString(csvByteMarker) // so that Excel reads the file as UTF-8
		err = register.WriteAttendanceCSV(&buf, attendance)
	default:
		contentType, name = "text/csv; charset=utf-8", name+"-meetings.csv"
		buf.WriteString(csvByteMarker)
		err = register.WriteMeetingsCSV(&buf, meetings)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = buf.WriteTo(w)
}
