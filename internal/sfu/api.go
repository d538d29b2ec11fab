package sfu

import (
	"fmt"

	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// Payload types offered for the two codecs the SFU forwards.
const (
	payloadTypeOpus = 111
	payloadTypeVP8  = 96
)

// codecs lists what the SFU forwards: Opus audio and VP8 video, nothing else.
func codecs() []webrtc.RTPCodecParameters {
	return []webrtc.RTPCodecParameters{
		{
			RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType:    webrtc.MimeTypeOpus,
				ClockRate:   48000,
				Channels:    2,
				SDPFmtpLine: "minptime=10;useinbandfec=1",
			},
			PayloadType: payloadTypeOpus,
		},
		{
			RTPCodecCapability: webrtc.RTPCodecCapability{
				MimeType:     webrtc.MimeTypeVP8,
				ClockRate:    90000,
				RTCPFeedback: []webrtc.RTCPFeedback{{Type: "ccm", Parameter: "fir"}},
			},
			PayloadType: payloadTypeVP8,
		},
	}
}

// newAPIs builds the SFU's two webrtc.APIs, one for publish connections and
// one for subscribe connections: the same codecs and ICE settings, different
// interceptors.
func newAPIs(cfg Config, mux ice.UDPMux, network string, lf pionLoggerFactory) (pub, sub *webrtc.API, err error) {
	se, err := settingEngine(cfg, mux, network, lf)
	if err != nil {
		return nil, nil, err
	}
	pubME, pubIR, err := publishEngine()
	if err != nil {
		return nil, nil, err
	}
	subME, subIR, err := subscribeEngine()
	if err != nil {
		return nil, nil, err
	}
	pub = webrtc.NewAPI(webrtc.WithMediaEngine(pubME), webrtc.WithInterceptorRegistry(pubIR), webrtc.WithSettingEngine(se))
	sub = webrtc.NewAPI(webrtc.WithMediaEngine(subME), webrtc.WithInterceptorRegistry(subIR), webrtc.WithSettingEngine(se))
	return pub, sub, nil
}

// mediaEngine registers the codecs the SFU forwards, the MID header
// extension, and NACK and PLI feedback for video.
func mediaEngine() (*webrtc.MediaEngine, error) {
	me := &webrtc.MediaEngine{}
	for _, c := range codecs() {
		kind := webrtc.RTPCodecTypeAudio
		if c.MimeType == webrtc.MimeTypeVP8 {
			kind = webrtc.RTPCodecTypeVideo
		}
		if err := me.RegisterCodec(c, kind); err != nil {
			return nil, fmt.Errorf("sfu: register codec %s: %w", c.MimeType, err)
		}
	}

	// Browsers stamp packets with their m-line's MID; with it Pion can route
	// packets whose SSRC the offer did not declare.
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		ext := webrtc.RTPHeaderExtensionCapability{URI: sdp.SDESMidURI}
		if err := me.RegisterHeaderExtension(ext, kind); err != nil {
			return nil, fmt.Errorf("sfu: register MID extension: %w", err)
		}
	}
	me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack"}, webrtc.RTPCodecTypeVideo)
	me.RegisterFeedback(webrtc.RTCPFeedback{Type: "nack", Parameter: "pli"}, webrtc.RTPCodecTypeVideo)
	return me, nil
}

// publishEngine is for the connections the SFU receives media on: it asks
// publishers to resend lost packets (NACK generator), sends receiver reports,
// and gives them transport-wide congestion control feedback so their
// send-side bandwidth estimation works.
func publishEngine() (*webrtc.MediaEngine, *interceptor.Registry, error) {
	me, err := mediaEngine()
	if err != nil {
		return nil, nil, err
	}
	ir := &interceptor.Registry{}
	gen, err := nack.NewGeneratorInterceptor()
	if err != nil {
		return nil, nil, fmt.Errorf("sfu: NACK generator: %w", err)
	}
	ir.Add(gen)
	rr, err := report.NewReceiverInterceptor()
	if err != nil {
		return nil, nil, fmt.Errorf("sfu: receiver reports: %w", err)
	}
	ir.Add(rr)
	if err := webrtc.ConfigureTWCCSender(me, ir); err != nil {
		return nil, nil, fmt.Errorf("sfu: configure TWCC: %w", err)
	}
	return me, ir, nil
}

// subscribeEngine is for the connections the SFU sends media on. They only
// send sender reports (receivers need them for lip sync). NACKs are answered
// by the forwarder from one packet cache per published track (packetCache),
// not by Pion's NACK responder, which copies every packet into a buffer per
// subscriber track; no TWCC, as the SFU does no send-side bandwidth estimation.
func subscribeEngine() (*webrtc.MediaEngine, *interceptor.Registry, error) {
	me, err := mediaEngine()
	if err != nil {
		return nil, nil, err
	}
	ir := &interceptor.Registry{}
	sr, err := report.NewSenderInterceptor()
	if err != nil {
		return nil, nil, fmt.Errorf("sfu: sender reports: %w", err)
	}
	ir.Add(sr)
	return me, ir, nil
}

// settingEngine holds the SFU's ICE and DTLS settings, shared by both APIs.
func settingEngine(cfg Config, mux ice.UDPMux, network string, lf pionLoggerFactory) (webrtc.SettingEngine, error) {
	se := webrtc.SettingEngine{LoggerFactory: lf}
	se.SetICEUDPMux(mux)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	if network == "udp6" {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP6})
	} else {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	}
	se.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	// AES-128-GCM encrypts and authenticates in one pass (AES-NI, CLMUL), with
	// fewer rounds than AES-256; AES_CM with HMAC-SHA1 is the fallback that
	// RFC 8827 (section 6.5) requires every WebRTC endpoint to support. Where
	// the SFU is the DTLS server (subscribe connections), its order decides.
	se.SetSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AEAD_AES_256_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80)
	if len(cfg.PublicIPs) > 0 {
		err := se.SetICEAddressRewriteRules(webrtc.ICEAddressRewriteRule{
			External:        append([]string(nil), cfg.PublicIPs...),
			AsCandidateType: webrtc.ICECandidateTypeHost,
			Mode:            webrtc.ICEAddressRewriteReplace,
		})
		if err != nil {
			return se, fmt.Errorf("sfu: public IPs: %w", err)
		}
	}
	return se, nil
}
