package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"safemeet/internal/audit"
	"safemeet/internal/auth"
	"safemeet/internal/room"
	"safemeet/internal/store"
	"safemeet/internal/store/sqlite"
)

type fixture struct {
	t      *testing.T
	srv    *Server
	origin string
	auth   *auth.Service
	store  *flakyStore
}

// flakyStore is the server's store, whose audit log can be made to fail.
type flakyStore struct {
	store.Store
	auditFails atomic.Bool
}

func (s *flakyStore) Append(ctx context.Context, e audit.Entry) error {
	if s.auditFails.Load() {
		return errors.New("disk full")
	}
	return s.Store.Append(ctx, e)
}

func newFixture(t *testing.T, secure bool) *fixture {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "safemeet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := &auth.Service{Store: db}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	origin := "http://localhost:8080"
	if secure {
		origin = "https://meet.example.org"
	}
	st := &flakyStore{Store: db}
	srv := New(Deps{
		Store: st, Auth: a, Logger: logger,
		Rooms:     room.NewManager(room.Deps{Store: db, Logger: logger, Now: time.Now, Grace: time.Second}),
		Web:       fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}},
		PublicURL: origin, Origin: origin, Secure: secure,
	})
	if _, err := a.AddStaff(context.Background(), "", "teacher@school.example", "Ms Teacher", "correct horse battery", store.Roles{Host: true}); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, origin: origin, auth: a, store: st}
}

func (f *fixture) do(method, path string, body any, cookie *http.Cookie, origin string) *http.Response {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w.Result()
}

func (f *fixture) signIn() *http.Cookie {
	f.t.Helper()
	resp := f.do("POST", "/api/login", map[string]string{"email": "Teacher@School.example", "password": "correct horse battery"}, nil, f.origin)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("sign-in status %d", resp.StatusCode)
	}
	cs := resp.Cookies()
	if len(cs) != 1 {
		f.t.Fatalf("sign-in set %d cookies, want 1", len(cs))
	}
	return cs[0]
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	f := newFixture(t, false)
	for _, path := range []string{"/", "/api/me", "/no/such/page"} {
		resp := f.do("GET", path, nil, nil, "")
		h := resp.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
			t.Errorf("%s: CSP = %q", path, h.Get("Content-Security-Policy"))
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: nosniff %q, referrer %q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
	}
}

func TestLoginCookie_HostPrefixedAndSecureOverHTTPS(t *testing.T) {
	f := newFixture(t, true)
	c := f.signIn()
	if c.Name != "__Host-safemeet_login" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie = %+v, want __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/", c)
	}
}

func TestLogin_EachSignInGetsANewIDAndSignOutEndsIt(t *testing.T) {
	f := newFixture(t, false)
	first, second := f.signIn(), f.signIn()
	if first.Value == second.Value {
		t.Fatal("two sign-ins got the same login ID")
	}
	if resp := f.do("GET", "/api/me", nil, first, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/me with a login: %d", resp.StatusCode)
	}
	if resp := f.do("POST", "/api/logout", map[string]string{}, first, f.origin); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("sign-out: %d", resp.StatusCode)
	}
	if resp := f.do("GET", "/api/me", nil, first, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/api/me after sign-out: %d, want 401", resp.StatusCode)
	}
	if resp := f.do("GET", "/api/me", nil, second, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the other login was ended too: %d", resp.StatusCode)
	}
}

func TestStateChangingRequestsNeedOurOrigin(t *testing.T) {
	f := newFixture(t, false)
	c := f.signIn()
	body := map[string]any{"title": "T", "purpose": "P", "category": "Annual review", "startsAt": "2026-12-01T10:00:00Z", "durationMinutes": 30}
	for _, origin := range []string{"", "https://evil.example", "http://localhost:8081"} {
		resp := f.do("POST", "/api/meetings", body, c, origin)
		var e apiError
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode != http.StatusForbidden || e.Code != "bad_origin" {
			t.Errorf("origin %q: %d %+v, want 403 bad_origin", origin, resp.StatusCode, e)
		}
	}
	if resp := f.do("POST", "/api/meetings", body, c, f.origin); resp.StatusCode != http.StatusCreated {
		t.Errorf("same-origin create: %d, want 201", resp.StatusCode)
	}
}

func TestMeeting_PurposeIsRequired(t *testing.T) {
	f := newFixture(t, false)
	c := f.signIn()
	resp := f.do("POST", "/api/meetings", map[string]any{"title": "T", "purpose": " ", "startsAt": "2026-12-01T10:00:00Z", "durationMinutes": 30}, c, f.origin)
	var e apiError
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != http.StatusBadRequest || e.Code != "invalid" || e.Field != "purpose" || e.Message == "" {
		t.Errorf("create without purpose: %d %+v, want 400 invalid purpose", resp.StatusCode, e)
	}
}

func TestMeeting_OtherStaffCannotSeeIt(t *testing.T) {
	f := newFixture(t, false)
	c := f.signIn()
	var m meetingJSON
	resp := f.do("POST", "/api/meetings", map[string]any{"title": "T", "purpose": "P", "category": "Annual review", "startsAt": "2026-12-01T10:00:00Z", "durationMinutes": 30}, c, f.origin)
	_ = json.NewDecoder(resp.Body).Decode(&m)
	if _, err := f.auth.AddStaff(context.Background(), "", "other@school.example", "Mr Other", "another long password", store.Roles{Host: true}); err != nil {
		t.Fatal(err)
	}
	resp = f.do("POST", "/api/login", map[string]string{"email": "other@school.example", "password": "another long password"}, nil, f.origin)
	other := resp.Cookies()[0]
	mine := f.do("GET", "/api/meetings/"+m.ID, nil, other, "")
	none := f.do("GET", "/api/meetings/nosuchmeeting", nil, other, "")
	a, _ := io.ReadAll(mine.Body)
	b, _ := io.ReadAll(none.Body)
	if mine.StatusCode != http.StatusNotFound || string(a) != string(b) {
		t.Errorf("someone else's meeting: %d %s; no such meeting: %d %s; want identical 404s", mine.StatusCode, a, none.StatusCode, b)
	}
}
