package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"safemeet/internal/meeting"
	"safemeet/internal/secret"
)

// ErrRefused wraps every error of [Client.Finish] that means the provider or its
// token said no: a rejected code or verifier, a bad ID token, a nonce mismatch, or
// a missing email. Other errors mean the provider could not be reached.
var ErrRefused = errors.New("oidc: sign-in refused")

// Pending is one sign-in in progress: what must be remembered between sending the
// browser to the provider and its return.
type Pending struct {
	State    string // binds the provider's redirect back to this sign-in (and to the browser's cookie)
	Nonce    string // binds the ID token to this sign-in
	Verifier string // PKCE code verifier; only its S256 hash leaves in the browser
	Created  time.Time
}

// Identity is what the provider vouched for.
type Identity struct {
	Subject       string
	Email         string // lower-cased
	EmailVerified bool
	Name          string // "" when the provider gave none fit to show
}

// Client talks to one provider. Discovery happens once, lazily, and is retried on
// the next call if it failed, so that a provider that is down when safemeet starts
// does not need a restart.
type Client struct {
	cfg         Config
	redirectURL string
	http        *http.Client

	mu       sync.Mutex // guards the fields below; held across discovery so only one runs
	oauth    *oauth2.Config
	verifier *gooidc.IDTokenVerifier
}

// defaultTimeout bounds each request to the provider when the caller gives no client.
const defaultTimeout = 10 * time.Second

// NewClient makes a client. redirectURL is safemeet's callback, e.g.
// "https://meet.example/auth/oidc/callback". httpClient may be nil, in which case
// a client with a 10s timeout is used.
func NewClient(c Config, redirectURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: defaultTimeout}
	}
	return &Client{cfg: c, redirectURL: redirectURL, http: httpClient}
}

// Begin starts a sign-in: it returns the URL to send the browser to and the
// Pending to remember until it comes back.
func (c *Client) Begin(ctx context.Context, now time.Time) (authURL string, p Pending, err error) {
	oc, _, err := c.discover(ctx)
	if err != nil {
		return "", Pending{}, err
	}
	p = Pending{
		State:    secret.New(),
		Nonce:    secret.New(),
		Verifier: oauth2.GenerateVerifier(),
		Created:  now,
	}
	authURL = oc.AuthCodeURL(p.State, gooidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier))
	return authURL, p, nil
}

// Finish completes a sign-in: it exchanges code with the PKCE verifier, verifies
// the ID token (signature, issuer, audience, expiry), checks its nonce, and
// returns the identity the token's claims vouch for. It does not check the state:
// [Pendings.Take] does that before Finish is called.
//
// An identity whose email is not verified is returned without error, with
// EmailVerified false; the caller must refuse it.
func (c *Client) Finish(ctx context.Context, p Pending, code string) (Identity, error) {
	oc, verifier, err := c.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	if code == "" || p.Nonce == "" || p.Verifier == "" {
		return Identity{}, fmt.Errorf("%w: no code, nonce or verifier", ErrRefused)
	}
	ctx = gooidc.ClientContext(ctx, c.http)
	tok, err := oc.Exchange(ctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return Identity{}, exchangeError(err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in token response", ErrRefused)
	}
	// A key-set fetch failure also lands here: go-oidc does not keep it
	// distinguishable from a bad signature, and either way the sign-in is refused.
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return Identity{}, fmt.Errorf("%w: nonce mismatch", ErrRefused)
	}
	return identityFrom(idt, c.cfg.ClientID)
}

// discover fetches the provider's metadata the first time it succeeds.
func (c *Client) discover(ctx context.Context) (*oauth2.Config, *gooidc.IDTokenVerifier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.oauth != nil {
		return c.oauth, c.verifier, nil
	}
	if !c.cfg.Configured() {
		return nil, nil, errors.New("oidc: single sign-on is not configured")
	}
	if err := c.cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("oidc: config: %w", err)
	}
	// The context also gives the provider our HTTP client, which it keeps for
	// fetching signing keys later.
	provider, err := gooidc.NewProvider(gooidc.ClientContext(ctx, c.http), c.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("oidc: discovery at %s: %w", c.cfg.Issuer, err)
	}
	c.oauth = &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		Endpoint:     provider.Endpoint(), // AuthStyle left to auto-detect: providers differ
		RedirectURL:  c.redirectURL,
		Scopes:       []string{gooidc.ScopeOpenID, "email", "profile"},
	}
	c.verifier = provider.Verifier(&gooidc.Config{ClientID: c.cfg.ClientID})
	return c.oauth, c.verifier, nil
}

// exchangeError tells a provider that answered no (a 4xx error response: bad
// code, verifier or client) from one that could not be reached or failed.
func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
		return fmt.Errorf("%w: code exchange: %w", ErrRefused, err)
	}
	return fmt.Errorf("oidc: code exchange: %w", err)
}

// idClaims are the ID token claims safemeet uses (OpenID Connect Core §5.1).
type idClaims struct {
	Email             string   `json:"email"`
	EmailVerified     jsonBool `json:"email_verified"`
	Name              string   `json:"name"`
	PreferredUsername string   `json:"preferred_username"`
	AuthorizedParty   string   `json:"azp"`
}

func identityFrom(idt *gooidc.IDToken, clientID string) (Identity, error) {
	var cl idClaims
	if err := idt.Claims(&cl); err != nil {
		return Identity{}, fmt.Errorf("%w: claims: %w", ErrRefused, err)
	}
	if !issuedTo(idt.Audience, cl.AuthorizedParty, clientID) {
		return Identity{}, fmt.Errorf("%w: token issued to another party %q", ErrRefused, cl.AuthorizedParty)
	}
	if idt.Subject == "" {
		return Identity{}, fmt.Errorf("%w: no subject", ErrRefused)
	}
	email, ok := meeting.CleanEmail(cl.Email)
	if !ok {
		return Identity{}, fmt.Errorf("%w: no usable email claim", ErrRefused)
	}
	// The name is shown to others, so it gets the same cleaning as a typed one;
	// an unfit name is dropped rather than failing the sign-in.
	name, ok := meeting.CleanText(cl.Name, meeting.MaxNameLen)
	if !ok {
		name, ok = meeting.CleanText(cl.PreferredUsername, meeting.MaxNameLen)
	}
	if !ok {
		name = ""
	}
	return Identity{
		Subject:       idt.Subject,
		Email:         email,
		EmailVerified: bool(cl.EmailVerified),
		Name:          name,
	}, nil
}

// issuedTo applies OpenID Connect Core §3.1.3.7 rules 4 and 5, which go-oidc
// leaves to its caller: a token for several audiences must name us as its
// authorised party, and any authorised party it names must be us.
func issuedTo(aud []string, azp, clientID string) bool {
	if azp != "" {
		return azp == clientID
	}
	return len(aud) == 1
}

// jsonBool accepts true and false, and also "true" and "false", which some
// providers (Amazon Cognito among them) send for email_verified.
type jsonBool bool

func (b *jsonBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`, "null":
		*b = false
	default:
		return fmt.Errorf("oidc: not a boolean: %.20s", data)
	}
	return nil
}

var _ json.Unmarshaler = (*jsonBool)(nil)
