package e2e

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// videoStats is what a page reports about the video it receives.
type videoStats struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// receivingVideoJS resolves to {ok, reason}: ok once the page's subscribe peer
// connection has an inbound-rtp video stream with decoded frames. It reads the
// connection through the client's test hook, window.safemeetDebug.
const receivingVideoJS = `(async () => {
	const hook = window.safemeetDebug;
	if (!hook) return { ok: false, reason: 'no window.safemeetDebug test hook on ' + location.pathname };
	const pc = hook.subscribePC;
	if (!pc) return { ok: false, reason: 'no subscribe peer connection yet (no offer from the server)' };
	const stats = await pc.getStats();
	let best = null;
	stats.forEach((r) => {
		if (r.type === 'inbound-rtp' && r.kind === 'video' && (!best || (r.framesDecoded || 0) > (best.framesDecoded || 0))) best = r;
	});
	const state = 'connection ' + pc.connectionState + ', ICE ' + pc.iceConnectionState;
	if (!best) return { ok: false, reason: 'no inbound-rtp video yet (' + state + ')' };
	const frames = best.framesDecoded || 0;
	return { ok: frames > 0, reason: frames + ' frames decoded, ' + (best.packetsReceived || 0) + ' packets received (' + state + ')' };
})()`

// waitForVideo polls the page until it decodes video from the server, or fails
// with the last reason it gave.
func waitForVideo(t *testing.T, b *browser, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	reason := "not checked yet"
	for {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[videoStats](receivingVideoJS, chromedp.EvalAwaitPromise))
		switch {
		case err == nil && got.OK:
			t.Logf("%s receives video: %s", b.name, got.Reason)
			return
		case err == nil:
			reason = got.Reason
		case ctx.Err() == nil:
			reason = "reading stats: " + err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: waiting for decoded video from the other browser: gave up after %s: %s\n%s page: %s",
				b.name, timeout, reason, b.name, b.pageSummary())
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// tileRoles returns, for each video tile on the page, its data-participant and
// the role on its badge.
func tileRoles(t *testing.T, b *browser) map[string]string {
	t.Helper()
	var roles map[string]string
	err := withTimeout(b.ctx, stepTimeout, b.name+": reading the video tiles", func(ctx context.Context) error {
		var err error
		roles, err = chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(
			[...document.querySelectorAll('.tile[data-participant]')].map((tile) =>
				[tile.dataset.participant, tile.querySelector('.badge')?.dataset.role || '']))`))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return roles
}

// admittedGuest drives two browsers to the point where the host has signed
// in, created a meeting under the safeguarding profile with ID profile,
// invited Jo Smith, opened the room and admitted her. It returns both
// browsers and the guest's invitation URL.
func admittedGuest(t *testing.T, ctx context.Context, profile string) (host, guest *browser, inviteURL string) {
	t.Helper()
	srv := startServer(t)
	host = newBrowser(t, ctx, "host")
	guest = newBrowser(t, ctx, "guest")
	// The host signs in with the first admin's one-time link and lands on the dashboard.
	host.do(t, "open the sign-in link",
		chromedp.Navigate(srv.SignInLink),
		chromedp.WaitVisible(chromedp.ID("new-meeting-form")),
	)

	// The host creates a meeting through the form.
	start := time.Now().Add(5 * time.Minute).Format("2006-01-02T15:04")
	host.do(t, "create a meeting under the "+profile+" profile",
		chromedp.WaitReady(chromedp.CSS(`#meeting-profile option[value="`+profile+`"]`)),
		chromedp.SetValue(chromedp.ID("meeting-profile"), profile),
		chromedp.SetValue(chromedp.ID("meeting-title"), "Year 9 review: Sam"),
		chromedp.SetValue(chromedp.ID("meeting-purpose"), "Termly review of Sam's progress with his parent."),
		chromedp.WaitReady(chromedp.CSS(`#meeting-category option[value="Annual review"]`)),
		chromedp.SetValue(chromedp.ID("meeting-category"), "Annual review"),
		chromedp.SetValue(chromedp.ID("meeting-start"), start),
		chromedp.SetValue(chromedp.ID("meeting-duration"), "30"),
		chromedp.Click(chromedp.CSS(`#new-meeting-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("add-invitee-form")),
	)

	// The host invites a parent and reads the personal link, shown once
	// (for a meeting that needs approval, once an approver has approved it).
	host.do(t, "add an invitee",
		chromedp.SetValue(chromedp.ID("invitee-name"), "Jo Smith"),
		chromedp.SetValue(chromedp.ID("invitee-role"), "parent of Sam, 9B"),
		chromedp.Click(chromedp.CSS(`#add-invitee-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`li.invitee[data-invitation]`)),
	)
	if profile == "children-families" {
		meetingID := host.meetingID(t)
		srv.approve(t, meetingID)
		host.do(t, "see the approval and make the link",
			chromedp.Reload(),
			chromedp.WaitVisible(chromedp.ID("join-as-host")),
			chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`), // "their current link will stop working"
			chromedp.Click(chromedp.CSS(`li.invitee button[aria-label^="New link"]`)),
		)
	}
	host.do(t, "see the link", chromedp.WaitVisible(chromedp.ID("invite-link")))
	link := host.value(t, "read the invitation link", "invite-link")
	if !strings.Contains(link, "/join#") {
		t.Fatalf("invitation link = %q, want one containing /join#<token>", link)
	}
	// The link names the public URL; the browsers reach the server at srv.URL.
	inviteURL = srv.URL + link[strings.Index(link, "/join#"):]

	// The host opens the room.
	host.do(t, "join as host",
		chromedp.Click(chromedp.ID("join-as-host")),
		chromedp.WaitVisible(chromedp.CSS(`main[data-screen="room"] .tile.local[data-participant]`)),
	)

	// The guest opens the link, sees the pre-join page and joins: they wait.
	guest.do(t, "open the invitation and join",
		chromedp.Navigate(inviteURL),
		chromedp.WaitVisible(chromedp.ID("prejoin-name")),
		chromedp.WaitEnabled(chromedp.ID("join-button")),
		chromedp.Click(chromedp.ID("join-button")),
		chromedp.WaitVisible(chromedp.ID("waiting-screen")),
	)
	if profile != "internal-staff" {
		// Those profiles carry a participation contract: agree to it first.
		guest.do(t, "agree to the participation contract",
			chromedp.WaitVisible(chromedp.ID("contract-prompt")),
			chromedp.Click(chromedp.CSS(`#contract-prompt button.primary`)),
		)
	}
	if got, err := chromedp.Run(guest.ctx, chromedp.Evaluate[string](`location.href`)); err != nil || strings.Contains(got, "#") {
		t.Errorf("guest address after opening the link = %q (err %v), want the token removed from it", got, err)
	}

	// The host admits the guest from the waiting room.
	host.do(t, "admit the guest",
		chromedp.WaitVisible(chromedp.CSS(`#waiting-room-list button.admit`)),
		chromedp.Click(chromedp.CSS(`#waiting-room-list button.admit`)),
	)
	guest.do(t, "enter the room after admission",
		chromedp.WaitVisible(chromedp.CSS(`main[data-screen="room"] .tile.local[data-participant]`)),
	)

	return host, guest, inviteURL
}

func TestE2E_HostAdmitsGuestAndBothSeeVideo(t *testing.T) {
	requireChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Internal staff: nobody starts muted, so both cameras are forwarded.
	host, guest, _ := admittedGuest(t, ctx, "internal-staff")

	// Each browser decodes the other's video.
	waitForVideo(t, host, 45*time.Second)
	waitForVideo(t, guest, 45*time.Second)

	// Each page shows the same two people, with the roles the server gave them.
	hostTiles, guestTiles := tileRoles(t, host), tileRoles(t, guest)
	want := []string{"host", "participant"}
	for name, tiles := range map[string]map[string]string{"host": hostTiles, "guest": guestTiles} {
		var roles []string
		for _, role := range tiles {
			roles = append(roles, role)
		}
		slices.Sort(roles)
		if !slices.Equal(roles, want) {
			t.Errorf("%s page: tile roles %v, want %v", name, tiles, want)
		}
	}
	if !maps.Equal(hostTiles, guestTiles) {
		t.Errorf("tiles differ between pages: host page %v, guest page %v", hostTiles, guestTiles)
	}
	saveScreenshot(t, host, "room-host.png")
	saveScreenshot(t, guest, "room-guest.png")
}

// saveScreenshot writes what b shows to $SAFEMEET_E2E_SCREENSHOTS/name, if set,
// so a person can look at the pages the test drove.
func saveScreenshot(t *testing.T, b *browser, name string) {
	dir := os.Getenv("SAFEMEET_E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

func TestE2E_RemovedGuestCannotRejoinWithSameLink(t *testing.T) {
	requireChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	host, guest, inviteURL := admittedGuest(t, ctx, "internal-staff")

	// The host removes Jo from the participants panel (the page asks to confirm;
	// the test answers yes).
	if _, err := chromedp.Run(host.ctx, chromedp.Evaluate[bool](`(window.confirm = () => true, true)`)); err != nil {
		t.Fatalf("answering the confirmation: %v", err)
	}
	host.do(t, "remove the guest",
		chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Remove Jo Smith"]`)),
		chromedp.Click(chromedp.CSS(`button[aria-label="Remove Jo Smith"]`)),
	)
	guest.do(t, "see that she was removed",
		chromedp.WaitVisible(chromedp.ID("final-screen")),
	)
	title, err := chromedp.Run(guest.ctx, chromedp.Evaluate[string](`document.getElementById('final-title').textContent`))
	if err != nil || !strings.Contains(title, "removed") {
		t.Errorf("guest's final screen title = %q (err %v), want it to say she was removed", title, err)
	}
	saveScreenshot(t, guest, "removed-guest.png")

	// The same link, opened again (as in a new tab or browser), no longer works.
	guest.do(t, "open the same link again",
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(inviteURL),
		chromedp.WaitVisible(chromedp.CSS(`[role="alert"][data-kind="error"]`)),
	)
	text, err := chromedp.Run(guest.ctx, chromedp.Evaluate[string](`document.querySelector('[role="alert"][data-kind="error"]').textContent`))
	if err != nil || !strings.Contains(text, "not valid") {
		t.Errorf("reopening the removed guest's link shows %q (err %v), want the invitation refused", text, err)
	}
	if n, err := chromedp.Run(guest.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#join-button:not([disabled])').length`)); err != nil || n != 0 {
		t.Errorf("an enabled Join button is offered on a removed guest's link (%d, err %v)", n, err)
	}
}
