package httpserver

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"safemeet/internal/auth"
	"safemeet/internal/errcode"
	"safemeet/internal/oidc"
)

// ssoState is single sign-on's server side: the sign-ins in progress, and a
// client for the configured provider (remade when the settings change).
type ssoState struct {
	pendings *oidc.Pendings

	mu     sync.Mutex
	config oidc.Config
	client *oidc.Client
}

// ssoClient returns a client for the current settings; errcode.SSONotConfigured if none.
func (s *Server) ssoClient(ctx context.Context) (*oidc.Client, oidc.Config, error) {
	c, err := s.ssoConfig(ctx)
	if err != nil {
		return nil, c, err
	}
	if !c.Configured() {
		return nil, c, errcode.New(errcode.SSONotConfigured)
	}
	s.sso.mu.Lock()
	defer s.sso.mu.Unlock()
	if s.sso.client == nil || s.sso.config != c {
		s.sso.config, s.sso.client = c, oidc.NewClient(c, s.ssoRedirectURL(), s.deps.SSOHTTPClient)
	}
	return s.sso.client, c, nil
}

// ssoCookie binds a sign-in in progress to the browser that started it. It
// is Lax (not Strict): the provider's redirect back is a cross-site navigation.
func (s *Server) ssoCookie() string {
	if s.deps.Secure {
		return "__Host-safemeet_sso"
	}
	return "safemeet_sso"
}

func (s *Server) getSSO(w http.ResponseWriter, r *http.Request) {
	c, err := s.ssoConfig(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"enabled": c.Configured()})
}

// getSSOStart sends the browser to the organisation's provider, with PKCE,
// state and nonce.
func (s *Server) getSSOStart(w http.ResponseWriter, r *http.Request) {
	client, _, err := s.ssoClient(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	url, p, err := client.Begin(r.Context(), s.deps.Now())
	if err != nil {
		s.deps.Logger.Error("sso begin", "err", err)
		http.Redirect(w, r, "/signin?sso=unavailable", http.StatusFound)
		return
	}
	s.sso.pendings.Put(p)
	http.SetCookie(w, &http.Cookie{
		Name: s.ssoCookie(), Value: p.State, Path: "/", MaxAge: int(oidc.PendingTTL.Seconds()),
		HttpOnly: true, Secure: s.deps.Secure, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, url, http.StatusFound)
}

// getSSOCallback finishes a sign-in: the state must match this browser's
// cookie, the code is exchanged with the PKCE verifier, the ID token and its
// nonce are checked, and the verified email must be a staff account's (or be
// provisioned, if the admin allows). Refusals say little; the log and the
// audit log keep why.
func (s *Server) getSSOCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookie(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.deps.Secure, SameSite: http.SameSiteLaxMode})
	refused := func(why string, err error) {
		s.deps.Logger.Warn("sso sign-in refused", "why", why, "err", err)
		http.Redirect(w, r, "/signin?sso=refused", http.StatusFound)
	}
	q := r.URL.Query()
	if q.Get("error") != "" {
		refused("provider error", errors.New(q.Get("error")))
		return
	}
	cookie, err := r.Cookie(s.ssoCookie())
	if err != nil {
		refused("no state cookie", err)
		return
	}
	p, ok := s.sso.pendings.Take(q.Get("state"), cookie.Value, s.deps.Now())
	if !ok {
		refused("unknown or expired state", nil)
		return
	}
	client, cfg, err := s.ssoClient(ctx)
	if err != nil {
		refused("not configured", err)
		return
	}
	id, err := client.Finish(ctx, p, q.Get("code"))
	if err != nil {
		refused("finish", err)
		return
	}
	token, _, err := s.deps.Auth.SignInSSO(ctx, auth.SSOIdentity{Issuer: cfg.Issuer, Subject: id.Subject, Email: id.Email, EmailVerified: id.EmailVerified, Name: id.Name},
		cfg.Provisions(id.Email))
	if err != nil {
		if errcode.Of(err) == errcode.SSORefused {
			refused("account", err)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setLoginCookie(w, token, s.deps.Auth.TTL())
	http.Redirect(w, r, "/", http.StatusFound)
}
