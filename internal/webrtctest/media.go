package webrtctest

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	pionmedia "github.com/pion/webrtc/v4/pkg/media"

	"safemeet/internal/signalling"
)

// Synthetic media timing: 30 video frames and 50 audio frames a second, and
// a keyframe every two seconds (or sooner when asked).
const (
	videoFrameInterval = 33 * time.Millisecond
	audioFrameInterval = 20 * time.Millisecond
	keyframeEvery      = 60
)

// media is a participant's WebRTC side: its publish and subscribe
// PeerConnections. Its methods other than close run on the ops goroutine, one
// at a time, in the order the messages that caused them arrived.
type media struct {
	p   *Participant
	api *webrtc.API

	mu             sync.Mutex // guards the fields below, which Pion callbacks also touch
	pub, sub       *webrtc.PeerConnection
	light          *lightReceiver  // the subscribe side instead of sub, with Options.Receivers
	ready          map[string]bool // target -> its description was sent, so candidates may follow
	early          map[string][]signalling.ICECandidate
	subICEStarted  chan struct{}
	stopPublishing chan struct{}
	closed         bool

	counts           sync.Map // "<stream>/<kind>" -> *atomic.Int64
	total            atomic.Int64
	keyframeRequests atomic.Int64
	wantKeyframe     atomic.Bool

	wg sync.WaitGroup // media goroutines
}

func newMedia(p *Participant) *media {
	return &media{
		p:     p,
		api:   newAPI(p.opts),
		ready: make(map[string]bool),
		early: make(map[string][]signalling.ICECandidate),
	}
}

// newAPI builds the participant's Pion API: Opus and VP8 only (as the server
// forwards), the default interceptors, host candidates without mDNS.
func newAPI(o Options) *webrtc.API {
	me := &webrtc.MediaEngine{}
	_ = me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"},
		PayloadType:        111,
	}, webrtc.RTPCodecTypeAudio)
	_ = me.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000},
		PayloadType:        96,
	}, webrtc.RTPCodecTypeVideo)
	ir := &interceptor.Registry{}
	_ = webrtc.RegisterDefaultInterceptors(me, ir)

	se := webrtc.SettingEngine{}
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	se.SetIncludeLoopbackCandidate(o.IncludeLoopback || o.LoopbackOnly)
	if o.LoopbackOnly {
		loopback := func(ip net.IP) bool { return ip.IsLoopback() }
		se.SetIPFilter(loopback)
		se.SetRemoteIPFilter(loopback)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))
}

// startPublishing creates the publish connection (sendonly audio and video),
// sends its offer and starts the synthetic media. It does nothing unless
// Options.Publish is set, or if already publishing.
func (m *media) startPublishing() {
	m.mu.Lock()
	if !m.p.opts.Publish || m.closed || m.pub != nil {
		m.mu.Unlock()
		return
	}
	pc, err := m.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		m.mu.Unlock()
		m.fail("new publish connection", err)
		return
	}
	m.pub = pc
	m.ready[signalling.TargetPublish] = false
	delete(m.early, signalling.TargetPublish)
	stop := make(chan struct{})
	m.stopPublishing = stop
	m.mu.Unlock()

	pc.OnICECandidate(func(c *webrtc.ICECandidate) { m.trickle(signalling.TargetPublish, c) })
	videoSender, start, err := m.addTracks(pc)
	if err != nil {
		m.fail("publish tracks", err)
		return
	}
	var screen *webrtc.TrackLocalStaticSample
	var screenTransceiver *webrtc.RTPTransceiver
	if m.p.opts.Screen {
		screen, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "screen", m.p.ID())
		if err == nil {
			screenTransceiver, err = pc.AddTransceiverFromTrack(screen, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		}
		if err != nil {
			m.fail("screen track", err)
			return
		}
	}
	offer, err := pc.CreateOffer(nil)
	if err == nil {
		err = pc.SetLocalDescription(offer)
	}
	if err != nil {
		m.fail("publish offer", err)
		return
	}
	msg := signalling.Publish{Type: signalling.TypePublish, SDP: offer.SDP}
	if screenTransceiver != nil {
		msg.ScreenMID = screenTransceiver.Mid()
	}
	if err := m.p.Send(msg); err != nil {
		return
	}
	m.flushEarly(signalling.TargetPublish)

	m.wg.Add(3)
	start(stop)
	if screen != nil {
		m.wg.Add(1)
		go m.sendVideo(screen, stop)
	}
	go m.readKeyframeRequests(videoSender)
}

// addTracks adds the synthetic or, with Options.Stamped, the stamped tracks
// to pc, and returns the function that starts the two sending goroutines.
func (m *media) addTracks(pc *webrtc.PeerConnection) (videoSender *webrtc.RTPSender, start func(stop <-chan struct{}), err error) {
	if cfg := m.p.opts.Stamped; cfg != nil {
		return m.addStampedTracks(pc, m.p.ID(), *cfg)
	}
	audio, video, videoSender, err := addSyntheticTracks(pc, m.p.ID())
	if err != nil {
		return nil, nil, err
	}
	start = func(stop <-chan struct{}) {
		go m.sendAudio(audio, stop)
		go m.sendVideo(video, stop)
	}
	return videoSender, start, nil
}

