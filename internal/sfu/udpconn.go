package sfu

import (
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/net/ipv4"
)

// maxBatch is the most packets one sendmmsg(2) call sends.
const maxBatch = 64

// udpConn is the SFU's one UDP socket, as handed to Pion's ICE mux. While a
// forwarder fans a packet out to its subscribers (between beginBatch and
// endBatch), writes are queued and sent with one sendmmsg(2) per maxBatch
// packets instead of one sendto(2) per subscriber: the system call, not the
// copy, is most of the cost of a write. At other times, and where sendmmsg is
// not available (not Linux, or an IPv6 socket), writes go straight out.
type udpConn struct {
	*net.UDPConn
	batch *ipv4.PacketConn // nil: no batching

	open atomic.Int32 // batches in progress; changed under mu

	mu     sync.Mutex // guards the queue
	queued int
	msgs   [maxBatch]ipv4.Message
	bufs   [maxBatch][readBufferSize]byte
	addrs  [maxBatch]net.UDPAddr
	ips    [maxBatch][4]byte
}

// newUDPConn wraps the socket; network is "udp4" or "udp6".
func newUDPConn(c *net.UDPConn, network string) *udpConn {
	u := &udpConn{UDPConn: c}
	if runtime.GOOS == "linux" && network == "udp4" {
		u.batch = ipv4.NewPacketConn(c)
	}
	for i := range u.msgs {
		u.addrs[i].IP = u.ips[i][:]
		u.msgs[i].Buffers = [][]byte{nil}
		u.msgs[i].Addr = &u.addrs[i]
	}
	return u
}

// ReadFromAddrPort lets Pion's ICE mux read without allocating an address.
func (c *udpConn) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	return c.ReadFromUDPAddrPort(b)
}

// WriteToAddrPort is how Pion's ICE mux writes every packet. Inside a batch
// it queues a copy of b (and reports it written); otherwise it sends b.
func (c *udpConn) WriteToAddrPort(b []byte, addr netip.AddrPort) (int, error) {
	if c.open.Load() == 0 || !addr.Addr().Unmap().Is4() || len(b) > readBufferSize {
		return c.WriteToUDPAddrPort(b, addr)
	}
	c.mu.Lock()
	if c.open.Load() == 0 { // the batch ended meanwhile
		c.mu.Unlock()
		return c.WriteToUDPAddrPort(b, addr)
	}
	i := c.queued
	c.ips[i] = addr.Addr().Unmap().As4()
	c.addrs[i].Port = int(addr.Port())
	c.msgs[i].Buffers[0] = c.bufs[i][:copy(c.bufs[i][:], b)]
	c.queued++
	if c.queued == maxBatch {
		c.flushLocked()
	}
	c.mu.Unlock()
	return len(b), nil
}

// beginBatch starts queueing writes, until the matching endBatch.
func (c *udpConn) beginBatch() {
	if c.batch == nil {
		return
	}
	c.mu.Lock()
	c.open.Add(1)
	c.mu.Unlock()
}

// endBatch sends what was queued once the last open batch ends.
func (c *udpConn) endBatch() {
	if c.batch == nil {
		return
	}
	c.mu.Lock()
	if c.open.Add(-1) == 0 && c.queued > 0 {
		c.flushLocked()
	}
	c.mu.Unlock()
}

// flushLocked sends the queue. A packet the kernel refuses is dropped, as a
// failed sendto would drop it, and the rest still go. The caller holds mu.
func (c *udpConn) flushLocked() {
	msgs := c.msgs[:c.queued]
	for len(msgs) > 0 {
		n, err := c.batch.WriteBatch(msgs, 0)
		if err != nil || n <= 0 {
			n = 1 // sendmmsg fails on the first packet it cannot send
		}
		msgs = msgs[n:]
	}
	for i := range c.queued {
		c.msgs[i].Buffers[0] = nil
	}
	c.queued = 0
}
