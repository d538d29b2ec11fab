package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/oauth2-proxy/mockoidc"

	"safemeet/internal/audit"
	"safemeet/internal/errcode"
	"safemeet/internal/policy"
	"safemeet/internal/webrtctest"
)

// ssoProvider runs a mockoidc identity provider on loopback for the test. The
// returned function gives the code verifiers its token endpoint has received.
func ssoProvider(t *testing.T) (*mockoidc.MockOIDC, func() []string) {
	t.Helper()
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var verifiers []string
	record := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == mockoidc.TokenEndpoint && r.ParseForm() == nil {
				mu.Lock()
				verifiers = append(verifiers, r.PostForm.Get("code_verifier"))
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}
	if err := idp.AddMiddleware(record); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	return idp, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), verifiers...)
	}
}

// saveSSO has the first admin point single sign-on at idp. The client secret
// is sent only when secret is set; otherwise the saved one must be kept.
func (s *testServer) saveSSO(idp *mockoidc.MockOIDC, secret, autoProvision bool) {
	s.t.Helper()
	body := map[string]any{"issuer": idp.Issuer(), "client_id": idp.ClientID, "auto_provision": autoProvision}
	if autoProvision {
		body["auto_provision_domains"] = "school.example"
	}
	if secret {
		body["client_secret"] = idp.ClientSecret
	}
	s.send(s.host, "PUT", "/api/settings/sso", body, http.StatusOK, nil)
}

// ssoBrowser plays a browser: its own cookie jar, and redirects followed by
// hand so that each hop can be checked.
type ssoBrowser struct {
	t *testing.T
	s *testServer
	c *http.Client
}

