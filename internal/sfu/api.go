package sfu

import (
	"fmt"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
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

// newAPI builds the SFU's own webrtc.API: its codecs, interceptors (NACK,
// RTCP reports, transport-wide congestion control feedback) and ICE settings.
func newAPI(cfg Config, mux ice.UDPMux, network string, lf pionLoggerFactory) (*webrtc.API, error) {
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

	ir := &interceptor.Registry{}
	if err := webrtc.ConfigureNack(me, ir); err != nil {
		return nil, fmt.Errorf("sfu: configure NACK: %w", err)
	}
	if err := webrtc.ConfigureRTCPReports(ir); err != nil {
		return nil, fmt.Errorf("sfu: configure RTCP reports: %w", err)
	}
	// Feedback to publishers so their send-side bandwidth estimation works.
	if err := webrtc.ConfigureTWCCSender(me, ir); err != nil {
		return nil, fmt.Errorf("sfu: configure TWCC: %w", err)
	}

	se := webrtc.SettingEngine{LoggerFactory: lf}
	se.SetICEUDPMux(mux)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	if network == "udp6" {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP6})
	} else {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	}
	se.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	if len(cfg.PublicIPs) > 0 {
		err := se.SetICEAddressRewriteRules(webrtc.ICEAddressRewriteRule{
			External:        append([]string(nil), cfg.PublicIPs...),
			AsCandidateType: webrtc.ICECandidateTypeHost,
			Mode:            webrtc.ICEAddressRewriteReplace,
		})
		if err != nil {
			return nil, fmt.Errorf("sfu: public IPs: %w", err)
		}
	}

	return webrtc.NewAPI(
		webrtc.WithMediaEngine(me),
		webrtc.WithInterceptorRegistry(ir),
		webrtc.WithSettingEngine(se),
	), nil
}
