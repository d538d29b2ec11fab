package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"safemeet/internal/errcode"
	"safemeet/internal/store"
)

// maxBody bounds every JSON request body.
const maxBody = 64 << 10

// apiError is the body of every refused API request.
type apiError struct {
	Code    errcode.Code `json:"code"`
	Message string       `json:"message"`
	Field   string       `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers with err's code and fixed sentence; internal detail goes to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := errcode.Of(err)
	if code == errcode.Internal {
		s.deps.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body := apiError{Code: code, Message: errcode.Message(code)}
	var fe interface{ FieldName() string }
	if errors.As(err, &fe) {
		body.Field = fe.FieldName()
	}
	writeJSON(w, errcode.HTTPStatus(code), body)
}

// decode reads a JSON body into v, refusing anything but a small JSON object.
func decode(r *http.Request, v any) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return errcode.New(errcode.BadRequest)
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errcode.Wrap(errcode.BadRequest, err)
	}
	return nil
}

// sameOrigin refuses state-changing requests that do not come from our own
// pages (cross-site request forgery).
func (s *Server) sameOrigin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") != s.deps.Origin {
			s.fail(w, r, errcode.New(errcode.BadOrigin))
			return
		}
		next(w, r)
	}
}

type staffKey struct{}

// staffOnly requires a signed-in, active staff member and puts them in the context.
func (s *Server) staffOnly(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, err := s.deps.Auth.Staff(r.Context(), s.loginToken(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), staffKey{}, st)))
	}
}

// withRole requires the signed-in staff member (see staffOnly) to hold a role.
func (s *Server) withRole(has func(store.Roles) bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !has(staffFrom(r).Roles) {
			s.fail(w, r, errcode.New(errcode.Forbidden))
			return
		}
		next(w, r)
	}
}

func (s *Server) adminOnly(next http.HandlerFunc) http.HandlerFunc {
	return s.withRole(func(r store.Roles) bool { return r.Admin }, next)
}

func (s *Server) hostOnly(next http.HandlerFunc) http.HandlerFunc {
	return s.withRole(func(r store.Roles) bool { return r.Host }, next)
}

func (s *Server) approverOnly(next http.HandlerFunc) http.HandlerFunc {
	return s.withRole(func(r store.Roles) bool { return r.Approver }, next)
}

func staffFrom(r *http.Request) store.Staff {
	st, _ := r.Context().Value(staffKey{}).(store.Staff)
	return st
}
