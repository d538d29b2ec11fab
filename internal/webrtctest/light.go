package webrtctest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/dtls/v3"
	"github.com/pion/dtls/v3/pkg/crypto/selfsign"
	"github.com/pion/ice/v4"
	"github.com/pion/randutil"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
	"github.com/pion/stun/v4"
	"github.com/pion/transport/v5/packetio"
)

// dtlsHandshakeTimeout bounds the light receiver's DTLS handshake.
const dtlsHandshakeTimeout = 10 * time.Second

// lightReceiver is a subscribe connection without a PeerConnection, for
// receivers that only count and time what arrives (the load tool's): a
// loopback UDP socket, read by Receivers, that does the controlled side of
// ICE (checks towards the server's candidates until the server's own checks
// arrive, which it answers), hands DTLS records to the handshake and
// decrypts SRTP in place. A PeerConnection passes every packet
// through four goroutines and the interceptors; this costs the kernel's copy
// and the decryption. It sends nothing but ICE responses and the DTLS
// handshake: no RTCP, so no NACK or PLI.
type lightReceiver struct {
	m    *media
	hub  *Receivers
	port int

	// fdMu guards the socket against closing while it is read or written.
	fdMu sync.RWMutex
	fd   int // -1 once closed
	// remote is set by the reading goroutine at the server's first ICE
	// check, before connected, and the handshake starts after both.
	remote    netip.AddrPort
	connected atomic.Bool
	probing   sync.Once

	ufrag, pwd  string
	answers     int // answers made, on the ops goroutine
	cert        tls.Certificate
	fingerprint string // of cert, as the SDP's a=fingerprint value

	// remoteFingerprint, remoteUfrag: the server's, from its first offer;
	// set on the ops goroutine before the answer is sent.
	remoteFingerprint atomic.Pointer[string]
	remoteUfrag       atomic.Pointer[string]
	tracks            atomic.Pointer[map[uint32]offeredTrack] // SSRC -> track, from the offers
	sinks             map[uint32]*lightSink                   // the reading goroutine's

	dtlsIn    *packetio.Buffer // DTLS records for the handshake
	dtlsStart sync.Once
	srtp      atomic.Pointer[srtp.Context] // set once the handshake is done

	mu       sync.Mutex // guards dtlsConn and closed
	dtlsConn *dtls.Conn
	closed   bool
}

// newLightReceiver opens the receiver's socket on 127.0.0.1 and adds it to
// the receiving goroutine's set.
func newLightReceiver(m *media, hub *Receivers) (*lightReceiver, error) {
	cert, err := selfsign.GenerateSelfSigned()
	if err != nil {
		return nil, fmt.Errorf("light receiver certificate: %w", err)
	}
	fd, port, err := openSocket()
	if err != nil {
		return nil, fmt.Errorf("light receiver: %w", err)
	}
	sum := sha256.Sum256(cert.Certificate[0])
	r := &lightReceiver{
		m:           m,
		hub:         hub,
		fd:          fd,
		port:        port,
		ufrag:       randomICEString(16),
		pwd:         randomICEString(32),
		cert:        cert,
		fingerprint: colonHex(sum[:]),
		sinks:       make(map[uint32]*lightSink),
		dtlsIn:      packetio.NewBuffer(),
	}
	empty := map[uint32]offeredTrack{}
	r.tracks.Store(&empty)
	if err := hub.add(r); err != nil {
		r.closeSocket()
		return nil, err
	}
	return r, nil
}

// answer applies an offer from the server and returns the answer: the
// offer's tracks, received; a changed ICE password or certificate is an
// ICE restart or a new DTLS session, which the light receiver does not do.
func (r *lightReceiver) answer(offerSDP string) (string, error) {
	offer, err := parseOffer(offerSDP)
	if err != nil {
		return "", err
	}
	if prev := r.remoteFingerprint.Load(); prev != nil && !strings.EqualFold(*prev, offer.fingerprint) {
		return "", errors.New("the server's certificate changed: a new DTLS session is not supported")
	}
	if prev := r.remoteUfrag.Load(); prev != nil && *prev != offer.ufrag {
		return "", errors.New("the server's ICE credentials changed: an ICE restart is not supported")
	}
	r.remoteFingerprint.Store(&offer.fingerprint)
	r.remoteUfrag.Store(&offer.ufrag)
	r.probing.Do(func() {
		r.m.wg.Add(1)
		go r.probe(offer.ufrag, offer.pwd, offer.candidates)
	})
	tracks := make(map[uint32]offeredTrack, len(offer.tracks))
	for _, t := range offer.tracks {
		tracks[t.ssrc] = t
	}
	r.tracks.Store(&tracks)
	r.answers++
	return offer.answer(answerParams{ufrag: r.ufrag, pwd: r.pwd, fingerprint: r.fingerprint, port: r.port, version: r.answers}), nil
}

// probeEvery and probeFor: how often and for how long at most the receiver
// sends its ICE checks, until the DTLS handshake is done.
const (
	probeEvery = 25 * time.Millisecond
	probeFor   = 5 * time.Second
)

