package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"
)

// server is a running safemeet binary.
type server struct {
	URL        string // e.g. http://127.0.0.1:41234
	SignInLink string // the first admin's one-time sign-in link
	output     *lockedBuffer
	bin, data  string // the binary and its data folder, for admin commands
}

// lockedBuffer collects a process's output from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// repoRoot returns the module's root folder (the parent of this package's).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the e2e package's folder")
	}
	return filepath.Dir(filepath.Dir(file))
}

// buildBinary builds ./cmd/safemeet into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "safemeet")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/safemeet")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/safemeet: %v\n%s", err, out)
	}
	return bin
}

// freeLoopbackAddr returns 127.0.0.1:<a port that was free a moment ago>.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// signInLinkPattern finds the first admin's sign-in link in the server's output.
var signInLinkPattern = regexp.MustCompile(`/signin#([A-Za-z0-9_~.%-]+)`)

// startServer builds and starts safemeet on a free loopback port with a temporary
// data folder and loopback ICE candidates, and waits until it answers HTTP. The
// server is stopped when the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	bin := buildBinary(t)
	addr := freeLoopbackAddr(t)
	base := "http://" + addr
	data := t.TempDir()
	cmd := exec.Command(bin, "serve",
		"--listen", addr,
		"--public-url", base,
		"--data", data,
		"--media-port", "0",
		"--dev-loopback-candidates",
	)
	output := &lockedBuffer{}
	cmd.Stderr = output
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stopProcess(t, cmd, exited, output) })

	token := make(chan string, 1)
	go scanForToken(stdout, output, token)

	srv := &server{URL: base, output: output, bin: bin, data: data}
	select {
	case tok := <-token:
		srv.SignInLink = base + "/signin#" + tok
	case err := <-exited:
		t.Fatalf("safemeet exited before printing a sign-in link (%v); output:\n%s", err, output)
	case <-time.After(30 * time.Second):
		t.Fatalf("safemeet printed no line containing /signin#<token> within 30s; output:\n%s", output)
	}
	waitHTTP(t, base+"/api/me", exited, output)
	return srv
}

// scanForToken copies the server's stdout to output and sends the first sign-in
// token it sees.
func scanForToken(stdout io.Reader, output io.Writer, token chan<- string) {
	sc := bufio.NewScanner(stdout)
	sent := false
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(output, line)
		if m := signInLinkPattern.FindStringSubmatch(line); m != nil && !sent {
			token <- m[1]
			sent = true
		}
	}
}

// waitHTTP waits until url answers (with any status).
func waitHTTP(t *testing.T, url string, exited <-chan error, output *lockedBuffer) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("safemeet exited while starting (%v); output:\n%s", err, output)
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("safemeet did not answer %s within 20s (last error: %v); output:\n%s", url, lastErr, output)
}

// stopProcess interrupts the server, then kills it if it does not stop, and
// shows its output if the test failed.
func stopProcess(t *testing.T, cmd *exec.Cmd, exited <-chan error, output *lockedBuffer) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(os.Interrupt)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		t.Errorf("safemeet did not stop within 10s of an interrupt")
	}
	if t.Failed() {
		t.Logf("safemeet output:\n%s", output)
	}
}

// stepTimeout bounds one browser step; a whole scenario has its own deadline.
const stepTimeout = 30 * time.Second

// withTimeout runs f with a context that ends after d, and reports a timeout as
// a readable error.
func withTimeout(ctx context.Context, d time.Duration, what string, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	err := f(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: timed out after %s", what, d)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
