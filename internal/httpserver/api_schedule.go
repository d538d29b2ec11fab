package httpserver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"safemeet/internal/delivery"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/store"
)

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// mailConfigured reports whether the organisation has set up email.
func (s *Server) mailConfigured(ctx context.Context) (bool, error) {
	c, err := delivery.MailConfig(ctx, s.deps.Store)
	if err != nil {
		return false, err
	}
	return c.Configured(), nil
}

// categories returns the organisation's purpose categories.
func (s *Server) categories(ctx context.Context) ([]string, error) {
	raw, err := s.deps.Store.Setting(ctx, store.SettingPurposeCategories)
	if errcode.Of(err) == errcode.NotFound {
		return []string{}, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("decoding purpose categories: %w", err)
	}
	return out, nil
}

// checkCategory requires one of the organisation's categories, if it keeps any.
func (s *Server) checkCategory(ctx context.Context, category string) error {
	cats, err := s.categories(ctx)
	if err != nil {
		return err
	}
	if len(cats) > 0 && !slices.Contains(cats, category) {
		return errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "purpose category"})
	}
	return nil
}

// putMeeting edits a meeting that has not started. Changing what an approver
// approved (time, purpose, category, profile) sends it back for approval;
// changing what invitees were told (those, or the title) sends them an
// updated invitation once the meeting is cleared again.
func (s *Server) putMeeting(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	old, err := s.hostedMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A meeting that has run (or runs) is part of the register: what it was
	// for and when it was held are not rewritten afterwards.
	_, running := s.deps.Rooms.Running(old.ID)
	_, err = s.deps.Store.RoomState(ctx, old.ID)
	if running || old.Ended() || err == nil {
		s.fail(w, r, errcode.New(errcode.MeetingRunning))
		return
	}
	if errcode.Of(err) != errcode.NotFound {
		s.fail(w, r, err)
		return
	}
	var req meetingRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	m := old
	profile, err := s.applyMeetingRequest(ctx, req, &m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var changed []string
	for _, c := range []struct {
		name string
		diff bool
	}{
		{"time", !m.StartsAt.Equal(old.StartsAt) || m.Duration != old.Duration},
		{"purpose", m.Purpose != old.Purpose},
		{"category", m.Category != old.Category},
		{"profile", m.Profile != old.Profile},
		{"title", m.Title != old.Title},
	} {
		if c.diff {
			changed = append(changed, c.name)
		}
	}
	if len(changed) == 0 {
		writeJSON(w, http.StatusOK, s.toMeetingJSON(ctx, m, profile.Name))
		return
	}
	// An edit never clears a meeting by itself: one that was under approval
	// (pending, approved or declined) goes back to an approver when what they
	// decide on changes, even if the new profile would need none — otherwise
	// switching profile would escape a decline.
	needsReapproval := len(changed) > 1 || changed[0] != "title"
	switch {
	case old.Approval == meeting.ApprovalNotNeeded && !profile.Scheduling.RequiresApproval:
	case old.Approval == meeting.ApprovalNotNeeded || needsReapproval:
		m.Approval = meeting.ApprovalPending
	}
	told := slices.ContainsFunc(changed, func(c string) bool { return c != "category" && c != "profile" })
	if told {
		m.Revision++
	}
	details := map[string]string{"changed": strings.Join(changed, ","), "approval": string(m.Approval)}
	if err := s.audit(ctx, "meeting.update", "staff:"+string(staffFrom(r).ID), "meeting:"+string(m.ID), string(m.ID), details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.UpdateMeeting(ctx, m); err != nil {
		s.fail(w, r, err)
		return
	}
	if needsReapproval {
		// A parent's or carer's consent was to the meeting as it was.
		if err := s.resetConsents(ctx, r, m); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if told || needsReapproval {
		if err := s.requeueSent(ctx, m); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, s.toMeetingJSON(ctx, m, profile.Name))
}

// resetConsents withdraws every consent given for a meeting whose time,
// purpose or profile changed: the parent or carer is asked again (the
// updated invitation carries a new consent link).
func (s *Server) resetConsents(ctx context.Context, r *http.Request, m meeting.Meeting) error {
	invs, err := s.deps.Store.Invitations(ctx, m.ID)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if !inv.NeedsConsent() || inv.Consent.State != meeting.ConsentGiven {
			continue
		}
		if err := s.audit(ctx, "consent.reset", "staff:"+string(staffFrom(r).ID), "invitation:"+string(inv.ID), string(m.ID), map[string]string{"reason": "meeting changed"}); err != nil {
			return err
		}
		if err := s.deps.Store.SetConsent(ctx, m.ID, inv.ID, meeting.ConsentRecord{}); err != nil {
			return err
		}
	}
	return nil
}

// requeueSent queues an updated invitation for everyone already emailed, and
// moves the sending time of those still queued to the meeting's new time.
func (s *Server) requeueSent(ctx context.Context, m meeting.Meeting) error {
	invs, err := s.deps.Store.Invitations(ctx, m.ID)
	if err != nil {
		return err
	}
	profile, err := s.deps.Store.Profile(ctx, m.Profile)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if inv.Delivery == meeting.DeliveryManual || inv.Revoked() {
			continue
		}
		if err := s.deps.Store.QueueInvitation(ctx, m.ID, inv.ID, later(s.deps.Now().UTC(), profile.Scheduling.SendAfter(m))); err != nil {
			return err
		}
	}
	s.deps.Delivery.Kick()
	return nil
}

// backToApproval makes a decided meeting pending again, because why changed.
func (s *Server) backToApproval(ctx context.Context, r *http.Request, m meeting.Meeting, why string) error {
	m.Approval = meeting.ApprovalPending
	details := map[string]string{"changed": why, "approval": string(m.Approval)}
	if err := s.audit(ctx, "meeting.update", "staff:"+string(staffFrom(r).ID), "meeting:"+string(m.ID), string(m.ID), details); err != nil {
		return err
	}
	return s.deps.Store.UpdateMeeting(ctx, m)
}

// getApprovals lists the meetings waiting for approval, with their invitees.
func (s *Server) getApprovals(w http.ResponseWriter, r *http.Request) {
	ms, err := s.deps.Store.MeetingsAwaitingApproval(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.profileNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		invs, err := s.deps.Store.Invitations(r.Context(), m.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		mj := s.toMeetingJSON(r.Context(), m, names[m.Profile])
		if mj.ApprovalFingerprint, err = s.approvalFingerprint(r.Context(), m); err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, map[string]any{"meeting": mj, "invitations": invitationsJSON(invs)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": out})
}

// decide approves or declines a pending meeting, on an approver's word; an
// approver cannot decide on a meeting they host. The host is told by email.
func (s *Server) decide(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		st := staffFrom(r)
		var req struct{ Note, Fingerprint string }
		if err := decode(r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		note, ok := strings.TrimSpace(req.Note), true
		if note != "" || !approve {
			if note, ok = meeting.CleanText(strings.NewReplacer("\r\n", " ", "\n", " ").Replace(note), meeting.MaxNoteLen); !ok {
				s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "note"}))
				return
			}
		}
		m, err := s.deps.Store.Meeting(ctx, meeting.ID(r.PathValue("id")))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		action, state := "meeting.decline", meeting.ApprovalDeclined
		if approve {
			action, state = "meeting.approve", meeting.ApprovalApproved
		}
		actor, subject := "staff:"+string(st.ID), "meeting:"+string(m.ID)
		var refusal errcode.Code
		switch {
		case m.HostID == st.ID:
			refusal = errcode.OwnMeeting
		case m.Ended():
			refusal = errcode.MeetingEnded
		case m.Approval != meeting.ApprovalPending:
			refusal = errcode.NotPending
		}
		if refusal == "" {
			// The decision is about the meeting as the approver saw it: if
			// anything they decide on changed since, they must look again.
			fp, err := s.approvalFingerprint(ctx, m)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if subtle.ConstantTimeCompare([]byte(fp), []byte(req.Fingerprint)) != 1 {
				refusal = errcode.ApprovalStale
			}
		}
		if refusal != "" {
			if err := s.auditRefusal(ctx, action, actor, subject, string(m.ID), map[string]string{"code": string(refusal)}); err != nil {
				s.fail(w, r, err)
				return
			}
			s.fail(w, r, errcode.New(refusal))
			return
		}
		m.Approval, m.ApprovedBy, m.ApprovalAt, m.ApprovalNote = state, st.ID, s.deps.Now().UTC(), note
		if err := s.audit(ctx, action, actor, subject, string(m.ID), map[string]string{"note": note}); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.deps.Store.UpdateMeeting(ctx, m); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.tellHostOfDecision(ctx, m, st); err != nil {
			s.deps.Logger.Error("queue approval notice", "err", err) // the decision stands; the page shows it
		}
		s.deps.Delivery.Kick()
		writeJSON(w, http.StatusOK, s.toMeetingJSON(ctx, m, s.profileName(ctx, m.Profile)))
	}
}

// approvalFingerprint names what an approver decides on: the meeting's
// title, purpose, category, profile and time, and every invitee not revoked
// (who, in what role, their age group and where their mail goes). An
// approval or decline must name the fingerprint the approver was shown.
func (s *Server) approvalFingerprint(ctx context.Context, m meeting.Meeting) (string, error) {
	invs, err := s.deps.Store.Invitations(ctx, m.ID)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	field := func(v string) { fmt.Fprintf(h, "%d:%s;", len(v), v) }
	for _, v := range []string{m.Title, m.Purpose, m.Category, string(m.Profile), timeJSON(m.StartsAt), m.Duration.String()} {
		field(v)
	}
	for _, inv := range invs {
		if inv.Revoked() {
			continue
		}
		for _, v := range []string{string(inv.ID), inv.Name, inv.RoleLabel, string(inv.AgeGroup), inv.Email, inv.Guardian.Name, inv.Guardian.Email} {
			field(v)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// profileName is a profile's name, or "" if it cannot be read.
func (s *Server) profileName(ctx context.Context, id meeting.ProfileID) string {
	p, err := s.deps.Store.Profile(ctx, id)
	if err != nil {
		return ""
	}
	return p.Name
}

// tellHostOfDecision emails the host an approver's decision, if mail is set up.
func (s *Server) tellHostOfDecision(ctx context.Context, m meeting.Meeting, approver store.Staff) error {
	on, err := s.mailConfigured(ctx)
	if err != nil || !on {
		return err
	}
	host, err := s.deps.Store.StaffByID(ctx, m.HostID)
	if err != nil {
		return err
	}
	verb := "approved"
	next := "Its invitations will now be sent as its profile says."
	if m.Approval == meeting.ApprovalDeclined {
		verb, next = "declined", "It will not send invitations or start. You can change it and it will go back for approval."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n%s has %s your meeting \"%s\" (%s).\n", host.Name, approver.Name, verb, m.Title, m.StartsAt.UTC().Format("Monday 2 January 2006, 15:04 MST"))
	if m.ApprovalNote != "" {
		fmt.Fprintf(&b, "\nTheir note: %s\n", m.ApprovalNote)
	}
	fmt.Fprintf(&b, "\n%s\n\n%s/meetings/%s\n", next, s.deps.PublicURL, m.ID)
	subject := "Meeting " + verb + ": " + m.Title
	return delivery.QueueNotice(ctx, s.deps.Store, s.deps.Now().UTC(), host.Name, host.Email, subject, b.String(), m.ID)
}
