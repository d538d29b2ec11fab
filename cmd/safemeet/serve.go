package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"safemeet/internal/auth"
	"safemeet/internal/config"
	"safemeet/internal/delivery"
	"safemeet/internal/httpserver"
	"safemeet/internal/meeting"
	"safemeet/internal/retention"
	"safemeet/internal/room"
	"safemeet/internal/sfu"
	"safemeet/internal/store"
	"safemeet/internal/store/sqlite"
	"safemeet/web"
)

// firstSigninTTL is how long the first admin's sign-in link works.
const firstSigninTTL = 24 * time.Hour

// Main is the server program: ParseFlags, Run, then Close. Tests run it on :0
// with a temporary data folder and the production wiring.
type Main struct {
	Config config.Config
	stdout io.Writer
	logger *slog.Logger

	// Listener, if set before Run, is used instead of listening on Config.Listen
	// (tests listen first so the public URL can name the port).
	Listener net.Listener

	// CPUProfile, if set, is a file to write a CPU profile of the whole run
	// to (for `go tool pprof`); off by default.
	CPUProfile  string
	stopProfile func() error // set while a CPU profile is being written

	db       *sqlite.DB
	media    *sfu.SFU
	rooms    *room.Manager
	http     *http.Server
	delivery *delivery.Job
	stopJobs context.CancelFunc
}

// deliveryInterval is how often the email job looks for mail that became due
// (it also runs at once whenever something is queued).
const deliveryInterval = time.Minute

// retentionInterval is how often the retention job deletes what the
// profiles say has expired.
const retentionInterval = 24 * time.Hour

// NewMain returns a Main with the default configuration.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{Config: config.Default(), stdout: stdout, logger: slog.New(slog.NewTextHandler(stderr, nil))}
}

// ParseFlags reads flags and SAFEMEET_* variables into m.Config and validates it.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	m.Config.RegisterFlags(fs)
	fs.StringVar(&m.CPUProfile, "cpuprofile", "", "write a CPU profile of the server to this file until it stops (for go tool pprof); off by default")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return m.Config.Validate()
}

// Run opens the database, starts the media plane and the HTTP server, and
// prints where to go. It returns once the server is listening.
func (m *Main) Run(ctx context.Context) error {
	c := m.Config
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err == nil {
		m.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	}
	if m.CPUProfile != "" {
		if err := m.startProfile(); err != nil {
			return err
		}
	}
	db, err := openStore(c.DataDir)
	if err != nil {
		return err
	}
	m.db = db
	authn := &auth.Service{Store: db}
	link, created, err := authn.Bootstrap(ctx, c.OrgName, c.AdminEmail, firstSigninTTL)
	if err != nil {
		return fmt.Errorf("first start: %w", err)
	}

	m.media, err = sfu.New(sfu.Config{UDPPort: c.MediaPort, ListenIP: c.MediaIP, PublicIPs: c.PublicIPs, IncludeLoopback: c.DevLoopbackCandidates, Logger: m.logger})
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	m.delivery = delivery.New(db, c.PublicURL, time.Now, m.logger)
	m.rooms = room.NewManager(room.Deps{
		Store: db, Media: m.media, Logger: m.logger, Now: time.Now, Grace: c.ReconnectGrace,
		OnConcern: func(mt meeting.Meeting, cn store.Concern) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := delivery.NotifyConcern(ctx, db, c.PublicURL, time.Now().UTC(), mt, cn); err != nil {
				m.logger.Error("queue concern notices", "err", err)
			}
			m.delivery.Kick()
		},
	})
	// Meetings that were running when the server stopped (or was killed) come
	// back before any connection is accepted.
	restored, err := m.rooms.Restore(ctx)
	if err != nil {
		return fmt.Errorf("restoring running meetings: %w", err)
	}
	if restored > 0 {
		m.logger.Info("restored running meetings", "meetings", restored)
	}
	jobs, stopJobs := context.WithCancel(context.Background())
	m.stopJobs = stopJobs
	go m.delivery.Run(jobs, deliveryInterval)
	retain := &retention.Job{Store: db, Now: time.Now, Logger: m.logger.With("job", "retention")}
	go retain.Run(jobs, retentionInterval)
	handler := httpserver.New(httpserver.Deps{
		Store: db, Auth: authn, Rooms: m.rooms, Delivery: m.delivery, Web: web.Files, Logger: m.logger,
		PublicURL: c.PublicURL, Origin: c.Origin(), Secure: c.Secure(),
	})
	if m.Listener == nil {
		if m.Listener, err = net.Listen("tcp", c.Listen); err != nil {
			return err
		}
	}
	m.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn)}
	go func() {
		var err error
		if c.TLSCert != "" {
			err = m.http.ServeTLS(m.Listener, c.TLSCert, c.TLSKey)
		} else {
			err = m.http.Serve(m.Listener)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.logger.Error("http server stopped", "err", err)
		}
	}()

	fmt.Fprintf(m.stdout, "safemeet is running. Open %s/\n", c.PublicURL)
	fmt.Fprintf(m.stdout, "Listening on %s (HTTP) and UDP port %d (media). Data folder: %s\n", m.Listener.Addr(), m.media.UDPPort(), c.DataDir)
	if created {
		fmt.Fprintf(m.stdout, "First start: the organisation and the first admin (%s) were created.\n", c.AdminEmail)
		fmt.Fprintf(m.stdout, "Sign in as the first admin with this one-time link (valid 24 hours): %s/signin#%s\n", c.PublicURL, link)
		fmt.Fprintf(m.stdout, "Then set a password on your home page. Lost the link? Run: safemeet admin signin-link %s\n", c.AdminEmail)
	}
	return nil
}

// Addr returns the address the HTTP server listens on.
func (m *Main) Addr() net.Addr { return m.Listener.Addr() }

// Close stops everything: no new connections, then every session is told the
// server is restarting, then media and storage close.
func (m *Main) Close() error {
	var errs []error
	if m.stopJobs != nil {
		m.stopJobs()
	}
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errs = append(errs, m.http.Shutdown(ctx)) // WebSockets are hijacked: they live on
	}
	if m.rooms != nil {
		m.rooms.Shutdown()
	}
	if m.media != nil {
		errs = append(errs, m.media.Close())
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
	}
	if m.stopProfile != nil {
		errs = append(errs, m.stopProfile())
		m.stopProfile = nil
	}
	return errors.Join(errs...)
}

// startProfile starts writing a CPU profile to m.CPUProfile; Close stops it.
func (m *Main) startProfile() error {
	stop, err := startCPUProfile(m.CPUProfile)
	if err != nil {
		return err
	}
	m.stopProfile = stop
	return nil
}

// startCPUProfile writes a CPU profile of this process to name until the
// returned function is called.
func startCPUProfile(name string) (stop func() error, err error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

func openStore(dataDir string) (*sqlite.DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	return sqlite.Open(filepath.Join(dataDir, "safemeet.db"))
}
