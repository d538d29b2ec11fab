package sfu_test

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"

	"safemeet/internal/sfu"
)

// testLogger logs to stderr when SFU_TEST_LOG is set, and nowhere otherwise.
func testLogger() *slog.Logger {
	if os.Getenv("SFU_TEST_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// newTestSFU starts an SFU on loopback only and closes it when the test ends.
func newTestSFU(t *testing.T) *sfu.SFU {
	t.Helper()
	s, err := sfu.New(sfu.Config{ListenIP: "127.0.0.1", IncludeLoopback: true, Logger: testLogger()})
	if err != nil {
		t.Fatalf("sfu.New: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("SFU.Close: %v", err)
		}
	})
	return s
}

// newClientAPI returns a Pion API for test clients: Opus and VP8, and ICE on
// loopback only, so no test packet can leave the machine.
func newClientAPI(t *testing.T) *webrtc.API {
	t.Helper()
	me := &webrtc.MediaEngine{}
	must(t, me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"},
		PayloadType:        111,
	}, webrtc.RTPCodecTypeAudio))
	must(t, me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		PayloadType:        96,
	}, webrtc.RTPCodecTypeVideo))
	ir := &interceptor.Registry{}
	must(t, webrtc.RegisterDefaultInterceptors(me, ir))
	se := webrtc.SettingEngine{}
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetRemoteIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	return webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// client is an in-process Pion participant driving one sfu.Peer directly.
type client struct {
	t    *testing.T
	name string
	api  *webrtc.API
	peer *sfu.Peer
	done chan struct{}
	wg   sync.WaitGroup

	offers   chan string // subscribe offers from the SFU
	failures chan error
	answered atomic.Int64 // subscribe offers answered
	autoAns  atomic.Bool  // answer offers as they come

	pub, sub      *webrtc.PeerConnection
	subICEStarted chan struct{} // closed when sub's ICE leaves "new"
	pli           atomic.Int64  // keyframe requests the publisher received

	mu       sync.Mutex
	counts   map[string]*atomic.Int64 // "<stream>/<kind>" -> RTP packets received
	trackIDs map[string]bool          // "<stream>/<track>" seen
	ended    int                      // remote tracks that ended
	ssrcs    map[string]webrtc.SSRC   // "<stream>/<kind>" -> SSRC
}

// SubscribeOffer implements sfu.PeerEvents.
func (c *client) SubscribeOffer(sdp string) {
	select {
	case c.offers <- sdp:
	default:
		c.t.Errorf("%s: offer queue full", c.name)
	}
}

// PeerFailed implements sfu.PeerEvents.
func (c *client) PeerFailed(err error) {
	select {
	case c.failures <- err:
	default:
	}
}

// newClient makes a client with a peer on s. Its subscribe side answers
// every offer unless manual is set. It is closed when the test ends.
func newClient(t *testing.T, s *sfu.SFU, api *webrtc.API, name string, manual bool) *client {
	t.Helper()
	c := &client{
		t: t, name: name, api: api,
		done:     make(chan struct{}),
		offers:   make(chan string, 16),
		failures: make(chan error, 1),
		counts:   make(map[string]*atomic.Int64),
		trackIDs: make(map[string]bool),
		ssrcs:    make(map[string]webrtc.SSRC),
	}
	c.autoAns.Store(!manual)
	c.peer = s.NewPeer(name, c)
	sub, err := api.NewPeerConnection(webrtc.Configuration{})
	must(t, err)
	c.sub = sub
	sub.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			_ = c.peer.AddCandidate(sfu.TargetSubscribe, cand.ToJSON())
		}
	})
	sub.OnTrack(c.onTrack)
	c.subICEStarted = make(chan struct{})
	var once sync.Once
	sub.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		if s != webrtc.ICEConnectionStateNew {
			once.Do(func() { close(c.subICEStarted) })
		}
	})
	if !manual {
		c.wg.Add(1)
		go c.answerLoop()
	}
	t.Cleanup(c.close)
	return c
}

func (c *client) answerLoop() {
	defer c.wg.Done()
	for {
		select {
		case <-c.done:
			return
		case sdp := <-c.offers:
			if err := c.answer(sdp); err != nil && !c.closing() {
				c.t.Errorf("%s: answer: %v", c.name, err)
			}
		}
	}
}

