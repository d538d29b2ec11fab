package mail_test

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"safemeet/internal/mail"
	"safemeet/internal/mail/mailtest"
	"safemeet/internal/meeting"
)

func send(t *testing.T, m *mail.Mailer, msg mail.Message) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	return m.Send(ctx, msg)
}

func TestSendPlainMessageArrivesForItsOneRecipient(t *testing.T) {
	srv := mailtest.Start(t)
	msg := mail.Message{
		To:      "parent@home.example",
		ToName:  "Zoë O'Brien",
		Subject: "Réunion demain ☕ – your invitation to a progress meeting with Ms Smith, Year 9",
		Text:    "Hello Zoë,\n\nJoin here: https://meet.school.example/i/abc\n\n-- \nOakfield = school ☕\n",
	}
	if err := send(t, mail.New(srv.Config()), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Wait(t, 1, 2*time.Second)[0]

	if want := []string{"parent@home.example"}; !slices.Equal(got.To, want) {
		t.Errorf("envelope To = %v, want %v", got.To, want)
	}
	if got.From != "meetings@safemeet.test" {
		t.Errorf("envelope From = %q, want meetings@safemeet.test", got.From)
	}
	head, _, _ := bytes.Cut(got.Data, []byte("\r\n\r\n"))
	for _, b := range head {
		if b >= 0x80 {
			t.Fatalf("header has a raw non-ASCII byte; want RFC 2047 encoding:\n%s", head)
		}
	}
	h := got.Header(t)
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "meetings@safemeet.test" || from[0].Name != "safemeet test" {
		t.Errorf("From = %v (%v), want safemeet test <meetings@safemeet.test>", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != msg.To || to[0].Name != msg.ToName {
		t.Errorf("To = %v (%v), want %q <%s>", to, err, msg.ToName, msg.To)
	}
	if subj, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || subj != msg.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subj, err, msg.Subject)
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@safemeet.test>") {
		t.Errorf("Message-ID = %q, want <…@safemeet.test>", id)
	}
	if v := h.Get("Auto-Submitted"); v != "auto-generated" {
		t.Errorf("Auto-Submitted = %q, want auto-generated", v)
	}
	if text := got.Text(t); text != msg.Text {
		t.Errorf("Text = %q, want %q", text, msg.Text)
	}
	if cal := got.Calendar(t); cal != nil {
		t.Errorf("message without a calendar has one: %q", cal)
	}
}

func TestSendCalendarAsAlternativeAndAttachment(t *testing.T) {
	srv := mailtest.Start(t)
	ev := testEvent()
	cal := mail.Calendar(ev)
	msg := mail.Message{To: ev.AttendeeEmail, ToName: ev.AttendeeName, Subject: ev.Summary, Text: "See the invitation.", Calendar: cal}
	if err := send(t, mail.New(srv.Config()), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Wait(t, 1, 2*time.Second)[0]

	var inline, attached *mailtest.Part
	parts := got.Parts(t)
	for i, p := range parts {
		switch {
		case p.ContentType == "text/plain":
			if want := []string{"multipart/mixed", "multipart/alternative"}; !slices.Equal(p.Within, want) {
				t.Errorf("text/plain is within %v, want %v", p.Within, want)
			}
		case p.ContentType == "text/calendar" && p.Disposition != "attachment":
			inline = &parts[i]
		case p.Filename == "invite.ics" && p.Disposition == "attachment":
			attached = &parts[i]
		}
	}
	if inline == nil || attached == nil {
		t.Fatalf("want an inline text/calendar part and an invite.ics attachment; got %+v", parts)
	}
	if want := []string{"multipart/mixed", "multipart/alternative"}; !slices.Equal(inline.Within, want) {
		t.Errorf("text/calendar is within %v, want %v", inline.Within, want)
	}
	if inline.Params["method"] != "REQUEST" || !strings.EqualFold(inline.Params["charset"], "utf-8") {
		t.Errorf("text/calendar parameters = %v, want method=REQUEST charset=UTF-8", inline.Params)
	}
	if want := []string{"multipart/mixed"}; !slices.Equal(attached.Within, want) || attached.ContentType != "application/ics" {
		t.Errorf("attachment is %s within %v, want application/ics within %v", attached.ContentType, attached.Within, want)
	}
	if !bytes.Equal(inline.Body, cal) || !bytes.Equal(attached.Body, cal) {
		t.Errorf("calendar parts differ from what was sent:\ninline %q\nattached %q\nsent %q", inline.Body, attached.Body, cal)
	}
	if text := got.Text(t); text != msg.Text {
		t.Errorf("Text = %q, want %q", text, msg.Text)
	}

	raw := got.Calendar(t)
	checkLines(t, raw)
	parsed, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ParseCalendar: %v", err)
	}
	var method string
	for _, p := range parsed.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			method = p.Value
		}
	}
	if method != "REQUEST" {
		t.Errorf("METHOD = %q, want REQUEST", method)
	}
	events := parsed.Events()
	if len(events) != 1 {
		t.Fatalf("got %d events, want 1", len(events))
	}
	e := events[0]
	if e.Id() != ev.UID {
		t.Errorf("UID = %q, want %q", e.Id(), ev.UID)
	}
	if start, err := e.GetStartAt(); err != nil || !start.Equal(ev.Start) {
		t.Errorf("DTSTART = %v (%v), want %v", start, err, ev.Start)
	}
	if end, err := e.GetEndAt(); err != nil || !end.Equal(ev.End) {
		t.Errorf("DTEND = %v (%v), want %v", end, err, ev.End)
	}
	if got := e.GetProperty(ics.ComponentPropertySummary).Value; got != ev.Summary {
		t.Errorf("SUMMARY = %q, want %q", got, ev.Summary)
	}
	if got := e.GetProperty(ics.ComponentPropertyDescription).Value; got != ev.Description {
		t.Errorf("DESCRIPTION = %q, want %q", got, ev.Description)
	}
	if att := e.Attendees(); len(att) != 1 || att[0].Email() != ev.AttendeeEmail {
		t.Errorf("attendees = %v, want one, %s", att, ev.AttendeeEmail)
	}
}

