package sfu_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"

	"safemeet/internal/sfu"
)

// noLeaks fails the test if goroutines started during it outlive it. Call it
// first, so its cleanup runs after every other.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutines: %d before the test, %d after it:\n%s", before, runtime.NumGoroutine(), buf)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// flowing waits until sub receives both kinds from pub.
func flowing(t *testing.T, sub *client, pub string) {
	t.Helper()
	waitFor(t, 10*time.Second, sub.name+" receiving audio and video from "+pub, func() bool {
		return sub.packets(pub, "audio") > 20 && sub.packets(pub, "video") > 20
	})
}

func TestSFU_SubscriberReceivesPublisherTracksWithItsStreamID(t *testing.T) {
	for _, tc := range []struct {
		name           string
		subscribeFirst bool
	}{
		{"subscribed before publishing", true},
		{"subscribed after publishing", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			s := newTestSFU(t)
			api := newClientAPI(t)
			alice := newClient(t, s, api, "alice", false)
			bob := newClient(t, s, api, "bob", false)
			if tc.subscribeFirst {
				bob.peer.Subscribe(alice.peer)
				alice.publish()
			} else {
				alice.publish()
				time.Sleep(200 * time.Millisecond) // let alice's tracks start
				bob.peer.Subscribe(alice.peer)
			}
			flowing(t, bob, "alice")

			bob.mu.Lock()
			defer bob.mu.Unlock()
			for _, want := range []string{"alice/alice-audio", "alice/alice-video"} {
				if !bob.trackIDs[want] {
					t.Errorf("bob got tracks %v, want one with stream/track %q", bob.trackIDs, want)
				}
			}
		})
	}
}

func TestSFU_MutedVideoStopsForwardingWhileAudioContinues(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", false)
	bob.peer.Subscribe(alice.peer)
	alice.publish()
	flowing(t, bob, "alice")

	alice.peer.SetForwarding(sfu.KindVideo, false)
	time.Sleep(200 * time.Millisecond) // packets already in flight
	video, audio := bob.packets("alice", "video"), bob.packets("alice", "audio")
	time.Sleep(time.Second)
	if got := bob.packets("alice", "video"); got != video {
		t.Errorf("video packets while muted: got %d, want %d (no change)", got, video)
	}
	if got := bob.packets("alice", "audio"); got < audio+25 {
		t.Errorf("audio packets while video muted: got %d, want at least %d", got, audio+25)
	}

	plis := alice.pli.Load()
	alice.peer.SetForwarding(sfu.KindVideo, true)
	waitFor(t, 5*time.Second, "video to resume", func() bool { return bob.packets("alice", "video") > video+10 })
	waitFor(t, 5*time.Second, "a keyframe request after unmuting", func() bool { return alice.pli.Load() > plis })
}

func TestSFU_UnsubscribeRemovesTracksByRenegotiation(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", false)
	bob.peer.Subscribe(alice.peer)
	alice.publish()
	flowing(t, bob, "alice")

	answered := bob.answered.Load()
	bob.peer.Unsubscribe(alice.peer)
	waitFor(t, 5*time.Second, "bob to be renegotiated", func() bool { return bob.answered.Load() > answered })
	waitFor(t, 5*time.Second, "bob's remote tracks to end", func() bool {
		bob.mu.Lock()
		defer bob.mu.Unlock()
		return bob.ended == 2
	})
	if n := sendingSections(t, bob.sub.CurrentRemoteDescription()); n != 0 {
		t.Errorf("server still offers %d sending media sections to bob, want 0", n)
	}
	video := bob.packets("alice", "video")
	time.Sleep(300 * time.Millisecond)
	if got := bob.packets("alice", "video"); got != video {
		t.Errorf("video packets after unsubscribe: got %d, want %d", got, video)
	}

	// Subscribing again reuses the inactive media sections.
	bob.peer.Subscribe(alice.peer)
	waitFor(t, 10*time.Second, "video after resubscribing", func() bool { return bob.packets("alice", "video") > video+10 })
	if n := len(parseSDP(t, bob.sub.CurrentRemoteDescription()).MediaDescriptions); n != 2 {
		t.Errorf("media sections after resubscribing: got %d, want 2 (reused)", n)
	}
}

