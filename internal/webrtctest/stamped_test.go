package webrtctest

import (
	"testing"
	"time"

	"github.com/pion/rtp"
)

func TestStamp_ReadsBackTheSendTimeFromARawPacket(t *testing.T) {
	sent := time.Unix(1_800_000_000, 123456789)
	for _, padding := range []bool{false, true} {
		payload := make([]byte, 40)
		PutStamp(payload, sent)
		pkt := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: 7}, Payload: payload}
		if padding {
			pkt.Padding, pkt.PaddingSize = true, 4
		}
		raw, err := pkt.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, ok := ReadStamp(raw)
		if !ok || got != sent.UnixNano() {
			t.Errorf("padding %v: ReadStamp = %d, %v; want %d, true", padding, got, ok, sent.UnixNano())
		}
	}
}

func TestStamp_UnstampedPacketIsRecognised(t *testing.T) {
	raw, err := (&rtp.Packet{Header: rtp.Header{Version: 2}, Payload: make([]byte, 40)}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ReadStamp(raw); ok {
		t.Error("ReadStamp of an unstamped packet: got ok, want not ok")
	}
	if _, ok := ReadStamp(raw[:20]); ok {
		t.Error("ReadStamp of a short packet: got ok, want not ok")
	}
}

func TestStampedMediaPacesLikeABrowser(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  StampedMedia
		size int
		want time.Duration
	}{
		{"bursts when not paced", StampedMedia{VideoBitrate: 2_000_000}, 1200, 0},
		{"2.5 times 2 Mbit/s: 1200 bytes every 1.92 ms", StampedMedia{VideoBitrate: 2_000_000, Pace: 2.5}, 1200, 1920 * time.Microsecond},
		{"2.5 times 500 kbit/s: 1200 bytes every 7.68 ms", StampedMedia{VideoBitrate: 500_000, Pace: 2.5}, 1200, 7680 * time.Microsecond},
		{"no rate, no pause", StampedMedia{Pace: 2.5}, 1200, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cfg.gap(tc.size); got != tc.want {
				t.Errorf("gap(%d) = %v, want %v", tc.size, got, tc.want)
			}
		})
	}
}
