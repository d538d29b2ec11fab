package e2e

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safemeet/internal/mail/mailtest"
	"safemeet/internal/webrtctest"
)

var (
	consentLink = regexp.MustCompile(`https?://\S+/consent#[A-Za-z0-9_-]{43}`)
	joinLink    = regexp.MustCompile(`https?://\S+/join#[A-Za-z0-9_-]{43}`)
)

// TestE2E_GuardianConsentsThenChildJoins follows a child's invitation from
// the parent's email, through the consent page in a browser, to the child
// agreeing to the participation contract in the waiting room and the host
// letting them in, having seen who consented.
func TestE2E_GuardianConsentsThenChildJoins(t *testing.T) {
	requireChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := startServer(t)
	smtp := mailtest.Start(t)

	// The office (an admin who also hosts) sets up email, schedules the
	// meeting and invites Sam through his mother; the DSL approves it.
	office := srv.signInStaff(t, "office@school.example", "--admin")
	c := smtp.Config()
	srv.call(t, office, "PUT", "/api/settings/mail", map[string]any{
		"host": c.Host, "port": c.Port, "security": c.Security, "username": "", "password": "", "from": c.From, "from_name": c.FromName,
	}, nil)
	var m struct{ ID string }
	srv.call(t, office, "POST", "/api/meetings", map[string]any{
		"title": "Music therapy: Sam", "purpose": "Weekly music therapy session", "category": "Music therapy",
		"startsAt": time.Now().UTC().Format(time.RFC3339), "durationMinutes": 45, "profile": "children-families",
	}, &m)
	srv.call(t, office, "POST", "/api/meetings/"+m.ID+"/invitations", map[string]any{
		"name": "Sam Pupil", "roleLabel": "pupil, Year 5", "ageGroup": "under16",
		"guardianName": "Jo Smith", "guardianEmail": "jo@home.example",
	}, nil)
	srv.approve(t, m.ID)
	mail := smtp.Wait(t, 1, 20*time.Second)[0]
	if len(mail.To) != 1 || mail.To[0] != "jo@home.example" {
		t.Fatalf("the invitation went to %v, want only the parent", mail.To)
	}
	text := mail.Text(t)
	consentURL, childURL := consentLink.FindString(text), joinLink.FindString(text)
	if consentURL == "" || childURL == "" {
		t.Fatalf("the parent's email lacks a consent link or the child's link:\n%s", text)
	}

	// Before consent the child's link does not let Sam in.
	child := newBrowser(t, ctx, "child")
	child.do(t, "open the link before consent",
		chromedp.Navigate(childURL),
		chromedp.WaitVisible(chromedp.CSS(`[role="alert"]`)),
	)
	if n, err := chromedp.Run(child.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#join-button:not([disabled])').length`)); err != nil || n != 0 {
		t.Errorf("before consent the join button is usable (%d, %v)", n, err)
	}

	// The parent reads the consent page and consents.
	parent := newBrowser(t, ctx, "parent")
	parent.do(t, "consent",
		chromedp.Navigate(consentURL),
		chromedp.WaitVisible(chromedp.ID("consent-form")),
		chromedp.WaitVisible(chromedp.CSS(`.contract-text`)),
		chromedp.SetValue(chromedp.ID("consent-name"), "Jo Smith"),
		chromedp.Click(chromedp.CSS(`#consent-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#consent-state[data-state="given"]`)),
	)
	page, err := chromedp.Run(parent.ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if err != nil || !strings.Contains(page, "Weekly music therapy session") || !strings.Contains(page, "Staff office@school.example") {
		t.Errorf("the consent page does not say what the meeting is for and who hosts it (%v):\n%s", err, page)
	}

	// The host opens the room (a Go participant with the office's login).
	host := joinAsStaff(t, ctx, srv, office, m.ID)

	// Sam opens the link, joins, and agrees to the contract in the waiting room.
	child.do(t, "join after consent",
		// A fresh load, not a same-page fragment change (which the browser may abort).
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(childURL),
		chromedp.WaitVisible(chromedp.ID("prejoin-name")),
		chromedp.WaitEnabled(chromedp.ID("join-button")),
		chromedp.Click(chromedp.ID("join-button")),
		chromedp.WaitVisible(chromedp.ID("waiting-screen")),
		chromedp.WaitVisible(chromedp.ID("contract-prompt")),
		chromedp.Click(chromedp.CSS(`#contract-prompt button.primary`)),
	)

	// The host sees that Sam's mother consented, and that Sam agreed, and lets him in.
	var samID string
	deadline := time.Now().Add(30 * time.Second)
	for samID == "" && time.Now().Before(deadline) {
		for _, w := range host.Waiting() {
			if w.Name == "Sam Pupil" && w.Consent != nil && w.Consent.By == "Jo Smith" && w.ContractAccepted != nil && *w.ContractAccepted {
				samID = w.ID
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if samID == "" {
		t.Fatalf("the host never saw Sam waiting with consent and the contract accepted: %+v", host.Waiting())
	}
	if err := host.Admit(samID); err != nil {
		t.Fatal(err)
	}
	child.do(t, "enter the room",
		chromedp.WaitVisible(chromedp.CSS(`main[data-screen="room"] .tile.local[data-participant]`)),
	)
}

// joinAsStaff opens a meeting as its host, from a Go participant carrying
// the staff member's login cookie.
func joinAsStaff(t *testing.T, ctx context.Context, srv *server, c *http.Client, meetingID string) *webrtctest.Participant {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	h := http.Header{}
	for _, ck := range c.Jar.Cookies(req.URL) {
		h.Add("Cookie", ck.String())
	}
	p, err := webrtctest.Dial(ctx, webrtctest.Options{BaseURL: srv.URL, Meeting: meetingID, Header: h, IncludeLoopback: true, LoopbackOnly: true})
	if err != nil {
		t.Fatalf("host joining: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