func TestSFU_ClosedPublisherIsRemovedFromSubscribers(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", false)
	bob.peer.Subscribe(alice.peer)
	alice.publish()
	flowing(t, bob, "alice")

	answered := bob.answered.Load()
	alice.peer.Close()
	waitFor(t, 5*time.Second, "bob to be renegotiated", func() bool { return bob.answered.Load() > answered })
	if n := sendingSections(t, bob.sub.CurrentRemoteDescription()); n != 0 {
		t.Errorf("server still offers %d sending media sections to bob, want 0", n)
	}
	select {
	case err := <-bob.failures:
		t.Errorf("bob failed: %v", err)
	default:
	}
}

func TestSFU_SubscriberKeyframeRequestReachesPublisher(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", false)
	alice.publish()
	bob.peer.Subscribe(alice.peer)
	flowing(t, bob, "alice")
	waitFor(t, 5*time.Second, "a keyframe request when bob was added", func() bool { return alice.pli.Load() > 0 })

	time.Sleep(600 * time.Millisecond) // past the rate limit
	plis := alice.pli.Load()
	bob.mu.Lock()
	ssrc := bob.ssrcs["alice/video"]
	bob.mu.Unlock()
	must(t, bob.sub.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(ssrc)}}))
	waitFor(t, 5*time.Second, "bob's PLI to reach alice", func() bool { return alice.pli.Load() > plis })
}

func TestSFU_KeyframeRequestsAreRateLimited(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", false)
	alice.publish()
	bob.peer.Subscribe(alice.peer)
	flowing(t, bob, "alice")
	bob.mu.Lock()
	ssrc := bob.ssrcs["alice/video"]
	bob.mu.Unlock()

	plis := alice.pli.Load()
	start := time.Now()
	for time.Since(start) < time.Second {
		must(t, bob.sub.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(ssrc)}}))
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if got := alice.pli.Load() - plis; got < 1 || got > 3 {
		t.Errorf("PLIs reaching alice for ~100 requests in 1 s: got %d, want 1 to 3", got)
	}
}

func TestSFU_OneSubscribeOfferIsOutstandingAtATime(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	carol := newClient(t, s, api, "carol", false)
	bob := newClient(t, s, api, "bob", true) // bob answers by hand
	alice.publish()
	carol.publish()
	time.Sleep(300 * time.Millisecond) // let their tracks start

	bob.peer.Subscribe(alice.peer)
	first := <-bob.offers
	bob.peer.Subscribe(carol.peer)
	select {
	case <-bob.offers:
		t.Fatal("a second offer came before the first was answered")
	case <-time.After(300 * time.Millisecond):
	}
	if got := len(parseSDP(t, &webrtc.SessionDescription{SDP: first}).MediaDescriptions); got != 2 {
		t.Errorf("first offer's media sections: got %d, want 2", got)
	}
	must(t, bob.answer(first))
	var second string
	select {
	case second = <-bob.offers:
	case <-time.After(5 * time.Second):
		t.Fatal("no follow-up offer after the answer")
	}
	if got := len(parseSDP(t, &webrtc.SessionDescription{SDP: second}).MediaDescriptions); got != 4 {
		t.Errorf("second offer's media sections: got %d, want 4", got)
	}
	must(t, bob.answer(second))
	flowing(t, bob, "alice")
	flowing(t, bob, "carol")
}

