package webrtctest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"

	"safemeet/internal/signalling"
)

// iceStartTimeout bounds the wait for the subscribe connection's ICE agent to
// start before a renegotiation offer is applied.
const iceStartTimeout = 5 * time.Second

// subscribePC returns the subscribe connection, creating it on first use.
func (m *media) subscribePC() (*webrtc.PeerConnection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	if m.sub != nil {
		return m.sub, nil
	}
	pc, err := m.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("new subscribe connection: %w", err)
	}
	started := make(chan struct{})
	closeStarted := sync.OnceFunc(func() { close(started) })
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		if s != webrtc.ICEConnectionStateNew {
			closeStarted()
		}
	})
	pc.OnICECandidate(func(c *webrtc.ICECandidate) { m.trickle(signalling.TargetSubscribe, c) })
	pc.OnTrack(m.onTrack)
	m.sub = pc
	m.subICEStarted = started
	m.ready[signalling.TargetSubscribe] = false
	delete(m.early, signalling.TargetSubscribe)
	return pc, nil
}

// answerOffer applies a subscribe offer from the server and sends the answer.
func (m *media) answerOffer(sdp string) {
	if m.p.opts.Receivers != nil {
		m.answerLight(sdp)
		return
	}
	pc, err := m.subscribePC()
	if err != nil {
		m.fail("subscribe connection", err)
		return
	}
	if pc.CurrentRemoteDescription() != nil {
		// Pion takes a renegotiation offer that arrives before its ICE agent
		// has started for an ICE restart, which breaks the connection.
		m.mu.Lock()
		started := m.subICEStarted
		m.mu.Unlock()
		select {
		case <-started:
		case <-time.After(iceStartTimeout):
			m.p.problem("subscribe ICE did not start within %v", iceStartTimeout)
		}
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sdp}); err != nil {
		m.fail("apply subscribe offer", err)
		return
	}
	answer, err := pc.CreateAnswer(nil)
	if err == nil {
		err = pc.SetLocalDescription(answer)
	}
	if err != nil {
		m.fail("subscribe answer", err)
		return
	}
	if err := m.p.Send(signalling.Subscribed{Type: signalling.TypeSubscribed, SDP: answer.SDP}); err != nil {
		return
	}
	m.flushEarly(signalling.TargetSubscribe)
	m.p.mu.Lock()
	m.p.subOffers++
	m.p.mu.Unlock()
}

// answerLight applies a subscribe offer to the light receiver, creating it
// on first use, and sends the answer.
func (m *media) answerLight(sdp string) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	if m.light == nil {
		r, err := newLightReceiver(m, m.p.opts.Receivers)
		if err != nil {
			m.mu.Unlock()
			m.fail("light receiver", err)
			return
		}
		m.light = r
	}
	r := m.light
	m.mu.Unlock()
	answer, err := r.answer(sdp)
	if err != nil {
		m.fail("light receiver", err)
		return
	}
	if err := m.p.Send(signalling.Subscribed{Type: signalling.TypeSubscribed, SDP: answer}); err != nil {
		return
	}
	m.p.mu.Lock()
	m.p.subOffers++
	m.p.mu.Unlock()
}

// addRemoteCandidate applies a candidate the server trickled.
func (m *media) addRemoteCandidate(target string, c signalling.ICECandidate) {
	if c.Candidate == "" || (target == signalling.TargetSubscribe && m.p.opts.Receivers != nil) {
		return // the light receiver learns the server's address from its checks
	}
	m.mu.Lock()
	pc := m.sub
	if target == signalling.TargetPublish {
		pc = m.pub
	}
	m.mu.Unlock()
	if pc == nil {
		m.p.problem("candidate for %q before its connection exists", target)
		return
	}
	init := webrtc.ICECandidateInit{
		Candidate:        c.Candidate,
		SDPMid:           c.SDPMid,
		SDPMLineIndex:    c.SDPMLineIndex,
		UsernameFragment: c.UsernameFragment,
	}
	if err := pc.AddICECandidate(init); err != nil {
		m.fail("add "+target+" candidate", err)
	}
}

// onTrack counts the packets of one received track, keyed by its stream ID
// (the publisher's participant ID) and kind.
func (m *media) onTrack(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	key := track.StreamID() + "/" + track.Kind().String()
	v, _ := m.counts.LoadOrStore(key, new(atomic.Int64))
	n := v.(*atomic.Int64)
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.wg.Add(1)
	m.mu.Unlock()
	m.p.log.Debug("receiving track", "stream", track.StreamID(), "track", track.ID())
	var hook func([]byte)
	if m.p.opts.OnTrack != nil {
		hook = m.p.opts.OnTrack(track.StreamID(), track.Kind().String())
	}
	go func() {
		defer m.wg.Done()
		buf := make([]byte, 1500)
		for {
			size, _, err := track.Read(buf)
			if err != nil {
				return
			}
			if hook != nil {
				hook(buf[:size])
			}
			n.Add(1)
			m.total.Add(1)
		}
	}()
}

// PacketsFrom returns how many RTP packets have arrived from a participant,
// audio and video together.
func (p *Participant) PacketsFrom(participantID string) int64 {
	return p.PacketsFromKind(participantID, "audio") + p.PacketsFromKind(participantID, "video")
}

// PacketsFromKind returns how many RTP packets of kind ("audio" or "video")
// have arrived from a participant.
func (p *Participant) PacketsFromKind(participantID, kind string) int64 {
	if v, ok := p.media.counts.Load(participantID + "/" + kind); ok {
		return v.(*atomic.Int64).Load()
	}
	return 0
}

// ScreenPacketsFrom returns how many packets of a participant's screen share
// have arrived.
func (p *Participant) ScreenPacketsFrom(participantID string) int64 {
	return p.PacketsFromKind(participantID+"-screen", "video")
}

// TotalPackets returns how many RTP packets have arrived in all.
func (p *Participant) TotalPackets() int64 { return p.media.total.Load() }
