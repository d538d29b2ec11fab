package loadtest

import "testing"

func TestSequence_CountsLoss(t *testing.T) {
	tests := []struct {
		name         string
		seqs         []uint16
		wantLost     int64
		wantExpected int64
	}{
		{"in order", []uint16{10, 11, 12, 13}, 0, 4},
		{"one missing", []uint16{10, 11, 13}, 1, 4},
		{"reordered", []uint16{10, 12, 11, 13}, 0, 4},
		{"retransmission counts once", []uint16{10, 12, 11, 11, 12, 13}, 0, 4},
		{"across the wrap", []uint16{65534, 65535, 0, 2}, 1, 5},
		{"late packet from before the first", []uint16{100, 99, 101}, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s sequence
			for _, q := range tt.seqs {
				s.add(q)
			}
			if got := s.lost(); got != tt.wantLost {
				t.Errorf("lost() = %d, want %d", got, tt.wantLost)
			}
			if got := s.expected(); got != tt.wantExpected {
				t.Errorf("expected() = %d, want %d", got, tt.wantExpected)
			}
		})
	}
}
