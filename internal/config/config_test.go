package config

import (
	"flag"
	"strings"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v, want nil", err)
	}
	if got, want := c.Origin(), "http://localhost:8080"; got != want {
		t.Errorf("Origin() = %q, want %q", got, want)
	}
	if c.DevLoopbackCandidates {
		t.Error("loopback candidates are on by default; they must be test/dev only")
	}
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"plain http off localhost", func(c *Config) { c.PublicURL = "http://meet.example.org" }, "must use https"},
		{"public URL with a path", func(c *Config) { c.PublicURL = "https://x.example/meet" }, "must not have a path"},
		{"cert without key", func(c *Config) { c.TLSCert = "c.pem" }, "both a TLS certificate"},
		{"bad media port", func(c *Config) { c.MediaPort = 70000 }, "out of range"},
		{"bad public IP", func(c *Config) { c.PublicIPs = []string{"nope"} }, "not an IP"},
		{"bad listen", func(c *Config) { c.Listen = "8080" }, "listen address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	t.Setenv("SAFEMEET_MEDIA_PORT", "40000")
	t.Setenv("SAFEMEET_LISTEN", "127.0.0.1:9999")
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.RegisterFlags(fs)
	if err := fs.Parse([]string{"--listen", "127.0.0.1:7777"}); err != nil {
		t.Fatal(err)
	}
	if c.MediaPort != 40000 {
		t.Errorf("MediaPort = %d, want 40000 from the environment", c.MediaPort)
	}
	if c.Listen != "127.0.0.1:7777" {
		t.Errorf("Listen = %q, want the flag's value to win", c.Listen)
	}
}
