// Package oidc signs staff in through the organisation's OpenID Connect provider:
// the authorisation code flow with PKCE (RFC 7636), state and nonce.
//
// A caller drives it from two HTTP handlers. The start handler calls
// [Client.Begin], keeps the [Pending] in [Pendings], sets a short-lived
// __Host- cookie (Secure, HttpOnly, SameSite=Lax, Path=/) holding the state, and
// redirects the browser to the returned URL. The callback handler reads state and
// code from the query and the cookie, calls [Pendings.Take], clears the cookie,
// and calls [Client.Finish]. SameSite must be Lax, not Strict: the return from
// the provider is a cross-site navigation, on which Strict cookies are withheld.
package oidc

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"safemeet/internal/meeting"
)

// Config is the organisation's single sign-on settings, entered by an admin.
// The zero Config means single sign-on is off.
type Config struct {
	Issuer        string `json:"issuer"`         // https URL of the provider (http only for loopback hosts, for tests)
	ClientID      string `json:"client_id"`      // as registered with the provider
	ClientSecret  string `json:"client_secret"`  // empty for a public client, which PKCE still protects
	AutoProvision bool   `json:"auto_provision"` // unknown verified emails get a host account (decided by the caller)
	// AutoProvisionDomains are the organisation's email domains, separated by
	// commas or spaces ("school.example, trust.example"): only their
	// addresses are provisioned, so that a provider shared with other
	// organisations cannot make hosts of strangers. Required with AutoProvision.
	AutoProvisionDomains string `json:"auto_provision_domains"`
}

// Domains lists AutoProvisionDomains, lower-cased.
func (c Config) Domains() []string {
	return strings.FieldsFunc(strings.ToLower(c.AutoProvisionDomains), func(r rune) bool { return r == ',' || r == ' ' })
}

// Provisions reports whether an unknown, verified email gets an account.
func (c Config) Provisions(email string) bool {
	if !c.AutoProvision {
		return false
	}
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	return ok && slices.Contains(c.Domains(), domain)
}

// Limits on what an admin may enter; generous, but they bound what is stored.
const (
	maxIssuerLen   = 2048
	maxClientIDLen = 255
	maxSecretLen   = 1024
)

// Configured reports whether single sign-on is set up: Issuer and ClientID set.
func (c Config) Configured() bool { return c.Issuer != "" && c.ClientID != "" }

// Validate checks the settings as an admin saves them. The zero Config (single
// sign-on off) is valid. Errors wrap [meeting.ErrInvalid] through a
// [meeting.FieldError] naming the JSON field.
func (c Config) Validate() error {
	if c == (Config{}) {
		return nil
	}
	if !validIssuer(c.Issuer) {
		return &meeting.FieldError{Field: "issuer"}
	}
	if c.ClientID == "" || len(c.ClientID) > maxClientIDLen || !vschar(c.ClientID) {
		return &meeting.FieldError{Field: "client_id"}
	}
	if len(c.ClientSecret) > maxSecretLen || !vschar(c.ClientSecret) {
		return &meeting.FieldError{Field: "client_secret"}
	}
	domains := c.Domains()
	if (c.AutoProvision && len(domains) == 0) || len(c.AutoProvisionDomains) > maxIssuerLen {
		return &meeting.FieldError{Field: "auto_provision_domains"}
	}
	for _, d := range domains {
		if !validDomain(d) {
			return &meeting.FieldError{Field: "auto_provision_domains"}
		}
	}
	return nil
}

// validDomain accepts a DNS name of at least two labels (letters, digits, hyphens).
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// validIssuer accepts an absolute https URL with no query, fragment or user info,
// as OpenID Connect Discovery 1.0 §2 requires; http only for loopback, so that
// tests can run a provider locally but no one can configure a cleartext one.
func validIssuer(s string) bool {
	if s == "" || len(s) > maxIssuerLen || strings.TrimSpace(s) != s {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return isLoopback(u.Hostname())
	}
	return false
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// vschar reports whether s is made of RFC 6749's VSCHAR (printable ASCII) with no
// surrounding spaces, which would be a pasting mistake.
func vschar(s string) bool {
	if strings.TrimSpace(s) != s {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
