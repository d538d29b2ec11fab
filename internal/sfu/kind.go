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

// The two kinds of media the SFU forwards.
const (
	KindAudio Kind = "audio"
	KindVideo Kind = "video"
)

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
