// Package mail sends safemeet's email over SMTP and builds the iCalendar
// invitations that go with it.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"safemeet/internal/meeting"
)

// defaultTimeout is used when Mailer.Timeout is zero.
const defaultTimeout = 30 * time.Second

// Message is one email to one recipient. Exactly one To address: safemeet
// never sends one message to several invitees.
type Message struct {
	To      string // bare address
	ToName  string
	Subject string
	Text    string // plain-text body (the only body; no HTML)
	// Calendar is an optional iCalendar (METHOD:REQUEST) object, sent both as
	// an inline alternative and as the attachment "invite.ics".
	Calendar []byte
}

// Mailer sends messages with one Config.
type Mailer struct {
	Config Config
	// Timeout bounds connecting and greeting, and then the sending of the
	// message, each; zero means 30s.
	Timeout time.Duration
}

// New returns a Mailer for c with the default timeout.
func New(c Config) *Mailer { return &Mailer{Config: c, Timeout: defaultTimeout} }

// Send delivers msg. It refuses, without connecting, a Config that does not
// validate and a Message whose To is not one bare address or whose ToName or
// Subject contains a line break; those errors wrap meeting.ErrInvalid.
// A delivery failure's error text carries the server's reply (for example
// "550 5.1.1 mailbox unavailable") so a host can be shown why.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if err := m.Config.Validate(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := msg.validate(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	gm, err := m.build(msg)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	client, stop, err := m.client(ctx)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	defer stop()
	if err := client.DialAndSendWithContext(ctx, gm); err != nil {
		return &sendError{err: err}
	}
	return nil
}

// sendError is a failed delivery. It prints the server's replies as the
// server wrote them, 550 5.1.1 mailbox unavailable, where Go's
// textproto.Error writes 550 "5.1.1 mailbox unavailable": the text is shown
// to hosts. go-mail's SendError hides the textproto.Error from errors.As, so
// the reply is found in the text, in exactly the form textproto prints it.
type sendError struct{ err error }

func (e *sendError) Error() string {
	return "mail: " + quotedReply.ReplaceAllStringFunc(e.err.Error(), func(s string) string {
		text, err := strconv.Unquote(s[4:])
		if err != nil {
			return s
		}
		// Multi-line replies are joined with "\n"; keep the message on one line.
		return s[:4] + strings.Join(strings.FieldsFunc(text, unicode.IsControl), " ")
	})
}

func (e *sendError) Unwrap() error { return e.err }

var quotedReply = regexp.MustCompile(`\b[2-5][0-9][0-9] "(?:[^"\\]|\\.)*"`)

func (msg Message) validate() error {
	switch {
	case !bareAddress(msg.To):
		return &meeting.FieldError{Field: "recipient address"}
	case hasLineBreak(msg.ToName):
		return &meeting.FieldError{Field: "recipient name"}
	case hasLineBreak(msg.Subject):
		return &meeting.FieldError{Field: "subject"}
	}
	return nil
}

