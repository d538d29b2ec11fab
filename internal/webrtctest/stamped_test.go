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