// addSyntheticTracks adds a sendonly Opus and a sendonly VP8 track to pc.
func addSyntheticTracks(pc *webrtc.PeerConnection, stream string) (audio, video *webrtc.TrackLocalStaticSample, videoSender *webrtc.RTPSender, err error) {
	audio, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "audio", stream)
	if err != nil {
		return nil, nil, nil, err
	}
	video, err = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", stream)
	if err != nil {
		return nil, nil, nil, err
	}
	sendonly := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}
	if _, err = pc.AddTransceiverFromTrack(audio, sendonly); err != nil {
		return nil, nil, nil, err
	}
	vt, err := pc.AddTransceiverFromTrack(video, sendonly)
	if err != nil {
		return nil, nil, nil, err
	}
	return audio, video, vt.Sender(), nil
}

// applyAnswer applies the server's answer to the publish offer.
func (m *media) applyAnswer(sdp string) {
	m.mu.Lock()
	pc := m.pub
	m.mu.Unlock()
	if pc == nil {
		m.p.problem("answer without a publish offer")
		return
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		m.fail("apply publish answer", err)
		return
	}
	m.p.mu.Lock()
	m.p.pubAnswers++
	m.p.mu.Unlock()
}

// sendAudio writes an Opus-sized frame every 20 ms.
func (m *media) sendAudio(track *webrtc.TrackLocalStaticSample, stop <-chan struct{}) {
	defer m.wg.Done()
	frame := make([]byte, 80)
	frame[0] = 0x78 // an Opus TOC byte: SILK wideband, 20 ms, one frame
	m.every(audioFrameInterval, stop, func(int) {
		_ = track.WriteSample(pionmedia.Sample{Data: frame, Duration: audioFrameInterval})
	})
}

// sendVideo writes a VP8-shaped frame about 30 times a second: a keyframe
// every keyframeEvery frames or when the server asks, else a delta frame.
func (m *media) sendVideo(track *webrtc.TrackLocalStaticSample, stop <-chan struct{}) {
	defer m.wg.Done()
	key := make([]byte, 3000)
	// Frame tag (keyframe, shown), start code, 320x240.
	copy(key, []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00})
	delta := make([]byte, 600)
	delta[0] = 0x11 // frame tag: interframe, shown
	m.every(videoFrameInterval, stop, func(i int) {
		frame := delta
		if i%keyframeEvery == 0 || m.wantKeyframe.Swap(false) {
			frame = key
		}
		_ = track.WriteSample(pionmedia.Sample{Data: frame, Duration: videoFrameInterval})
	})
}

// every calls fn with a frame number at each tick until stop or the end of
// the participant.
func (m *media) every(d time.Duration, stop <-chan struct{}, fn func(int)) {
	tick := time.NewTicker(d)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-m.p.ctx.Done():
			return
		case <-tick.C:
			fn(i)
		}
	}
}

// readKeyframeRequests counts the server's PLI and FIR for the video track
// and makes the next frame a keyframe.
func (m *media) readKeyframeRequests(sender *webrtc.RTPSender) {
	defer m.wg.Done()
	for {
		pkts, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, pkt := range pkts {
			switch pkt.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				m.keyframeRequests.Add(1)
				m.wantKeyframe.Store(true)
			}
		}
	}
}

// KeyframeRequests returns how many keyframe requests (PLI or FIR) the
// server has sent for the participant's video.
func (p *Participant) KeyframeRequests() int64 { return p.media.keyframeRequests.Load() }

// stop closes both connections (on removal, denial or the end of the
// meeting); the participant publishes and receives nothing more.
func (m *media) stop() {
	m.mu.Lock()
	pcs := []*webrtc.PeerConnection{m.pub, m.sub}
	light := m.light
	if m.stopPublishing != nil {
		close(m.stopPublishing)
	}
	m.pub, m.sub, m.light, m.stopPublishing = nil, nil, nil, nil
	clear(m.ready)
	clear(m.early)
	m.mu.Unlock()
	for _, pc := range pcs {
		if pc != nil {
			_ = pc.Close()
		}
	}
	if light != nil {
		light.close()
	}
}

// close stops media for good and waits for its goroutines. The ops
// goroutine must have ended.
func (m *media) close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.stop()
	m.wg.Wait()
}

// fail records a media failure as a problem, unless it is only that the
// connection was closed (by the participant closing, or the server ending
// it), which is no failure of the media.
func (m *media) fail(what string, err error) {
	if errors.Is(err, webrtc.ErrConnectionClosed) || errors.Is(err, ErrClosed) {
		m.p.log.Debug(what, "err", err)
		return
	}
	m.p.problem("%s: %v", what, err)
}

// trickle sends a local ICE candidate, or keeps it until the description it
// belongs to has been sent.
func (m *media) trickle(target string, c *webrtc.ICECandidate) {
	if c == nil {
		return // end of candidates: not signalled
	}
	init := c.ToJSON()
	cand := signalling.ICECandidate{
		Candidate:        init.Candidate,
		SDPMid:           init.SDPMid,
		SDPMLineIndex:    init.SDPMLineIndex,
		UsernameFragment: init.UsernameFragment,
	}
	m.mu.Lock()
	if !m.ready[target] {
		m.early[target] = append(m.early[target], cand)
		m.mu.Unlock()
		return
	}
	m.mu.Unlock()
	_ = m.p.Send(signalling.Candidate{Type: signalling.TypeCandidate, Target: target, Candidate: cand})
}

// flushEarly marks target's description as sent and sends the candidates
// kept until then.
func (m *media) flushEarly(target string) {
	m.mu.Lock()
	m.ready[target] = true
	early := m.early[target]
	delete(m.early, target)
	m.mu.Unlock()
	for _, cand := range early {
		_ = m.p.Send(signalling.Candidate{Type: signalling.TypeCandidate, Target: target, Candidate: cand})
	}
}
