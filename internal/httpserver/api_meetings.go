package httpserver

import (
	"context"
	"errors"
	"net/http"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/auth"
	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
	"safemeet/internal/policy"
)

type meetingJSON struct {
	ID              string `json:"id"`
	Title           string `json:"title"`
	Purpose         string `json:"purpose"`
	Category        string `json:"category"`
	StartsAt        string `json:"startsAt"`
	DurationMinutes int    `json:"durationMinutes"`
	Profile         string `json:"profile"`      // the safeguarding profile's ID
	ProfileName     string `json:"profile_name"` // and its name, as the admins call it now
	HostName        string `json:"host_name"`
	Ended           bool   `json:"ended"`
	Running         bool   `json:"running"`
	Approval        string `json:"approval"`
	ApprovalBy      string `json:"approval_by"` // the approver's name
	ApprovalAt      string `json:"approval_at"`
	ApprovalNote    string `json:"approval_note"`
	// ApprovalFingerprint (for approvers, on a meeting's page and in the
	// queue) names what they are shown; a decision must send it back.
	ApprovalFingerprint string `json:"approval_fingerprint,omitempty"`
}

type consentJSON struct {
	State string `json:"state"`
	By    string `json:"by"`
	At    string `json:"at"`
}

type invitationJSON struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	RoleLabel     string      `json:"roleLabel"`
	CreatedAt     string      `json:"createdAt"`
	Revoked       bool        `json:"revoked"`
	Email         string      `json:"email"`
	AgeGroup      string      `json:"ageGroup"`
	GuardianName  string      `json:"guardianName"`
	GuardianEmail string      `json:"guardianEmail"`
	Consent       consentJSON `json:"consent"`
	Delivery      string      `json:"delivery"`
	Attempts      int         `json:"attempts"`
	DeliveryError string      `json:"deliveryError"`
	SentAt        string      `json:"sentAt"`
	NextAttemptAt string      `json:"nextAttemptAt"`
}

