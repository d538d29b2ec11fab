package sfu

import (
	"strings"
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// localTrack is a subscriber's copy of a forwarded track: a webrtc.TrackLocal
// added to one subscribe connection, so bound at most once at a time. Unlike
// webrtc.TrackLocalStaticRTP, which serves many bindings behind a lock, its
// one binding is read with an atomic load on every packet.
type localTrack struct {
	id, streamID string
	codec        webrtc.RTPCodecCapability
	kind         webrtc.RTPCodecType
	onBind       func() // called when Pion binds the track (the subscriber is ready)

	binding atomic.Pointer[trackBinding] // nil while unbound
}

// trackBinding is where a bound track's packets go.
type trackBinding struct {
	ssrc        uint32
	payloadType uint8
	out         webrtc.TrackLocalWriter
}

// newLocalTrack returns an unbound track; onBind may be nil.
func newLocalTrack(codec webrtc.RTPCodecCapability, id, streamID string, onBind func()) *localTrack {
	kind := webrtc.RTPCodecTypeAudio
	if strings.HasPrefix(strings.ToLower(codec.MimeType), "video/") {
		kind = webrtc.RTPCodecTypeVideo
	}
	if onBind == nil {
		onBind = func() {}
	}
	return &localTrack{id: id, streamID: streamID, codec: codec, kind: kind, onBind: onBind}
}

// Bind implements webrtc.TrackLocal: it takes the negotiated payload type of
// the track's codec, then asks for a keyframe through onBind.
func (t *localTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	for _, c := range ctx.CodecParameters() {
		if strings.EqualFold(c.MimeType, t.codec.MimeType) && c.ClockRate == t.codec.ClockRate {
			t.binding.Store(&trackBinding{ssrc: uint32(ctx.SSRC()), payloadType: uint8(c.PayloadType), out: ctx.WriteStream()})
			t.onBind()
			return c, nil
		}
	}
	return webrtc.RTPCodecParameters{}, webrtc.ErrUnsupportedCodec
}

// Unbind implements webrtc.TrackLocal.
func (t *localTrack) Unbind(webrtc.TrackLocalContext) error {
	t.binding.Store(nil)
	return nil
}

// ID implements webrtc.TrackLocal.
func (t *localTrack) ID() string { return t.id }

// RID implements webrtc.TrackLocal: forwarded tracks have no simulcast layers.
func (t *localTrack) RID() string { return "" }

// StreamID implements webrtc.TrackLocal.
func (t *localTrack) StreamID() string { return t.streamID }

// Kind implements webrtc.TrackLocal.
func (t *localTrack) Kind() webrtc.RTPCodecType { return t.kind }

// WriteRTP sends pkt to the subscriber with the binding's SSRC and payload
// type (it changes pkt's header). Before Bind and after Unbind it drops pkt.
func (t *localTrack) WriteRTP(pkt *rtp.Packet) error {
	b := t.binding.Load()
	if b == nil {
		return nil
	}
	pkt.SSRC = b.ssrc
	pkt.PayloadType = b.payloadType
	_, err := b.out.WriteRTP(&pkt.Header, pkt.Payload)
	return err
}
