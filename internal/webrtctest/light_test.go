package webrtctest_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"safemeet/internal/webrtctest"
)

func TestLightReceiver_GetsTheHostsStampedMediaAndKeepsReceiving(t *testing.T) {
	noLeaks(t)
	fs := newFakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	ho := hostOptions(fs)
	ho.Stamped = &webrtctest.StampedMedia{VideoBitrate: 500_000}
	host := dial(t, ctx, ho)

	var stamped, unstamped atomic.Int64
	var mu sync.Mutex
	tracks := map[string]bool{}
	gopts := guestOptions(fs)
	receivers, err := webrtctest.NewReceivers()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { must(t, receivers.Close()) })
	gopts.Receivers = receivers
	gopts.OnTrack = func(stream, kind string) func([]byte) {
		mu.Lock()
		tracks[stream+"/"+kind] = true
		mu.Unlock()
		return func(raw []byte) {
			if _, ok := webrtctest.ReadStamp(raw); ok {
				stamped.Add(1)
			} else {
				unstamped.Add(1)
			}
		}
	}
	guest := dial(t, ctx, gopts)
	must(t, host.WaitFor(ctx, "the guest waiting", func() bool { return len(host.Waiting()) == 1 }))
	must(t, host.Admit(guest.ID()))

	// The light receiver gets both of the host's tracks, decrypted (the
	// stamps are in the encrypted payload), and the host gets the guest's
	// media from its ordinary publish connection.
	must(t, guest.WaitFor(ctx, "audio and video from the host", func() bool {
		return guest.PacketsFromKind(host.ID(), "audio") > 20 && guest.PacketsFromKind(host.ID(), "video") > 20
	}))
	must(t, host.WaitFor(ctx, "media from the guest", func() bool { return host.PacketsFrom(guest.ID()) > 20 }))
	if n := unstamped.Load(); n != 0 {
		t.Errorf("%d packets reached the hook without a readable stamp, want 0 (decryption or demultiplexing is wrong)", n)
	}
	mu.Lock()
	if !tracks[host.ID()+"/audio"] || !tracks[host.ID()+"/video"] || len(tracks) != 2 {
		t.Errorf("tracks announced to OnTrack: %v, want the host's audio and video", tracks)
	}
	mu.Unlock()

	// Media still flows after the server's ICE agent would have given up on
	// a peer that stopped answering its checks (5 s without a response).
	time.Sleep(6 * time.Second)
	before := guest.TotalPackets()
	time.Sleep(time.Second)
	if got := guest.TotalPackets() - before; got < 40 {
		t.Errorf("%d packets in the second after 6 s, want the host's ~80 a second", got)
	}
	if subs, _ := guest.Negotiations(); subs < 1 {
		t.Errorf("subscribe offers answered: %d, want at least 1", subs)
	}
}
