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

// createMeeting schedules a meeting starting now and returns its ID.
func (a *api) createMeeting(ctx context.Context, d time.Duration) (string, error) {
	var out struct{ ID string }
	err := a.post(ctx, "/api/meetings", map[string]any{
		"title": "Load test", "purpose": "Measure how much media the server forwards", "category": "Staff meeting",
		// Internal staff: no approval to wait for and no contract to accept.
		"profile":  "internal-staff",
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
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", a.base)
	resp, err := a.c.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	if resp.StatusCode != wantStatus {
		return fmt.Errorf("POST %s: HTTP %d: %s", path, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("POST %s: decode answer: %w", path, err)
		}
	}
	return nil
}
