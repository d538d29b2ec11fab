package sfu_test

import (
	"net"
	"testing"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// clientAPIWithProfiles is newClientAPI offering only the given SRTP
// protection profiles (nil: Pion's defaults).
func clientAPIWithProfiles(t *testing.T, profiles ...dtls.SRTPProtectionProfile) *webrtc.API {
	t.Helper()
	me := &webrtc.MediaEngine{}
	must(t, me.RegisterDefaultCodecs())
	ir := &interceptor.Registry{}
	must(t, webrtc.RegisterDefaultInterceptors(me, ir))
	se := webrtc.SettingEngine{}
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetRemoteIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	if len(profiles) > 0 {
		se.SetSRTPProtectionProfiles(profiles...)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(me), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))
}

// srtpCipher returns the SRTP protection profile pc's transport negotiated.
func srtpCipher(pc *webrtc.PeerConnection) string {
	for _, s := range pc.GetStats() {
		if ts, ok := s.(webrtc.TransportStats); ok && ts.SRTPCipher != "" {
			return ts.SRTPCipher
		}
	}
	return ""
}

func TestSFU_SubscribeConnectionPrefersAES128GCMAndFallsBackToAESCM(t *testing.T) {
	for _, tc := range []struct {
		name     string
		profiles []dtls.SRTPProtectionProfile
		want     string
	}{
		{"client with Pion's defaults (AES-256-GCM first)", nil, "SRTP_AEAD_AES_128_GCM"},
		{"client without GCM", []dtls.SRTPProtectionProfile{dtls.SRTP_AES128_CM_HMAC_SHA1_80}, "SRTP_AES128_CM_HMAC_SHA1_80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			s := newTestSFU(t)
			alice := newClient(t, s, newClientAPI(t), "alice", false)
			bob := newClient(t, s, clientAPIWithProfiles(t, tc.profiles...), "bob", false)
			alice.publish()
			bob.peer.Subscribe(alice.peer)
			flowing(t, bob, "alice")
			var got string
			waitFor(t, 5*time.Second, "bob's subscribe transport to report its SRTP profile", func() bool {
				got = srtpCipher(bob.sub)
				return got != ""
			})
			if got != tc.want {
				t.Errorf("SRTP profile of bob's subscribe connection: got %s, want %s", got, tc.want)
			}
		})
	}
}