// probe sends a binding request to each of the server's candidates until
// the DTLS handshake is done, as the controlled agent's checks. Pion's
// controlling agent nominates a pair that its own check found working as
// soon as a check from the other side arrives on it, instead of at its next
// tick (200 ms later), and the server starts DTLS only once a pair is
// nominated. The server's answers need no handling.
func (r *lightReceiver) probe(remoteUfrag, remotePwd string, candidates []netip.AddrPort) {
	defer r.m.wg.Done()
	var tb [8]byte
	_, _ = rand.Read(tb[:])
	tiebreaker := binary.BigEndian.Uint64(tb[:])
	tick := time.NewTicker(probeEvery)
	defer tick.Stop()
	stop := time.After(probeFor)
	for r.srtp.Load() == nil {
		req, err := stun.Build(stun.TransactionID, stun.BindingRequest,
			stun.NewUsername(remoteUfrag+":"+r.ufrag),
			ice.PriorityAttr(2130706431), ice.AttrControlled(tiebreaker),
			stun.NewShortTermIntegrity(remotePwd), stun.Fingerprint)
		if err != nil {
			return
		}
		r.fdMu.RLock()
		for _, c := range candidates {
			_ = r.writeLocked(req.Raw, c)
		}
		r.fdMu.RUnlock()
		select {
		case <-tick.C:
		case <-stop:
			return
		case <-r.m.p.ctx.Done():
			return
		}
	}
}

// close takes the socket out of the receiving set, closes it and ends the
// DTLS session.
func (r *lightReceiver) close() {
	r.mu.Lock()
	r.closed = true
	dc := r.dtlsConn
	r.mu.Unlock()
	r.hub.remove(r)
	r.fdMu.Lock()
	r.closeSocket()
	r.fdMu.Unlock()
	_ = r.dtlsIn.Close()
	if dc != nil {
		_ = dc.Close()
	}
}

// handle demultiplexes one packet by its first byte (RFC 7983): STUN, DTLS,
// or RTP and RTCP. RTCP from the server (sender reports) is not needed
// here. r.fdMu is read-locked.
func (r *lightReceiver) handle(b []byte, from netip.AddrPort) {
	switch {
	case b[0] < 4:
		r.handleSTUN(b, from)
	case b[0] >= 20 && b[0] <= 63:
		_, _ = r.dtlsIn.Write(b, nil)
	case b[0] >= 128 && b[0] <= 191 && len(b) >= 12 && (b[1] < 192 || b[1] > 223):
		r.handleRTP(b)
	}
}

// handleSTUN answers a binding request from the server with our ICE
// password; the first one connects the socket to the server and starts the
// DTLS handshake. r.fdMu is read-locked.
func (r *lightReceiver) handleSTUN(b []byte, from netip.AddrPort) {
	msg := &stun.Message{Raw: append([]byte(nil), b...)}
	if err := msg.Decode(); err != nil || msg.Type != stun.BindingRequest {
		return
	}
	var user stun.Username
	if err := user.GetFrom(msg); err != nil {
		return
	}
	local, _, ok := strings.Cut(user.String(), ":")
	if !ok || subtle.ConstantTimeCompare([]byte(local), []byte(r.ufrag)) != 1 {
		return
	}
	if err := stun.NewShortTermIntegrity(r.pwd).Check(msg); err != nil {
		return
	}
	resp, err := stun.Build(
		stun.NewTransactionIDSetter(msg.TransactionID),
		stun.BindingSuccess,
		&stun.XORMappedAddress{IP: from.Addr().AsSlice(), Port: int(from.Port())},
		stun.NewShortTermIntegrity(r.pwd),
		stun.Fingerprint,
	)
	if err != nil {
		return
	}
	if err := r.writeLocked(resp.Raw, from); err != nil {
		return
	}
	r.dtlsStart.Do(func() {
		if err := r.connect(from); err != nil {
			r.m.fail("light receiver connect", err)
			return
		}
		r.m.wg.Add(1)
		go r.handshake(net.UDPAddrFromAddrPort(from))
	})
}

// handshake runs the DTLS handshake as the client (the answer says
// setup:active), checks the server's certificate against the offer's
// fingerprint and makes the SRTP context from the keys it exports.
func (r *lightReceiver) handshake(remote *net.UDPAddr) {
	defer r.m.wg.Done()
	pipe := &dtlsPipe{r: r, remote: remote}
	dc, err := dtls.ClientWithOptions(pipe, remote,
		dtls.WithCertificates(r.cert),
		dtls.WithSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AEAD_AES_256_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80),
		dtls.WithExtendedMasterSecret(dtls.RequireExtendedMasterSecret),
		dtls.WithInsecureSkipVerify(true), // self-signed: checked against the fingerprint instead
		dtls.WithVerifyPeerCertificate(r.verifyServer),
	)
	if err != nil {
		r.m.fail("light receiver DTLS", err)
		return
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		_ = dc.Close()
		return
	}
	r.dtlsConn = dc
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.m.p.ctx, dtlsHandshakeTimeout)
	err = dc.HandshakeContext(ctx)
	cancel()
	if err == nil {
		err = r.startSRTP(dc)
	}
	if err != nil {
		if r.m.p.ctx.Err() == nil {
			r.m.fail("light receiver DTLS handshake", err)
		}
		return
	}
	// Keep reading, so that a retransmitted flight from the server is
	// answered; no application data is expected.
	buf := make([]byte, 1500)
	for {
		if _, err := dc.Read(buf); err != nil {
			return
		}
	}
}

