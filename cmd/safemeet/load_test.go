package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"safemeet/internal/loadtest"
)

// loadPassword is the first admin's password in the load tests.
const loadPassword = "correct horse battery staple load"

// runLoadAgainst runs `safemeet load` against a test server with extra flags
// and returns the JSON report and the output.
func runLoadAgainst(t *testing.T, s *testServer, extra ...string) (loadtest.Report, string) {
	t.Helper()
	s.post(s.host, "/api/me/password", map[string]any{"password": loadPassword}, http.StatusNoContent, nil)
	jsonFile := filepath.Join(t.TempDir(), "report.json")
	args := append([]string{"load", "--url", s.url, "--email", s.m.Config.AdminEmail, "--password", loadPassword, "--json", jsonFile}, extra...)
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := run(ctx, args, &out, &out); err != nil {
		t.Fatalf("safemeet load: %v\n%s", err, out.String())
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var rep loadtest.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, data)
	}
	return rep, out.String()
}

func TestLoad_SmokeLectureFiveReceivers(t *testing.T) {
	s := startServer(t, nil)
	rep, out := runLoadAgainst(t, s, "--shape", "lecture", "--participants", "5", "--duration", "3s", "--ramp", "500ms")
	if rep.Joined != 5 || rep.Admitted != 5 {
		t.Errorf("joined %d and admitted %d guests, want 5 and 5\n%s", rep.Joined, rep.Admitted, out)
	}
	if rep.ReceiversGotMedia != 5 || rep.Receivers != "light" {
		t.Errorf("%d %s receivers got media, want 5 light ones\n%s", rep.ReceiversGotMedia, rep.Receivers, out)
	}
	if rep.Tracks != 10 {
		t.Errorf("received tracks: got %d, want 10 (audio and video for each receiver)\n%s", rep.Tracks, out)
	}
	if rep.LostPackets != 0 {
		t.Errorf("lost %d packets (%.3f %%), want 0\n%s", rep.LostPackets, rep.LossPercent, out)
	}
	if rep.PacketsInWindow == 0 || rep.DelayMaxMs <= 0 {
		t.Errorf("window packets %d, max delay %v ms: want media measured in the window\n%s", rep.PacketsInWindow, rep.DelayMaxMs, out)
	}
	if len(rep.Errors) > 0 {
		t.Errorf("errors: %q", rep.Errors)
	}
}

func TestLoad_ReportsCPUPerPacket(t *testing.T) {
	s := startServer(t, nil)
	// The server runs in this process, so its PID is the test's own. The
	// receivers are PeerConnections here, so that both ways of receiving
	// are run (the smoke test uses the light ones).
	rep, out := runLoadAgainst(t, s, "--participants", "3", "--duration", "3s", "--ramp", "300ms", "--server-pid", strconv.Itoa(os.Getpid()), "--pion-receivers")
	if rep.ReceiversGotMedia != 3 || rep.LostPackets != 0 || rep.Receivers != "pion" {
		t.Errorf("with PeerConnection receivers: %d of 3 (%s) got media, %d lost; want 3 pion and 0\n%s", rep.ReceiversGotMedia, rep.Receivers, rep.LostPackets, out)
	}
	srv := rep.Server
	if srv == nil {
		t.Fatalf("report has no server figures\n%s", out)
	}
	if srv.CPUSeconds <= 0 {
		t.Errorf("server CPU seconds = %v, want more than 0", srv.CPUSeconds)
	}
	if us := srv.CPUMicrosPerPacket; us <= 0 || math.IsInf(us, 0) || math.IsNaN(us) {
		t.Errorf("server CPU µs per packet = %v, want a finite number above 0", us)
	}
	if srv.RSSMiB <= 0 {
		t.Errorf("server RSS = %v MiB, want more than 0", srv.RSSMiB)
	}
	if rep.Tool == nil || rep.Tool.CPUSeconds <= 0 {
		t.Errorf("load tool CPU = %+v, want more than 0 seconds", rep.Tool)
	}
}

func TestLoad_RefusesAServerThatIsNotOnLoopback(t *testing.T) {
	for _, url := range []string{"http://192.0.2.1:8080", "https://example.org", "http://[2001:db8::1]:80"} {
		err := run(context.Background(), []string{"load", "--url", url, "--email", "a@b", "--password", "x", "--duration", "1s", "--ramp", "0s"}, &bytes.Buffer{}, &bytes.Buffer{})
		if !errors.Is(err, loadtest.ErrNotLoopback) {
			t.Errorf("load --url %s: got %v, want ErrNotLoopback", url, err)
		}
	}
}
