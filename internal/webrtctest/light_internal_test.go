package webrtctest

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/pion/dtls/v3/pkg/crypto/selfsign"
)

// subscribeOffer is a subscribe offer as the SFU makes it: audio that it
// sends, video that it no longer sends (a publisher left), a section it
// stopped (port 0, no mid), one loopback and one other candidate.
const subscribeOffer = "v=0\r\n" +
	"o=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" +
	"a=fingerprint:sha-256 99:4E:4D:4D:24:AF:5F:EB:F7:B7:30:4C:88:B5:EC:EB:F9:09:7F:D2:C4:C6:29:6E:DE:6F:92:AD:A9:56:39:15\r\n" +
	"a=group:BUNDLE 0 1\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\na=mid:0\r\n" +
	"a=ice-ufrag:jVJaVitCZFWWVquj\r\na=ice-pwd:jgDFTEevJLbpqshsoVwgJraFskvfSHQn\r\na=rtcp-mux\r\n" +
	"a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n" +
	"a=ssrc:3824978482 cname:aid\r\na=ssrc:3824978482 msid:aid aid-audio\r\na=msid:aid aid-audio\r\na=sendrecv\r\n" +
	"a=candidate:1 1 udp 2130706431 127.0.0.1 47570 typ host\r\n" +
	"a=candidate:2 1 udp 2130706431 192.0.2.7 47570 typ host\r\n" +
	"a=end-of-candidates\r\n" +
	"m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\na=mid:1\r\n" +
	"a=ice-ufrag:jVJaVitCZFWWVquj\r\na=ice-pwd:jgDFTEevJLbpqshsoVwgJraFskvfSHQn\r\na=rtcp-mux\r\n" +
	"a=rtpmap:96 VP8/90000\r\na=inactive\r\n" +
	"m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 VP8/90000\r\na=inactive\r\n"

func TestLightAnswer_ReceivesWhatTheServerSendsAndOnlyProbesLoopback(t *testing.T) {
	o, err := parseOffer(subscribeOffer)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.candidates) != 1 || o.candidates[0].String() != "127.0.0.1:47570" {
		t.Errorf("candidates to probe: %v, want only 127.0.0.1:47570", o.candidates)
	}
	if len(o.tracks) != 1 || o.tracks[0] != (offeredTrack{ssrc: 3824978482, stream: "aid", kind: "audio"}) {
		t.Errorf("tracks: %+v, want the audio of aid only", o.tracks)
	}
	answer := o.answer(answerParams{ufrag: "u", pwd: "p", fingerprint: "AA:BB", port: 4242})
	audio, video, _ := strings.Cut(answer, "m=video 9")
	video, stopped, _ := strings.Cut(video, "m=video")
	if !strings.HasPrefix(stopped, " 0 ") || strings.Contains(stopped, "a=mid") {
		t.Errorf("the stopped section should be answered with port 0 and no mid:\n%s", answer)
	}
	for _, want := range []string{"a=fingerprint:sha-256 AA:BB", "a=group:BUNDLE 0 1", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=setup:active",
		"a=rtpmap:111 opus/48000/2", "a=recvonly", "a=candidate:1 1 udp 2130706431 127.0.0.1 4242 typ host"} {
		if !strings.Contains(audio, want+"\r\n") {
			t.Errorf("answer's audio has no %q:\n%s", want, answer)
		}
	}
	if !strings.Contains(video, "a=inactive\r\n") || strings.Contains(video, "a=recvonly") {
		t.Errorf("answer's video should be inactive, as the server sends nothing on it:\n%s", answer)
	}
	if _, err := parseOffer(strings.ReplaceAll(subscribeOffer, "a=fingerprint:sha-256 ", "a=fingerprint:sha-1 ")); err == nil {
		t.Error("an offer with a sha-1 fingerprint was accepted")
	}
}

func TestLightReceiver_AcceptsOnlyTheOfferedCertificate(t *testing.T) {
	offered, err := selfsign.GenerateSelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	other, err := selfsign.GenerateSelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(offered.Certificate[0])
	fp := strings.ToLower(colonHex(sum[:])) // SDP fingerprints are compared without regard to case
	r := &lightReceiver{}
	r.remoteFingerprint.Store(&fp)
	if err := r.verifyServer([][]byte{offered.Certificate[0]}, nil); err != nil {
		t.Errorf("the offered certificate was refused: %v", err)
	}
	if err := r.verifyServer([][]byte{other.Certificate[0]}, nil); err == nil {
		t.Error("a certificate other than the offered one was accepted")
	}
	if err := r.verifyServer(nil, nil); err == nil {
		t.Error("a handshake without a certificate was accepted")
	}
}
