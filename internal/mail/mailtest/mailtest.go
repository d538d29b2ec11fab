// Package mailtest runs a real SMTP server on loopback for tests: it speaks
// SMTP with go-smtp and keeps every message it accepts.
package mailtest

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"safemeet/internal/mail"
)

// Received is one message the server accepted.
type Received struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	Data []byte   // the raw message, CRLF line endings as sent
}

// Option configures a Server.
type Option func(*Server)

// WithAuth makes the server require AUTH PLAIN with this username and
// password before MAIL FROM; Config then carries them.
func WithAuth(username, password string) Option {
	return func(s *Server) { s.username, s.password = username, password }
}

// Server is an SMTP server on 127.0.0.1 (random port) that keeps every
// message it accepts.
type Server struct {
	port               int
	username, password string

	mu       sync.Mutex
	rejects  map[string]string // lower-cased address → reply text
	received []Received
	arrived  chan struct{} // closed and replaced on every message
}

// Start starts a server and stops it at t.Cleanup. It speaks plain SMTP (no
// STARTTLS, no TLS). Without options no authentication is needed; with
// WithAuth, AUTH PLAIN is offered over the plain connection and required.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{rejects: map[string]string{}, arrived: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port

	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: s}, nil
	}))
	srv.Domain = "mailtest.safemeet.test"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	// Connections the client drops (as tests of failures do) are not news.
	srv.ErrorLog = log.New(io.Discard, "", 0)

	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-served
	})
	return s
}

// Config returns settings that deliver to s.
func (s *Server) Config() mail.Config {
	return mail.Config{
		Host:     "127.0.0.1",
		Port:     s.port,
		Security: mail.SecurityNone,
		Username: s.username,
		Password: s.password,
		From:     "meetings@safemeet.test",
		FromName: "safemeet test",
	}
}

// RejectRecipient makes RCPT TO for addr fail with code 550, enhanced code
// 5.1.1 and the given text.
func (s *Server) RejectRecipient(addr, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejects[strings.ToLower(addr)] = text
}

// Messages returns copies of the messages received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.received))
	for i, r := range s.received {
		out[i] = Received{From: r.From, To: append([]string(nil), r.To...), Data: append([]byte(nil), r.Data...)}
	}
	return out
}

// Wait blocks until at least n messages have arrived and returns them all, or
// fails the test with what did arrive once timeout passes.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.received), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-arrived:
		case <-deadline.C:
			msgs := s.Messages()
			var to []string
			for _, m := range msgs {
				to = append(to, fmt.Sprint(m.To))
			}
			t.Fatalf("mailtest: waited %v for %d messages; %d arrived, to %v", timeout, n, len(msgs), to)
			return nil
		}
	}
}

func (s *Server) add(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, r)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Server) rejection(addr string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	text, ok := s.rejects[strings.ToLower(addr)]
	return text, ok
}

// session is one SMTP connection's state.
type session struct {
	srv    *Server
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (s *session) AuthMechanisms() []string {
	if s.srv.username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || s.srv.username == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.srv.username || password != s.srv.password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.username != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if text, ok := s.srv.rejection(to); ok {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: text}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if len(s.to) == 0 {
		return errors.New("no recipients")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.add(Received{From: s.from, To: slices.Clone(s.to), Data: data})
	return nil
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }
