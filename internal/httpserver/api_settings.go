package httpserver

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"safemeet/internal/delivery"
	"safemeet/internal/errcode"
	"safemeet/internal/mail"
	"safemeet/internal/meeting"
	"safemeet/internal/oidc"
	"safemeet/internal/store"
)

// maxCategories bounds the organisation's purpose categories.
const maxCategories = 50

type mailSettingsJSON struct {
	Host        string        `json:"host"`
	Port        int           `json:"port"`
	Security    mail.Security `json:"security"`
	Username    string        `json:"username"`
	PasswordSet bool          `json:"password_set"`
	From        string        `json:"from"`
	FromName    string        `json:"from_name"`
	Configured  bool          `json:"configured"`
}

type ssoSettingsJSON struct {
	Issuer          string `json:"issuer"`
	ClientID        string `json:"client_id"`
	ClientSecretSet bool   `json:"client_secret_set"`
	AutoProvision   bool   `json:"auto_provision"`
	Domains         string `json:"auto_provision_domains"`
	RedirectURL     string `json:"redirect_url"`
	Configured      bool   `json:"configured"`
}

// ssoConfig reads the organisation's single sign-on settings (zero if none).
func (s *Server) ssoConfig(ctx context.Context) (oidc.Config, error) {
	var c oidc.Config
	raw, err := s.deps.Store.Setting(ctx, store.SettingOIDC)
	if errcode.Of(err) == errcode.NotFound {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return c, err
	}
	return c, nil
}

// ssoRedirectURL is the callback address to register with the provider.
func (s *Server) ssoRedirectURL() string { return s.deps.PublicURL + "/auth/oidc/callback" }

// getSettings shows the organisation's settings; secrets only as "set".
func (s *Server) getSettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	mc, err := delivery.MailConfig(ctx, s.deps.Store)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := s.ssoConfig(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cats, err := s.categories(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"mail": mailSettingsJSON{
			Host: mc.Host, Port: mc.Port, Security: mc.Security, Username: mc.Username, PasswordSet: mc.Password != "",
			From: mc.From, FromName: mc.FromName, Configured: mc.Configured(),
		},
		"sso": ssoSettingsJSON{
			Issuer: sc.Issuer, ClientID: sc.ClientID, ClientSecretSet: sc.ClientSecret != "", AutoProvision: sc.AutoProvision,
			Domains:     sc.AutoProvisionDomains,
			RedirectURL: s.ssoRedirectURL(), Configured: sc.Configured(),
		},
		"categories": cats,
	})
}

// saveSetting audits and stores one setting (never a secret in the audit
// log), then answers with all settings.
func (s *Server) saveSetting(w http.ResponseWriter, r *http.Request, key string, value any, details map[string]string) {
	b, err := json.Marshal(value)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.audit(r.Context(), "settings."+key, "staff:"+string(staffFrom(r).ID), "settings:"+key, "", details); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Store.SetSetting(r.Context(), key, string(b), s.deps.Now().UTC()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.getSettings(w, r)
}

func (s *Server) putMailSettings(w http.ResponseWriter, r *http.Request) {
	var req mail.Config
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Password == "" {
		old, err := delivery.MailConfig(r.Context(), s.deps.Store)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// The stored password is kept only for the same server and account:
		// it must never be sent to a server it was not given for.
		if old.Host == req.Host && old.Username == req.Username {
			req.Password = old.Password
		}
	}
	if req.Host != "" {
		if err := req.Validate(); err != nil {
			s.fail(w, r, errcode.Wrap(errcode.Invalid, err))
			return
		}
	} else {
		req = mail.Config{} // email off
	}
	details := map[string]string{"host": req.Host, "security": string(req.Security), "from": req.From, "username": req.Username}
	s.saveSetting(w, r, store.SettingSMTP, req, details)
	s.deps.Delivery.Kick()
}

func (s *Server) putSSOSettings(w http.ResponseWriter, r *http.Request) {
	var req oidc.Config
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.ClientSecret == "" {
		old, err := s.ssoConfig(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Kept only for the same provider and client, never sent to another.
		if old.Issuer == req.Issuer && old.ClientID == req.ClientID {
			req.ClientSecret = old.ClientSecret
		}
	}
	if req.Issuer == "" {
		req = oidc.Config{} // single sign-on off
	}
	if err := req.Validate(); err != nil {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, err))
		return
	}
	details := map[string]string{"issuer": req.Issuer, "client_id": req.ClientID, "auto_provision": boolText(req.AutoProvision), "domains": req.AutoProvisionDomains}
	s.saveSetting(w, r, store.SettingOIDC, req, details)
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (s *Server) putCategories(w http.ResponseWriter, r *http.Request) {
	var req struct{ Categories []string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(req.Categories) == 0 || len(req.Categories) > maxCategories {
		s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "purpose categories"}))
		return
	}
	cats := make([]string, 0, len(req.Categories))
	for _, c := range req.Categories {
		c, ok := meeting.CleanText(c, meeting.MaxCategoryLen)
		if !ok || slices.Contains(cats, c) {
			s.fail(w, r, errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "purpose category"}))
			return
		}
		cats = append(cats, c)
	}
	s.saveSetting(w, r, store.SettingPurposeCategories, cats, map[string]string{"categories": strings.Join(cats, "; ")})
}

// getSchedulingOptions tells the meeting form what it may offer.
func (s *Server) getSchedulingOptions(w http.ResponseWriter, r *http.Request) {
	cats, err := s.categories(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	on, err := s.mailConfigured(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"categories": cats, "mail_configured": on})
}
