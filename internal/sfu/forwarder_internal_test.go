package sfu

import (
	"fmt"
	"sync/atomic"
	"testing"

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

// benchForwarder returns a forwarder with n subscribers whose tracks are
// not bound, so Pion's SRTP and interceptors are left out, and a raw
// 1,100-byte VP8 packet.
func benchForwarder(b *testing.B, n int) (*forwarder, []byte) {
	b.Helper()
	on := new(atomic.Bool)
	on.Store(true)
	f := &forwarder{on: on}
	outs := make([]*outTrack, n)
	for i := range outs {
		tr, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, fmt.Sprint("t", i), "s")
		if err != nil {
			b.Fatal(err)
		}
		outs[i] = &outTrack{track: &localTrack{TrackLocalStaticRTP: tr}}
	}
	f.outs.Store(&outs)
	raw, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 96, SequenceNumber: 1}, Payload: make([]byte, 1100)}).Marshal()
	if err != nil {
		b.Fatal(err)
	}
	return f, raw
}

// BenchmarkForwarder_Handle measures the SFU's own per-packet work (parse,
// rewrite, fan-out loop) for one video packet and ten subscribers whose tracks
// are not bound, so Pion's SRTP and interceptors are left out.
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
