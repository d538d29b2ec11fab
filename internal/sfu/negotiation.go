package sfu

import (
	"errors"
	"fmt"
	"time"

	"github.com/pion/webrtc/v4"
)

// gatherTimeout bounds the wait for ICE gathering. With the UDP mux and no
// STUN servers gathering is near-instant, so hitting it means trouble.
const gatherTimeout = 5 * time.Second

// errGatherTimeout is reported when ICE gathering does not finish in time.
var errGatherTimeout = errors.New("sfu: ICE gathering timed out")

// subscribePCLocked returns p's subscribe connection, creating it on first
// use. The caller holds p.subMu.
func (p *Peer) subscribePCLocked() (*webrtc.PeerConnection, error) {
	if p.subPC != nil {
		return p.subPC, nil
	}
	pc, err := p.sfu.subAPI.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("sfu: new subscribe connection: %w", err)
	}
	p.watch(pc, TargetSubscribe)
	p.subPC = pc
	return pc, nil
}

// markDirtyLocked records that the forwarded tracks changed and wakes the
// negotiation loop. The caller holds p.subMu.
func (p *Peer) markDirtyLocked() {
	p.dirty = true
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// negotiateLoop makes p's subscribe offers, one at a time, until p closes.
func (p *Peer) negotiateLoop() {
	for {
		select {
		case <-p.done:
			return
		case <-p.kick:
		}
		sdp, ok := p.makeOffer()
		if ok {
			p.ev.SubscribeOffer(sdp)
		}
	}
}

// makeOffer creates and applies a subscribe offer if the tracks changed and
// no offer is outstanding, then waits for ICE gathering so the offer carries
// the server's candidates.
func (p *Peer) makeOffer() (string, bool) {
	p.subMu.Lock()
	if p.subClosed || p.offerPending || !p.dirty || p.subPC == nil {
		p.subMu.Unlock()
		return "", false
	}
	pc := p.subPC
	p.dirty = false
	gathered := webrtc.GatheringCompletePromise(pc)
	offer, err := pc.CreateOffer(nil)
	if err == nil {
		err = pc.SetLocalDescription(offer)
	}
	if err != nil {
		p.subMu.Unlock()
		p.fail(fmt.Errorf("sfu: subscribe offer: %w", err))
		return "", false
	}
	p.offerPending = true
	p.subMu.Unlock()

	if err := p.waitGathered(gathered); err != nil {
		if !errors.Is(err, ErrClosed) {
			p.fail(err)
		}
		return "", false
	}
	return pc.LocalDescription().SDP, true
}

// waitGathered waits for ICE gathering to complete, the peer to close or
// gatherTimeout.
func (p *Peer) waitGathered(gathered <-chan struct{}) error {
	timer := time.NewTimer(gatherTimeout)
	defer timer.Stop()
	select {
	case <-gathered:
		return nil
	case <-p.done:
		return ErrClosed
	case <-timer.C:
		return errGatherTimeout
	}
}

// SubscribeAnswer applies the client's answer to the latest subscribe offer.
// If tracks changed meanwhile, a new offer follows. An answer the connection
// refuses is returned as an error and also reported as PeerFailed, as the
// subscribe connection cannot go on.
func (p *Peer) SubscribeAnswer(sdp string) error {
	p.subMu.Lock()
	defer p.subMu.Unlock()
	if p.subClosed {
		return ErrClosed
	}
	if !p.offerPending {
		return ErrUnexpectedAnswer
	}
	if n := distinctCandidates(sdp); n > maxEarlyCandidates {
		return fmt.Errorf("%w: %d candidates, at most %d allowed", ErrBadAnswer, n, maxEarlyCandidates)
	}
	pc := p.subPC
	p.offerPending = false
	err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp})
	if err != nil {
		// Pion cannot roll back a local offer, so the connection cannot
		// recover: the room should close the peer and the client rejoin.
		err = fmt.Errorf("sfu: subscribe answer: %w", err)
		p.fail(err)
		return err
	}
	if !p.subRemoteSet {
		p.subRemoteSet = true
		for _, c := range p.subEarly {
			if err := pc.AddICECandidate(c); err != nil {
				p.log.Debug("early subscribe candidate", "err", err)
			}
		}
		p.subEarly = nil
	}
	if p.dirty {
		p.markDirtyLocked()
	}
	return nil
}
