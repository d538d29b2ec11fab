package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium.
const chromiumPath = "/usr/bin/chromium"

// requireChromium skips the test when chromium is missing, except in CI, where a
// missing browser must not turn into a green run.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing, and CI is set: install it (apt-get install -y chromium)", chromiumPath)
	}
	t.Skipf("skipping: %s is missing (apt-get install -y chromium); in CI this is a failure", chromiumPath)
}

// browser is one headless Chromium with its own profile, and one tab in it.
type browser struct {
	name string
	ctx  context.Context // the tab's chromedp context
	mu   sync.Mutex
	logs []string // console messages, exceptions and browser log entries
}

// newBrowser starts a separate Chromium (own allocator, own fresh profile) with a
// fake camera and microphone. It is closed when the test ends.
func newBrowser(t *testing.T, parent context.Context, name string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("allow-loopback-in-peer-connection", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		// Real host candidates instead of mDNS names, which nothing resolves in a
		// loopback-only network namespace.
		chromedp.Flag("disable-features", "Translate,WebRtcHideLocalIpsWithMdns"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	b := &browser{name: name}
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(func(format string, args ...any) {
		b.log("chromedp: "+format, args...)
	}))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first action starts the browser; it must not run under a step's
	// timeout, or the browser would end with that step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: starting %s: %v", name, chromiumPath, err)
	}
	if err := chromedp.Listen(ctx, b.onEvent); err != nil {
		t.Fatalf("%s: listening to the browser: %v", name, err)
	}
	b.ctx = ctx
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s browser log:\n%s", name, b.logText())
		}
	})
	return b
}

// onEvent records console output, exceptions and browser log entries (such as
// Content-Security-Policy violations). It runs on chromedp's reader goroutine.
func (b *browser) onEvent(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		parts := make([]string, 0, len(ev.Args))
		for _, a := range ev.Args {
			if a.Description != "" {
				parts = append(parts, a.Description)
			} else {
				parts = append(parts, string(a.Value))
			}
		}
		b.log("console.%s: %s", ev.Type, strings.Join(parts, " "))
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		b.log("exception: %s (%s:%d)", text, d.URL, d.LineNumber)
	case *log.EventEntryAdded:
		b.log("log %s/%s: %s %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL)
	}
}

func (b *browser) log(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.logs = append(b.logs, time.Now().Format("15:04:05.000 ")+fmt.Sprintf(format, args...))
}

func (b *browser) logText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.logs, "\n")
}

// do runs actions as one named step with a timeout, failing the test with the
// step's name and the page's status text if it does not complete.
func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	err := withTimeout(b.ctx, stepTimeout, b.name+": "+what, func(ctx context.Context) error {
		return chromedp.Do(ctx, actions...)
	})
	if err != nil {
		t.Fatalf("%v\n%s page: %s", err, b.name, b.pageSummary())
	}
}

// value reads the value of the element with the given id.
func (b *browser) value(t *testing.T, what, id string) string {
	t.Helper()
	var v string
	err := withTimeout(b.ctx, stepTimeout, b.name+": "+what, func(ctx context.Context) error {
		var err error
		v, err = chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
		return err
	})
	if err != nil {
		t.Fatalf("%v\n%s page: %s", err, b.name, b.pageSummary())
	}
	return v
}

// pageSummary describes the page for a failure message: its address and the
// text of its status areas.
func (b *browser) pageSummary() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const texts = [...document.querySelectorAll('[role="status"], [role="alert"], .status')]
			.map((n) => (n.textContent || '').trim()).filter(Boolean);
		return location.href + ' [' + (document.querySelector('main')?.dataset.screen || '-') + '] ' + texts.join(' | ');
	})()`))
	if err != nil {
		return fmt.Sprintf("(could not read the page: %v)", err)
	}
	return s
}

// meetingID reads the meeting's ID from the address of a meeting page (/meetings/<id>).
func (b *browser) meetingID(t *testing.T) string {
	t.Helper()
	var id string
	err := withTimeout(b.ctx, stepTimeout, b.name+": reading the meeting's address", func(ctx context.Context) error {
		var err error
		id, err = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname.split('/meetings/')[1] || ''`))
		return err
	})
	if err != nil || id == "" {
		t.Fatalf("no meeting ID in the address (%v)\n%s page: %s", err, b.name, b.pageSummary())
	}
	return id
}
