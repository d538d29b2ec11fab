package loadtest

import (
	"math"
	"testing"
)

func TestBucket_EveryValueLiesInItsBucket(t *testing.T) {
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 1000, 4095, 4096, 1e6, 3_600_000_000, math.MaxInt64 / 2} {
		i := bucketOf(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("bucketOf(%d) = %d, outside [0, %d)", v, i, numBuckets)
		}
		if top := bucketTop(i); top < v {
			t.Errorf("bucketTop(bucketOf(%d)) = %d, want at least %d", v, top, v)
		}
		if i > 0 && bucketTop(i-1) >= v {
			t.Errorf("bucketTop(%d) = %d, want below %d", i-1, bucketTop(i-1), v)
		}
	}
}

func TestHistogram_QuantilesAreWithinTwoPercent(t *testing.T) {
	var h Histogram
	for v := int64(1); v <= 10000; v++ {
		h.Record(v)
	}
	tests := []struct {
		q    float64
		want int64
	}{{0.5, 5000}, {0.99, 9900}, {1, 10000}}
	for _, tt := range tests {
		got := h.Quantile(tt.q)
		if math.Abs(float64(got-tt.want)) > 0.02*float64(tt.want) {
			t.Errorf("Quantile(%v) = %d, want %d ± 2 %%", tt.q, got, tt.want)
		}
	}
	if got, want := h.Max(), int64(10000); got != want {
		t.Errorf("Max() = %d, want %d", got, want)
	}
	if got, want := h.Count(), int64(10000); got != want {
		t.Errorf("Count() = %d, want %d", got, want)
	}
}

func TestHistogram_EmptyIsZero(t *testing.T) {
	var h Histogram
	if got := h.Quantile(0.99); got != 0 {
		t.Errorf("Quantile of an empty histogram = %d, want 0", got)
	}
}
