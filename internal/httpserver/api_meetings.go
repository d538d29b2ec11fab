package httpserver

import (
	"context"
	"net/http"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/room"
)

type meetingJSON struct {
	ID              string `json:"id"`
	Title           string `json:"title"`
	Purpose         string `json:"purpose"`
	StartsAt        string `json:"startsAt"`
	DurationMinutes int    `json:"durationMinutes"`
	Profile         string `json:"profile"`      // the safeguarding profile's ID
	ProfileName     string `json:"profile_name"` // and its name, as the admins call it now
	Ended           bool   `json:"ended"`
	Running         bool   `json:"running"`
}

type invitationJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	RoleLabel string `json:"roleLabel"`
	CreatedAt string `json:"createdAt"`
	Revoked   bool   `json:"revoked"`
}

// toMeetingJSON shows m; profileName is the name of its profile.
func (s *Server) toMeetingJSON(m meeting.Meeting, profileName string) meetingJSON {
	_, running := s.deps.Rooms.Running(m.ID)
	return meetingJSON{
		ID: string(m.ID), Title: m.Title, Purpose: m.Purpose,
		StartsAt: m.StartsAt.UTC().Format(time.RFC3339), DurationMinutes: int(m.Duration / time.Minute),
		Profile: string(m.Profile), ProfileName: profileName,
		Ended: m.Ended(), Running: running,
	}
}

func toInvitationJSON(i meeting.Invitation) invitationJSON {
	return invitationJSON{ID: string(i.ID), Name: i.Name, RoleLabel: i.RoleLabel, CreatedAt: i.CreatedAt.UTC().Format(time.RFC3339), Revoked: i.Revoked()}
}

func (s *Server) getMeetings(w http.ResponseWriter, r *http.Request) {
	ms, err := s.deps.Store.MeetingsByHost(r.Context(), staffFrom(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.profileNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]meetingJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, s.toMeetingJSON(m, names[m.Profile]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": out})
}

func (s *Server) postMeeting(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title, Purpose, StartsAt string
		DurationMinutes          int
		Profile                  string // a profile ID; empty means the strictest shipped profile
	}
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	starts, err := time.Parse(time.RFC3339, req.StartsAt)
	if err != nil {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "start"}))
		return
	}
	st := staffFrom(r)
	m := meeting.Meeting{
		ID: meeting.NewID(), HostID: st.ID, Title: req.Title, Purpose: req.Purpose,
		StartsAt: starts.UTC(), Duration: time.Duration(req.DurationMinutes) * time.Minute,
		CreatedAt: s.deps.Now().UTC(),
	}
	if err := m.ValidateNew(); err != nil {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, err))
		return
	}
	profile, err := s.meetingProfile(r.Context(), req.Profile)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m.Profile = profile.ID
	details := map[string]string{"title": m.Title, "profile": string(m.Profile)}
	if err := s.audit(r.Context(), "meeting.create", "staff:"+string(st.ID), "meeting:"+string(m.ID), string(m.ID), details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.CreateMeeting(r.Context(), m); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.toMeetingJSON(m, profile.Name))
}

// hostedMeeting returns the meeting named in the path if the signed-in staff
// member hosts it. "No such meeting" and "not yours" look the same.
func (s *Server) hostedMeeting(r *http.Request) (meeting.Meeting, error) {
	m, err := s.deps.Store.Meeting(r.Context(), meeting.ID(r.PathValue("id")))
	if err != nil {
		return meeting.Meeting{}, err
	}
	if m.HostID != staffFrom(r).ID {
		return meeting.Meeting{}, errcode.New(errcode.NotFound)
	}
	return m, nil
}

