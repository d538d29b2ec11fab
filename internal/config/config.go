// Package config holds safemeet's settings: defaults, command-line flags and
// SAFEMEET_* environment variables (flags win), and Validate.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything `safemeet serve` can be told.
type Config struct {
	Listen    string // HTTP listen address
	PublicURL string // the address people open; its origin is the only one allowed to connect
	DataDir   string // SQLite database and recordings
	TLSCert   string
	TLSKey    string

	MediaPort int    // one UDP port for all media (ICE UDP mux); 0 picks a free one
	MediaIP   string // address the media port binds to; "" = all
	// PublicIPs are advertised to browsers as the media address (behind NAT).
	PublicIPs []string
	// DevLoopbackCandidates offers loopback ICE candidates. For tests and
	// development only: production servers must never need it.
	DevLoopbackCandidates bool

	OrgName    string
	AdminEmail string // the first admin's email, used on the first start only

	ReconnectGrace time.Duration
	LogLevel       string
}

// Default returns the embedded default: everything on this machine.
func Default() Config {
	return Config{
		Listen:         "127.0.0.1:8080",
		PublicURL:      "http://localhost:8080",
		DataDir:        "safemeet-data",
		MediaPort:      50000,
		OrgName:        "My organisation",
		AdminEmail:     "admin@localhost",
		ReconnectGrace: 30 * time.Second,
		LogLevel:       "info",
	}
}

// RegisterFlags binds c's fields to fs, each defaulting to its SAFEMEET_* variable
// if set, otherwise to c's current value.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	str := func(p *string, name, env, usage string) {
		fs.StringVar(p, name, envOr(env, *p), usage+" ($"+env+")")
	}
	str(&c.Listen, "listen", "SAFEMEET_LISTEN", "HTTP listen address")
	str(&c.PublicURL, "public-url", "SAFEMEET_PUBLIC_URL", "URL people open")
	str(&c.DataDir, "data", "SAFEMEET_DATA", "data folder")
	str(&c.TLSCert, "tls-cert", "SAFEMEET_TLS_CERT", "TLS certificate file (PEM)")
	str(&c.TLSKey, "tls-key", "SAFEMEET_TLS_KEY", "TLS key file (PEM)")
	str(&c.MediaIP, "media-ip", "SAFEMEET_MEDIA_IP", "address the media UDP port binds to (default all)")
	str(&c.OrgName, "org-name", "SAFEMEET_ORG_NAME", "organisation name (first start)")
	str(&c.AdminEmail, "admin-email", "SAFEMEET_ADMIN_EMAIL", "first admin's email (first start)")
	str(&c.LogLevel, "log-level", "SAFEMEET_LOG_LEVEL", "debug, info, warn or error")
	fs.IntVar(&c.MediaPort, "media-port", envInt("SAFEMEET_MEDIA_PORT", c.MediaPort), "UDP port for all media ($SAFEMEET_MEDIA_PORT)")
	fs.BoolVar(&c.DevLoopbackCandidates, "dev-loopback-candidates", envBool("SAFEMEET_DEV_LOOPBACK_CANDIDATES", c.DevLoopbackCandidates), "offer loopback media candidates: tests and development only ($SAFEMEET_DEV_LOOPBACK_CANDIDATES)")
	fs.DurationVar(&c.ReconnectGrace, "reconnect-grace", envDuration("SAFEMEET_RECONNECT_GRACE", c.ReconnectGrace), "how long a disconnected participant keeps their place ($SAFEMEET_RECONNECT_GRACE)")
	fs.Func("public-ip", "media address advertised to browsers, repeatable ($SAFEMEET_PUBLIC_IPS, comma-separated)", func(s string) error {
		c.PublicIPs = append(c.PublicIPs, s)
		return nil
	})
	if v := os.Getenv("SAFEMEET_PUBLIC_IPS"); v != "" {
		c.PublicIPs = strings.Split(v, ",")
	}
}

// Validate reports every setting that cannot work.
func (c *Config) Validate() error {
	var errs []error
	u, err := url.Parse(c.PublicURL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		errs = append(errs, fmt.Errorf("public URL %q must be an absolute http(s) URL", c.PublicURL))
	case u.Path != "" && u.Path != "/":
		errs = append(errs, fmt.Errorf("public URL %q must not have a path", c.PublicURL))
	case u.Scheme == "http" && !isLocalHost(u.Hostname()):
		errs = append(errs, fmt.Errorf("public URL %q must use https: browsers allow camera and microphone over http only on localhost", c.PublicURL))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("give both a TLS certificate and a key, or neither"))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: %v", c.Listen, err))
	}
	if c.MediaPort < 0 || c.MediaPort > 65535 {
		errs = append(errs, fmt.Errorf("media port %d is out of range", c.MediaPort))
	}
	for _, ip := range c.PublicIPs {
		if net.ParseIP(ip) == nil {
			errs = append(errs, fmt.Errorf("public IP %q is not an IP address", ip))
		}
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("the data folder must be set"))
	}
	if c.ReconnectGrace <= 0 {
		errs = append(errs, errors.New("the reconnect grace must be positive"))
	}
	return errors.Join(errs...)
}

// Origin returns the scheme://host of PublicURL: the only origin allowed to
// connect. Validate first.
func (c *Config) Origin() string {
	u, _ := url.Parse(c.PublicURL)
	return u.Scheme + "://" + u.Host
}

// Secure reports whether people reach the server over https (cookies get
// Secure and the __Host- prefix).
func (c *Config) Secure() bool { return strings.HasPrefix(c.PublicURL, "https://") }

func isLocalHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func envBool(name string, def bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(name)); err == nil {
		return b
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}
