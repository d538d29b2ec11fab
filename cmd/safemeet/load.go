package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"safemeet/internal/loadtest"
)

// runLoad is `safemeet load`: synthetic participants against a server on
// this machine, then a table and optionally a JSON report.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg loadtest.Config
	var shape, jsonFile, cpuProfile string
	var verbose bool
	fs.StringVar(&cfg.URL, "url", "", "the server's public URL; loopback only, e.g. http://127.0.0.1:8080")
	fs.StringVar(&cfg.Email, "email", "", "staff member who hosts the load meeting")
	fs.StringVar(&cfg.Password, "password", "", "their password")
	fs.StringVar(&cfg.SigninLink, "signin-link", "", "a one-time sign-in link, instead of --email and --password")
	fs.StringVar(&shape, "shape", string(loadtest.ShapeLecture), "lecture (host publishes 2 Mbit/s, guests receive) or meeting (everyone publishes 500 kbit/s)")
	fs.IntVar(&cfg.Participants, "participants", 10, "number of guests besides the host")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "length of the whole run, ramp included; it stops by itself")
	fs.DurationVar(&cfg.Ramp, "ramp", 10*time.Second, "the guests' joins are spread over this time")
	fs.Float64Var(&cfg.Pace, "pace", 2.5, "spread each video frame's packets at this multiple of the video rate, as browsers' pacers do; 0 sends each frame in one burst")
	fs.BoolVar(&cfg.PionReceivers, "pion-receivers", false, "receive with a Pion PeerConnection per participant instead of the light receiver (for comparison; costs the tool more per packet)")
	fs.IntVar(&cfg.ServerPID, "server-pid", 0, "the server's process ID, to measure its CPU and memory from /proc")
	fs.StringVar(&jsonFile, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the load tool to this file (for go tool pprof); off by default")
	fs.BoolVar(&verbose, "v", false, "log the participants' warnings to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("load: unexpected arguments: %v", fs.Args())
	}
	cfg.Shape = loadtest.Shape(shape)
	cfg.Progress = stdout
	if verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if cpuProfile != "" {
		stop, err := startCPUProfile(cpuProfile)
		if err != nil {
			return fmt.Errorf("load: %w", err)
		}
		defer func() { _ = stop() }()
	}
	rep, err := loadtest.Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	fmt.Fprintln(stdout)
	if err := rep.WriteTable(stdout); err != nil {
		return err
	}
	if jsonFile != "" {
		return writeReportJSON(jsonFile, rep)
	}
	return nil
}

// writeReportJSON writes the report to a file.
func writeReportJSON(name string, rep *loadtest.Report) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := rep.WriteJSON(f); err != nil {
		f.Close()
		return fmt.Errorf("load: write %s: %w", name, err)
	}
	return f.Close()
}
