// Package sfu is safemeet's media plane: a selective forwarding unit on Pion.
//
// It knows peers and tracks by string ID and nothing of rooms, roles or
// admission: the room decides who may send and receive what, and tells the SFU
// through Subscribe, Unsubscribe, SetForwarding and Close.
//
// Each peer has two PeerConnections, so offers never collide (no glare):
//   - publish: the client offers (sendonly), the server answers (Publish);
//   - subscribe: the server offers (PeerEvents.SubscribeOffer), the client
//     answers (SubscribeAnswer). Only one subscribe offer is outstanding at a
//     time; changes made meanwhile are offered once the answer arrives.
//
// The server does not trickle ICE candidates: it waits for gathering to finish
// (quick, as all traffic shares one UDP port) and puts its candidates in the SDP.
// It accepts trickled candidates from clients (AddCandidate).
//
// Lock order, to keep clear of deadlocks: Peer.pubNeg, then any Peer.pubMu,
// then any Peer.subMu, then forwarder.mu. Nothing takes a pubMu while holding
// a subMu. The RTP path takes none of these: per packet it takes only the
// packet cache's lock and the socket queue's (udpConn.mu), each for one copy.
package sfu

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
)

// Errors returned by the SFU.
var (
	// ErrClosed is returned when the SFU or the peer has been closed.
	ErrClosed = errors.New("sfu: closed")
	// ErrBadOffer is returned by Publish for an offer the SFU refuses.
	ErrBadOffer = errors.New("sfu: unacceptable publish offer")
	// ErrBadAnswer is returned by SubscribeAnswer for an answer the SFU
	// refuses; the offer stays outstanding.
	ErrBadAnswer = errors.New("sfu: unacceptable subscribe answer")
	// ErrUnexpectedAnswer is returned by SubscribeAnswer when no offer is outstanding.
	ErrUnexpectedAnswer = errors.New("sfu: no subscribe offer outstanding")
	// ErrBadTarget is returned by AddCandidate for an unknown Target.
	ErrBadTarget = errors.New("sfu: unknown target")
	// ErrTooManyCandidates is returned by AddCandidate when too many candidates
	// arrive before the remote description they belong to.
	ErrTooManyCandidates = errors.New("sfu: too many early candidates")
)

// Config configures an SFU.
type Config struct {
	// UDPPort is the one UDP port for all ICE traffic; 0 picks an ephemeral port.
	UDPPort int
	// ListenIP is the address the UDP socket binds to; "" means all IPv4
	// addresses. An IPv6 address makes the SFU speak UDP over IPv6 only.
	ListenIP string
	// PublicIPs, if set, replace the local addresses in host candidates
	// (a 1:1 NAT, e.g. a cloud VM's public address).
	PublicIPs []string
	// IncludeLoopback offers loopback candidates. For tests and development only.
	IncludeLoopback bool
	// Logger receives the SFU's and Pion's logs; nil discards them.
	Logger *slog.Logger
}

// SFU forwards media between peers. Create it with New; it is safe for
// concurrent use.
type SFU struct {
	log    *slog.Logger
	pubAPI *webrtc.API // for publish connections
	subAPI *webrtc.API // for subscribe connections
	mux    ice.UDPMux
	conn   *udpConn // the mux's socket, which batches forwarders' writes
	port   int

	mu      sync.Mutex
	closing bool
	peers   map[*Peer]struct{}
	wg      sync.WaitGroup // every goroutine the SFU starts
}

// New opens the UDP socket and returns a running SFU.
func New(cfg Config) (*SFU, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, ip := range cfg.PublicIPs {
		if net.ParseIP(ip) == nil {
			return nil, fmt.Errorf("sfu: public IP %q is not an IP address", ip)
		}
	}
	network, laddr, err := listenAddr(cfg.ListenIP, cfg.UDPPort)
	if err != nil {
		return nil, err
	}
	conn, err := net.ListenUDP(network, laddr)
	if err != nil {
		return nil, fmt.Errorf("sfu: listen on UDP %s: %w", laddr, err)
	}
	lf := pionLoggerFactory{log: log}
	uc := newUDPConn(conn, network)
	mux := webrtc.NewICEUDPMux(lf.NewLogger("ice-mux"), uc)
	pubAPI, subAPI, err := newAPIs(cfg, mux, network, lf)
	if err != nil {
		_ = mux.Close()
		return nil, err
	}
	s := &SFU{
		log:    log,
		pubAPI: pubAPI,
		subAPI: subAPI,
		mux:    mux,
		conn:   uc,
		port:   conn.LocalAddr().(*net.UDPAddr).Port,
		peers:  make(map[*Peer]struct{}),
	}
	log.Info("sfu listening", "udp", conn.LocalAddr().String())
	return s, nil
}

// listenAddr picks the socket's network ("udp4" or "udp6") and address.
func listenAddr(ip string, port int) (string, *net.UDPAddr, error) {
	if port < 0 || port > 65535 {
		return "", nil, fmt.Errorf("sfu: UDP port %d out of range", port)
	}
	if ip == "" {
		return "udp4", &net.UDPAddr{IP: net.IPv4zero, Port: port}, nil
	}
	parsed := net.ParseIP(ip)
	if parsed == nil {
		return "", nil, fmt.Errorf("sfu: listen IP %q is not an IP address", ip)
	}
	if parsed.To4() != nil {
		return "udp4", &net.UDPAddr{IP: parsed, Port: port}, nil
	}
	return "udp6", &net.UDPAddr{IP: parsed, Port: port}, nil
}

// UDPPort returns the UDP port the SFU receives all media on.
func (s *SFU) UDPPort() int { return s.port }

// NewPeer registers a peer. ev receives its subscribe offers and failures. If
// the SFU is closed, the peer is returned already closed.
func (s *SFU) NewPeer(id string, ev PeerEvents) *Peer {
	p := newPeer(s, id, ev)
	s.mu.Lock()
	closing := s.closing
	if !closing {
		s.peers[p] = struct{}{}
	}
	s.mu.Unlock()
	if closing || !s.goAsync(p.negotiateLoop) {
		p.Close()
	}
	return p
}

// forget removes a closed peer from the SFU's set.
func (s *SFU) forget(p *Peer) {
	s.mu.Lock()
	delete(s.peers, p)
	s.mu.Unlock()
}

// goAsync runs fn on a goroutine that Close waits for. It refuses (and returns
// false) once the SFU is closing.
func (s *SFU) goAsync(fn func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
	return true
}

// Close closes every peer and the UDP socket, and waits for the SFU's
// goroutines to finish.
func (s *SFU) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	peers := make([]*Peer, 0, len(s.peers))
	for p := range s.peers {
		peers = append(peers, p)
	}
	s.mu.Unlock()

	for _, p := range peers {
		p.Close()
	}
	err := s.mux.Close()
	s.wg.Wait()
	return err
}