// verifyServer accepts only the certificate whose fingerprint the offer gave.
func (r *lightReceiver) verifyServer(rawCerts [][]byte, _ [][]*x509.Certificate) error {
	want := r.remoteFingerprint.Load()
	if len(rawCerts) == 0 || want == nil {
		return errors.New("no server certificate to check")
	}
	sum := sha256.Sum256(rawCerts[0])
	if subtle.ConstantTimeCompare([]byte(colonHex(sum[:])), []byte(strings.ToUpper(*want))) != 1 {
		return errors.New("the server's certificate does not match the offer's fingerprint")
	}
	return nil
}

// startSRTP makes the decryption context from the handshake's keys.
func (r *lightReceiver) startSRTP(dc *dtls.Conn) error {
	profile, ok := dc.SelectedSRTPProtectionProfile()
	if !ok {
		return errors.New("the server chose no SRTP protection profile")
	}
	state, ok := dc.ConnectionState()
	if !ok {
		return errors.New("no DTLS connection state")
	}
	cfg := srtp.Config{Profile: srtp.ProtectionProfile(profile)}
	if err := cfg.ExtractSessionKeysFromDTLS(&state, true); err != nil {
		return err
	}
	ctx, err := srtp.CreateContext(cfg.Keys.RemoteMasterKey, cfg.Keys.RemoteMasterSalt, cfg.Profile)
	if err != nil {
		return err
	}
	r.srtp.Store(ctx)
	return nil
}

// lightSink is one received track, as the reading goroutine knows it.
type lightSink struct {
	hook  func([]byte)
	count *atomic.Int64
}

// handleRTP decrypts an SRTP packet in place and passes it to its track.
// Packets before the handshake ends, or of SSRCs no offer named, are
// dropped, as a PeerConnection would.
func (r *lightReceiver) handleRTP(b []byte) {
	ctx := r.srtp.Load()
	if ctx == nil {
		return
	}
	var h rtp.Header
	plain, err := ctx.DecryptRTP(b, b, &h)
	if err != nil {
		return
	}
	sink, ok := r.sinks[h.SSRC]
	if !ok {
		t, known := (*r.tracks.Load())[h.SSRC]
		if !known {
			return
		}
		sink = r.newSink(t)
		r.sinks[h.SSRC] = sink
	}
	if sink.hook != nil {
		sink.hook(plain)
	}
	sink.count.Add(1)
	r.m.total.Add(1)
}

// newSink starts counting a track on its first packet, as Pion's OnTrack
// fires on a track's first packet.
func (r *lightReceiver) newSink(t offeredTrack) *lightSink {
	v, _ := r.m.counts.LoadOrStore(t.stream+"/"+t.kind, new(atomic.Int64))
	s := &lightSink{count: v.(*atomic.Int64)}
	if on := r.m.p.opts.OnTrack; on != nil {
		s.hook = on(t.stream, t.kind)
	}
	r.m.p.log.Debug("receiving track", "stream", t.stream, "ssrc", t.ssrc)
	return s
}

// dtlsPipe is the net.PacketConn the DTLS handshake runs on: it reads the
// records the receiving goroutine hands over and writes to the server.
type dtlsPipe struct {
	r      *lightReceiver
	remote *net.UDPAddr
}

func (p *dtlsPipe) ReadFrom(b []byte) (int, net.Addr, error) {
	n, _, err := p.r.dtlsIn.Read(b, nil)
	return n, p.remote, err
}

func (p *dtlsPipe) WriteTo(b []byte, _ net.Addr) (int, error) {
	p.r.fdMu.RLock()
	defer p.r.fdMu.RUnlock()
	if err := p.r.writeLocked(b, p.r.remote); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (p *dtlsPipe) Close() error { return p.r.dtlsIn.Close() }
func (p *dtlsPipe) LocalAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p.r.port}
}
func (p *dtlsPipe) SetDeadline(t time.Time) error      { return p.r.dtlsIn.SetReadDeadline(t) }
func (p *dtlsPipe) SetReadDeadline(t time.Time) error  { return p.r.dtlsIn.SetReadDeadline(t) }
func (p *dtlsPipe) SetWriteDeadline(_ time.Time) error { return nil }

// iceChars are the characters of ICE ufrags and passwords (RFC 8839 ice-char).
const iceChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"

// randomICEString returns n ice-chars from crypto/rand.
func randomICEString(n int) string {
	s, err := randutil.GenerateCryptoRandomString(n, iceChars)
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return s
}

// colonHex formats bytes as upper-case hex pairs joined by colons, as SDP
// fingerprints are written.
func colonHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(':')
		}
		fmt.Fprintf(&sb, "%02X", c)
	}
	return sb.String()
}
