package sfu

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// maxPublishSections bounds the media sections (m-lines) of a publish offer:
// a camera, a microphone, a screen and room for browsers' recycling.
const maxPublishSections = 8

// Publish applies the client's offer for its publish connection and returns
// the server's answer, with the server's ICE candidates in it. Call it again
// with a new offer to renegotiate. Each track the client sends is forwarded to
// the peer's subscribers once its first packet arrives. screenMID names the
// offer's media section that carries a screen share ("" if none): its track
// is of KindScreen, which has its own forwarding switch. A peer has at most
// one track of each kind; a newer one replaces the older.
func (p *Peer) Publish(offerSDP, screenMID string) (string, error) {
	if err := checkPublishOffer(offerSDP); err != nil {
		return "", err
	}
	p.pubNeg.Lock()
	defer p.pubNeg.Unlock()
	pc, err := p.publishPC()
	if err != nil {
		return "", err
	}
	p.pubMu.Lock()
	p.screenMID = screenMID
	p.pubMu.Unlock()
	if pc.CurrentRemoteDescription() != nil {
		if err := p.waitICEStarted(); err != nil {
			return "", err
		}
	}
	offer := webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offerSDP}
	if err := pc.SetRemoteDescription(offer); err != nil {
		return "", fmt.Errorf("sfu: publish offer: %w", err)
	}
	p.flushPublishCandidates(pc)
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("sfu: publish answer: %w", err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return "", fmt.Errorf("sfu: publish answer: %w", err)
	}
	if err := p.waitGathered(gathered); err != nil {
		return "", err
	}
	return pc.LocalDescription().SDP, nil
}

// checkPublishOffer refuses offers the SFU will not take: unparsable, too
// many media sections or candidates, or anything but audio and video (no
// data channels).
func checkPublishOffer(offerSDP string) error {
	if n := distinctCandidates(offerSDP); n > maxEarlyCandidates {
		return fmt.Errorf("%w: %d candidates, at most %d allowed", ErrBadOffer, n, maxEarlyCandidates)
	}
	var sd sdp.SessionDescription
	if err := sd.UnmarshalString(offerSDP); err != nil {
		return fmt.Errorf("%w: %v", ErrBadOffer, err)
	}
	if n := len(sd.MediaDescriptions); n > maxPublishSections {
		return fmt.Errorf("%w: %d media sections, at most %d allowed", ErrBadOffer, n, maxPublishSections)
	}
	for _, md := range sd.MediaDescriptions {
		if m := md.MediaName.Media; m != string(KindAudio) && m != string(KindVideo) {
			return fmt.Errorf("%w: %q media not allowed", ErrBadOffer, m)
		}
	}
	return nil
}

// distinctCandidates counts the different a=candidate lines of a session
// description. Pion checks every candidate it adds against all the others,
// so a description with thousands would cost seconds of CPU; a browser's has
// a handful (repeated in each media section by some browsers).
func distinctCandidates(desc string) int {
	seen := make(map[string]struct{})
	for line := range strings.Lines(desc) {
		if c, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "a=candidate:"); ok {
			seen[c] = struct{}{}
		}
	}
	return len(seen)
}

// publishPC returns p's publish connection, creating it on first use.
func (p *Peer) publishPC() (*webrtc.PeerConnection, error) {
	p.pubMu.Lock()
	defer p.pubMu.Unlock()
	if p.pubClosed {
		return nil, ErrClosed
	}
	if p.pubPC != nil {
		return p.pubPC, nil
	}
	pc, err := p.sfu.pubAPI.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("sfu: new publish connection: %w", err)
	}
	p.watch(pc, TargetPublish)
	started := make(chan struct{})
	var once sync.Once
	pc.OnICEConnectionStateChange(func(state webrtc.ICEConnectionState) {
		if state != webrtc.ICEConnectionStateNew {
			once.Do(func() { close(started) })
		}
	})
	p.pubICEStarted = started
	pc.OnTrack(func(remote *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
		p.startForwarder(pc, remote, receiver)
	})
	p.pubPC = pc
	return pc, nil
}

// waitICEStarted waits until the publish connection's ICE agent has started.
// Pion mistakes a renegotiation offer that arrives before then for an ICE
// restart (the agent has no remote credentials yet to compare with), and the
// restart breaks the connection.
func (p *Peer) waitICEStarted() error {
	p.pubMu.Lock()
	started := p.pubICEStarted
	p.pubMu.Unlock()
	timer := time.NewTimer(gatherTimeout)
	defer timer.Stop()
	select {
	case <-started:
		return nil
	case <-p.done:
		return ErrClosed
	case <-timer.C:
		return errors.New("sfu: publish connection's ICE did not start")
	}
}

// flushPublishCandidates applies candidates that arrived before the offer.
func (p *Peer) flushPublishCandidates(pc *webrtc.PeerConnection) {
	p.pubMu.Lock()
	early := p.pubEarly
	p.pubEarly = nil
	p.pubRemoteSet = true
	p.pubMu.Unlock()
	for _, c := range early {
		if err := pc.AddICECandidate(c); err != nil {
			p.log.Debug("early publish candidate", "err", err)
		}
	}
}

// AddCandidate applies an ICE candidate the client trickled for target t.
// Candidates that arrive before the description they belong to are kept until
// it is applied. The empty end-of-candidates marker is ignored.
func (p *Peer) AddCandidate(t Target, c webrtc.ICECandidateInit) error {
	if c.Candidate == "" {
		return nil
	}
	if p.closed.Load() {
		return ErrClosed
	}
	switch t {
	case TargetPublish:
		p.pubMu.Lock()
		if !p.pubRemoteSet {
			defer p.pubMu.Unlock()
			return p.keepEarly(&p.pubEarly, c)
		}
		pc := p.pubPC
		p.pubMu.Unlock()
		return addCandidate(pc, c)
	case TargetSubscribe:
		p.subMu.Lock()
		defer p.subMu.Unlock()
		if !p.subRemoteSet {
			return p.keepEarly(&p.subEarly, c)
		}
		return addCandidate(p.subPC, c)
	default:
		return fmt.Errorf("%w: %q", ErrBadTarget, t)
	}
}

// keepEarly buffers a candidate, up to maxEarlyCandidates.
func (p *Peer) keepEarly(early *[]webrtc.ICECandidateInit, c webrtc.ICECandidateInit) error {
	if len(*early) >= maxEarlyCandidates {
		return ErrTooManyCandidates
	}
	*early = append(*early, c)
	return nil
}

func addCandidate(pc *webrtc.PeerConnection, c webrtc.ICECandidateInit) error {
	if err := pc.AddICECandidate(c); err != nil {
		return fmt.Errorf("sfu: add candidate: %w", err)
	}
	return nil
}
