package sfu

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

func TestForwarder_SubscriberListIsCopiedOnWrite(t *testing.T) {
	f := &forwarder{}
	f.outs.Store(&[]*outTrack{})
	a, b := &outTrack{}, &outTrack{}
	f.addOut(a)
	snapshot := f.outs.Load()
	f.addOut(b)
	f.removeOut(a)
	if got := len(*snapshot); got != 1 || (*snapshot)[0] != a {
		t.Errorf("earlier snapshot changed: got %v, want [a]", *snapshot)
	}
	if got := *f.outs.Load(); len(got) != 1 || got[0] != b {
		t.Errorf("current list: got %v, want [b]", got)
	}
	f.removeOut(a) // not there: no change
	if got := len(*f.outs.Load()); got != 1 {
		t.Errorf("after removing an absent track: got %d tracks, want 1", got)
	}
}

func TestPeer_SecondTrackOfAKindGetsASuffixedID(t *testing.T) {
	p := &Peer{id: "p1", forwarders: map[*forwarder]struct{}{}}
	for _, want := range []string{"p1-video", "p1-video-2", "p1-video-3"} {
		got := p.freeTrackID(KindVideo)
		if got != want {
			t.Errorf("freeTrackID(video) = %q, want %q", got, want)
		}
		p.forwarders[&forwarder{trackID: got}] = struct{}{}
	}
	if got, want := p.freeTrackID(KindAudio), "p1-audio"; got != want {
		t.Errorf("freeTrackID(audio) = %q, want %q", got, want)
	}
}

func TestForwarder_MutedPacketsAreTakenOutOfTheSequence(t *testing.T) {
	var on atomic.Bool
	on.Store(true)
	f := &forwarder{on: &on}
	f.outs.Store(&[]*outTrack{})
	var st forwardState
	send := func(seq uint16) {
		raw, err := (&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq}, Payload: []byte{1}}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		f.handle(raw, &st)
	}
	send(100)
	on.Store(false)
	send(101)
	send(102)
	on.Store(true)
	send(103)
	if got, want := st.pkt.SequenceNumber, uint16(101); got != want {
		t.Errorf("sequence number after two muted packets: got %d, want %d", got, want)
	}
}

// discardWriter stands in for a bound track's Pion write stream.
type discardWriter struct{}

func (discardWriter) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	return h.MarshalSize() + len(payload), nil
}
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// benchForwarder returns a video forwarder (with its NACK cache) and n
// subscribers whose tracks are bound to a writer that discards, so Pion's
// interceptors, SRTP and socket are left out; and a raw 1,100-byte VP8 packet.
func benchForwarder(b *testing.B, n int) (*forwarder, []byte) {
	b.Helper()
	on := new(atomic.Bool)
	on.Store(true)
	f := &forwarder{on: on, cache: new(packetCache)}
	outs := make([]*outTrack, n)
	for i := range outs {
		tr := newLocalTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, fmt.Sprint("t", i), "s", nil)
		tr.binding.Store(&trackBinding{ssrc: uint32(i), payloadType: 96, out: discardWriter{}})
		outs[i] = &outTrack{track: tr}
	}
	f.outs.Store(&outs)
	raw, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 1}, Payload: make([]byte, 1100)}).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	return f, raw
}

// BenchmarkForwarder_Handle measures the SFU's own per-packet work (parse,
// rewrite, cache, fan-out loop) for one video packet and ten subscribers,
// leaving out Pion's interceptors, SRTP and socket.
func BenchmarkForwarder_Handle(b *testing.B) {
	f, raw := benchForwarder(b, 10)
	var st forwardState
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		f.handle(raw, &st)
	}
}

