package httpserver

import (
	"context"
	"net/http"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/room"
	"safemeet/internal/secret"
)

// postInvitation adds an invitee. With mail set up the invitation is queued
// for email (to the invitee, or for an invitee under 16 to their parent or
// carer) and its link is never shown; without, the host is shown the link to
// pass on, once the meeting is cleared. Adding an invitee to an approved
// meeting sends it back for approval.
func (s *Server) postInvitation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := s.hostedMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if m.Ended() {
		s.fail(w, r, errcode.New(errcode.MeetingEnded))
		return
	}
	if _, running := s.deps.Rooms.Running(m.ID); running && m.Approval != meeting.ApprovalNotNeeded {
		// A new invitee sends the meeting back to an approver, which would
		// lock everyone out of the running meeting until they decide.
		s.fail(w, r, errcode.New(errcode.MeetingRunning))
		return
	}
	var req struct{ Name, RoleLabel, Email, AgeGroup, GuardianName, GuardianEmail string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	mailOn, err := s.mailConfigured(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.deps.Now().UTC()
	inv := meeting.Invitation{
		ID: meeting.NewInvitationID(), MeetingID: m.ID, Name: req.Name, RoleLabel: req.RoleLabel, CreatedAt: now,
		Email: req.Email, AgeGroup: meeting.AgeGroup(req.AgeGroup),
		Guardian: meeting.Guardian{Name: req.GuardianName, Email: req.GuardianEmail},
		Delivery: meeting.DeliveryManual,
	}
	if err := inv.ValidateNew(mailOn); err != nil {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, err))
		return
	}
	if inv.NeedsConsent() && !mailOn {
		s.fail(w, r, errcode.New(errcode.MailNotConfigured))
		return
	}
	if inv.NeedsConsent() {
		// Consent comes from the child's parent or carer, never from staff.
		switch _, err := s.deps.Store.StaffByEmail(ctx, inv.Guardian.Email); errcode.Of(err) {
		case "":
			s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "parent or carer email"}))
			return
		case errcode.NotFound:
		default:
			s.fail(w, r, err)
			return
		}
	}
	profile, err := s.deps.Store.Profile(ctx, m.Profile)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The stored token of a queued invitation is a random one nobody holds:
	// the delivery job makes the real link when it sends the mail.
	token, hash := s.deps.Auth.NewInvitationToken()
	if mailOn {
		inv.Delivery = meeting.DeliveryQueued
		inv.NextAttemptAt = later(now, profile.Scheduling.SendAfter(m))
	}
	to, _ := inv.MailTo()
	_, toEmail := inv.MailTo()
	details := map[string]string{"name": inv.Name, "role_label": inv.RoleLabel, "age_group": string(inv.AgeGroup), "delivery": string(inv.Delivery), "to": toEmail}
	if inv.NeedsConsent() {
		details["guardian"] = to
	}
	if err := s.audit(ctx, "invitation.issue", "staff:"+string(staffFrom(r).ID), "invitation:"+string(inv.ID), string(m.ID), details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.CreateInvitation(ctx, inv, hash); err != nil {
		s.fail(w, r, err)
		return
	}
	if m.Approval == meeting.ApprovalApproved || m.Approval == meeting.ApprovalDeclined {
		if err := s.backToApproval(ctx, r, m, "invitee added"); err != nil {
			s.fail(w, r, err)
			return
		}
		m.Approval = meeting.ApprovalPending
	}
	showLink := !mailOn && m.Approval.Cleared()
	s.deps.Delivery.Kick()
	body := map[string]any{"invitation": toInvitationJSON(inv)}
	if showLink {
		body["link"] = s.inviteLink(token)
	}
	writeJSON(w, http.StatusCreated, body)
}

// invitationChange is one host action on one invitation of their meeting: it
// is audited first, then stored, then (if the meeting is running) applied to
// the room; the answer is the invitation as it now stands, with link if set.
type invitationChange struct {
	action string
	store  func(ctx context.Context, m meeting.Meeting, id meeting.InvitationID) error
	room   func(rm *room.Room, ctx context.Context, actor string, id meeting.InvitationID) error // optional
	link   string
}

