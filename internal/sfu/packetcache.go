package sfu

import "sync"

// cacheSize is how many packets of a video track the SFU keeps to answer
// NACKs: about two seconds of 2 Mbit/s video, longer than any useful
// retransmission round trip. A power of two, so sequence numbers wrap cleanly.
const cacheSize = 512

// packetCache keeps a video track's latest packets, as received from the
// publisher, so that subscribers' NACKs (RFC 4585 section 6.2.1) are answered
// from one copy per published track instead of a copy per subscriber (as
// Pion's NACK responder interceptor keeps, which dominated memory per
// subscriber and cost a packet copy per forwarded copy). The forwarder stores;
// subscribers' RTCP readers load. The lock is held only to copy one packet.
type packetCache struct {
	mu    sync.Mutex
	slots [cacheSize]cacheSlot
}

type cacheSlot struct {
	seq  uint16 // the sequence number subscribers see
	size int    // 0 if empty
	data [readBufferSize]byte
}

// store keeps raw, a packet forwarded with sequence number seq, in place of
// the one cacheSize packets older.
func (c *packetCache) store(seq uint16, raw []byte) {
	s := &c.slots[seq%cacheSize]
	c.mu.Lock()
	s.seq = seq
	s.size = copy(s.data[:], raw)
	c.mu.Unlock()
}

// load copies the packet forwarded with sequence number seq into buf and
// returns its length, or 0 if it is no longer (or never was) in the cache.
func (c *packetCache) load(seq uint16, buf []byte) int {
	s := &c.slots[seq%cacheSize]
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.size == 0 || s.seq != seq {
		return 0
	}
	return copy(buf, s.data[:s.size])
}
