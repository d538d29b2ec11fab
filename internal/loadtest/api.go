package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"syscall"
	"time"
)

// api is the staff member's HTTP client for the server's JSON API. It can
// only connect to loopback addresses and follows no redirects.
type api struct {
	base string
	c    *http.Client
}

func newAPI(base string) *api {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: loopbackOnly}
	transport := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 64, Proxy: nil}
	return &api{
		base: strings.TrimRight(base, "/"),
		c: &http.Client{
			Jar: jar, Transport: transport, Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// loopbackOnly refuses a connection to any address that is not loopback,
// whatever a name resolved to.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("connect to %s: %w", address, ErrNotLoopback)
	}
	return nil
}

// signIn logs the staff member in with the link or the password.
func (a *api) signIn(ctx context.Context, cfg Config) error {
	if cfg.SigninLink != "" {
		token, err := signinToken(cfg.SigninLink)
		if err != nil {
			return err
		}
		return a.post(ctx, "/api/signin-link", map[string]string{"token": token}, http.StatusOK, nil)
	}
	return a.post(ctx, "/api/login", map[string]string{"email": cfg.Email, "password": cfg.Password}, http.StatusOK, nil)
}

// loadProfileName names the profile the tool makes for its meetings.
const loadProfileName = "Load test"

// loadProfile returns the ID of a profile for load-test meetings: the
// internal-staff rules (no approval to wait for, no contract to accept) with
// room for the largest meeting a profile allows. The tool makes it the first
// time, which takes an admin; without one it falls back to internal staff,
// whose meetings hold 100 people.
func (a *api) loadProfile(ctx context.Context) (string, error) {
	var list struct {
		Profiles []struct {
			ID, Name string
			Rules    map[string]any
		}
	}
	if err := a.send(ctx, http.MethodGet, "/api/profiles", nil, http.StatusOK, &list); err != nil {
		return "", err
	}
	var staffRules map[string]any
	for _, p := range list.Profiles {
		switch {
		case p.Name == loadProfileName:
			return p.ID, nil
		case p.ID == "internal-staff":
			staffRules = p.Rules
		}
	}
	if staffRules == nil {
		return "", fmt.Errorf("the server has no internal-staff profile")
	}
	staffRules["max_participants"] = 500
	var made struct{ ID string }
	err := a.post(ctx, "/api/profiles", map[string]any{
		"name": loadProfileName, "rules": staffRules, "contract": "",
		"scheduling": map[string]any{"requires_approval": false, "invite_timing": "now", "link_opens_minutes_before": 60, "link_closes_minutes_after": 60},
	}, http.StatusCreated, &made)
	if err != nil {
		return "internal-staff", nil // not an admin: the smaller profile still works
	}
	return made.ID, nil
}

// createMeeting schedules a meeting starting now and returns its ID.
func (a *api) createMeeting(ctx context.Context, d time.Duration) (string, error) {
	profile, err := a.loadProfile(ctx)
	if err != nil {
		return "", err
	}
	var out struct{ ID string }
	err = a.post(ctx, "/api/meetings", map[string]any{
		"title": "Load test", "purpose": "Measure how much media the server forwards", "category": "Staff meeting",
		"profile":  profile,
		"startsAt": time.Now().UTC().Format(time.RFC3339), "durationMinutes": max(1, int(d.Minutes())+1),
	}, http.StatusCreated, &out)
	if err == nil && out.ID == "" {
		err = fmt.Errorf("create meeting: no ID in the answer")
	}
	return out.ID, err
}

// invite makes an invitation and returns its token.
func (a *api) invite(ctx context.Context, meetingID, name string) (string, error) {
	var out struct{ Link string }
	if err := a.post(ctx, "/api/meetings/"+meetingID+"/invitations", map[string]string{"name": name, "roleLabel": "load test"}, http.StatusCreated, &out); err != nil {
		return "", err
	}
	_, token, ok := strings.Cut(out.Link, "/join#")
	if !ok || token == "" {
		return "", fmt.Errorf("invitation link %q has no token", out.Link)
	}
	return token, nil
}

// cookies returns the login cookie as a request header, for the host's
// WebSocket handshake.
func (a *api) cookies() http.Header {
	h := http.Header{}
	req, err := http.NewRequest(http.MethodGet, a.base, nil)
	if err != nil {
		return h
	}
	for _, c := range a.c.Jar.Cookies(req.URL) {
		h.Add("Cookie", c.String())
	}
	return h
}

// post sends a same-origin JSON POST, checks the status and decodes the
// answer into out (if not nil).
func (a *api) post(ctx context.Context, path string, body any, wantStatus int, out any) error {
	return a.send(ctx, http.MethodPost, path, body, wantStatus, out)
}

// send is post for any method; a nil body sends none.
func (a *api) send(ctx context.Context, method, path string, body any, wantStatus int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", a.base)
	resp, err := a.c.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != wantStatus {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}