// timeJSON is t in RFC 3339 UTC, or "" for the zero time.
func timeJSON(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// toMeetingJSON shows m; profileName is the name of its profile.
func (s *Server) toMeetingJSON(ctx context.Context, m meeting.Meeting, profileName string) meetingJSON {
	_, running := s.deps.Rooms.Running(m.ID)
	return meetingJSON{
		ID: string(m.ID), Title: m.Title, Purpose: m.Purpose, Category: m.Category,
		StartsAt: m.StartsAt.UTC().Format(time.RFC3339), DurationMinutes: int(m.Duration / time.Minute),
		Profile: string(m.Profile), ProfileName: profileName, HostName: s.staffName(ctx, m.HostID),
		Ended: m.Ended(), Running: running,
		Approval: string(m.Approval), ApprovalBy: s.staffName(ctx, m.ApprovedBy),
		ApprovalAt: timeJSON(m.ApprovalAt), ApprovalNote: m.ApprovalNote,
	}
}

// staffName is a staff member's name, or "" if there is none to show.
func (s *Server) staffName(ctx context.Context, id meeting.StaffID) string {
	if id == "" {
		return ""
	}
	st, err := s.deps.Store.StaffByID(ctx, id)
	if err != nil {
		return ""
	}
	return st.Name
}

func toInvitationJSON(i meeting.Invitation) invitationJSON {
	return invitationJSON{
		ID: string(i.ID), Name: i.Name, RoleLabel: i.RoleLabel, CreatedAt: i.CreatedAt.UTC().Format(time.RFC3339), Revoked: i.Revoked(),
		Email: i.Email, AgeGroup: string(i.AgeGroup), GuardianName: i.Guardian.Name, GuardianEmail: i.Guardian.Email,
		Consent:  consentJSON{State: string(i.Consent.State), By: i.Consent.By, At: timeJSON(i.Consent.At)},
		Delivery: string(i.Delivery), Attempts: i.Attempts, DeliveryError: i.DeliveryError,
		SentAt: timeJSON(i.SentAt), NextAttemptAt: timeJSON(i.NextAttemptAt),
	}
}

func (s *Server) getMeetings(w http.ResponseWriter, r *http.Request) {
	ms, err := s.deps.Store.MeetingsByHost(r.Context(), staffFrom(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeMeetings(w, r, ms)
}

// writeMeetings answers with ms, each with its profile's name.
func (s *Server) writeMeetings(w http.ResponseWriter, r *http.Request, ms []meeting.Meeting) {
	names, err := s.profileNames(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]meetingJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, s.toMeetingJSON(r.Context(), m, names[m.Profile]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": out})
}

// meetingRequest is the body of scheduling or editing a meeting.
type meetingRequest struct {
	Title, Purpose, Category, StartsAt string
	DurationMinutes                    int
	Profile                            string // a profile ID; empty means the strictest shipped profile
}

// apply checks req and writes it into m, with the profile it names.
func (s *Server) applyMeetingRequest(ctx context.Context, req meetingRequest, m *meeting.Meeting) (policy.Profile, error) {
	starts, err := time.Parse(time.RFC3339, req.StartsAt)
	if err != nil {
		return policy.Profile{}, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "start"})
	}
	m.Title, m.Purpose, m.Category = req.Title, req.Purpose, req.Category
	m.StartsAt, m.Duration = starts.UTC(), time.Duration(req.DurationMinutes)*time.Minute
	if err := m.ValidateNew(); err != nil {
		return policy.Profile{}, errcode.Wrap(errcode.Invalid, err)
	}
	if err := s.checkCategory(ctx, m.Category); err != nil {
		return policy.Profile{}, err
	}
	profile, err := s.meetingProfile(ctx, req.Profile)
	if err != nil {
		return policy.Profile{}, err
	}
	m.Profile = profile.ID
	return profile, nil
}

func (s *Server) postMeeting(w http.ResponseWriter, r *http.Request) {
	var req meetingRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	st := staffFrom(r)
	m := meeting.Meeting{ID: meeting.NewID(), HostID: st.ID, CreatedAt: s.deps.Now().UTC()}
	profile, err := s.applyMeetingRequest(r.Context(), req, &m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m.Approval = profile.Scheduling.ApprovalFor()
	details := map[string]string{"title": m.Title, "profile": string(m.Profile), "category": m.Category, "approval": string(m.Approval)}
	if err := s.audit(r.Context(), "meeting.create", "staff:"+string(st.ID), "meeting:"+string(m.ID), string(m.ID), details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.CreateMeeting(r.Context(), m); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.toMeetingJSON(r.Context(), m, profile.Name))
}

// hostedMeeting returns the meeting named in the path if the signed-in staff
// member hosts it and still holds the host role. "No such meeting" and "not
// yours" look the same.
func (s *Server) hostedMeeting(r *http.Request) (meeting.Meeting, error) {
	m, err := s.deps.Store.Meeting(r.Context(), meeting.ID(r.PathValue("id")))
	if err != nil {
		return meeting.Meeting{}, err
	}
	if st := staffFrom(r); m.HostID != st.ID || !st.Host {
		return meeting.Meeting{}, errcode.New(errcode.NotFound)
	}
	return m, nil
}

// getMeeting shows a meeting with its invitations to its host, and to
// approvers (who decide on it).
func (s *Server) getMeeting(w http.ResponseWriter, r *http.Request) {
	st := staffFrom(r)
	m, err := s.deps.Store.Meeting(r.Context(), meeting.ID(r.PathValue("id")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if m.HostID != st.ID && !st.Approver {
		s.fail(w, r, errcode.New(errcode.NotFound))
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
	mj := s.toMeetingJSON(r.Context(), m, profile.Name)
	if st.Approver {
		if mj.ApprovalFingerprint, err = s.approvalFingerprint(r.Context(), m); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"meeting": mj, "invitations": invitationsJSON(invs),
		"contract": profile.Contract, "mine": m.HostID == st.ID,
	})
}

func invitationsJSON(invs []meeting.Invitation) []invitationJSON {
	out := make([]invitationJSON, 0, len(invs))
	for _, i := range invs {
		out = append(out, toInvitationJSON(i))
	}
	return out
}

// inviteLink is the personal link. The token travels in the fragment, which
// browsers never send to servers, and the page removes it from the address bar.
func (s *Server) inviteLink(token string) string { return s.deps.PublicURL + "/join#" + token }

// postInvitationLookup shows an invitee what their link is for, before they
// join. Every kind of bad token gets the same answer; a real link outside its
// window says when it opens.
func (s *Server) postInvitationLookup(w http.ResponseWriter, r *http.Request) {
	var req struct{ Token string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, errcode.New(errcode.InvitationInvalid))
		return
	}
	inv, m, err := s.deps.Auth.ResolveInvitation(r.Context(), req.Token)
	var notOpen *auth.NotOpenError
	if errors.As(err, &notOpen) {
		code := errcode.InvitationNotOpen
		writeJSON(w, errcode.HTTPStatus(code), map[string]string{
			"code": string(code), "message": errcode.Message(code), "opensAt": timeJSON(notOpen.OpensAt),
		})
		return
	}
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
	return s.appendAudit(ctx, audit.Allowed, action, actor, subject, meetingID, details)
}

// auditRefusal records a refused decision; if it fails, the caller answers
// with that failure instead of the refusal.
func (s *Server) auditRefusal(ctx context.Context, action, actor, subject, meetingID string, details map[string]string) error {
	return s.appendAudit(ctx, audit.Refused, action, actor, subject, meetingID, details)
}

func (s *Server) appendAudit(ctx context.Context, outcome audit.Outcome, action, actor, subject, meetingID string, details map[string]string) error {
	err := s.deps.Store.Append(ctx, audit.Entry{
		At: s.deps.Now().UTC(), Actor: actor, Action: action, Subject: subject,
		Outcome: outcome, Details: details, Meeting: meetingID,
	})
	if err != nil {
		return errcode.Wrap(errcode.AuditUnavailable, err)
	}
	return nil
}
