// Package httpserver serves safemeet over HTTP: the JSON API, the pages of the
// embedded browser client, and the WebSocket upgrade. Every response carries
// strict security headers; every state-changing request must come from the
// server's own origin.
package httpserver

import (
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"safemeet/internal/auth"
	"safemeet/internal/oidc"
	"safemeet/internal/room"
	"safemeet/internal/store"
)

// Deps are what the server needs; cmd/safemeet wires them.
type Deps struct {
	Store store.Store
	Auth  *auth.Service
	Rooms *room.Manager
	// Delivery is the email job; Kick asks it to send what became due.
	Delivery interface{ Kick() }
	Web      fs.FS // the browser client (web/)
	Logger   *slog.Logger
	Now      func() time.Time

	// PublicURL is the address people open; its origin is the only one allowed
	// to make requests that change anything and to open WebSockets.
	PublicURL string
	Origin    string
	Secure    bool // served over https: cookies get Secure and __Host-

	// SSOHTTPClient talks to the identity provider (nil: a default client).
	SSOHTTPClient *http.Client
}

// noDelivery stands in when no email job runs (queued mail waits for one).
type noDelivery struct{}

func (noDelivery) Kick() {}

// Server is the HTTP side of safemeet.
type Server struct {
	deps Deps
	mux  *http.ServeMux
	sso  ssoState
}

// New returns a Server with all routes registered.
func New(deps Deps) *Server {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Delivery == nil {
		deps.Delivery = noDelivery{}
	}
	s := &Server{deps: deps, mux: http.NewServeMux(), sso: ssoState{pendings: oidc.NewPendings(oidc.PendingTTL, oidc.PendingMax)}}
	s.routes()
	return s
}

// ServeHTTP adds the security headers and serves the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()")
	if s.deps.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := s.mux
	// Pages.
	m.HandleFunc("GET /{$}", s.page("index.html"))
	m.HandleFunc("GET /signin", s.page("signin.html"))
	m.HandleFunc("GET /join", s.page("join.html"))
	m.HandleFunc("GET /admin", s.page("admin.html"))
	m.HandleFunc("GET /meetings/{id}", s.page("meeting.html"))
	m.HandleFunc("GET /room/{id}", s.page("room.html"))
	m.HandleFunc("GET /consent", s.page("consent.html"))
	m.HandleFunc("GET /register", s.page("register.html"))
	m.HandleFunc("GET /register/{id}", s.page("register-meeting.html"))
	m.Handle("GET /static/", s.static())
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	// Sign-in.
	m.HandleFunc("GET /api/me", s.staffOnly(s.getMe))
	m.HandleFunc("POST /api/login", s.sameOrigin(s.postLogin))
	m.HandleFunc("POST /api/logout", s.sameOrigin(s.postLogout))
	m.HandleFunc("POST /api/signin-link", s.sameOrigin(s.postSigninLink))
	m.HandleFunc("POST /api/me/password", s.sameOrigin(s.staffOnly(s.postPassword)))
	m.HandleFunc("GET /api/sso", s.getSSO)
	m.HandleFunc("GET /auth/oidc/start", s.getSSOStart)
	m.HandleFunc("GET /auth/oidc/callback", s.getSSOCallback)

	// Meetings and invitations.
	m.HandleFunc("GET /api/meetings", s.staffOnly(s.getMeetings))
	m.HandleFunc("POST /api/meetings", s.sameOrigin(s.staffOnly(s.hostOnly(s.postMeeting))))
	m.HandleFunc("GET /api/meetings/{id}", s.staffOnly(s.getMeeting))
	m.HandleFunc("PUT /api/meetings/{id}", s.sameOrigin(s.staffOnly(s.hostOnly(s.putMeeting))))
	m.HandleFunc("GET /api/scheduling-options", s.staffOnly(s.getSchedulingOptions))
	m.HandleFunc("POST /api/meetings/{id}/invitations", s.sameOrigin(s.staffOnly(s.postInvitation)))
	m.HandleFunc("POST /api/meetings/{id}/invitations/{iid}/revoke", s.sameOrigin(s.staffOnly(s.postRevoke)))
	m.HandleFunc("POST /api/meetings/{id}/invitations/{iid}/link", s.sameOrigin(s.staffOnly(s.postNewLink)))
	m.HandleFunc("POST /api/meetings/{id}/invitations/{iid}/restore", s.sameOrigin(s.staffOnly(s.postRestore)))
	m.HandleFunc("POST /api/invitation", s.sameOrigin(s.postInvitationLookup))

	// Approval (approvers) and parent/carer consent (by consent link).
	m.HandleFunc("GET /api/approvals", s.staffOnly(s.approverOnly(s.getApprovals)))
	m.HandleFunc("POST /api/meetings/{id}/approve", s.sameOrigin(s.staffOnly(s.approverOnly(s.decide(true)))))
	m.HandleFunc("POST /api/meetings/{id}/decline", s.sameOrigin(s.staffOnly(s.approverOnly(s.decide(false)))))
	m.HandleFunc("POST /api/consent", s.sameOrigin(s.postConsent))
	m.HandleFunc("POST /api/consent/answer", s.sameOrigin(s.postConsentAnswer))

	// The meeting register: auditors and approvers read every meeting's
	// record, hosts their own (api_register.go).
	m.HandleFunc("GET /api/register", s.staffOnly(s.withRole(mayReadRegister, s.getRegister)))
	m.HandleFunc("GET /api/register/export", s.staffOnly(s.withRole(mayReadRegister, s.getRegisterExport)))
	m.HandleFunc("GET /api/register/{id}", s.staffOnly(s.withRole(mayReadRegister, s.getRegisterMeeting)))

	// Safeguarding profiles: every staff member reads them (to choose one for
	// a meeting); admins create and edit them.
	m.HandleFunc("GET /api/profiles", s.staffOnly(s.getProfiles))
	m.HandleFunc("POST /api/profiles", s.sameOrigin(s.staffOnly(s.adminOnly(s.postProfile))))
	m.HandleFunc("PUT /api/profiles/{id}", s.sameOrigin(s.staffOnly(s.adminOnly(s.putProfile))))

	// Staff accounts (admins).
	m.HandleFunc("GET /api/staff", s.staffOnly(s.adminOnly(s.getStaff)))
	m.HandleFunc("POST /api/staff", s.sameOrigin(s.staffOnly(s.adminOnly(s.postStaff))))
	m.HandleFunc("PUT /api/staff/{id}/roles", s.sameOrigin(s.staffOnly(s.adminOnly(s.putStaffRoles))))
	m.HandleFunc("POST /api/staff/{id}/disable", s.sameOrigin(s.staffOnly(s.adminOnly(s.setDisabled(true)))))
	m.HandleFunc("POST /api/staff/{id}/enable", s.sameOrigin(s.staffOnly(s.adminOnly(s.setDisabled(false)))))

	// Organisation settings (admins).
	m.HandleFunc("GET /api/settings", s.staffOnly(s.adminOnly(s.getSettings)))
	m.HandleFunc("PUT /api/settings/mail", s.sameOrigin(s.staffOnly(s.adminOnly(s.putMailSettings))))
	m.HandleFunc("PUT /api/settings/sso", s.sameOrigin(s.staffOnly(s.adminOnly(s.putSSOSettings))))
	m.HandleFunc("PUT /api/settings/categories", s.sameOrigin(s.staffOnly(s.adminOnly(s.putCategories))))

	// The meeting connection.
	m.HandleFunc("GET /ws", s.websocket)
}
