package sfu

import "github.com/pion/webrtc/v4"

// Target names one of a peer's two PeerConnections.
type Target string

// The two targets. The values match the wire protocol's candidate targets.
const (
	TargetPublish   Target = "publish"
	TargetSubscribe Target = "subscribe"
)

// Kind is the kind of media a track carries.
type Kind string

// The kinds of media the SFU forwards. A screen is video the client marked as
// a screen share (see Publish); it has its own forwarding switch, off until the
// room allows the peer to share.
const (
	KindAudio  Kind = "audio"
	KindVideo  Kind = "video"
	KindScreen Kind = "screen"
)

// isVideo reports whether k is carried by video RTP (and so has keyframes).
func (k Kind) isVideo() bool { return k == KindVideo || k == KindScreen }

// kindOf maps Pion's codec type to a Kind ("" for anything else).
func kindOf(t webrtc.RTPCodecType) Kind {
	switch t {
	case webrtc.RTPCodecTypeAudio:
		return KindAudio
	case webrtc.RTPCodecTypeVideo:
		return KindVideo
	default:
		return ""
	}
}
