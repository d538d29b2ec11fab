package webrtctest_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"testing"
	"time"

	"safemeet/internal/webrtctest"
)

// noLeaks fails the test if goroutines started during it outlive it. Call it
// first, so its cleanup runs last.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("goroutines: %d before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func dial(t *testing.T, ctx context.Context, o webrtctest.Options) *webrtctest.Participant {
	t.Helper()
	o.LoopbackOnly = true
	p, err := webrtctest.Dial(ctx, o)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if probs := p.Problems(); len(probs) > 0 {
			t.Errorf("%s had problems: %q", p.ID(), probs)
		}
	})
	return p
}

func hostOptions(fs *fakeServer) webrtctest.Options {
	return webrtctest.Options{BaseURL: fs.srv.URL, Meeting: meetingID, Header: http.Header{"Cookie": {hostCookie}}, Publish: true}
}

func guestOptions(fs *fakeServer) webrtctest.Options {
	return webrtctest.Options{BaseURL: fs.srv.URL, Invite: guestInvite, Publish: true}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestParticipant_AdmittedGuestAndHostExchangeMedia(t *testing.T) {
	noLeaks(t)
	fs := newFakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	host := dial(t, ctx, hostOptions(fs))
	guest := dial(t, ctx, guestOptions(fs))
	if got, want := host.Admission(), "admitted"; got != want {
		t.Errorf("host admission: got %q, want %q", got, want)
	}
	if got, want := guest.Admission(), "waiting"; got != want {
		t.Errorf("guest admission: got %q, want %q", got, want)
	}
	must(t, host.WaitFor(ctx, "the guest in the waiting list", func() bool {
		w := host.Waiting()
		return len(w) == 1 && w[0].ID == guest.ID()
	}))

	// Nothing flows while the guest waits.
	time.Sleep(300 * time.Millisecond)
	if n := host.PacketsFrom(guest.ID()); n != 0 {
		t.Errorf("host got %d packets from a waiting guest, want 0", n)
	}
	if n := guest.TotalPackets(); n != 0 {
		t.Errorf("waiting guest got %d packets, want 0", n)
	}

	must(t, host.Admit(guest.ID()))
	must(t, guest.WaitFor(ctx, "admission", func() bool { return guest.Admission() == "admitted" }))
	must(t, guest.WaitFor(ctx, "the host in the roster", func() bool { _, ok := guest.Roster()[host.ID()]; return ok }))
	must(t, host.WaitFor(ctx, "the guest in the roster", func() bool { _, ok := host.Roster()[guest.ID()]; return ok }))
	must(t, host.WaitFor(ctx, "an empty waiting list", func() bool { return len(host.Waiting()) == 0 }))
	must(t, host.WaitFor(ctx, "audio and video from the guest", func() bool {
		return host.PacketsFromKind(guest.ID(), "audio") > 20 && host.PacketsFromKind(guest.ID(), "video") > 20
	}))
	must(t, guest.WaitFor(ctx, "audio and video from the host", func() bool {
		return guest.PacketsFromKind(host.ID(), "audio") > 20 && guest.PacketsFromKind(host.ID(), "video") > 20
	}))
	must(t, guest.WaitFor(ctx, "a keyframe request", func() bool { return guest.KeyframeRequests() > 0 }))
	if subs, pubs := guest.Negotiations(); subs < 1 || pubs != 1 {
		t.Errorf("guest negotiations: %d subscribe offers, %d publish answers; want ≥1 and 1", subs, pubs)
	}
}

func TestParticipant_DialReturnsTheServersError(t *testing.T) {
	noLeaks(t)
	fs := newFakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := webrtctest.Dial(ctx, webrtctest.Options{BaseURL: fs.srv.URL, Invite: "no-such-invite"})
	var se *webrtctest.ServerError
	if !errors.As(err, &se) || se.Code != "invitation_invalid" {
		t.Fatalf("Dial with a bad invitation: got %v, want a ServerError with code invitation_invalid", err)
	}
}

func TestParticipant_DialFromAForeignOriginIsRefused(t *testing.T) {
	noLeaks(t)
	fs := newFakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	o := guestOptions(fs)
	o.Header = http.Header{"Origin": {"https://evil.example"}}
	_, err := webrtctest.Dial(ctx, o)
	var he *webrtctest.HandshakeError
	if !errors.As(err, &he) || he.StatusCode != http.StatusForbidden {
		t.Fatalf("Dial from a foreign origin: got %v, want a HandshakeError with status 403", err)
	}
}

func TestParticipant_EndedMeetingIsReportedAndClosesTheConnection(t *testing.T) {
	noLeaks(t)
	fs := newFakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	host := dial(t, ctx, hostOptions(fs))
	guest := dial(t, ctx, guestOptions(fs))
	must(t, host.WaitFor(ctx, "the guest waiting", func() bool { return len(host.Waiting()) == 1 }))
	must(t, host.End())
	must(t, guest.WaitFor(ctx, "ended", func() bool { return guest.Ended() != nil }))
	select {
	case <-guest.Done():
	case <-ctx.Done():
		t.Fatal("the guest's connection stayed open after ended")
	}
	if got, want := guest.Ended().Code, "meeting_ended"; got != want {
		t.Errorf("ended code: got %q, want %q", got, want)
	}
	if err := guest.Send(map[string]string{"type": "leave"}); !errors.Is(err, webrtctest.ErrClosed) {
		t.Errorf("Send after the connection ended: got %v, want ErrClosed", err)
	}
}