// build assembles the message. Addresses go in as net/mail.Address values, so
// go-mail quotes and RFC 2047-encodes names itself; no header is built by
// concatenating strings.
//
// With a calendar the structure is the one Gmail sends and Outlook and Google
// Calendar both recognise as an invitation:
//
//	multipart/mixed
//	├── multipart/alternative
//	│   ├── text/plain; charset=UTF-8              (quoted-printable)
//	│   └── text/calendar; method=REQUEST; charset=UTF-8 (base64)
//	└── application/ics; name="invite.ics"        (attachment, base64)
//
// The inline text/calendar part is what makes Outlook and Gmail show
// accept/decline controls; the attachment is for clients that only offer
// attachments to open. go-mail nests alternative parts inside mixed whenever a
// message has both parts and attachments. base64 keeps the calendar's CRLFs
// and any trailing spaces of folded lines byte-exact through relays.
// Without a calendar the message is a single text/plain part.
func (m *Mailer) build(msg Message) (*gomail.Msg, error) {
	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	gm.FromMailAddress(&mail.Address{Name: m.Config.FromName, Address: m.Config.From})
	gm.ToMailAddress(&mail.Address{Name: msg.ToName, Address: msg.To})
	gm.Subject(msg.Subject)
	gm.SetDateWithValue(time.Now())
	id, err := messageID(m.Config.From)
	if err != nil {
		return nil, err
	}
	gm.SetMessageIDWithValue(id)
	// RFC 3834: tells auto-responders (out-of-office) not to reply.
	gm.SetGenHeader("Auto-Submitted", "auto-generated")

	gm.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if len(msg.Calendar) > 0 {
		gm.AddAlternativeString("text/calendar; method=REQUEST", string(msg.Calendar),
			gomail.WithPartEncoding(gomail.EncodingB64))
		err := gm.AttachReader("invite.ics", bytes.NewReader(msg.Calendar),
			gomail.WithFileContentType("application/ics"), gomail.WithFileEncoding(gomail.EncodingB64))
		if err != nil {
			return nil, err
		}
	}
	return gm, nil
}

// messageID is a random Message-ID in the sender's own domain rather than
// this machine's hostname, which may be internal or not a domain at all.
func messageID(from string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b) + from[strings.LastIndexByte(from, '@'):], nil
}

// client returns a go-mail client for m.Config, and a func to call once the
// send is over.
func (m *Mailer) client(ctx context.Context) (*gomail.Client, func(), error) {
	c := m.Config
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	stop := func() bool { return false }
	// go-mail sets no deadline on the connection until after EHLO and AUTH,
	// and does not watch ctx after dialling; this dialer does both, so a
	// silent server or a cancelled caller cannot hang Send.
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := m.dial(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		_ = conn.SetDeadline(time.Now().Add(timeout))
		stop = context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
		return conn, nil
	}
	opts := []gomail.Option{
		gomail.WithPort(c.Port),
		gomail.WithTimeout(timeout),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSPolicy(gomail.NoTLS),
	}
	if c.Security == SecurityStartTLS {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuthCustom(&plainOrLogin{user: c.Username, pass: c.Password, host: c.Host}))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, nil, err
	}
	return client, func() { stop() }, nil
}

// dial connects, wrapping the connection in TLS for SecurityTLS. (go-mail's
// own SSL dialer is bypassed by WithDialContextFunc, so TLS is done here.)
func (m *Mailer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{}
	if m.Config.Security != SecurityTLS {
		return d.DialContext(ctx, network, addr)
	}
	td := &tls.Dialer{NetDialer: d, Config: &tls.Config{ServerName: m.Config.Host, MinVersion: tls.VersionTLS12}}
	return td.DialContext(ctx, network, addr)
}

// plainOrLogin authenticates with PLAIN, or LOGIN when that is all the server
// offers (Office 365 does this). go-mail's auto-discovery would not pick
// either on a connection it did not encrypt itself. Both refuse to send the
// password unless the connection is TLS or to localhost.
type plainOrLogin struct {
	user, pass, host string
	chosen           smtp.Auth
}

var errNoAuthMechanism = errors.New("server offers neither AUTH PLAIN nor AUTH LOGIN")

func (a *plainOrLogin) Start(s *smtp.ServerInfo) (string, []byte, error) {
	switch {
	case slices.Contains(s.Auth, "PLAIN"):
		a.chosen = smtp.PlainAuth("", a.user, a.pass, a.host, false)
	case slices.Contains(s.Auth, "LOGIN"):
		a.chosen = smtp.LoginAuth(a.user, a.pass, a.host, false)
	default:
		return "", nil, errNoAuthMechanism
	}
	return a.chosen.Start(s)
}

func (a *plainOrLogin) Next(fromServer []byte, more bool) ([]byte, error) {
	return a.chosen.Next(fromServer, more)
}
