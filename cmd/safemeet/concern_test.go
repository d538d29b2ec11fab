package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/retention"
)

func TestConcern_AppearsInRegisterAndHoldsRetention(t *testing.T) {
	s := startServer(t, nil)
	dsl := s.signInNewStaff("dsl@school.example", "approver")
	mid := s.createMeeting()
	_, tokJo := s.invite(mid, "Jo Smith", "parent")
	_, tokKim := s.invite(mid, "Kim Lee", "carer")
	otherID := s.createMeeting()
	_, tokAl := s.invite(otherID, "Al Jones", "parent")
	smtp := s.useMail() // after the links, so the host is shown them
	host := s.joinAsHost(mid, false)
	jo := s.mustJoinAsGuest(tokJo, false)
	admit(t, host, jo)
	kim := s.mustJoinAsGuest(tokKim, false)
	admit(t, host, kim)
	say(t, jo, "everyone", "hello")

	// A participant cannot flag a concern; the host can, about a person or the meeting.
	if err := jo.Send(map[string]any{"type": "concern", "participant": kim.ID(), "note": "I don't like Kim"}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, jo, 0); code != string(errcode.HostRequired) {
		t.Errorf("a participant's concern: %q, want %s", code, errcode.HostRequired)
	}
	note := "Kim showed a photo of another pupil on camera and would not stop."
	if err := host.Send(map[string]any{"type": "concern", "participant": kim.ID(), "note": note}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the host to be told the concern is recorded", func() bool {
		for _, n := range host.Notices() {
			if n.Code == "concern_recorded" {
				return true
			}
		}
		return false
	})
	errsBefore := len(host.Errors()) // counted before sending: the error may come back at once
	if err := host.Send(map[string]any{"type": "concern", "note": "  "}); err != nil {
		t.Fatal(err)
	}
	if code := lastErrorCode(t, host, errsBefore); code != string(errcode.ConcernInvalid) {
		t.Errorf("an empty concern: %q, want %s", code, errcode.ConcernInvalid)
	}

	// It is in the register, with who raised it, about whom, and the note.
	var rec struct {
		Meeting  struct{ Concerns int }
		Concerns []struct{ At, RaisedBy, About, Note string }
		Timeline []struct{ Action string }
	}
	s.send(dsl, "GET", "/api/register/"+mid, nil, http.StatusOK, &rec)
	if rec.Meeting.Concerns != 1 || len(rec.Concerns) != 1 || rec.Concerns[0].About != "Kim Lee" || rec.Concerns[0].Note != note ||
		rec.Concerns[0].RaisedBy != "Administrator" {
		t.Errorf("register = %+v, want the one concern about Kim with its note", rec)
	}
	found := false
	for _, e := range rec.Timeline {
		found = found || e.Action == "concern.raise"
	}
	if !found {
		t.Error("the concern is not on the meeting's timeline")
	}
	// The approver (designated safeguarding lead) is emailed where to read it, without the note.
	var notice string
	waitFor(t, "the approver's email", func() bool {
		for _, m := range smtp.Messages() {
			if m.To[0] == "dsl@school.example" && strings.HasPrefix(m.Header(t).Get("Subject"), "Safeguarding concern") {
				notice = m.Text(t)
				return true
			}
		}
		return false
	})
	if !strings.Contains(notice, "/register/"+mid) || strings.Contains(notice, "photo") {
		t.Errorf("concern email = %q, want the register's address and not the note", notice)
	}

	// The meeting ends; long after, retention purges other meetings' chat but not this one's.
	if err := host.End(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the meeting to end", func() bool { return jo.Ended() != nil })
	h2 := s.joinAsHost(otherID, false)
	al := s.mustJoinAsGuest(tokAl, false)
	admit(t, h2, al)
	say(t, al, "everyone", "bye")
	if err := h2.End(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other meeting to end", func() bool { return al.Ended() != nil })

	ctx := context.Background()
	job := &retention.Job{Store: s.m.db, Now: func() time.Time { return time.Now().AddDate(10, 0, 0) }, Logger: s.m.logger}
	if _, err := job.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	held, err := s.m.db.ChatRecords(ctx, meeting.ID(mid))
	if err != nil || len(held) == 0 {
		t.Errorf("chat of the meeting with a concern after retention: %d messages (%v), want kept", len(held), err)
	}
	if stays, err := s.m.db.Stays(ctx, meeting.ID(mid)); err != nil || len(stays) == 0 {
		t.Errorf("attendance of the meeting with a concern after retention: %d stays (%v), want kept", len(stays), err)
	}
	purged, err := s.m.db.ChatRecords(ctx, meeting.ID(otherID))
	if err != nil || len(purged) != 0 {
		t.Errorf("chat of the meeting without a concern after retention: %d messages (%v), want purged", len(purged), err)
	}
	if !s.auditedAs("retention.hold", mid) || !s.auditedAs("retention.purge", otherID) {
		t.Error("retention's hold and purge are not in the audit log")
	}
}

// auditedAs reports whether the audit log has an entry of action for a meeting.
func (s *testServer) auditedAs(action, meetingID string) bool {
	s.t.Helper()
	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 100000)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == action && e.Meeting == meetingID {
			return true
		}
	}
	return false
}
