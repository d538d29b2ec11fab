package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stageVideoJS resolves to {ok, reason}: ok once the page's screen-share stage
// plays a video whose picture has a size, whose time advances and which keeps
// receiving new frames.
const stageVideoJS = `(async () => {
	const stage = document.getElementById('screen-stage');
	const v = document.getElementById('screen-video');
	if (!stage || !v) return { ok: false, reason: 'no #screen-stage / #screen-video on ' + location.pathname };
	if (stage.hidden) return { ok: false, reason: 'the stage is hidden' };
	if (!v.srcObject) return { ok: false, reason: 'the stage video has no stream yet' };
	const t0 = v.currentTime, f0 = v.getVideoPlaybackQuality().totalVideoFrames;
	await new Promise((resolve) => setTimeout(resolve, 700));
	const t1 = v.currentTime, f1 = v.getVideoPlaybackQuality().totalVideoFrames;
	const what = v.videoWidth + 'x' + v.videoHeight + ', currentTime ' + t0.toFixed(2) + ' -> ' + t1.toFixed(2) +
		', frames ' + f0 + ' -> ' + f1 + ', paused ' + v.paused + ', readyState ' + v.readyState;
	return { ok: v.videoWidth > 0 && t1 > t0 && f1 > f0, reason: what };
})()`

// waitForStageVideo polls the page until its stage plays a screen share, or
// fails with the last reason it gave.
func waitForStageVideo(t *testing.T, b *browser, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	reason := "not checked yet"
	for {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[videoStats](stageVideoJS, chromedp.EvalAwaitPromise))
		switch {
		case err == nil && got.OK:
			t.Logf("%s plays the screen share: %s", b.name, got.Reason)
			return
		case err == nil:
			reason = got.Reason
		case ctx.Err() == nil:
			reason = "reading the stage: " + err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: waiting for the screen share to play on the stage: gave up after %s: %s\n%s page: %s",
				b.name, timeout, reason, b.name, b.pageSummary())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// evalString evaluates js on b's page and returns its string result.
func evalString(t *testing.T, b *browser, what, js string) string {
	t.Helper()
	var s string
	err := withTimeout(b.ctx, stepTimeout, b.name+": "+what, func(ctx context.Context) error {
		var err error
		s, err = chromedp.Run(ctx, chromedp.Evaluate[string](js))
		return err
	})
	if err != nil {
		t.Fatalf("%v\n%s page: %s", err, b.name, b.pageSummary())
	}
	return s
}

func TestE2E_HostSharesScreenAndGuestSeesIt(t *testing.T) {
	requireChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Children and families: only the host may share a screen.
	host, guest, _ := admittedGuest(t, ctx, "children-families")

	// Both pages state the rule, and only the host is offered the button.
	for _, b := range []*browser{host, guest} {
		b.do(t, "see the meeting rules", chromedp.WaitVisible(chromedp.CSS(`#meeting-rules-list li`)))
		rules := evalString(t, b, "read the meeting rules", `document.getElementById('meeting-rules-list').textContent`)
		if !strings.Contains(rules, "Only the host can share their screen") {
			t.Errorf("%s page: meeting rules %q, want them to say only the host can share", b.name, rules)
		}
	}
	if got := evalString(t, guest, "look for a share button", `String(document.getElementById('share-screen')?.hidden ?? 'absent')`); got != "true" && got != "absent" {
		t.Errorf("guest page: share button hidden = %s, want no share button under a host-only profile", got)
	}

	// The host shares: the browser's picker is answered by Chromium's fake UI.
	host.do(t, "share the screen",
		chromedp.WaitVisible(chromedp.ID("share-screen")),
		chromedp.Click(chromedp.ID("share-screen")),
		chromedp.WaitVisible(chromedp.CSS(`#screen-stage.own`)),
	)
	if got := evalString(t, host, "read the share button", `document.getElementById('share-screen').textContent`); got != "Stop sharing" {
		t.Errorf("host's share button says %q while sharing, want %q", got, "Stop sharing")
	}

	// The guest sees the host's screen, large and labelled, and it plays.
	guest.do(t, "see the host's screen on the stage", chromedp.WaitVisible(chromedp.ID("screen-video")))
	waitForStageVideo(t, guest, 45*time.Second)
	caption := evalString(t, guest, "read the stage's caption", `document.getElementById('screen-caption').textContent`)
	if !strings.HasSuffix(caption, " is sharing their screen") {
		t.Errorf("guest's stage caption = %q, want \"<host's name> is sharing their screen\"", caption)
	}
	sharer := evalString(t, guest, "read who is on the stage", `document.getElementById('screen-stage').dataset.participant`)
	var hostID string
	for id, role := range tileRoles(t, guest) {
		if role == "host" {
			hostID = id
		}
	}
	if sharer == "" || sharer != hostID {
		t.Errorf("guest's stage shows participant %q, want the host's tile %q", sharer, hostID)
	}
	saveScreenshot(t, guest, "screen-share-guest.png")
	saveScreenshot(t, host, "screen-share-host.png")

	// The host stops: the share leaves the guest's stage.
	host.do(t, "stop sharing",
		chromedp.Click(chromedp.ID("share-screen")),
		chromedp.WaitNotPresent(chromedp.CSS(`#screen-stage:not([hidden])`)),
	)
	guest.do(t, "see the share end", chromedp.WaitNotPresent(chromedp.CSS(`#screen-stage:not([hidden])`)))

	// Sharing again reuses the publish connection's screen section.
	host.do(t, "share the screen again",
		chromedp.Click(chromedp.ID("share-screen")),
		chromedp.WaitVisible(chromedp.CSS(`#screen-stage.own`)),
	)
	waitForStageVideo(t, guest, 30*time.Second)
}
