package loadtest

import (
	"math/bits"
	"sync/atomic"
)

// Histogram buckets: values below linearLimit each have their own bucket;
// above it every power of two is split into subBuckets, so a quantile is
// within 1/64 (1.6 %) of the truth.
const (
	linearLimit = 128
	subBuckets  = 64
	subBits     = 6 // log2(subBuckets)
	numBuckets  = linearLimit + (64-subBits-1)*subBuckets
)

// Histogram counts non-negative integer samples (e.g. microseconds) in
// log-linear buckets. Record is safe for concurrent use and does not
// allocate.
type Histogram struct {
	counts [numBuckets]atomic.Int64
	n      atomic.Int64
	max    atomic.Int64
}

// Record adds one sample; negative samples count as 0.
func (h *Histogram) Record(v int64) {
	v = max(v, 0)
	h.counts[bucketOf(v)].Add(1)
	h.n.Add(1)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			break
		}
	}
}

// Count returns the number of samples.
func (h *Histogram) Count() int64 { return h.n.Load() }

// Max returns the largest sample, 0 if none.
func (h *Histogram) Max() int64 { return h.max.Load() }

// Quantile returns the smallest bucket bound at or below which a fraction q
// of the samples lie (never more than Max); 0 if there are none.
func (h *Histogram) Quantile(q float64) int64 {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	rank := int64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	var seen int64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			return min(bucketTop(i), h.max.Load())
		}
	}
	return h.max.Load()
}

// bucketOf returns the bucket of v ≥ 0.
func bucketOf(v int64) int {
	if v < linearLimit {
		return int(v)
	}
	e := bits.Len64(uint64(v)) - subBits - 1 // v>>e is in [subBuckets, 2*subBuckets)
	return linearLimit + (e-1)*subBuckets + int(v>>e) - subBuckets
}

// bucketTop returns the largest value in bucket i.
func bucketTop(i int) int64 {
	if i < linearLimit {
		return int64(i)
	}
	e := (i-linearLimit)/subBuckets + 1
	j := int64((i-linearLimit)%subBuckets + subBuckets)
	return (j+1)<<e - 1
}
