package webrtctest

import (
	"encoding/binary"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// StampSize is the size of the send-time stamp at the end of every packet's
// payload in stamped media: 8 bytes of magic, then the send time as 8 bytes
// of big-endian Unix nanoseconds.
const StampSize = 16

// stampMagic marks a payload that ends in a stamp.
var stampMagic = [8]byte{'s', 'm', 's', 't', 'a', 'm', 'p', '1'}

// Stamped media sizes: packets of at most maxStampedPayload bytes, 30 video
// frames a second, an Opus-sized audio frame every 20 ms.
const (
	maxStampedPayload  = 1200
	vp8DescriptorSize  = 1
	opusFrameSize      = 80
	defaultKeyframeGap = 3 * time.Second
	opusClockPerFrame  = 48000 / 50
	vp8ClockPerFrame   = 90000 / 30
)

// StampedMedia makes a participant publish media in which every RTP packet
// carries its send time (see ReadStamp), so that receivers can measure the
// delay the server adds. Video is VP8-shaped and packetised by hand (RFC 7741
// payload descriptor, one frame per RTP timestamp, marker on its last
// packet); audio is one Opus-sized packet every 20 ms.
type StampedMedia struct {
	// VideoBitrate is the video rate in bits per second, e.g. 2_000_000.
	VideoBitrate int
	// KeyframeInterval is the time between unrequested keyframes; zero
	// means three seconds. Keyframes are also sent on PLI or FIR.
	KeyframeInterval time.Duration
	// Pace spreads each frame's packets out at Pace times VideoBitrate, as a
	// browser's pacer does (Chrome paces at 2.5×), instead of sending the
	// whole frame in one burst; zero sends bursts. A burst makes the last
	// packets of a big frame wait behind the first ones at every hop, so the
	// delay measured then is mostly the burst's own length.
	Pace float64
}

// gap is the pause after each video packet of size bytes, when pacing.
func (c StampedMedia) gap(size int) time.Duration {
	if c.Pace <= 0 || c.VideoBitrate <= 0 {
		return 0
	}
	return time.Duration(float64(size*8) / (c.Pace * float64(c.VideoBitrate)) * float64(time.Second))
}

// PutStamp writes the stamp for send time t into the last StampSize bytes
// of payload.
func PutStamp(payload []byte, t time.Time) {
	s := payload[len(payload)-StampSize:]
	copy(s, stampMagic[:])
	binary.BigEndian.PutUint64(s[8:], uint64(t.UnixNano()))
}

// ReadStamp returns the send time (Unix nanoseconds) stamped into a raw RTP
// packet, and false if the packet carries no stamp.
func ReadStamp(raw []byte) (sentUnixNano int64, ok bool) {
	if len(raw) < 12+StampSize {
		return 0, false
	}
	if raw[0]&0x20 != 0 { // padding: the last byte counts it
		pad := int(raw[len(raw)-1])
		if pad > len(raw)-12-StampSize {
			return 0, false
		}
		raw = raw[:len(raw)-pad]
	}
	s := raw[len(raw)-StampSize:]
	if [8]byte(s[:8]) != stampMagic {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(s[8:])), true
}

// addStampedTracks adds a sendonly Opus and a sendonly VP8 track written
// packet by packet, and returns the function that starts sending on them.
func (m *media) addStampedTracks(pc *webrtc.PeerConnection, stream string, cfg StampedMedia) (videoSender *webrtc.RTPSender, start func(stop <-chan struct{}), err error) {
	audio, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "audio", stream)
	if err != nil {
		return nil, nil, err
	}
	video, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", stream)
	if err != nil {
		return nil, nil, err
	}
	sendonly := webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}
	if _, err = pc.AddTransceiverFromTrack(audio, sendonly); err != nil {
		return nil, nil, err
	}
	vt, err := pc.AddTransceiverFromTrack(video, sendonly)
	if err != nil {
		return nil, nil, err
	}
	start = func(stop <-chan struct{}) {
		go m.sendStampedAudio(audio, stop)
		go m.sendStampedVideo(video, cfg, stop)
	}
	return vt.Sender(), start, nil
}

// sendStampedAudio writes one stamped Opus-sized packet every 20 ms.
func (m *media) sendStampedAudio(track *webrtc.TrackLocalStaticRTP, stop <-chan struct{}) {
	defer m.wg.Done()
	pkt := &rtp.Packet{Header: rtp.Header{Version: 2}, Payload: make([]byte, opusFrameSize+StampSize)}
	pkt.Payload[0] = 0x78 // an Opus TOC byte: SILK wideband, 20 ms, one frame
	m.every(audioFrameInterval, stop, func(i int) {
		pkt.SequenceNumber = uint16(i)
		pkt.Timestamp = uint32(i * opusClockPerFrame)
		PutStamp(pkt.Payload, time.Now())
		_ = track.WriteRTP(pkt)
	})
}

// sendStampedVideo writes a VP8-shaped frame 30 times a second, split into
// stamped packets: a keyframe (three times the average frame size) every
// KeyframeInterval or when asked, else a delta frame, sized so the average
// rate is VideoBitrate.
func (m *media) sendStampedVideo(track *webrtc.TrackLocalStaticRTP, cfg StampedMedia, stop <-chan struct{}) {
	defer m.wg.Done()
	gap := cfg.KeyframeInterval
	if gap <= 0 {
		gap = defaultKeyframeGap
	}
	framesPerKey := max(1, int(gap/videoFrameInterval))
	avg := max(cfg.VideoBitrate/8/30, 16)
	keySize := 3 * avg
	deltaSize := avg
	if framesPerKey > 1 {
		deltaSize = max((framesPerKey*avg-keySize)/(framesPerKey-1), 16)
	}
	pkt := &rtp.Packet{Header: rtp.Header{Version: 2}}
	buf := make([]byte, maxStampedPayload)
	var seq uint16
	sinceKey := framesPerKey
	m.every(videoFrameInterval, stop, func(i int) {
		size := deltaSize
		key := sinceKey >= framesPerKey || m.wantKeyframe.Swap(false)
		if key {
			size, sinceKey = keySize, 0
		}
		sinceKey++
		pkt.Timestamp = uint32(i * vp8ClockPerFrame)
		const room = maxStampedPayload - vp8DescriptorSize - StampSize
		for off := 0; off < size; off += room {
			n := min(room, size-off)
			payload := buf[:vp8DescriptorSize+n+StampSize]
			clear(payload)
			if off == 0 {
				payload[0] = 0x10 // descriptor: start of partition 0
				writeVP8FrameHeader(payload[vp8DescriptorSize:], key)
			}
			pkt.SequenceNumber = seq
			seq++
			pkt.Marker = off+n >= size
			pkt.Payload = payload
			PutStamp(payload, time.Now())
			_ = track.WriteRTP(pkt)
			if g := cfg.gap(len(payload)); g > 0 && !pkt.Marker {
				time.Sleep(g)
			}
		}
	})
}

// writeVP8FrameHeader writes the start of a VP8 frame (RFC 6386 section
// 9.1): a keyframe's tag, start code and 320x240 size, or an interframe's tag.
func writeVP8FrameHeader(b []byte, key bool) {
	if key && len(b) >= 10 {
		copy(b, []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00})
		return
	}
	if len(b) >= 3 {
		b[0] = 0x11 // interframe, shown
	}
}
