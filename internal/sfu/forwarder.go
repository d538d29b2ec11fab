package sfu

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// keyframeInterval is the least time between two keyframe requests (PLI) the
// SFU sends to one publisher's video track.
const keyframeInterval = 500 * time.Millisecond

// readBufferSize holds any packet Pion's receive MTU lets through.
const readBufferSize = 1500

// forwarder reads one published track and writes each packet to every
// subscriber's copy of it. Its subscriber list is copy-on-write behind an
// atomic pointer, so the packet path takes no lock.
type forwarder struct {
	pub      *Peer
	pc       *webrtc.PeerConnection // the publisher's publish connection
	kind     Kind
	remote   *webrtc.TrackRemote
	receiver *webrtc.RTPReceiver
	codec    webrtc.RTPCodecCapability
	on       *atomic.Bool // the publisher's forwarding switch for kind

	trackID string // set once, under pub.pubMu, before any subscriber sees it

	mu   sync.Mutex // serialises changes to outs
	outs atomic.Pointer[[]*outTrack]

	cache *packetCache // recent packets for NACKs; video only, set before attaching

	keyframe chan struct{} // pending keyframe request; capacity 1
	done     chan struct{} // closed when the read loop ends
}

// startForwarder begins forwarding a track the peer has just published. It is
// called from Pion's OnTrack and only starts goroutines.
func (p *Peer) startForwarder(pc *webrtc.PeerConnection, remote *webrtc.TrackRemote, receiver *webrtc.RTPReceiver) {
	kind := kindOf(remote.Kind())
	if kind == "" {
		return
	}
	if kind == KindVideo && p.isScreenSection(pc, receiver) {
		kind = KindScreen
	}
	f := &forwarder{
		pub:      p,
		pc:       pc,
		kind:     kind,
		remote:   remote,
		receiver: receiver,
		codec:    remote.Codec().RTPCodecCapability,
		on:       p.forwarding(kind),
		keyframe: make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	f.outs.Store(&[]*outTrack{})
	if !p.sfu.goAsync(f.run) {
		return
	}
	p.sfu.goAsync(f.drainRTCP)
	if kind.isVideo() {
		p.sfu.goAsync(f.keyframeLoop)
	}
}

// isScreenSection reports whether receiver belongs to the media section the
// client marked as its screen share.
func (p *Peer) isScreenSection(pc *webrtc.PeerConnection, receiver *webrtc.RTPReceiver) bool {
	p.pubMu.Lock()
	mid := p.screenMID
	p.pubMu.Unlock()
	if mid == "" {
		return false
	}
	for _, t := range pc.GetTransceivers() {
		if t.Receiver() == receiver {
			return t.Mid() == mid
		}
	}
	return false
}

// streamID is the stream ID subscribers see for f: its publisher's ID, with
// "-screen" for a screen share so the client can show it apart.
func (f *forwarder) streamID() string {
	if f.kind == KindScreen {
		return f.pub.id + "-screen"
	}
	return f.pub.id
}

// run attaches the forwarder to its publisher, forwards until the track ends,
// then withdraws it from every subscriber.
func (f *forwarder) run() {
	defer close(f.done)
	if f.remote.Kind() == webrtc.RTPCodecTypeVideo {
		f.cache = new(packetCache)
	}
	if !f.pub.attachForwarder(f) {
		return
	}
	defer f.pub.detachForwarder(f)
	f.pub.log.Debug("forwarding track", "track_id", f.trackID, "ssrc", uint32(f.remote.SSRC()))
	f.forward()
}

// forward is the packet path: read, then pass on, with the copies sent in
// batches. The read buffer and the packet are reused.
func (f *forwarder) forward() {
	buf := make([]byte, readBufferSize)
	conn := f.pub.sfu.conn
	var st forwardState
	for {
		n, _, err := f.remote.Read(buf)
		if err != nil {
			return
		}
		conn.beginBatch()
		f.handle(buf[:n], &st)
		conn.endBatch()
	}
}

// forwardState is the packet path's state, owned by the read loop.
type forwardState struct {
	pkt rtp.Packet
	// seqOffset counts packets dropped while muted. They are taken out of
	// the sequence, so subscribers see no loss (and send no NACKs) when
	// forwarding resumes.
	seqOffset uint16
}

// handle drops one packet if the publisher is muted, else rewrites it and
// writes it to every subscriber.
func (f *forwarder) handle(raw []byte, st *forwardState) {
	if !f.on.Load() {
		st.seqOffset++
		return
	}
	pkt := &st.pkt
	if pkt.Unmarshal(raw) != nil {
		return
	}
	pkt.SequenceNumber -= st.seqOffset
	// Header extension IDs were negotiated on the publish connection and
	// mean nothing (or something else) on the subscribers' connections.
	pkt.Extension = false
	pkt.Extensions = pkt.Extensions[:0]
	if f.cache != nil {
		f.cache.store(pkt.SequenceNumber, raw)
	}
	for _, ot := range *f.outs.Load() {
		_ = ot.track.WriteRTP(pkt) // a subscriber's failure is its own
	}
}

// resend answers a subscriber's NACK: it sends ot the packets asked for that
// are still in the cache, as they were first forwarded. buf and pkt are the
// caller's scratch space.
func (f *forwarder) resend(ot *outTrack, nack *rtcp.TransportLayerNack, buf []byte, pkt *rtp.Packet) {
	if f.cache == nil {
		return
	}
	for _, pair := range nack.Nacks {
		pair.Range(func(seq uint16) bool {
			n := f.cache.load(seq, buf)
			if n == 0 || pkt.Unmarshal(buf[:n]) != nil {
				return true
			}
			pkt.SequenceNumber = seq // the cache holds the publisher's number
			pkt.Extension = false
			pkt.Extensions = pkt.Extensions[:0]
			_ = ot.track.WriteRTP(pkt)
			return true
		})
	}
}

// drainRTCP reads the publisher's RTCP (sender reports) so that the
// interceptors see it; the SFU itself needs none of it.
func (f *forwarder) drainRTCP() {
	buf := make([]byte, readBufferSize)
	for {
		if _, _, err := f.receiver.Read(buf); err != nil {
			return
		}
	}
}

// requestKeyframe asks the publisher for a keyframe soon. It never blocks:
// requests made while one is pending or within keyframeInterval of the last
// are merged into one.
func (f *forwarder) requestKeyframe() {
	if !f.kind.isVideo() {
		return
	}
	select {
	case f.keyframe <- struct{}{}:
	default:
	}
}

// keyframeLoop sends the publisher a PLI for each request, at most one per
// keyframeInterval (RFC 4585 section 6.3.1).
func (f *forwarder) keyframeLoop() {
	pli := []rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(f.remote.SSRC())}}
	pause := time.NewTimer(keyframeInterval)
	pause.Stop()
	for {
		select {
		case <-f.done:
			return
		case <-f.keyframe:
		}
		if err := f.pc.WriteRTCP(pli); err != nil {
			f.pub.log.Debug("send PLI", "ssrc", uint32(f.remote.SSRC()), "err", err)
		}
		pause.Reset(keyframeInterval)
		select {
		case <-f.done:
			return
		case <-pause.C:
		}
	}
}