func TestSendReportsTheServersReplyToARejectedRecipient(t *testing.T) {
	srv := mailtest.Start(t)
	srv.RejectRecipient("gone@home.example", "mailbox unavailable")
	err := send(t, mail.New(srv.Config()), mail.Message{To: "gone@home.example", Subject: "Hi", Text: "Hi"})
	if err == nil || !strings.Contains(err.Error(), "550 5.1.1 mailbox unavailable") {
		t.Fatalf("Send = %v, want an error carrying the reply 550 5.1.1 mailbox unavailable", err)
	}
	if errors.Is(err, meeting.ErrInvalid) {
		t.Errorf("a delivery failure is reported as invalid input: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server kept %d messages, want 0", n)
	}
}

// TestSendRefusesInjectionBeforeConnecting points the mailer at a listener
// that only counts connections: a refused message must not make one.
func TestSendRefusesInjectionBeforeConnecting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	m := mail.New(mail.Config{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: mail.SecurityNone, From: "meetings@school.example"})
	m.Timeout = 300 * time.Millisecond

	valid := mail.Message{To: "parent@home.example", ToName: "Jo", Subject: "Invitation", Text: "Hello"}
	tests := []struct {
		name   string
		change func(*mail.Message)
	}{
		{"a name with CRLF Bcc", func(m *mail.Message) { m.ToName = "Jo\r\nBcc: evil@x.test" }},
		{"a name with a bare LF", func(m *mail.Message) { m.ToName = "Jo\nBcc: evil@x.test" }},
		{"a subject with CRLF Bcc", func(m *mail.Message) { m.Subject = "Invitation\r\nBcc: evil@x.test" }},
		{"two addresses", func(m *mail.Message) { m.To = "a@x.test, b@x.test" }},
		{"an address with a display name", func(m *mail.Message) { m.To = "Jo <a@x.test>" }},
		{"an address with CRLF", func(m *mail.Message) { m.To = "a@x.test\r\nBcc: evil@x.test" }},
		{"no address", func(m *mail.Message) { m.To = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := valid
			tt.change(&msg)
			err := send(t, m, msg)
			if !errors.Is(err, meeting.ErrInvalid) {
				t.Errorf("Send = %v, want an error wrapping meeting.ErrInvalid", err)
			}
			_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(50 * time.Millisecond))
			if c, err := ln.Accept(); err == nil {
				_ = c.Close()
				t.Errorf("Send connected to the server")
			}
		})
	}
}

