package httpserver

import (
	"net/http"
	"time"

	"safemeet/internal/store"
)

type meJSON struct {
	ID    string    `json:"id"`
	Email string    `json:"email"`
	Name  string    `json:"name"`
	Admin bool      `json:"admin"`
	Roles rolesJSON `json:"roles"`
}

func toMe(st store.Staff) meJSON {
	return meJSON{ID: string(st.ID), Email: st.Email, Name: st.Name, Admin: st.Admin, Roles: toRolesJSON(st.Roles)}
}

// cookieName is __Host- prefixed over https, which pins the cookie to this
// host and path / with Secure set.
func (s *Server) cookieName() string {
	if s.deps.Secure {
		return "__Host-safemeet_login"
	}
	return "safemeet_login"
}

func (s *Server) loginToken(r *http.Request) string {
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return ""
	}
	return c.Value
}

func (s *Server) setLoginCookie(w http.ResponseWriter, token string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(),
		Value:    token,
		Path:     "/",
		MaxAge:   int(maxAge.Seconds()),
		HttpOnly: true,
		Secure:   s.deps.Secure,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, toMe(staffFrom(r)))
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	var req struct{ Email, Password string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	token, st, err := s.deps.Auth.SignIn(r.Context(), req.Email, req.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setLoginCookie(w, token, s.deps.Auth.TTL())
	writeJSON(w, http.StatusOK, toMe(st))
}

func (s *Server) postSigninLink(w http.ResponseWriter, r *http.Request) {
	var req struct{ Token string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	token, st, err := s.deps.Auth.SignInWithLink(r.Context(), req.Token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setLoginCookie(w, token, s.deps.Auth.TTL())
	writeJSON(w, http.StatusOK, toMe(st))
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) {
	if token := s.loginToken(r); token != "" {
		if err := s.deps.Auth.SignOut(r.Context(), token); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.setLoginCookie(w, "", -time.Second)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) postPassword(w http.ResponseWriter, r *http.Request) {
	var req struct{ Password string }
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.deps.Auth.SetPassword(r.Context(), staffFrom(r).ID, req.Password); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