func (s *Server) getMeeting(w http.ResponseWriter, r *http.Request) {
	m, err := s.hostedMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	invs, err := s.deps.Store.Invitations(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A meeting whose profile cannot be found still shows (it will not run).
	profile, err := s.deps.Store.Profile(r.Context(), m.Profile)
	if err != nil && errcode.Of(err) != errcode.NotFound {
		s.fail(w, r, err)
		return
	}
	out := make([]invitationJSON, 0, len(invs))
	for _, i := range invs {
		out = append(out, toInvitationJSON(i))
	}
	writeJSON(w, http.StatusOK, map[string]any{"meeting": s.toMeetingJSON(m, profile.Name), "invitations": out})
}

// inviteLink is the personal link. The token travels in the fragment, which
// browsers never send to servers, and the page removes it from the address bar.
func (s *Server) inviteLink(token string) string { return s.deps.PublicURL + "/join#" + token }

func (s *Server) postInvitation(w http.ResponseWriter, r *http.Request) {
	m, err := s.hostedMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if m.Ended() {
		s.fail(w, r, errcode.New(errcode.MeetingEnded))
		return
	}
	var req struct{ Name, RoleLabel string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	inv := meeting.Invitation{ID: meeting.NewInvitationID(), MeetingID: m.ID, Name: req.Name, RoleLabel: req.RoleLabel, CreatedAt: s.deps.Now().UTC()}
	if err := inv.ValidateNew(); err != nil {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, err))
		return
	}
	token, hash := s.deps.Auth.NewInvitationToken()
	if err := s.audit(r.Context(), "invitation.issue", "staff:"+string(staffFrom(r).ID), "invitation:"+string(inv.ID), string(m.ID), map[string]string{"name": inv.Name, "role_label": inv.RoleLabel}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.CreateInvitation(r.Context(), inv, hash); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"invitation": toInvitationJSON(inv), "link": s.inviteLink(token)})
}

// invitationChange is one host action on one invitation of their meeting: it
// is audited first, then stored, then (if the meeting is running) applied to
// the room; the answer is the invitation as it now stands, with link if set.
type invitationChange struct {
	action string
	store  func(ctx context.Context, mid meeting.ID, id meeting.InvitationID) error
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
	actor := "staff:" + string(staffFrom(r).ID)
	if err := s.audit(r.Context(), c.action, actor, "invitation:"+string(id), string(m.ID), nil); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := c.store(r.Context(), m.ID, id); err != nil {
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
		store: func(ctx context.Context, mid meeting.ID, id meeting.InvitationID) error {
			return s.deps.Store.RevokeInvitation(ctx, mid, id, s.deps.Now().UTC())
		},
		room: (*room.Room).RevokeInvitation,
	})
}

// postRestore lifts a revocation or removal: the same link works again, and a
// removed person may return to the waiting room.
func (s *Server) postRestore(w http.ResponseWriter, r *http.Request) {
	s.changeInvitation(w, r, invitationChange{
		action: "invitation.restore",
		store:  s.deps.Store.RestoreInvitation,
		room:   (*room.Room).LiftRemoval,
	})
}

// postNewLink gives an invitation a new token; the old link stops working.
func (s *Server) postNewLink(w http.ResponseWriter, r *http.Request) {
	token, hash := s.deps.Auth.NewInvitationToken()
	s.changeInvitation(w, r, invitationChange{
		action: "invitation.new_link",
		store: func(ctx context.Context, mid meeting.ID, id meeting.InvitationID) error {
			return s.deps.Store.ReplaceInvitationToken(ctx, mid, id, hash)
		},
		link: s.inviteLink(token),
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

// postInvitationLookup shows an invitee what their link is for, before they
// join. Every kind of bad token gets the same answer.
func (s *Server) postInvitationLookup(w http.ResponseWriter, r *http.Request) {
	var req struct{ Token string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, errcode.New(errcode.InvitationInvalid))
		return
	}
	inv, m, err := s.deps.Auth.ResolveInvitation(r.Context(), req.Token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"meeting": m.Title, "startsAt": m.StartsAt.UTC().Format(time.RFC3339),
		"name": inv.Name, "roleLabel": inv.RoleLabel,
	})
}

// audit appends an entry; if it fails the caller must refuse the action.
func (s *Server) audit(ctx context.Context, action, actor, subject, meetingID string, details map[string]string) error {
	err := s.deps.Store.Append(ctx, audit.Entry{
		At: s.deps.Now().UTC(), Actor: actor, Action: action, Subject: subject,
		Outcome: audit.Allowed, Details: details, Meeting: meetingID,
	})
	if err != nil {
		return errcode.Wrap(errcode.AuditUnavailable, err)
	}
	return nil
}
