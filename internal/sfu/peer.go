package sfu

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/pion/webrtc/v4"
)

// PeerEvents receives a peer's events. Methods are called from SFU goroutines
// and must not block and must not call back into the SFU: implementations
// enqueue the event and return.
type PeerEvents interface {
	// SubscribeOffer delivers a new server offer for the peer's subscribe
	// PeerConnection (the first one and every renegotiation). The client must
	// answer it with SubscribeAnswer; no other offer follows until it does.
	SubscribeOffer(sdp string)
	// PeerFailed reports that one of the peer's PeerConnections failed or
	// closed unexpectedly. It is called at most once per peer, never after Close.
	PeerFailed(err error)
}

// maxEarlyCandidates bounds the candidates buffered per PeerConnection before
// its remote description is set.
const maxEarlyCandidates = 32

// Peer is one client's media: what it publishes and what it subscribes to.
// Its methods are safe for concurrent use.
type Peer struct {
	id  string
	sfu *SFU
	ev  PeerEvents
	log *slog.Logger

	closed   atomic.Bool
	done     chan struct{} // closed by Close
	failOnce sync.Once

	// forwardAudio, forwardVideo and forwardScreen are read by forwarders on
	// every packet.
	forwardAudio  atomic.Bool
	forwardVideo  atomic.Bool
	forwardScreen atomic.Bool

	// pubNeg serialises Publish calls, which are slow (SDP and gathering).
	pubNeg sync.Mutex

	pubMu         sync.Mutex // guards the publish side below
	pubClosed     bool
	pubPC         *webrtc.PeerConnection
	pubICEStarted chan struct{} // closed when pubPC's ICE leaves "new"
	pubRemoteSet  bool
	pubEarly      []webrtc.ICECandidateInit
	screenMID     string                  // the publish offer's screen-share section
	forwarders    map[*forwarder]struct{} // tracks this peer publishes
	subscribers   map[*Peer]struct{}      // peers subscribed to this one

	subMu        sync.Mutex // guards the subscribe side below
	subClosed    bool
	subPC        *webrtc.PeerConnection
	subRemoteSet bool
	subEarly     []webrtc.ICECandidateInit
	out          map[*forwarder]*outTrack // tracks forwarded to this peer
	subscribedTo map[*Peer]struct{}
	offerPending bool // an offer was sent and no answer has come yet
	dirty        bool // the forwarded tracks changed since the last offer
	kick         chan struct{}
}

// nopEvents stands in for a nil PeerEvents.
type nopEvents struct{}

func (nopEvents) SubscribeOffer(string) {}
func (nopEvents) PeerFailed(error)      {}

func newPeer(s *SFU, id string, ev PeerEvents) *Peer {
	if ev == nil {
		ev = nopEvents{}
	}
	p := &Peer{
		id:           id,
		sfu:          s,
		ev:           ev,
		log:          s.log.With("peer_id", id),
		done:         make(chan struct{}),
		forwarders:   make(map[*forwarder]struct{}),
		subscribers:  make(map[*Peer]struct{}),
		out:          make(map[*forwarder]*outTrack),
		subscribedTo: make(map[*Peer]struct{}),
		kick:         make(chan struct{}, 1),
	}
	p.forwardAudio.Store(true)
	p.forwardVideo.Store(true)
	return p
}

// ID returns the ID the peer was created with.
func (p *Peer) ID() string { return p.id }

// forwarding returns the peer's forwarding switch for kind k (nil if none).
func (p *Peer) forwarding(k Kind) *atomic.Bool {
	switch k {
	case KindAudio:
		return &p.forwardAudio
	case KindVideo:
		return &p.forwardVideo
	case KindScreen:
		return &p.forwardScreen
	default:
		return nil
	}
}

// SetForwarding switches forwarding of the peer's published media of kind k on
// or off. While off, its packets of that kind are dropped at the SFU whatever
// its client sends: this is the server-enforced mute. Audio and video start
// on, a screen off; nobody receives anything without Subscribe in any case. Turning video back
// on asks the publisher for a keyframe.
func (p *Peer) SetForwarding(k Kind, on bool) {
	flag := p.forwarding(k)
	if flag == nil {
		return
	}
	if was := flag.Swap(on); was || !on || !k.isVideo() {
		return
	}
	p.pubMu.Lock()
	defer p.pubMu.Unlock()
	for f := range p.forwarders {
		if f.kind == k {
			f.requestKeyframe()
		}
	}
}

// fail reports a PeerConnection failure once, unless the peer was closed.
func (p *Peer) fail(err error) {
	if p.closed.Load() {
		return
	}
	p.failOnce.Do(func() {
		p.log.Warn("peer failed", "err", err)
		p.ev.PeerFailed(err)
	})
}

// watch reports failure when pc fails or closes while the peer is open.
func (p *Peer) watch(pc *webrtc.PeerConnection, t Target) {
	pc.OnConnectionStateChange(func(state webrtc.PeerConnectionState) {
		switch state {
		case webrtc.PeerConnectionStateFailed:
			p.fail(errors.New("sfu: " + string(t) + " connection failed"))
		case webrtc.PeerConnectionStateClosed:
			p.fail(errors.New("sfu: " + string(t) + " connection closed"))
		}
	})
}

// Close closes both PeerConnections, stops forwarding to and from the peer
// and removes its tracks from every subscriber, who are renegotiated. It is
// idempotent.
func (p *Peer) Close() {
	if !p.closed.CompareAndSwap(false, true) {
		return
	}
	close(p.done)

	// As a subscriber: leave every publisher's subscriber set.
	p.subMu.Lock()
	p.subClosed = true
	pubs := p.subscribedTo
	outs := p.out
	subPC := p.subPC
	p.subscribedTo, p.out = nil, nil
	p.subMu.Unlock()
	for pub := range pubs {
		pub.pubMu.Lock()
		delete(pub.subscribers, p)
		pub.pubMu.Unlock()
	}
	for f, ot := range outs {
		f.removeOut(ot)
	}

	// As a publisher: withdraw every track from every subscriber.
	p.pubMu.Lock()
	p.pubClosed = true
	pubPC := p.pubPC
	for f := range p.forwarders {
		for s := range p.subscribers {
			s.removeForward(f)
		}
	}
	p.forwarders, p.subscribers = nil, nil
	p.pubMu.Unlock()

	for _, pc := range []*webrtc.PeerConnection{pubPC, subPC} {
		if pc == nil {
			continue
		}
		if err := pc.Close(); err != nil {
			p.log.Debug("close peer connection", "err", err)
		}
	}
	p.sfu.forget(p)
}