func TestSendEncodesAwkwardNamesAsOneAddress(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := srv.Config()
	cfg.FromName = `Oakfield, "the" school <evil@x.test>`
	msg := mail.Message{To: "parent@home.example", ToName: `Smith, "Jo" <evil@x.test>`, Subject: "Hi", Text: "Hi"}
	if err := send(t, mail.New(cfg), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Wait(t, 1, 2*time.Second)[0]
	if want := []string{msg.To}; !slices.Equal(got.To, want) {
		t.Errorf("envelope To = %v, want %v", got.To, want)
	}
	h := got.Header(t)
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != msg.To || to[0].Name != msg.ToName {
		t.Errorf("To = %v (%v), want one address %q <%s>", to, err, msg.ToName, msg.To)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != cfg.From || from[0].Name != cfg.FromName {
		t.Errorf("From = %v (%v), want one address %q <%s>", from, err, cfg.FromName, cfg.From)
	}
	if v := h.Get("Bcc") + h.Get("Cc"); v != "" {
		t.Errorf("unexpected Cc/Bcc %q", v)
	}
}

func TestSendNeverFallsBackToPlainText(t *testing.T) {
	for _, sec := range []mail.Security{mail.SecurityStartTLS, mail.SecurityTLS} {
		t.Run(string(sec), func(t *testing.T) {
			srv := mailtest.Start(t)
			cfg := srv.Config()
			cfg.Security = sec
			err := send(t, mail.New(cfg), mail.Message{To: "parent@home.example", Subject: "Hi", Text: "secret link"})
			if err == nil {
				t.Fatalf("Send over %s to a plain server succeeded", sec)
			}
			if sec == mail.SecurityStartTLS && !strings.Contains(err.Error(), "STARTTLS") {
				t.Errorf("Send = %v, want it to say STARTTLS is missing", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d messages in the clear", n)
			}
		})
	}
}

func TestSendAuthenticates(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithAuth("meetings", "s3cret"))
	msg := mail.Message{To: "parent@home.example", Subject: "Hi", Text: "Hi"}

	noAuth := srv.Config()
	noAuth.Username, noAuth.Password = "", ""
	if err := send(t, mail.New(noAuth), msg); err == nil || !strings.Contains(err.Error(), "authenticate") {
		t.Errorf("Send without credentials = %v, want the server's demand to authenticate", err)
	}
	wrong := srv.Config()
	wrong.Password = "guess"
	if err := send(t, mail.New(wrong), msg); err == nil || !strings.Contains(err.Error(), "535") {
		t.Errorf("Send with a wrong password = %v, want the server's 535 reply", err)
	}
	if err := send(t, mail.New(srv.Config()), msg); err != nil {
		t.Fatalf("Send with credentials: %v", err)
	}
	srv.Wait(t, 1, 2*time.Second)
}

// TestSendGivesUpOnASilentServer: go-mail alone would wait forever for the
// greeting of a server that accepts and says nothing.
func TestSendGivesUpOnASilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(conns)
				return
			}
			conns <- c
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		for c := range conns {
			_ = c.Close()
		}
	})
	cfg := mail.Config{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, Security: mail.SecurityNone, From: "meetings@school.example"}
	msg := mail.Message{To: "parent@home.example", Subject: "Hi", Text: "Hi"}

	t.Run("timeout", func(t *testing.T) {
		m := mail.New(cfg)
		m.Timeout = 200 * time.Millisecond
		within(t, time.Second, func() error { return m.Send(context.Background(), msg) })
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		within(t, time.Second, func() error { return mail.New(cfg).Send(ctx, msg) })
	})
}

// within fails unless f returns an error before d passes.
func within(t *testing.T, d time.Duration, f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("Send to a silent server succeeded")
		}
	case <-time.After(d):
		t.Errorf("Send still waiting after %v", d)
	}
}
