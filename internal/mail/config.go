package mail

import (
	"net/mail"
	"strings"
	"unicode"

	"safemeet/internal/meeting"
)

// Security is how the connection to the SMTP server is protected.
type Security string

const (
	// SecurityNone is plain SMTP: only sensible to a relay on the same host.
	// Credentials are still never sent in the clear to any other host.
	SecurityNone Security = "none"
	// SecurityStartTLS requires STARTTLS: mail is refused, not sent in the
	// clear, if the server does not offer it.
	SecurityStartTLS Security = "starttls"
	// SecurityTLS is implicit TLS (SMTPS, usually port 465).
	SecurityTLS Security = "tls"
)

// Config is the organisation's SMTP settings, as an admin enters them.
type Config struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
	Username string   `json:"username"` // empty: no authentication
	Password string   `json:"password"`
	From     string   `json:"from"`      // bare address, e.g. "meetings@school.example"
	FromName string   `json:"from_name"` // e.g. "Oakfield School meetings"
}

// Configured reports whether Host and From are set (mail can be sent at all).
func (c Config) Configured() bool { return c.Host != "" && c.From != "" }

// Validate checks every field an admin can get wrong. The error is a
// *meeting.FieldError naming the field, so errors.Is(err, meeting.ErrInvalid).
func (c Config) Validate() error {
	switch {
	case c.Host == "" || strings.ContainsFunc(c.Host, badHostRune):
		return &meeting.FieldError{Field: "smtp host"}
	case c.Port < 1 || c.Port > 65535:
		return &meeting.FieldError{Field: "smtp port"}
	case c.Security != SecurityNone && c.Security != SecurityStartTLS && c.Security != SecurityTLS:
		return &meeting.FieldError{Field: "smtp security"}
	case !bareAddress(c.From):
		return &meeting.FieldError{Field: "smtp from"}
	case hasLineBreak(c.FromName):
		return &meeting.FieldError{Field: "smtp from name"}
	}
	return nil
}

func badHostRune(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// bareAddress reports whether s is exactly one addr-spec, with no display
// name, no angle brackets and no list: what an envelope address may be.
func bareAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// hasLineBreak reports whether s could end a header line.
func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }
