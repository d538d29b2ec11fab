package audit

import (
	"slices"
	"testing"
	"time"
)

// chain returns n correctly linked entries.
func chain(n int) []Entry {
	var out []Entry
	prev := ""
	for i := range n {
		e := Entry{
			Seq:     int64(i + 1),
			At:      t0.Add(time.Duration(i) * time.Second),
			Actor:   "system",
			Action:  "test.step",
			Outcome: Allowed,
			Details: map[string]string{"i": string(rune('a' + i))},
		}
		e.PrevHash = prev
		e.Hash = ChainHash(prev, e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func([]Entry) []Entry
		wantBad int64
		wantOK  bool
	}{
		{"an intact chain verifies", func(es []Entry) []Entry { return es }, 0, true},
		{"an empty chain verifies", func([]Entry) []Entry { return nil }, 0, true},
		{"an edited detail is reported at its entry", func(es []Entry) []Entry {
			es[2].Details = map[string]string{"i": "changed"}
			return es
		}, 3, false},
		{"an edited outcome is reported at its entry", func(es []Entry) []Entry {
			es[1].Outcome = Refused
			return es
		}, 2, false},
		{"an edited time is reported at its entry", func(es []Entry) []Entry {
			es[3].At = es[3].At.Add(-time.Hour)
			return es
		}, 4, false},
		{"an edit with its own hash recomputed is reported at the next entry", func(es []Entry) []Entry {
			es[2].Actor = "staff:someone-else"
			es[2].Hash = ChainHash(es[2].PrevHash, es[2])
			return es
		}, 4, false},
		{"a deleted entry is reported at the missing sequence number", func(es []Entry) []Entry {
			return slices.Delete(es, 2, 3)
		}, 3, false},
		{"a deleted first entry is reported at sequence number one", func(es []Entry) []Entry {
			return es[1:]
		}, 1, false},
		{"a deleted entry with later ones renumbered is reported where it was", func(es []Entry) []Entry {
			es = slices.Delete(es, 2, 3)
			for i := 2; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 3, false},
		{"two swapped entries are reported at the first of them", func(es []Entry) []Entry {
			es[1], es[2] = es[2], es[1]
			return es
		}, 2, false},
		{"a replaced previous hash is reported at its entry", func(es []Entry) []Entry {
			es[4].PrevHash = es[2].Hash
			return es
		}, 5, false},
		{"a forged first entry with a previous hash is reported", func(es []Entry) []Entry {
			es[0].PrevHash = "00"
			es[0].Hash = ChainHash("00", es[0])
			return es
		}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad, ok := Verify(tt.tamper(chain(6)))
			if bad != tt.wantBad || ok != tt.wantOK {
				t.Errorf("Verify = (%d, %v), want (%d, %v)", bad, ok, tt.wantBad, tt.wantOK)
			}
		})
	}
}
