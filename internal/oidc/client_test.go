package oidc

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"safemeet/internal/secret"
)

const redirectURL = "https://meet.example/auth/oidc/callback"

// provider runs a mockoidc server on loopback for the test, with optional
// middleware (added before it starts, as mockoidc requires).
func provider(t *testing.T, mw ...func(http.Handler) http.Handler) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range mw {
		if err := m.AddMiddleware(f); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

func clientFor(m *mockoidc.MockOIDC) *Client {
	cfg := m.Config()
	return NewClient(Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}, redirectURL, nil)
}

// browse plays the browser: it follows the auth URL to the provider, which signs
// in the next queued user at once, and returns the code and state from the
// provider's redirect back to safemeet.
func browse(t *testing.T, authURL string) (code, state string) {
	t.Helper()
	noFollow := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize status = %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURL {
		t.Fatalf("redirected to %q, want %q", got, redirectURL)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

// signIn begins a sign-in and has the browser come back with a code.
func signIn(t *testing.T, c *Client) (Pending, string) {
	t.Helper()
	authURL, p, err := c.Begin(context.Background(), time.Now())
	if err != nil {
		t.Fatalf("Begin() = %v", err)
	}
	code, state := browse(t, authURL)
	if state != p.State {
		t.Fatalf("state came back as %q, want %q", state, p.State)
	}
	return p, code
}

func TestFlow_CodeWithPKCE(t *testing.T) {
	var mu sync.Mutex
	var tokenForm url.Values
	m := provider(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == mockoidc.TokenEndpoint && r.ParseForm() == nil {
				mu.Lock()
				tokenForm = r.PostForm
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	})
	m.QueueUser(&mockoidc.MockUser{Subject: "staff-42", Email: "Sam.Teacher@School.Example", EmailVerified: true, PreferredUsername: "Sam Teacher"})
	c := clientFor(m)

	authURL, p, err := c.Begin(context.Background(), time.Now())
	if err != nil {
		t.Fatalf("Begin() = %v", err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"response_type":         "code",
		"client_id":             m.ClientID,
		"redirect_uri":          redirectURL,
		"scope":                 "openid email profile",
		"state":                 p.State,
		"nonce":                 p.Nonce,
		"code_challenge_method": "S256",
		"code_challenge":        oauth2.S256ChallengeFromVerifier(p.Verifier),
	} {
		if got := q.Get(k); got != want || got == "" {
			t.Errorf("auth URL %s = %q, want %q", k, got, want)
		}
	}
	if !secret.WellFormed(p.State) || !secret.WellFormed(p.Nonce) || p.State == p.Nonce || len(p.Verifier) < 43 {
		t.Errorf("Pending = %+v, want distinct random state, nonce and verifier", p)
	}

	code, state := browse(t, authURL)
	if state != p.State || code == "" {
		t.Fatalf("callback code=%q state=%q, want a code and state %q", code, state, p.State)
	}
	id, err := c.Finish(context.Background(), p, code)
	if err != nil {
		t.Fatalf("Finish() = %v", err)
	}
	want := Identity{Subject: "staff-42", Email: "sam.teacher@school.example", EmailVerified: true, Name: "Sam Teacher"}
	if id != want {
		t.Errorf("Finish() = %+v, want %+v", id, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := tokenForm.Get("code_verifier"); got != p.Verifier {
		t.Errorf("token request code_verifier = %q, want the pending's verifier", got)
	}
}

func TestFinish_RefusesAWrongPKCEVerifier(t *testing.T) {
	c := clientFor(provider(t))
	p, code := signIn(t, c)
	p.Verifier = oauth2.GenerateVerifier()
	_, err := c.Finish(context.Background(), p, code)
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("Finish(wrong verifier) = %v, want ErrRefused", err)
	}
	if !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("Finish(wrong verifier) = %v, want the provider's invalid_grant", err)
	}
}

func TestFinish_RefusesANonceMismatch(t *testing.T) {
	c := clientFor(provider(t))
	p, code := signIn(t, c)
	p.Nonce = secret.New()
	if _, err := c.Finish(context.Background(), p, code); !errors.Is(err, ErrRefused) {
		t.Fatalf("Finish(other nonce) = %v, want ErrRefused", err)
	}
}

func TestFinish_ACodeWorksOnce(t *testing.T) {
	c := clientFor(provider(t))
	p, code := signIn(t, c)
	if _, err := c.Finish(context.Background(), p, code); err != nil {
		t.Fatalf("first Finish() = %v", err)
	}
	if _, err := c.Finish(context.Background(), p, code); !errors.Is(err, ErrRefused) {
		t.Fatalf("second Finish() = %v, want ErrRefused", err)
	}
}

func TestFinish_ReturnsAnUnverifiedEmailAsUnverified(t *testing.T) {
	m := provider(t)
	m.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "pat@school.example", EmailVerified: false})
	c := clientFor(m)
	p, code := signIn(t, c)
	id, err := c.Finish(context.Background(), p, code)
	if err != nil {
		t.Fatalf("Finish() = %v", err)
	}
	if id.EmailVerified || id.Email != "pat@school.example" {
		t.Errorf("Finish() = %+v, want pat@school.example unverified", id)
	}
}

func TestFinish_RefusesATokenWithoutEmail(t *testing.T) {
	m := provider(t)
	m.QueueUser(&mockoidc.MockUser{Subject: "s1", EmailVerified: true})
	c := clientFor(m)
	p, code := signIn(t, c)
	if _, err := c.Finish(context.Background(), p, code); !errors.Is(err, ErrRefused) {
		t.Fatalf("Finish(no email) = %v, want ErrRefused", err)
	}
}

func TestFinish_RefusesAnExpiredIDToken(t *testing.T) {
	m := provider(t)
	m.AccessTTL = -time.Minute // tokens are issued already expired
	c := clientFor(m)
	p, code := signIn(t, c)
	if _, err := c.Finish(context.Background(), p, code); !errors.Is(err, ErrRefused) {
		t.Fatalf("Finish(expired ID token) = %v, want ErrRefused", err)
	}
}

func TestFinish_RefusesATokenForAnotherClient(t *testing.T) {
	m := provider(t)
	c := clientFor(m)
	p, code := signIn(t, c)
	// The provider now issues tokens to another client ID: the audience no
	// longer names ours, though the signature and issuer are good.
	ours := m.ClientID
	m.ClientID = "someone-else"
	c.oauth.ClientID = "someone-else" // so the token endpoint accepts the exchange
	_, err := c.Finish(context.Background(), p, code)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "audience") {
		t.Fatalf("Finish(aud %q, want %q) = %v, want ErrRefused for the audience", m.ClientID, ours, err)
	}
}