func newSSOBrowser(t *testing.T, s *testServer) *ssoBrowser {
	jar, _ := cookiejar.New(nil)
	return &ssoBrowser{t: t, s: s, c: &http.Client{
		Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// redirect GETs rawURL, which must answer 302, and returns where to (a
// relative redirect resolved against rawURL).
func (b *ssoBrowser) redirect(rawURL string) *url.URL {
	b.t.Helper()
	resp, err := b.c.Get(rawURL)
	if err != nil {
		b.t.Fatalf("GET %s: %v", rawURL, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b.t.Fatalf("GET %s: status %d, want 302: %s", rawURL, resp.StatusCode, body)
	}
	loc, err := resp.Location()
	if err != nil {
		b.t.Fatalf("GET %s: redirect: %v", rawURL, err)
	}
	return loc
}

// cookie returns the value of the server's cookie name in the jar, or "".
func (b *ssoBrowser) cookie(name string) string {
	u, _ := url.Parse(b.s.url)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// start begins a sign-in and returns the provider's authorize URL.
func (b *ssoBrowser) start() *url.URL {
	b.t.Helper()
	return b.redirect(b.s.url + "/auth/oidc/start")
}

// toProvider follows the authorize URL; the provider signs in its next queued
// user at once and sends the browser back to safemeet's callback.
func (b *ssoBrowser) toProvider(authURL *url.URL) *url.URL {
	b.t.Helper()
	back := b.redirect(authURL.String())
	if got, want := back.Scheme+"://"+back.Host+back.Path, b.s.url+"/auth/oidc/callback"; got != want {
		b.t.Fatalf("the provider sent the browser to %q, want %q", got, want)
	}
	return back
}

// signIn runs the whole flow and returns where the callback sent the browser.
func (b *ssoBrowser) signIn() string {
	b.t.Helper()
	return b.redirect(b.toProvider(b.start()).String()).String()
}

// me returns the status of GET /api/me and the signed-in email.
func (b *ssoBrowser) me() (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.s.url + "/api/me")
	if err != nil {
		b.t.Fatalf("GET /api/me: %v", err)
	}
	defer resp.Body.Close()
	var me struct{ Email string }
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
			b.t.Fatalf("GET /api/me: decode: %v", err)
		}
	}
	return resp.StatusCode, me.Email
}

// wantRefused checks that a sign-in ended on the refusal page with nobody signed in.
func (b *ssoBrowser) wantRefused(landed string) {
	b.t.Helper()
	if landed != b.s.url+"/signin?sso=refused" {
		b.t.Errorf("callback sent the browser to %q, want /signin?sso=refused", landed)
	}
	if v := b.cookie("safemeet_login"); v != "" {
		b.t.Errorf("refused sign-in left a login cookie")
	}
	if status, email := b.me(); status != http.StatusUnauthorized {
		b.t.Errorf("GET /api/me after a refused sign-in = %d %q, want 401", status, email)
	}
}

// hasAuditEntry reports whether the audit log holds an entry of action with
// outcome whose details include every one of details.
func hasAuditEntry(t *testing.T, s *testServer, action string, outcome audit.Outcome, details map[string]string) bool {
	t.Helper()
	_, ok := findAuditEntry(t, s, action, outcome, details)
	return ok
}

// findAuditEntry returns the first audit entry of action with outcome whose
// details include every one of details.
func findAuditEntry(t *testing.T, s *testServer, action string, outcome audit.Outcome, details map[string]string) (audit.Entry, bool) {
	t.Helper()
	entries, err := s.m.db.AuditEntries(s.ctx(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
next:
	for _, e := range entries {
		if e.Action != action || e.Outcome != outcome {
			continue
		}
		for k, v := range details {
			if e.Details[k] != v {
				continue next
			}
		}
		return e, true
	}
	return audit.Entry{}, false
}

func TestOIDC_StaffSignInWithPKCE(t *testing.T) {
	s := startServer(t, nil)
	idp, verifiers := ssoProvider(t)
	anon := &http.Client{Timeout: 10 * time.Second}
	var sso struct{ Enabled bool }
	s.send(anon, "GET", "/api/sso", nil, http.StatusOK, &sso)
	if sso.Enabled {
		t.Fatalf("GET /api/sso before any settings: enabled, want disabled")
	}
	s.saveSSO(idp, true, false)
	s.send(anon, "GET", "/api/sso", nil, http.StatusOK, &sso)
	if !sso.Enabled {
		t.Fatalf("GET /api/sso after saving settings: disabled, want enabled")
	}
	// A staff account with no password: single sign-on is its only way in.
	s.post(s.host, "/api/staff", map[string]any{"email": "sam.teacher@school.example", "name": "Sam Teacher", "roles": map[string]bool{"host": true}}, http.StatusCreated, nil)

	idp.QueueUser(&mockoidc.MockUser{Subject: "idp-sam", Email: "Sam.Teacher@School.Example", EmailVerified: true})
	b := newSSOBrowser(t, s)
	authURL := b.start()
	if got, want := authURL.Scheme+"://"+authURL.Host+authURL.Path, idp.AuthorizationEndpoint(); got != want {
		t.Fatalf("start sent the browser to %q, want the provider's %q", got, want)
	}
	q := authURL.Query()
	for k, want := range map[string]string{
		"response_type": "code", "client_id": idp.ClientID, "code_challenge_method": "S256",
		"redirect_uri": s.url + "/auth/oidc/callback",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("authorize URL %s = %q, want %q", k, got, want)
		}
	}
	challenge, state := q.Get("code_challenge"), q.Get("state")
	if len(challenge) != 43 || state == "" || q.Get("nonce") == "" || q.Get("nonce") == state {
		t.Errorf("authorize URL code_challenge %q, state %q, nonce %q: want an S256 challenge and distinct state and nonce", challenge, state, q.Get("nonce"))
	}
	if got := b.cookie("safemeet_sso"); got != state {
		t.Errorf("sign-in cookie = %q, want the state %q", got, state)
	}

	back := b.toProvider(authURL)
	if back.Query().Get("code") == "" || back.Query().Get("state") != state {
		t.Fatalf("provider came back with %q, want a code and the state", back)
	}
	if landed := b.redirect(back.String()).String(); landed != s.url+"/" {
		t.Fatalf("callback sent the browser to %q, want /", landed)
	}
	if b.cookie("safemeet_login") == "" {
		t.Errorf("callback set no login cookie")
	}
	if b.cookie("safemeet_sso") != "" {
		t.Errorf("callback left the sign-in cookie in place")
	}
	if status, email := b.me(); status != http.StatusOK || email != "sam.teacher@school.example" {
		t.Fatalf("GET /api/me = %d %q, want 200 sam.teacher@school.example", status, email)
	}
	// The provider got the verifier whose S256 hash the browser carried. (The
	// exchange may be tried twice while oauth2 finds how the provider wants the
	// client secret; each try carries it.)
	v := verifiers()
	if len(v) == 0 {
		t.Fatalf("the provider's token endpoint saw no exchange")
	}
	for _, v := range v {
		if sum := sha256.Sum256([]byte(v)); base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			t.Errorf("code_verifier %q does not hash to the code_challenge %q", v, challenge)
		}
	}
	if !hasAuditEntry(t, s, "staff.signin", audit.Allowed, map[string]string{"method": "sso", "sso_subject": "idp-sam"}) {
		t.Errorf("no allowed staff.signin audit entry with method sso")
	}

	t.Run("an unknown email is refused", func(t *testing.T) {
		idp.QueueUser(&mockoidc.MockUser{Subject: "idp-x", Email: "stranger@school.example", EmailVerified: true})
		b := newSSOBrowser(t, s)
		b.wantRefused(b.signIn())
		if !hasAuditEntry(t, s, "staff.signin", audit.Refused, map[string]string{"method": "sso", "email": "stranger@school.example", "reason": "unknown_email"}) {
			t.Errorf("no refused staff.signin audit entry with reason unknown_email")
		}
	})
	t.Run("an unverified email is refused", func(t *testing.T) {
		idp.QueueUser(&mockoidc.MockUser{Subject: "idp-sam", Email: "sam.teacher@school.example", EmailVerified: false})
		b := newSSOBrowser(t, s)
		b.wantRefused(b.signIn())
		if !hasAuditEntry(t, s, "staff.signin", audit.Refused, map[string]string{"method": "sso", "email": "sam.teacher@school.example", "reason": "email_not_verified"}) {
			t.Errorf("no refused staff.signin audit entry with reason email_not_verified")
		}
	})
	t.Run("a callback in another browser is refused and leaves the sign-in to its own", func(t *testing.T) {
		idp.QueueUser(&mockoidc.MockUser{Subject: "idp-sam", Email: "sam.teacher@school.example", EmailVerified: true})
		victim, attacker := newSSOBrowser(t, s), newSSOBrowser(t, s)
		back := victim.toProvider(victim.start())
		// The attacker has a sign-in of their own under way, so a cookie, but
		// for another state; and with no cookie at all it is refused too.
		attacker.start()
		attacker.wantRefused(attacker.redirect(back.String()).String())
		stranger := newSSOBrowser(t, s)
		stranger.wantRefused(stranger.redirect(back.String()).String())

		if landed := victim.redirect(back.String()).String(); landed != s.url+"/" {
			t.Fatalf("the right browser's callback sent it to %q, want /", landed)
		}
		if status, email := victim.me(); status != http.StatusOK || email != "sam.teacher@school.example" {
			t.Errorf("GET /api/me = %d %q, want 200 sam.teacher@school.example", status, email)
		}
	})
	t.Run("an unknown email gets a host account with auto-provision", func(t *testing.T) {
		s.saveSSO(idp, false, true) // the saved client secret is kept
		defer s.saveSSO(idp, false, false)
		idp.QueueUser(&mockoidc.MockUser{Subject: "idp-new", Email: "new.teacher@school.example", EmailVerified: true})
		b := newSSOBrowser(t, s)
		if landed := b.signIn(); landed != s.url+"/" {
			t.Fatalf("callback sent the browser to %q, want /", landed)
		}
		var me struct {
			Email string
			Roles map[string]bool
		}
		s.send(b.c, "GET", "/api/me", nil, http.StatusOK, &me)
		want := map[string]bool{"admin": false, "approver": false, "host": true, "auditor": false}
		if me.Email != "new.teacher@school.example" || !equalRoles(me.Roles, want) {
			t.Errorf("GET /api/me = %+v, want new.teacher@school.example with the host role only", me)
		}
		if !hasAuditEntry(t, s, "staff.add", audit.Allowed, map[string]string{"email": "new.teacher@school.example", "roles": "host"}) {
			t.Errorf("no staff.add audit entry for the provisioned account")
		}
		// An address outside the organisation's domains gets nothing, even
		// verified by the same provider.
		idp.QueueUser(&mockoidc.MockUser{Subject: "idp-stranger", Email: "someone@elsewhere.example", EmailVerified: true})
		stranger := newSSOBrowser(t, s)
		stranger.wantRefused(stranger.signIn())
	})
}

func equalRoles(got, want map[string]bool) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// optionsAs are the dial options of the host of meetingID signed in on c.
func (s *testServer) optionsAs(c *http.Client, meetingID string) webrtctest.Options {
	o := s.hostOptions(meetingID)
	o.Header = http.Header{}
	u, _ := url.Parse(s.url)
	for _, ck := range c.Jar.Cookies(u) {
		o.Header.Add("Cookie", ck.String())
	}
	return o
}

func TestAccount_DisabledStaffLosesHostRights(t *testing.T) {
	s := startServer(t, nil)
	lee := s.signInNewStaff("lee.host@school.example", "host")
	var leeMe, adminMe struct{ ID string }
	s.send(lee, "GET", "/api/me", nil, http.StatusOK, &leeMe)
	s.send(s.host, "GET", "/api/me", nil, http.StatusOK, &adminMe)

	var m struct{ ID string }
	s.post(lee, "/api/meetings", map[string]any{
		"title": "Team briefing", "purpose": "Plan the week's cover", "category": "Staff meeting",
		"startsAt": time.Now().UTC().Format(time.RFC3339), "durationMinutes": 60,
		"profile": string(policy.ProfileInternalStaff),
	}, http.StatusCreated, &m)
	var inv struct{ Link string }
	s.post(lee, "/api/meetings/"+m.ID+"/invitations", map[string]any{"name": "Jo Colleague", "roleLabel": "teacher"}, http.StatusCreated, &inv)
	_, token, ok := strings.Cut(inv.Link, "/join#")
	if !ok {
		t.Fatalf("invitation link %q has no token", inv.Link)
	}
	host, err := s.dial(s.optionsAs(lee, m.ID))
	if err != nil {
		t.Fatalf("Lee's host dial: %v", err)
	}
	if host.Role() != "host" {
		t.Fatalf("Lee joined as %q, want host", host.Role())
	}
	guest := s.mustJoinAsGuest(token, false)
	admit(t, host, guest)
	waitFor(t, "the guest to see Lee", func() bool { _, ok := guest.Roster()[host.ID()]; return ok })

	var off struct{ Disabled bool }
	s.post(s.host, "/api/staff/"+leeMe.ID+"/disable", nil, http.StatusOK, &off)
	if !off.Disabled {
		t.Errorf("disable answered an account that is not disabled")
	}

	t.Run("the server closes Lee's connection for account_disabled", func(t *testing.T) {
		select {
		case <-host.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("Lee's connection is still open after the account was disabled")
		}
		var ce websocket.CloseError
		if err := host.Err(); !errors.As(err, &ce) || ce.Reason != string(errcode.AccountDisabled) || ce.Code != websocket.StatusPolicyViolation {
			t.Errorf("Lee's connection ended with %v, want a policy-violation close for account_disabled", err)
		}
	})
	t.Run("Lee's login no longer works", func(t *testing.T) {
		var refusal apiRefusal
		s.send(lee, "GET", "/api/meetings", nil, http.StatusUnauthorized, &refusal)
		if refusal.Code != string(errcode.NotSignedIn) {
			t.Errorf("GET /api/meetings refused with %q, want not_signed_in", refusal.Code)
		}
	})
	t.Run("Lee cannot come back as host", func(t *testing.T) {
		_, err := s.dial(s.optionsAs(lee, m.ID))
		if got := refusalCode(err); got != string(errcode.NotSignedIn) {
			t.Errorf("Lee's host dial after disabling: %v, want refusal not_signed_in", err)
		}
	})
	t.Run("the guest stays and sees Lee gone", func(t *testing.T) {
		waitFor(t, "the guest to see Lee leave", func() bool { _, ok := guest.Roster()[host.ID()]; return !ok })
		select {
		case <-guest.Done():
			t.Fatalf("the guest's connection ended: %v", guest.Err())
		default:
		}
		if got := guest.Admission(); got != "admitted" {
			t.Errorf("guest admission = %q, want admitted", got)
		}
		if p := guest.Problems(); len(p) != 0 {
			t.Errorf("guest problems: %v", p)
		}
	})
	t.Run("the disabling and the removal are audited", func(t *testing.T) {
		e, ok := findAuditEntry(t, s, "staff.disable", audit.Allowed, nil)
		if !ok || e.Actor != "staff:"+adminMe.ID || e.Subject != "staff:"+leeMe.ID {
			t.Errorf("staff.disable audit entry = %+v, %v; want one by the admin about Lee", e, ok)
		}
		e, ok = findAuditEntry(t, s, "participant.remove", audit.Allowed, map[string]string{"reason": "account_disabled"})
		if !ok || e.Meeting != m.ID || e.Subject != "participant:"+host.ID() {
			t.Errorf("participant.remove audit entry = %+v, %v; want Lee's removal from the meeting for account_disabled", e, ok)
		}
	})
	t.Run("an admin cannot disable themselves", func(t *testing.T) {
		var refusal apiRefusal
		s.send(s.host, "POST", "/api/staff/"+adminMe.ID+"/disable", nil, http.StatusForbidden, &refusal)
		if refusal.Code != string(errcode.OwnAccount) {
			t.Errorf("self-disable refused with %q, want own_account", refusal.Code)
		}
		s.send(s.host, "GET", "/api/me", nil, http.StatusOK, nil)
		if !hasAuditEntry(t, s, "staff.disable", audit.Refused, map[string]string{"reason": "own_account"}) {
			t.Errorf("no refused staff.disable audit entry with reason own_account")
		}
	})
}