func TestSFU_RefusesBadInput(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", true)

	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	must(t, err)
	defer pc.Close()
	if _, err := pc.CreateDataChannel("chat", nil); err != nil {
		t.Fatal(err)
	}
	offer, err := pc.CreateOffer(nil)
	must(t, err)

	if _, err := alice.peer.Publish(offer.SDP, ""); !errors.Is(err, sfu.ErrBadOffer) {
		t.Errorf("Publish(data channel offer) = %v, want ErrBadOffer", err)
	}
	if _, err := alice.peer.Publish("not SDP", ""); !errors.Is(err, sfu.ErrBadOffer) {
		t.Errorf("Publish(garbage) = %v, want ErrBadOffer", err)
	}
	if err := alice.peer.SubscribeAnswer("v=0"); !errors.Is(err, sfu.ErrUnexpectedAnswer) {
		t.Errorf("SubscribeAnswer with no offer = %v, want ErrUnexpectedAnswer", err)
	}
	if err := alice.peer.AddCandidate("sideways", webrtc.ICECandidateInit{Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host"}); !errors.Is(err, sfu.ErrBadTarget) {
		t.Errorf("AddCandidate(bad target) = %v, want ErrBadTarget", err)
	}
	if err := alice.peer.AddCandidate(sfu.TargetPublish, webrtc.ICECandidateInit{}); err != nil {
		t.Errorf("AddCandidate(end of candidates) = %v, want nil", err)
	}
	alice.peer.Close()
	if _, err := alice.peer.Publish(offer.SDP, ""); err == nil {
		t.Errorf("Publish after Close succeeded, want an error")
	}
}

func TestSFU_ClosedSFUMakesClosedPeers(t *testing.T) {
	noLeaks(t)
	s, err := sfu.New(sfu.Config{ListenIP: "127.0.0.1", IncludeLoopback: true})
	must(t, err)
	if s.UDPPort() == 0 {
		t.Errorf("UDPPort() = 0, want the bound port")
	}
	must(t, s.Close())
	p := s.NewPeer("late", nil)
	if err := p.AddCandidate(sfu.TargetPublish, webrtc.ICECandidateInit{Candidate: "x"}); !errors.Is(err, sfu.ErrClosed) {
		t.Errorf("AddCandidate on a peer of a closed SFU = %v, want ErrClosed", err)
	}
}

func parseSDP(t *testing.T, d *webrtc.SessionDescription) *sdp.SessionDescription {
	t.Helper()
	if d == nil {
		t.Fatal("no session description")
	}
	var sd sdp.SessionDescription
	must(t, sd.UnmarshalString(d.SDP))
	return &sd
}

// sendingSections counts media sections in which the server sends.
func sendingSections(t *testing.T, d *webrtc.SessionDescription) int {
	t.Helper()
	n := 0
	for _, md := range parseSDP(t, d).MediaDescriptions {
		for _, a := range md.Attributes {
			if a.Key == "sendonly" || a.Key == "sendrecv" {
				n++
			}
		}
	}
	return n
}

func TestSFU_RefusedSubscribeAnswerFailsThePeer(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", true)
	alice.publish()
	time.Sleep(300 * time.Millisecond)
	bob.peer.Subscribe(alice.peer)
	<-bob.offers
	if err := bob.peer.SubscribeAnswer("v=0\r\nnonsense"); err == nil {
		t.Fatal("SubscribeAnswer(nonsense) succeeded, want an error")
	}
	select {
	case err := <-bob.failures:
		t.Logf("PeerFailed: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("PeerFailed not reported after a refused answer")
	}
}

func TestSFU_ClientHangingUpReportsPeerFailed(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", false)
	bob.peer.Subscribe(alice.peer)
	alice.publish()
	flowing(t, bob, "alice")

	must(t, alice.pub.Close())
	select {
	case err := <-alice.failures:
		t.Logf("PeerFailed: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("PeerFailed not reported after the client closed its publish connection")
	}
}

// manyCandidates is n different host candidate lines.
func manyCandidates(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a=candidate:%d 1 udp 2130706431 127.0.0.1 %d typ host\r\n", i, 10000+i)
	}
	return b.String()
}

func TestSFU_DescriptionWithTooManyCandidatesIsRefusedAndTheOfferStays(t *testing.T) {
	noLeaks(t)
	s := newTestSFU(t)
	api := newClientAPI(t)
	alice := newClient(t, s, api, "alice", false)
	bob := newClient(t, s, api, "bob", true) // bob answers by hand
	alice.publish()
	time.Sleep(300 * time.Millisecond) // let her tracks start

	bob.peer.Subscribe(alice.peer)
	offer := <-bob.offers
	// Thousands of candidates would cost Pion seconds of CPU (it checks each
	// against all the others); a browser's description has a handful.
	padded := "v=0\r\n" + manyCandidates(100)
	if err := bob.peer.SubscribeAnswer(padded); !errors.Is(err, sfu.ErrBadAnswer) {
		t.Fatalf("SubscribeAnswer with 100 candidates = %v, want ErrBadAnswer", err)
	}
	// The refusal left the offer outstanding: a proper answer still works.
	must(t, bob.answer(offer))
	flowing(t, bob, "alice")

	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	must(t, err)
	defer pc.Close()
	_, err = pc.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	must(t, err)
	pubOffer, err := pc.CreateOffer(nil)
	must(t, err)
	carol := newClient(t, s, api, "carol", false)
	if _, err := carol.peer.Publish(pubOffer.SDP+manyCandidates(40), ""); !errors.Is(err, sfu.ErrBadOffer) {
		t.Errorf("Publish with 40 candidates = %v, want ErrBadOffer", err)
	}
}
