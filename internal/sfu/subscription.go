package sfu

import (
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// outTrack is one published track as forwarded to one subscriber.
type outTrack struct {
	track  *localTrack
	sender *webrtc.RTPSender
}

// localTrack is the subscriber's copy of a forwarded track. It asks the
// publisher for a keyframe when Pion binds it, that is when the subscriber's
// connection is ready to receive it.
type localTrack struct {
	*webrtc.TrackLocalStaticRTP
	onBind func()
}

// Bind implements webrtc.TrackLocal.
func (t *localTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	codec, err := t.TrackLocalStaticRTP.Bind(ctx)
	if err == nil {
		t.onBind()
	}
	return codec, err
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
	rtpTrack, err := webrtc.NewTrackLocalStaticRTP(f.codec, f.trackID, f.pub.id)
	if err != nil {
		p.log.Warn("new forwarded track", "track_id", f.trackID, "err", err)
		return
	}
	track := &localTrack{TrackLocalStaticRTP: rtpTrack, onBind: f.requestKeyframe}
	sender, err := pc.AddTrack(track)
	if err != nil {
		p.log.Warn("add forwarded track", "track_id", f.trackID, "err", err)
		return
	}
	ot := &outTrack{track: track, sender: sender}
	p.out[f] = ot
	f.addOut(ot)
	p.sfu.goAsync(func() { readSubscriberRTCP(sender, f) })
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

// readSubscriberRTCP reads a subscriber's RTCP for one forwarded track (so
// the NACK and report interceptors work) and passes keyframe requests (PLI,
// FIR) on to the publisher. It ends when the sender stops.
func readSubscriberRTCP(sender *webrtc.RTPSender, f *forwarder) {
	buf := make([]byte, readBufferSize)
	for {
		n, _, err := sender.Read(buf)
		if err != nil {
			return
		}
		if f.kind != KindVideo {
			continue
		}
		pkts, err := rtcp.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		for _, pkt := range pkts {
			switch pkt.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				f.requestKeyframe()
			}
		}
	}
}