func (s *Server) changeInvitation(w http.ResponseWriter, r *http.Request, c invitationChange) {
	m, err := s.hostedMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := meeting.InvitationID(r.PathValue("iid"))
	if _, err := s.deps.Store.Invitation(r.Context(), m.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	actor := "staff:" + string(staffFrom(r).ID)
	if err := s.audit(r.Context(), c.action, actor, "invitation:"+string(id), string(m.ID), nil); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := c.store(r.Context(), m, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if rm, ok := s.deps.Rooms.Running(m.ID); ok && c.room != nil {
		// The store has changed already; if the room step fails the host must
		// know, and can retry (each step is idempotent) or act in the room.
		if err := c.room(rm, r.Context(), actor, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.respondInvitation(w, r, m.ID, id, c.link)
}

// postRevoke kills an invitation's link and takes its holder out of the room.
func (s *Server) postRevoke(w http.ResponseWriter, r *http.Request) {
	s.changeInvitation(w, r, invitationChange{
		action: "invitation.revoke",
		store: func(ctx context.Context, m meeting.Meeting, id meeting.InvitationID) error {
			return s.deps.Store.RevokeInvitation(ctx, m.ID, id, s.deps.Now().UTC())
		},
		room: (*room.Room).RevokeInvitation,
	})
}

// postRestore lifts a revocation or removal: the same link works again, and a
// removed person may return to the waiting room.
func (s *Server) postRestore(w http.ResponseWriter, r *http.Request) {
	s.changeInvitation(w, r, invitationChange{
		action: "invitation.restore",
		store: func(ctx context.Context, m meeting.Meeting, id meeting.InvitationID) error {
			if err := s.deps.Store.RestoreInvitation(ctx, m.ID, id); err != nil {
				return err
			}
			// An invitee coming back is a change to the list an approver decided on.
			if m.Approval == meeting.ApprovalApproved || m.Approval == meeting.ApprovalDeclined {
				return s.backToApproval(ctx, r, m, "invitee restored")
			}
			return nil
		},
		room: (*room.Room).LiftRemoval,
	})
}

// postNewLink replaces an invitation's link: the old one stops working at
// once. An emailed invitation is sent again with the new link (the host never
// sees it); a manual one shows the new link, once the meeting is cleared.
func (s *Server) postNewLink(w http.ResponseWriter, r *http.Request) {
	m, err := s.hostedMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inv, err := s.deps.Store.Invitation(r.Context(), m.ID, meeting.InvitationID(r.PathValue("iid")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if inv.Delivery == meeting.DeliveryManual {
		if !m.Approval.Cleared() {
			s.fail(w, r, errcode.New(errcode.MeetingNotApproved))
			return
		}
		token, hash := s.deps.Auth.NewInvitationToken()
		s.changeInvitation(w, r, invitationChange{
			action: "invitation.new_link",
			store: func(ctx context.Context, m meeting.Meeting, id meeting.InvitationID) error {
				return s.deps.Store.ReplaceInvitationToken(ctx, m.ID, id, hash)
			},
			room: (*room.Room).LinkReplaced,
			link: s.inviteLink(token),
		})
		return
	}
	s.changeInvitation(w, r, invitationChange{
		action: "invitation.resend",
		store: func(ctx context.Context, m meeting.Meeting, id meeting.InvitationID) error {
			// Tokens nobody holds replace the old ones now; the delivery job
			// makes the new link when it sends.
			var consentHash string
			if inv.NeedsConsent() {
				consentHash = secret.Hash(secret.New())
			}
			if err := s.deps.Store.SetDeliveryTokens(ctx, m.ID, id, secret.Hash(secret.New()), consentHash); err != nil {
				return err
			}
			profile, err := s.deps.Store.Profile(ctx, m.Profile)
			if err != nil {
				return err
			}
			if err := s.deps.Store.QueueInvitation(ctx, m.ID, id, later(s.deps.Now().UTC(), profile.Scheduling.SendAfter(m))); err != nil {
				return err
			}
			s.deps.Delivery.Kick()
			return nil
		},
		room: (*room.Room).LinkReplaced,
	})
}

func (s *Server) respondInvitation(w http.ResponseWriter, r *http.Request, mid meeting.ID, id meeting.InvitationID, link string) {
	inv, err := s.deps.Store.Invitation(r.Context(), mid, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := map[string]any{"invitation": toInvitationJSON(inv)}
	if link != "" {
		body["link"] = link
	}
	writeJSON(w, http.StatusOK, body)
}