func TestBegin_RetriesDiscoveryAfterAFailure(t *testing.T) {
	m := provider(t)
	m.QueueError(&mockoidc.ServerError{Code: http.StatusServiceUnavailable, Error: "temporarily_unavailable"})
	c := clientFor(m)
	_, _, err := c.Begin(context.Background(), time.Now())
	if err == nil || errors.Is(err, ErrRefused) {
		t.Fatalf("Begin(provider down) = %v, want a plain error", err)
	}
	if _, _, err := c.Begin(context.Background(), time.Now()); err != nil {
		t.Fatalf("Begin(provider back) = %v, want nil", err)
	}
}

func TestFinish_AnUnreachableProviderIsNotARefusal(t *testing.T) {
	m := provider(t)
	c := clientFor(m)
	p, code := signIn(t, c)
	if err := m.Shutdown(); err != nil {
		t.Fatal(err)
	}
	_, err := c.Finish(context.Background(), p, code)
	if err == nil || errors.Is(err, ErrRefused) {
		t.Fatalf("Finish(provider gone) = %v, want a plain error", err)
	}
}

func TestBegin_RefusesAnUnconfiguredOrInvalidClient(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Issuer: "http://idp.example/", ClientID: "x"}, // cleartext to a non-loopback host
	} {
		if _, _, err := NewClient(cfg, redirectURL, nil).Begin(context.Background(), time.Now()); err == nil {
			t.Errorf("Begin(%+v) = nil error, want one", cfg)
		}
	}
}

func TestJSONBoolAcceptsStringsFromLaxProviders(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `"true"`: true, `false`: false, `"false"`: false, `null`: false} {
		var b jsonBool
		if err := b.UnmarshalJSON([]byte(in)); err != nil || bool(b) != want {
			t.Errorf("UnmarshalJSON(%s) = %v, %v; want %v", in, b, err, want)
		}
	}
	var b jsonBool
	if err := b.UnmarshalJSON([]byte(`"yes"`)); err == nil {
		t.Error(`UnmarshalJSON("yes") = nil error, want one`)
	}
}

func TestIssuedTo(t *testing.T) {
	for _, tc := range []struct {
		aud  []string
		azp  string
		want bool
	}{
		{[]string{"us"}, "", true},
		{[]string{"us"}, "us", true},
		{[]string{"us"}, "them", false},
		{[]string{"us", "them"}, "", false},
		{[]string{"us", "them"}, "us", true},
		{[]string{"us", "them"}, "them", false},
	} {
		if got := issuedTo(tc.aud, tc.azp, "us"); got != tc.want {
			t.Errorf("issuedTo(%q, %q) = %v, want %v", tc.aud, tc.azp, got, tc.want)
		}
	}
}
