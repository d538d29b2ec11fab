package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chatLink is a link the page drew in a chat message.
type chatLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// shownMessage is how a page shows the newest chat message from someone else.
type shownMessage struct {
	Found bool `json:"found"`
	// Text is the text content of the message's body.
	Text string `json:"text"`
	// BodyTags names every element inside the message's body.
	BodyTags []string   `json:"bodyTags"`
	Links    []chatLink `json:"links"`
	// Foreign counts img, b and script elements anywhere in the message list.
	Foreign int `json:"foreign"`
}

// shownMessageJS reads the newest chat message from someone else on the page.
const shownMessageJS = `(() => {
	const items = [...document.querySelectorAll('#chat-list .chat-message[data-mine="false"]')];
	const m = items[items.length - 1];
	if (!m) return { found: false, text: '', bodyTags: [], links: [], foreign: 0 };
	const body = m.querySelector('.chat-text');
	return {
		found: true,
		text: body ? body.textContent : '',
		bodyTags: body ? [...body.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()) : [],
		links: [...m.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href') || '', rel: a.getAttribute('rel') || '' })),
		foreign: document.querySelectorAll('#chat-list img, #chat-list b, #chat-list script').length,
	};
})()`

// openChat opens b's chat panel.
func openChat(t *testing.T, b *browser) {
	t.Helper()
	b.do(t, "open the chat",
		chromedp.WaitVisible(chromedp.CSS(`.controls button.chat-button`)),
		chromedp.Click(chromedp.CSS(`.controls button.chat-button`)),
		chromedp.WaitVisible(chromedp.ID("chat-input")),
	)
}

// sendChat types text into b's open chat box and presses Enter, then waits for
// the server to send the message back to b.
func sendChat(t *testing.T, b *browser, text string) {
	t.Helper()
	b.do(t, "type a chat message and press Enter",
		chromedp.SendKeys(chromedp.ID("chat-input"), text+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#chat-list .chat-message[data-mine="true"]`)),
	)
}

// receivedMessage waits for a chat message from someone else on b's (open) chat
// and returns how it is shown.
func receivedMessage(t *testing.T, b *browser) shownMessage {
	t.Helper()
	b.do(t, "see the other person's chat message",
		chromedp.WaitVisible(chromedp.CSS(`#chat-list .chat-message[data-mine="false"] .chat-text`)),
	)
	var got shownMessage
	err := withTimeout(b.ctx, stepTimeout, b.name+": read the chat message", func(ctx context.Context) error {
		var err error
		got, err = chromedp.Run(ctx, chromedp.Evaluate[shownMessage](shownMessageJS))
		return err
	})
	if err != nil || !got.Found {
		t.Fatalf("%s: reading the chat message: found %v, err %v\n%s page: %s", b.name, got.Found, err, b.name, b.pageSummary())
	}
	return got
}

// chatBetween admits a guest under profile, opens the chat on both pages, has
// the guest send text and returns how the host's page shows it.
func chatBetween(t *testing.T, profile, text string) (host, guest *browser, shown shownMessage) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	host, guest, _ = admittedGuest(t, ctx, profile)
	openChat(t, host)
	openChat(t, guest)
	sendChat(t, guest, text)
	return host, guest, receivedMessage(t, host)
}

const linkMessage = "Worksheet: https://example.org/page before Friday"

func TestChat_LinksNotClickableUnderChildrenProfile(t *testing.T) {
	requireChromium(t)
	host, _, got := chatBetween(t, "children-families", linkMessage)

	if got.Text != linkMessage {
		t.Errorf("host page shows the message as %q, want %q", got.Text, linkMessage)
	}
	if len(got.Links) != 0 || len(got.BodyTags) != 0 {
		t.Errorf("host page: message has links %v and elements %v, want the address as plain text under children-families", got.Links, got.BodyTags)
	}
	saveScreenshot(t, host, "chat-links-text-host.png")
}

func TestChat_LinksClickableUnderInternalStaffProfile(t *testing.T) {
	requireChromium(t)
	host, _, got := chatBetween(t, "internal-staff", linkMessage)

	if !strings.Contains(got.Text, "https://example.org/page") {
		t.Errorf("host page shows the message as %q, want it to show the address", got.Text)
	}
	if len(got.Links) != 1 {
		t.Fatalf("host page: message has links %v, want exactly one under internal-staff", got.Links)
	}
	link := got.Links[0]
	if link.Href != "https://example.org/page" {
		t.Errorf("link href = %q, want %q", link.Href, "https://example.org/page")
	}
	rel := strings.Fields(link.Rel)
	if !slices.Contains(rel, "noopener") || !slices.Contains(rel, "noreferrer") {
		t.Errorf("link rel = %q, want noopener and noreferrer", link.Rel)
	}
	saveScreenshot(t, host, "chat-links-clickable-host.png")
}

func TestChat_MarkupRenderedAsText(t *testing.T) {
	requireChromium(t)
	const markup = `<img src=x onerror="window.__xss=1"><b>bold</b><script>window.__xss=2</script>`
	host, guest, got := chatBetween(t, "children-families", markup)

	if got.Text != markup {
		t.Errorf("host page shows the message as %q, want exactly %q", got.Text, markup)
	}
	if len(got.BodyTags) != 0 {
		t.Errorf("host page: message body has elements %v, want text only", got.BodyTags)
	}
	if got.Foreign != 0 {
		t.Errorf("host page: %d img, b or script elements in the chat, want none", got.Foreign)
	}
	// Give an injected image's onerror time to fire, were there one.
	time.Sleep(500 * time.Millisecond)
	for _, b := range []*browser{host, guest} {
		if xss := evalString(t, b, "read window.__xss", `typeof window.__xss`); xss != "undefined" {
			t.Errorf("%s page: typeof window.__xss = %q, want \"undefined\" (the markup ran)", b.name, xss)
		}
	}
}
