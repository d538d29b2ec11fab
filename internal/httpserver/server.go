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
	"safemeet/internal/room"
	"safemeet/internal/store"
)

// Deps are what the server needs; cmd/safemeet wires them.
type Deps struct {
	Store  store.Store
	Auth   *auth.Service
	Rooms  *room.Manager
	Web    fs.FS // the browser client (web/)
	Logger *slog.Logger
	Now    func() time.Time

	// PublicURL is the address people open; its origin is the only one allowed
	// to make requests that change anything and to open WebSockets.
	PublicURL string
	Origin    string
	Secure    bool // served over https: cookies get Secure and __Host-
}

// Server is the HTTP side of safemeet.
type Server struct {
	deps Deps
	mux  *http.ServeMux
}

// New returns a Server with all routes registered.
func New(deps Deps) *Server {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	s := &Server{deps: deps, mux: http.NewServeMux()}
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
	m.Handle("GET /static/", s.static())
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	// Sign-in.
	m.HandleFunc("GET /api/me", s.staffOnly(s.getMe))
	m.HandleFunc("POST /api/login", s.sameOrigin(s.postLogin))
	m.HandleFunc("POST /api/logout", s.sameOrigin(s.postLogout))
	m.HandleFunc("POST /api/signin-link", s.sameOrigin(s.postSigninLink))
	m.HandleFunc("POST /api/me/password", s.sameOrigin(s.staffOnly(s.postPassword)))

	// Meetings and invitations.
	m.HandleFunc("GET /api/meetings", s.staffOnly(s.getMeetings))
	m.HandleFunc("POST /api/meetings", s.sameOrigin(s.staffOnly(s.postMeeting)))
	m.HandleFunc("GET /api/meetings/{id}", s.staffOnly(s.getMeeting))
	m.HandleFunc("POST /api/meetings/{id}/invitations", s.sameOrigin(s.staffOnly(s.postInvitation)))
	m.HandleFunc("POST /api/meetings/{id}/invitations/{iid}/revoke", s.sameOrigin(s.staffOnly(s.postRevoke)))
	m.HandleFunc("POST /api/meetings/{id}/invitations/{iid}/link", s.sameOrigin(s.staffOnly(s.postNewLink)))
	m.HandleFunc("POST /api/meetings/{id}/invitations/{iid}/restore", s.sameOrigin(s.staffOnly(s.postRestore)))
	m.HandleFunc("POST /api/invitation", s.sameOrigin(s.postInvitationLookup))

	// Safeguarding profiles: every staff member reads them (to choose one for
	// a meeting); admins create and edit them.
	m.HandleFunc("GET /api/profiles", s.staffOnly(s.getProfiles))
	m.HandleFunc("POST /api/profiles", s.sameOrigin(s.staffOnly(s.adminOnly(s.postProfile))))
	m.HandleFunc("PUT /api/profiles/{id}", s.sameOrigin(s.staffOnly(s.adminOnly(s.putProfile))))

	// Staff accounts (admins).
	m.HandleFunc("GET /api/staff", s.staffOnly(s.adminOnly(s.getStaff)))
	m.HandleFunc("POST /api/staff", s.sameOrigin(s.staffOnly(s.adminOnly(s.postStaff))))

	// The meeting connection.
	m.HandleFunc("GET /ws", s.websocket)
}
