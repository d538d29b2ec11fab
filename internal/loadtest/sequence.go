package loadtest

import "sync"

// seqWindow is how many recent sequence numbers a track remembers to tell a
// retransmission from a first arrival.
const seqWindow = 1024

// sequence follows one received track's RTP sequence numbers, to count the
// packets that never arrived. Its receiving goroutine adds packets while the
// report reads the counts, so a mutex guards it.
type sequence struct {
	mu       sync.Mutex
	started  bool
	first    int64 // extended sequence number of the first packet
	highest  int64 // highest extended sequence number seen
	unique   int64 // distinct packets received
	received int64 // packets received, retransmissions included
	seen     [seqWindow]int64
}

// add records the arrival of the packet with sequence number seq. It
// reports whether this is the packet's first arrival.
func (s *sequence) add(seq uint16) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received++
	if !s.started {
		s.started = true
		s.first, s.highest = int64(seq), int64(seq)
		s.mark(s.highest)
		return true
	}
	ext := s.highest + int64(int16(seq-uint16(s.highest)))
	if ext < s.first {
		return false // from before the first packet we saw: not counted
	}
	if ext > s.highest {
		s.highest = ext
	} else if ext > s.highest-seqWindow && s.seen[ext%seqWindow] == ext+1 {
		return false // a retransmission
	}
	s.mark(ext)
	return true
}

func (s *sequence) mark(ext int64) {
	s.unique++
	s.seen[ext%seqWindow] = ext + 1
}

// counts returns how many packets were expected (sent between the first and
// the highest one received) and how many of those never arrived.
func (s *sequence) counts() (expected, lost int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expected(), s.lost()
}

// expected returns how many packets were sent between the first and the
// highest one received.
func (s *sequence) expected() int64 {
	if !s.started {
		return 0
	}
	return s.highest - s.first + 1
}

// lost returns how many of the expected packets never arrived.
func (s *sequence) lost() int64 { return max(0, s.expected()-s.unique) }
