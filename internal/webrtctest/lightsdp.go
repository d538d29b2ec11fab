package webrtctest

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"
)

// offeredTrack is one track a subscribe offer sends: its SSRC, its stream
// (the publisher's participant ID, as the msid says) and kind.
type offeredTrack struct {
	ssrc         uint32
	stream, kind string
}

// offeredMedia is one m-line of an offer, as much as an answer needs.
type offeredMedia struct {
	kind, mid string
	rejected  bool   // port 0: a section the server stopped, answered with port 0 too
	sends     bool   // the server sends on it (sendrecv or sendonly, port not 0)
	format    string // the first payload type
	rtpmap    string // its rtpmap value, e.g. "96 VP8/90000"
	fmtp      string // its fmtp value, if any
}

// offer is what the light receiver reads from a subscribe offer.
type offer struct {
	ufrag, pwd, fingerprint string
	media                   []offeredMedia
	tracks                  []offeredTrack
	candidates              []netip.AddrPort // the server's UDP candidates on loopback
}

// parseOffer reads the server's subscribe offer.
func parseOffer(text string) (*offer, error) {
	var sd sdp.SessionDescription
	if err := sd.UnmarshalString(text); err != nil {
		return nil, fmt.Errorf("subscribe offer: %w", err)
	}
	o := &offer{}
	if fp, ok := sd.Attribute("fingerprint"); ok {
		o.fingerprint = fp
	}
	for _, md := range sd.MediaDescriptions {
		m := offeredMedia{kind: md.MediaName.Media}
		m.mid, _ = md.Attribute("mid")
		if u, ok := md.Attribute("ice-ufrag"); ok && o.ufrag == "" {
			o.ufrag = u
			o.pwd, _ = md.Attribute("ice-pwd")
		}
		for _, a := range md.Attributes {
			if a.Key == "candidate" {
				if c, ok := loopbackCandidate(a.Value); ok && !slices.Contains(o.candidates, c) {
					o.candidates = append(o.candidates, c)
				}
			}
		}
		if fp, ok := md.Attribute("fingerprint"); ok && o.fingerprint == "" {
			o.fingerprint = fp
		}
		_, sendonly := md.Attribute("sendonly")
		_, sendrecv := md.Attribute("sendrecv")
		m.rejected = md.MediaName.Port.Value == 0
		m.sends = !m.rejected && (sendonly || sendrecv)
		if len(md.MediaName.Formats) > 0 {
			m.format = md.MediaName.Formats[0]
			for _, a := range md.Attributes {
				switch {
				case a.Key == "rtpmap" && strings.HasPrefix(a.Value, m.format+" "):
					m.rtpmap = a.Value
				case a.Key == "fmtp" && strings.HasPrefix(a.Value, m.format+" "):
					m.fmtp = a.Value
				}
			}
		}
		o.media = append(o.media, m)
		if m.sends {
			o.tracks = append(o.tracks, mediaTracks(md, m.kind)...)
		}
	}
	if o.ufrag == "" || o.pwd == "" || o.fingerprint == "" {
		return nil, errors.New("subscribe offer: no ICE credentials or DTLS fingerprint")
	}
	algo, value, _ := strings.Cut(o.fingerprint, " ")
	if !strings.EqualFold(algo, "sha-256") {
		return nil, fmt.Errorf("subscribe offer: fingerprint %q: want sha-256", algo)
	}
	o.fingerprint = value
	return o, nil
}

// mediaTracks returns the SSRCs an m-line announces, with the stream of
// their msid ("a=ssrc:<ssrc> msid:<stream> <track>").
func mediaTracks(md *sdp.MediaDescription, kind string) []offeredTrack {
	var ts []offeredTrack
	for _, a := range md.Attributes {
		if a.Key != "ssrc" {
			continue
		}
		id, rest, _ := strings.Cut(a.Value, " ")
		msid, ok := strings.CutPrefix(rest, "msid:")
		if !ok {
			continue
		}
		ssrc, err := strconv.ParseUint(id, 10, 32)
		if err != nil {
			continue
		}
		stream, _, _ := strings.Cut(msid, " ")
		ts = append(ts, offeredTrack{ssrc: uint32(ssrc), stream: stream, kind: kind})
	}
	return ts
}

// loopbackCandidate returns the address of an ICE candidate attribute
// value ("<foundation> <component> udp <priority> <ip> <port> typ …") if it
// is UDP on an IPv4 loopback address: the only ones the light receiver
// sends to.
func loopbackCandidate(value string) (netip.AddrPort, bool) {
	f := strings.Fields(value)
	if len(f) < 6 || !strings.EqualFold(f[2], "udp") {
		return netip.AddrPort{}, false
	}
	ip, err := netip.ParseAddr(f[4])
	port, err2 := strconv.ParseUint(f[5], 10, 16)
	if err != nil || err2 != nil || !ip.Is4() || !ip.IsLoopback() || port == 0 {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip, uint16(port)), true
}

// answerParams are the receiver's own ICE and DTLS parameters.
type answerParams struct {
	ufrag, pwd, fingerprint string
	port                    int
	version                 int // the o= line's session version, one more for each answer
}

// answer returns the SDP answer: every m-line the server sends on is
// received (recvonly, its first codec), the others are inactive, and a
// section the server stopped (port 0) is answered with port 0, outside the
// bundle; the
// receiver has one host candidate and is the DTLS client.
func (o *offer) answer(p answerParams) string {
	var b strings.Builder
	line := func(format string, args ...any) {
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\r\n")
	}
	line("v=0")
	line("o=- %d %d IN IP4 127.0.0.1", p.port, p.version)
	line("s=-")
	line("t=0 0")
	line("a=fingerprint:sha-256 %s", p.fingerprint)
	mids := make([]string, 0, len(o.media))
	for _, m := range o.media {
		if !m.rejected {
			mids = append(mids, m.mid)
		}
	}
	line("a=group:BUNDLE %s", strings.Join(mids, " "))
	for i, m := range o.media {
		port := 9
		if m.rejected {
			port = 0
		}
		line("m=%s %d UDP/TLS/RTP/SAVPF %s", m.kind, port, m.format)
		line("c=IN IP4 0.0.0.0")
		if m.mid != "" {
			line("a=mid:%s", m.mid)
		}
		line("a=ice-ufrag:%s", p.ufrag)
		line("a=ice-pwd:%s", p.pwd)
		line("a=setup:active")
		line("a=rtcp-mux")
		if m.rtpmap != "" {
			line("a=rtpmap:%s", m.rtpmap)
		}
		if m.fmtp != "" {
			line("a=fmtp:%s", m.fmtp)
		}
		if m.sends {
			line("a=recvonly")
		} else {
			line("a=inactive")
		}
		if i == 0 {
			line("a=candidate:1 1 udp 2130706431 127.0.0.1 %d typ host", p.port)
			line("a=end-of-candidates")
		}
	}
	return b.String()
}
