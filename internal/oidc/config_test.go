package oidc

import (
	"errors"
	"strings"
	"testing"

	"safemeet/internal/meeting"
)

func TestConfig_Validate(t *testing.T) {
	ok := Config{Issuer: "https://login.example.org/tenant/v2.0", ClientID: "safemeet", ClientSecret: "s3cret~._-"}
	with := func(f func(*Config)) Config { c := ok; f(&c); return c }
	for _, tc := range []struct {
		name  string
		cfg   Config
		field string // "" for valid
	}{
		{"a complete https config is valid", ok, ""},
		{"the zero config means single sign-on is off", Config{}, ""},
		{"a public client needs no secret", with(func(c *Config) { c.ClientSecret = "" }), ""},
		{"http to loopback is allowed for tests", with(func(c *Config) { c.Issuer = "http://127.0.0.1:5556/oidc" }), ""},
		{"http to localhost is allowed for tests", with(func(c *Config) { c.Issuer = "http://localhost:5556" }), ""},
		{"http to ::1 is allowed for tests", with(func(c *Config) { c.Issuer = "http://[::1]:5556" }), ""},
		{"auto-provision alone is not off", Config{AutoProvision: true}, "issuer"},
		{"an issuer is required", with(func(c *Config) { c.Issuer = "" }), "issuer"},
		{"http to another host is refused", with(func(c *Config) { c.Issuer = "http://login.example.org" }), "issuer"},
		{"http to a loopback-looking name is refused", with(func(c *Config) { c.Issuer = "http://127.0.0.1.evil.example" }), "issuer"},
		{"another scheme is refused", with(func(c *Config) { c.Issuer = "ftp://login.example.org" }), "issuer"},
		{"a relative issuer is refused", with(func(c *Config) { c.Issuer = "login.example.org" }), "issuer"},
		{"an issuer with a query is refused", with(func(c *Config) { c.Issuer = "https://login.example.org/?a=b" }), "issuer"},
		{"an issuer with a fragment is refused", with(func(c *Config) { c.Issuer = "https://login.example.org/#x" }), "issuer"},
		{"an issuer with user info is refused", with(func(c *Config) { c.Issuer = "https://u:p@login.example.org/" }), "issuer"},
		{"an issuer with spaces is refused", with(func(c *Config) { c.Issuer = " https://login.example.org" }), "issuer"},
		{"an overlong issuer is refused", with(func(c *Config) { c.Issuer = "https://x.example/" + strings.Repeat("a", maxIssuerLen) }), "issuer"},
		{"a client ID is required", with(func(c *Config) { c.ClientID = "" }), "client_id"},
		{"a client ID with a newline is refused", with(func(c *Config) { c.ClientID = "safe\nmeet" }), "client_id"},
		{"a client ID with surrounding space is refused", with(func(c *Config) { c.ClientID = "safemeet " }), "client_id"},
		{"an overlong client ID is refused", with(func(c *Config) { c.ClientID = strings.Repeat("a", maxClientIDLen+1) }), "client_id"},
		{"a secret with non-ASCII is refused", with(func(c *Config) { c.ClientSecret = "sécret" }), "client_secret"},
		{"an overlong secret is refused", with(func(c *Config) { c.ClientSecret = strings.Repeat("a", maxSecretLen+1) }), "client_secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *meeting.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, meeting.ErrInvalid) {
				t.Fatalf("Validate() = %v, want invalid %s", err, tc.field)
			}
		})
	}
}

func TestConfig_Configured(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want bool
	}{
		{Config{}, false},
		{Config{Issuer: "https://idp.example"}, false},
		{Config{ClientID: "x"}, false},
		{Config{Issuer: "https://idp.example", ClientID: "x"}, true},
	} {
		if got := tc.cfg.Configured(); got != tc.want {
			t.Errorf("%+v.Configured() = %v, want %v", tc.cfg, got, tc.want)
		}
	}
}
