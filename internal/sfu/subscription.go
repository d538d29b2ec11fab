package sfu

import (
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// outTrack is one published track as forwarded to one subscriber.
type outTrack struct {
	track  *localTrack
	sender *webrtc.RTPSender
}

// Subscribe forwards all of pub's current and future tracks to p, until
// Unsubscribe or either peer closes. Subscribing to oneself or twice does
// nothing.
func (p *Peer) Subscribe(pub *Peer) {
	if pub == nil || pub == p {
		return
	}
	pub.pubMu.Lock()
	defer pub.pubMu.Unlock()
	if pub.pubClosed {
		return
	}
	p.subMu.Lock()
	if p.subClosed {
		p.subMu.Unlock()
		return
	}
	p.subscribedTo[pub] = struct{}{}
	p.subMu.Unlock()
	pub.subscribers[p] = struct{}{}
	for f := range pub.forwarders {
		p.addForward(f)
	}
}

// Unsubscribe stops forwarding pub's tracks to p; p is renegotiated.
func (p *Peer) Unsubscribe(pub *Peer) {
	if pub == nil || pub == p {
		return
	}
	pub.pubMu.Lock()
	defer pub.pubMu.Unlock()
	p.subMu.Lock()
	delete(p.subscribedTo, pub)
	p.subMu.Unlock()
	delete(pub.subscribers, p)
	for f := range pub.forwarders {
		p.removeForward(f)
	}
}

// addForward adds f's track to p's subscribe connection and marks p for
// renegotiation. The caller holds f.pub.pubMu.
func (p *Peer) addForward(f *forwarder) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	if p.subClosed || p.out[f] != nil {
		return
	}
	pc, err := p.subscribePCLocked()
	if err != nil {
		p.fail(err)
		return
	}
	track := newLocalTrack(f.codec, f.trackID, f.streamID(), f.requestKeyframe)
	sender, err := pc.AddTrack(track)
	if err != nil {
		p.log.Warn("add forwarded track", "track_id", f.trackID, "err", err)
		return
	}
	ot := &outTrack{track: track, sender: sender}
	p.out[f] = ot
	f.addOut(ot)
	p.sfu.goAsync(func() { readSubscriberRTCP(ot, f) })
	p.markDirtyLocked()
}

// removeForward takes f's track off p's subscribe connection and marks p for
// renegotiation. The caller holds f.pub.pubMu.
func (p *Peer) removeForward(f *forwarder) {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	ot := p.out[f]
	if ot == nil {
		return
	}
	delete(p.out, f)
	f.removeOut(ot)
	if p.subClosed || p.subPC == nil {
		return
	}
	if err := p.subPC.RemoveTrack(ot.sender); err != nil {
		p.log.Debug("remove forwarded track", "track_id", f.trackID, "err", err)
	}
	p.markDirtyLocked()
}

// readSubscriberRTCP reads a subscriber's RTCP for one forwarded track,
// answers its NACKs from the forwarder's cache and passes keyframe requests
// (PLI, FIR) on to the publisher. It ends when the sender stops.
func readSubscriberRTCP(ot *outTrack, f *forwarder) {
	buf := make([]byte, readBufferSize)
	scratch := make([]byte, readBufferSize)
	var pkt rtp.Packet
	conn := f.pub.sfu.conn
	for {
		n, _, err := ot.sender.Read(buf)
		if err != nil {
			return
		}
		if !f.kind.isVideo() {
			continue // audio has no NACKs or keyframes
		}
		pkts, err := rtcp.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		for _, p := range pkts {
			switch p := p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				f.requestKeyframe()
			case *rtcp.TransportLayerNack:
				conn.beginBatch()
				f.resend(ot, p, scratch, &pkt)
				conn.endBatch()
			}
		}
	}
}
