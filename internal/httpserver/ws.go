package httpserver

import (
	"context"
	"net/http"

	"github.com/coder/websocket"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/room"
	"safemeet/internal/session"
	"safemeet/internal/signalling"
)

// websocket upgrades a request to a meeting session. The Origin must be our
// own: another site's page must not be able to open a session with the
// visitor's login cookie.
func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") != s.deps.Origin {
		s.fail(w, r, errcode.New(errcode.BadOrigin))
		return
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		// Checked above against the configured public origin, which is stricter
		// than the library's same-host check.
		InsecureSkipVerify: true,
	})
	if err != nil {
		return // Accept has answered the request
	}
	loginToken := s.loginToken(r)
	session.Serve(r.Context(), session.Deps{
		Rooms:  s.deps.Rooms,
		Logger: s.deps.Logger,
		Identify: func(ctx context.Context, h *signalling.Hello) (meeting.Meeting, room.Identity, error) {
			return s.identify(ctx, h, loginToken)
		},
	}, conn)
}

// identify resolves a hello into the meeting and who the server says the
// sender is: an invitee by their invitation token, or the meeting's host by
// their login.
func (s *Server) identify(ctx context.Context, h *signalling.Hello, loginToken string) (meeting.Meeting, room.Identity, error) {
	switch {
	case h.Invite != "" && h.Meeting == "":
		inv, m, err := s.deps.Auth.ResolveInvitation(ctx, h.Invite)
		if err != nil {
			return meeting.Meeting{}, room.Identity{}, err
		}
		return m, room.Identity{
			Key: "invitation:" + string(inv.ID), Name: inv.Name, RoleLabel: inv.RoleLabel,
			Role: meeting.RoleParticipant, Invitation: inv.ID,
			AgeGroup: inv.AgeGroup, Consent: inv.Consent,
		}, nil
	case h.Meeting != "" && h.Invite == "":
		st, err := s.deps.Auth.Staff(ctx, loginToken)
		if err != nil {
			return meeting.Meeting{}, room.Identity{}, err
		}
		m, err := s.deps.Store.Meeting(ctx, meeting.ID(h.Meeting))
		if err != nil || m.HostID != st.ID || !st.Host {
			return meeting.Meeting{}, room.Identity{}, errcode.New(errcode.NotFound)
		}
		if m.Ended() {
			return meeting.Meeting{}, room.Identity{}, errcode.New(errcode.MeetingEnded)
		}
		if !m.Approval.Cleared() {
			// An unapproved meeting cannot start.
			return meeting.Meeting{}, room.Identity{}, errcode.New(errcode.MeetingNotApproved)
		}
		return m, room.Identity{
			Key: "staff:" + string(st.ID), Name: st.Name, RoleLabel: "Host",
			Role: meeting.RoleHost, Staff: st.ID,
		}, nil
	default:
		return meeting.Meeting{}, room.Identity{}, errcode.New(errcode.BadMessage)
	}
}