// answer applies a subscribe offer and hands the answer to the SFU.
func (c *client) answer(sdp string) error {
	if c.sub.CurrentRemoteDescription() != nil {
		// Pion mistakes a renegotiation offer that arrives before its ICE
		// agent started for an ICE restart; wait until it has.
		select {
		case <-c.subICEStarted:
		case <-time.After(5 * time.Second):
			return fmt.Errorf("%s: subscribe ICE did not start", c.name)
		}
	}
	if err := c.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}); err != nil {
		return err
	}
	ans, err := c.sub.CreateAnswer(nil)
	if err != nil {
		return err
	}
	if err := c.sub.SetLocalDescription(ans); err != nil {
		return err
	}
	if err := c.peer.SubscribeAnswer(ans.SDP); err != nil {
		return err
	}
	c.answered.Add(1)
	return nil
}

func (c *client) onTrack(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	key := track.StreamID() + "/" + track.Kind().String()
	c.mu.Lock()
	n := c.counts[key]
	if n == nil {
		n = new(atomic.Int64)
		c.counts[key] = n
	}
	c.trackIDs[track.StreamID()+"/"+track.ID()] = true
	c.ssrcs[key] = track.SSRC()
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		buf := make([]byte, 1500)
		for {
			if _, _, err := track.Read(buf); err != nil {
				c.mu.Lock()
				c.ended++
				c.mu.Unlock()
				return
			}
			n.Add(1)
		}
	}()
}

// packets returns how many packets of kind arrived from stream.
func (c *client) packets(stream, kind string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := c.counts[stream+"/"+kind]; n != nil {
		return n.Load()
	}
	return 0
}

// publish sends a synthetic VP8 video and Opus audio through the SFU.
func (c *client) publish() {
	t := c.t
	t.Helper()
	pc, err := c.api.NewPeerConnection(webrtc.Configuration{})
	must(t, err)
	c.pub = pc
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			_ = c.peer.AddCandidate(sfu.TargetPublish, cand.ToJSON())
		}
	})
	audio, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "mic", c.name)
	must(t, err)
	video, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "cam", c.name)
	must(t, err)
	sendonly := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}
	_, err = pc.AddTransceiverFromTrack(audio, sendonly)
	must(t, err)
	vt, err := pc.AddTransceiverFromTrack(video, sendonly)
	must(t, err)

	offer, err := pc.CreateOffer(nil)
	must(t, err)
	must(t, pc.SetLocalDescription(offer))
	answer, err := c.peer.Publish(offer.SDP, "")
	must(t, err)
	must(t, pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}))

	c.wg.Add(3)
	go c.sendSamples(audio, 20*time.Millisecond, func(int) []byte { return make([]byte, 80) })
	go c.sendSamples(video, 33*time.Millisecond, fakeVP8Frame)
	go func() {
		defer c.wg.Done()
		for {
			pkts, _, err := vt.Sender().ReadRTCP()
			if err != nil {
				return
			}
			for _, p := range pkts {
				if _, ok := p.(*rtcp.PictureLossIndication); ok {
					c.pli.Add(1)
				}
			}
		}
	}()
}

// fakeVP8Frame returns a VP8-shaped frame: a keyframe every 30 frames.
func fakeVP8Frame(i int) []byte {
	if i%30 == 0 {
		f := make([]byte, 1200)
		copy(f, []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00})
		return f
	}
	f := make([]byte, 300)
	f[0] = 0x11
	return f
}

func (c *client) sendSamples(track *webrtc.TrackLocalStaticSample, every time.Duration, frame func(int) []byte) {
	defer c.wg.Done()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-c.done:
			return
		case <-tick.C:
			_ = track.WriteSample(media.Sample{Data: frame(i), Duration: every})
		}
	}
}

// closing reports whether close has begun (answers may then fail).
func (c *client) closing() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// close closes the client's connections and its peer.
func (c *client) close() {
	select {
	case <-c.done:
		return
	default:
	}
	close(c.done)
	c.peer.Close()
	if c.pub != nil {
		_ = c.pub.Close()
	}
	_ = c.sub.Close()
	c.wg.Wait()
}

// waitFor polls cond until it holds or the timeout passes, LiveKit-style.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