// BenchmarkForward_OnePacketToTenSubscribers is the forwarding hot path for
// one packet and ten subscribers, as BenchmarkForwarder_Handle, with the
// sequence number advancing as in a real stream. It must report 0 allocs/op
// (run with -benchmem); it also reports ns per forwarded copy.
func BenchmarkForward_OnePacketToTenSubscribers(b *testing.B) {
	const subscribers = 10
	f, raw := benchForwarder(b, subscribers)
	var st forwardState
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	var seq uint16
	for b.Loop() {
		seq++
		raw[2], raw[3] = byte(seq>>8), byte(seq)
		f.handle(raw, &st)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/subscribers, "ns/copy")
}

// TestForward_OnePacketToTenSubscribersDoesNotAllocate keeps the hot path
// allocation-free in the ordinary test run, not only under -bench.
func TestForward_OnePacketToTenSubscribersDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	res := testing.Benchmark(BenchmarkForward_OnePacketToTenSubscribers)
	if got := res.AllocsPerOp(); got != 0 {
		t.Errorf("allocs per op: got %d, want 0", got)
	}
}

// captureWriter records the sequence numbers and SSRCs written to a bound track.
type captureWriter struct {
	seqs  []uint16
	ssrcs []uint32
}

func (w *captureWriter) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	w.seqs = append(w.seqs, h.SequenceNumber)
	w.ssrcs = append(w.ssrcs, h.SSRC)
	return h.MarshalSize() + len(payload), nil
}
func (w *captureWriter) Write(b []byte) (int, error) { return len(b), nil }

func TestForwarder_NACKIsAnsweredFromTheCache(t *testing.T) {
	var on atomic.Bool
	on.Store(true)
	f := &forwarder{on: &on, cache: new(packetCache)}
	w := &captureWriter{}
	tr := newLocalTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "t", "s", nil)
	tr.binding.Store(&trackBinding{ssrc: 77, payloadType: 96, out: w})
	ot := &outTrack{track: tr}
	f.outs.Store(&[]*outTrack{ot})
	var st forwardState
	send := func(seq uint16) {
		raw, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 100, SSRC: 5, SequenceNumber: seq}, Payload: []byte{1, 2, 3}}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		f.handle(raw, &st)
	}
	for seq := uint16(65530); seq != 10; seq++ { // across the wrap
		send(seq)
	}
	on.Store(false)
	send(10) // muted: taken out of the sequence
	on.Store(true)
	for seq := uint16(11); seq < 20; seq++ {
		send(seq) // forwarded as 10 to 18
	}
	w.seqs, w.ssrcs = nil, nil

	// 65535 and 0 are cached, 12 is the packet received as 13, 100 never was.
	nack := &rtcp.TransportLayerNack{Nacks: []rtcp.NackPair{
		{PacketID: 65535, LostPackets: 1}, // 65535 and 0
		{PacketID: 12},
		{PacketID: 100},
	}}
	f.resend(ot, nack, make([]byte, readBufferSize), new(rtp.Packet))
	if got, want := fmt.Sprint(w.seqs), fmt.Sprint([]uint16{65535, 0, 12}); got != want {
		t.Errorf("resent sequence numbers: got %s, want %s", got, want)
	}
	for _, ssrc := range w.ssrcs {
		if ssrc != 77 {
			t.Errorf("resent with SSRC %d, want the subscriber's 77", ssrc)
		}
	}
}

func TestPacketCache_ForgetsPacketsOlderThanItsSize(t *testing.T) {
	c := new(packetCache)
	buf := make([]byte, readBufferSize)
	c.store(1, []byte{1})
	if n := c.load(1, buf); n != 1 || buf[0] != 1 {
		t.Errorf("load(1) = %d bytes %v, want the stored packet", n, buf[:n])
	}
	c.store(1+cacheSize, []byte{2, 2})
	if n := c.load(1, buf); n != 0 {
		t.Errorf("load(1) after %d newer packets = %d bytes, want 0", cacheSize, n)
	}
	if n := c.load(1+cacheSize, buf); n != 2 {
		t.Errorf("load(%d) = %d bytes, want 2", 1+cacheSize, n)
	}
	if n := c.load(7, buf); n != 0 {
		t.Errorf("load of a packet never stored = %d bytes, want 0", n)
	}
}
