package mail_test

import (
	"errors"
	"testing"

	"safemeet/internal/mail"
	"safemeet/internal/meeting"
)

func validConfig() mail.Config {
	return mail.Config{
		Host:     "smtp.school.example",
		Port:     587,
		Security: mail.SecurityStartTLS,
		Username: "meetings",
		Password: "secret",
		From:     "meetings@school.example",
		FromName: "Oakfield School meetings",
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name      string
		change    func(*mail.Config)
		wantField string // "" means valid
	}{
		{"a complete config is valid", func(*mail.Config) {}, ""},
		{"no authentication is valid", func(c *mail.Config) { c.Username, c.Password = "", "" }, ""},
		{"implicit TLS is valid", func(c *mail.Config) { c.Security, c.Port = mail.SecurityTLS, 465 }, ""},
		{"plain SMTP is valid", func(c *mail.Config) { c.Security, c.Port = mail.SecurityNone, 25 }, ""},
		{"an empty from name is valid", func(c *mail.Config) { c.FromName = "" }, ""},
		{"an empty host is refused", func(c *mail.Config) { c.Host = "" }, "smtp host"},
		{"a host with a space is refused", func(c *mail.Config) { c.Host = "smtp school.example" }, "smtp host"},
		{"a host with a line break is refused", func(c *mail.Config) { c.Host = "smtp\r\n.example" }, "smtp host"},
		{"port 0 is refused", func(c *mail.Config) { c.Port = 0 }, "smtp port"},
		{"port 65536 is refused", func(c *mail.Config) { c.Port = 65536 }, "smtp port"},
		{"port 65535 is valid", func(c *mail.Config) { c.Port = 65535 }, ""},
		{"an unknown security is refused", func(c *mail.Config) { c.Security = "ssl" }, "smtp security"},
		{"an empty security is refused", func(c *mail.Config) { c.Security = "" }, "smtp security"},
		{"an empty from is refused", func(c *mail.Config) { c.From = "" }, "smtp from"},
		{"a from that is not an address is refused", func(c *mail.Config) { c.From = "meetings" }, "smtp from"},
		{"a from with a display name is refused", func(c *mail.Config) { c.From = "School <meetings@school.example>" }, "smtp from"},
		{"a from in angle brackets is refused", func(c *mail.Config) { c.From = "<meetings@school.example>" }, "smtp from"},
		{"a from with two addresses is refused", func(c *mail.Config) { c.From = "a@school.example, b@school.example" }, "smtp from"},
		{"a from name with a line break is refused", func(c *mail.Config) { c.FromName = "School\r\nBcc: evil@x.test" }, "smtp from name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.change(&c)
			err := c.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *meeting.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.wantField || !errors.Is(err, meeting.ErrInvalid) {
				t.Fatalf("Validate() = %v, want invalid %q wrapping meeting.ErrInvalid", err, tt.wantField)
			}
		})
	}
}

func TestConfigConfigured(t *testing.T) {
	tests := []struct {
		name string
		c    mail.Config
		want bool
	}{
		{"host and from set", mail.Config{Host: "smtp.school.example", From: "m@school.example"}, true},
		{"nothing set", mail.Config{}, false},
		{"no host", mail.Config{From: "m@school.example"}, false},
		{"no from", mail.Config{Host: "smtp.school.example"}, false},
	}
	for _, tt := range tests {
		if got := tt.c.Configured(); got != tt.want {
			t.Errorf("%s: Configured() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
