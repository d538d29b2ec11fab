// Package loadtest runs synthetic safemeet participants against a server on
// this machine and measures what the server does with their media: the
// engine behind `safemeet load`.
//
// Run signs in as a staff member, creates a meeting, invites the guests,
// joins them through the real waiting room (the host admits each as it
// arrives), runs a traffic shape for the configured time and returns a
// Report. Every packet carries its send time (webrtctest.StampedMedia), so
// receivers measure the delay added between two clients on this machine.
// The tool only ever talks to loopback addresses.
package loadtest

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"
)

// Shape is a traffic pattern.
type Shape string

// The traffic shapes.
const (
	// ShapeLecture is one publisher (the host: video at 2 Mbit/s and
	// audio) and N receivers that publish nothing.
	ShapeLecture Shape = "lecture"
	// ShapeMeeting is everyone (host and N guests) publishing video at
	// 500 kbit/s and audio, everyone receiving everyone.
	ShapeMeeting Shape = "meeting"
)

// Video rates of the shapes, in bits per second.
const (
	lectureVideoBitrate = 2_000_000
	meetingVideoBitrate = 500_000
)

// maxParticipants bounds N; the waiting list message must fit the protocol's
// 64 KiB.
const maxParticipants = 400

// ErrNotLoopback is returned for a URL whose host is not a loopback address.
var ErrNotLoopback = errors.New("the load tool only targets loopback (127.0.0.0/8, ::1 or localhost)")

// Config is one load run.
type Config struct {
	// URL is the server's origin, e.g. "http://127.0.0.1:8080".
	URL string
	// Email and Password sign in a staff member, who hosts the meeting.
	Email, Password string
	// SigninLink is a one-time sign-in link (".../signin#token"), used
	// instead of Email and Password.
	SigninLink string
	// Shape is the traffic pattern.
	Shape Shape
	// Participants is the number of guests (N), besides the host.
	Participants int
	// Duration is the whole run from the first join to the end; the run
	// stops by itself when it is over.
	Duration time.Duration
	// Ramp spreads the guests' joins evenly over this time.
	Ramp time.Duration
	// Pace spreads each video frame's packets at Pace times the video rate,
	// as browsers do (2.5); zero sends each frame in one burst.
	Pace float64
	// PionReceivers receives with a Pion PeerConnection per participant
	// instead of webrtctest.Receivers, which costs the tool several times as
	// much per packet: for comparison.
	PionReceivers bool
	// ServerPID, if not zero, is the server's process, read from /proc for
	// CPU time and memory.
	ServerPID int
	// Progress receives a line a second; nil for none.
	Progress io.Writer
	// Logger receives the participants' logs; nil discards them.
	Logger *slog.Logger
}

// Validate checks the configuration, including that the URL is loopback.
func (c Config) Validate() error {
	if err := CheckLoopback(c.URL); err != nil {
		return err
	}
	if c.SigninLink == "" && (c.Email == "" || c.Password == "") {
		return errors.New("give --email and --password, or --signin-link")
	}
	if c.SigninLink != "" {
		if _, err := signinToken(c.SigninLink); err != nil {
			return err
		}
	}
	if c.Shape != ShapeLecture && c.Shape != ShapeMeeting {
		return fmt.Errorf("shape %q: want %q or %q", c.Shape, ShapeLecture, ShapeMeeting)
	}
	if c.Participants < 1 || c.Participants > maxParticipants {
		return fmt.Errorf("participants %d: want 1 to %d", c.Participants, maxParticipants)
	}
	if c.Duration <= 0 {
		return fmt.Errorf("duration %v: want more than 0", c.Duration)
	}
	if c.Ramp < 0 || c.Ramp >= c.Duration {
		return fmt.Errorf("ramp %v: want at least 0 and less than the duration (%v)", c.Ramp, c.Duration)
	}
	if c.ServerPID < 0 {
		return fmt.Errorf("server PID %d: want a process ID", c.ServerPID)
	}
	if c.Pace != 0 && (c.Pace < 1 || c.Pace > 100) {
		return fmt.Errorf("pace %g: want 0 (bursts) or 1 to 100 times the video rate", c.Pace)
	}
	return nil
}

// CheckLoopback returns an error wrapping ErrNotLoopback unless rawURL is an
// http(s) URL whose host is in 127.0.0.0/8, ::1 or localhost.
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url %q: want http(s)://host:port", rawURL)
	}
	if !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("refusing url %q: %w", rawURL, ErrNotLoopback)
	}
	return nil
}

// isLoopbackHost reports whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// signinToken returns the token in the fragment of a sign-in link.
func signinToken(link string) (string, error) {
	_, token, ok := strings.Cut(link, "#")
	if !ok || token == "" {
		return "", fmt.Errorf("sign-in link %q: want …/signin#token", link)
	}
	return token, nil
}
