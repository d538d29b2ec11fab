package httpserver

import (
	"context"
	"net/http"
	"time"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/secret"
)

// consentView is what a parent or carer is shown before they answer.
type consentView struct {
	Meeting struct {
		Title           string `json:"title"`
		Purpose         string `json:"purpose"`
		Category        string `json:"category"`
		StartsAt        string `json:"startsAt"`
		DurationMinutes int    `json:"durationMinutes"`
		Host            string `json:"host"`
	} `json:"meeting"`
	Child struct {
		Name      string `json:"name"`
		RoleLabel string `json:"roleLabel"`
	} `json:"child"`
	Guardian struct {
		Name string `json:"name"`
	} `json:"guardian"`
	Recorded bool        `json:"recorded"` // safemeet does not record meetings yet
	Contract string      `json:"contract"`
	Consent  consentJSON `json:"consent"`
	Open     bool        `json:"open"`
}

// consentRequest finds the invitation and meeting of a consent token. Every
// kind of bad token is errcode.InvitationInvalid.
func (s *Server) consentRequest(ctx context.Context, token string) (meeting.Invitation, meeting.Meeting, error) {
	if !secret.WellFormed(token) {
		return meeting.Invitation{}, meeting.Meeting{}, errcode.New(errcode.InvitationInvalid)
	}
	inv, err := s.deps.Store.InvitationByConsentTokenHash(ctx, secret.Hash(token))
	if errcode.Of(err) == errcode.NotFound {
		return meeting.Invitation{}, meeting.Meeting{}, errcode.New(errcode.InvitationInvalid)
	}
	if err != nil {
		return meeting.Invitation{}, meeting.Meeting{}, err
	}
	m, err := s.deps.Store.Meeting(ctx, inv.MeetingID)
	if err != nil {
		return meeting.Invitation{}, meeting.Meeting{}, err
	}
	return inv, m, nil
}

func (s *Server) consentView(ctx context.Context, inv meeting.Invitation, m meeting.Meeting) (consentView, error) {
	var v consentView
	p, err := s.deps.Store.Profile(ctx, m.Profile)
	if err != nil {
		return v, err
	}
	v.Meeting.Title, v.Meeting.Purpose, v.Meeting.Category = m.Title, m.Purpose, m.Category
	v.Meeting.StartsAt, v.Meeting.DurationMinutes = timeJSON(m.StartsAt), int(m.Duration/time.Minute)
	v.Meeting.Host = s.staffName(ctx, m.HostID)
	v.Child.Name, v.Child.RoleLabel = inv.Name, inv.RoleLabel
	v.Guardian.Name = inv.Guardian.Name
	v.Contract = p.Contract
	v.Consent = consentJSON{State: string(inv.Consent.State), By: inv.Consent.By, At: timeJSON(inv.Consent.At)}
	v.Open = !m.Ended() && !inv.Revoked()
	return v, nil
}

func (s *Server) postConsent(w http.ResponseWriter, r *http.Request) {
	var req struct{ Token string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, errcode.New(errcode.InvitationInvalid))
		return
	}
	inv, m, err := s.consentRequest(r.Context(), req.Token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.consentView(r.Context(), inv, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// postConsentAnswer records a parent's or carer's answer: give (the child's
// link works), refuse (it never does), or withdraw an earlier consent (the
// link is revoked, and the child is taken out of the meeting if they are in
// it). Each answer is audited first.
func (s *Server) postConsentAnswer(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req struct{ Token, Answer, Name string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	inv, m, err := s.consentRequest(ctx, req.Token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name, ok := meeting.CleanText(req.Name, meeting.MaxNameLen)
	if !ok {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "your name"}))
		return
	}
	var state meeting.Consent
	switch req.Answer {
	case "give":
		state = meeting.ConsentGiven
	case "refuse":
		state = meeting.ConsentRefused
	case "withdraw":
		state = meeting.ConsentWithdrawn
	default:
		s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "answer"}))
		return
	}
	actor, subject := "guardian:"+string(inv.ID), "invitation:"+string(inv.ID)
	action := "consent." + req.Answer
	closed := m.Ended() || inv.Revoked() ||
		(state == meeting.ConsentWithdrawn) != (inv.Consent.State == meeting.ConsentGiven)
	if closed {
		if err := s.auditRefusal(ctx, action, actor, subject, string(m.ID), map[string]string{"by": name}); err != nil {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, errcode.New(errcode.ConsentClosed))
		return
	}
	if err := s.audit(ctx, action, actor, subject, string(m.ID), map[string]string{"by": name, "child": inv.Name}); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.deps.Now().UTC()
	inv.Consent = meeting.ConsentRecord{State: state, By: name, At: now}
	if err := s.deps.Store.SetConsent(ctx, m.ID, inv.ID, inv.Consent); err != nil {
		s.fail(w, r, err)
		return
	}
	if state == meeting.ConsentWithdrawn {
		if err := s.deps.Store.RevokeInvitation(ctx, m.ID, inv.ID, now); err != nil {
			s.fail(w, r, err)
			return
		}
		inv.RevokedAt = now
		if rm, ok := s.deps.Rooms.Running(m.ID); ok {
			if err := rm.RevokeInvitation(ctx, actor, inv.ID); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	v, err := s.consentView(ctx, inv, m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