// addOut adds a subscriber's track to the forwarding list (copy-on-write).
func (f *forwarder) addOut(ot *outTrack) {
	f.mu.Lock()
	defer f.mu.Unlock()
	old := *f.outs.Load()
	next := make([]*outTrack, len(old), len(old)+1)
	copy(next, old)
	next = append(next, ot)
	f.outs.Store(&next)
}

// removeOut takes a subscriber's track off the forwarding list (copy-on-write).
func (f *forwarder) removeOut(ot *outTrack) {
	f.mu.Lock()
	defer f.mu.Unlock()
	old := *f.outs.Load()
	i := slices.Index(old, ot)
	if i < 0 {
		return
	}
	next := slices.Delete(slices.Clone(old), i, i+1)
	f.outs.Store(&next)
}

// attachForwarder names a new track, records it and offers it to every
// current subscriber. It returns false if the publisher is closed.
func (p *Peer) attachForwarder(f *forwarder) bool {
	p.pubMu.Lock()
	defer p.pubMu.Unlock()
	if p.pubClosed {
		return false
	}
	// One track per kind: a client that sends a second camera (or a screen
	// disguised as one) replaces its first rather than adding to it.
	for old := range p.forwarders {
		if old.kind == f.kind {
			delete(p.forwarders, old)
			for s := range p.subscribers {
				s.removeForward(old)
			}
		}
	}
	f.trackID = p.freeTrackID(f.kind)
	p.forwarders[f] = struct{}{}
	for s := range p.subscribers {
		s.addForward(f)
	}
	return true
}

// detachForwarder withdraws an ended track from every subscriber.
func (p *Peer) detachForwarder(f *forwarder) {
	p.pubMu.Lock()
	defer p.pubMu.Unlock()
	if _, ok := p.forwarders[f]; !ok {
		return // Close already withdrew it
	}
	delete(p.forwarders, f)
	for s := range p.subscribers {
		s.removeForward(f)
	}
	p.log.Debug("track ended", "track_id", f.trackID)
}

// freeTrackID returns "<peer>-<kind>", or "<peer>-<kind>-<n>" if the peer
// already publishes a track of that kind. The caller holds p.pubMu.
func (p *Peer) freeTrackID(k Kind) string {
	used := make(map[string]bool, len(p.forwarders))
	for f := range p.forwarders {
		used[f.trackID] = true
	}
	id := p.id + "-" + string(k)
	for n := 2; used[id]; n++ {
		id = p.id + "-" + string(k) + "-" + strconv.Itoa(n)
	}
	return id
}
