package audit

import (
	"slices"
	"testing"
)

func TestVerifierTellsHowTheChainBroke(t *testing.T) {
	tests := []struct {
		name      string
		tamper    func([]Entry) []Entry
		wantBad   int64
		wantBreak Break
		wantFound int64
	}{
		{"an intact chain has no break", func(es []Entry) []Entry { return es }, 0, BreakNone, 0},
		{"an entry edited in place breaks its hash", func(es []Entry) []Entry {
			es[2].Actor = "staff:someone-else"
			return es
		}, 3, BreakHash, 3},
		{"an edit with its own hash recomputed breaks the next entry's link", func(es []Entry) []Entry {
			es[2].Actor = "staff:someone-else"
			es[2].Hash = ChainHash(es[2].PrevHash, es[2])
			return es
		}, 4, BreakLink, 4},
		{"a deleted entry breaks the sequence and names the entry found instead", func(es []Entry) []Entry {
			return slices.Delete(es, 2, 4)
		}, 3, BreakSequence, 5},
		{"two entries swapped with their numbers break the sequence", func(es []Entry) []Entry {
			es[1], es[2] = es[2], es[1]
			return es
		}, 2, BreakSequence, 3},
		{"two entries swapped under their numbers break hash and link", func(es []Entry) []Entry {
			es[1], es[4] = es[4], es[1]
			es[1].Seq, es[4].Seq = 2, 5
			return es
		}, 2, BreakHashAndLink, 2},
		{"a deleted entry with later ones renumbered breaks hash and link", func(es []Entry) []Entry {
			es = slices.Delete(es, 2, 3)
			for i := 2; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 3, BreakHashAndLink, 3},
		{"a forged first entry with a previous hash breaks its link", func(es []Entry) []Entry {
			es[0].PrevHash = "00"
			es[0].Hash = ChainHash("00", es[0])
			return es
		}, 1, BreakLink, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Verifier
			es := tt.tamper(chain(6))
			for _, e := range es {
				if !v.Add(e) {
					break
				}
			}
			if got := v.Bad(); got != tt.wantBad {
				t.Errorf("Bad() = %d, want %d", got, tt.wantBad)
			}
			if got := v.Break(); got != tt.wantBreak {
				t.Errorf("Break() = %v, want %v", got, tt.wantBreak)
			}
			if got := v.Found(); got != tt.wantFound {
				t.Errorf("Found() = %d, want %d", got, tt.wantFound)
			}
			if bad, _ := Verify(tt.tamper(chain(6))); bad != tt.wantBad {
				t.Errorf("Verify gives bad entry %d, the Verifier %d", bad, tt.wantBad)
			}
		})
	}
}

func TestVerifierCountsAndKeepsTheLastHash(t *testing.T) {
	var v Verifier
	if v.Len() != 0 || v.LastHash() != "" || v.Bad() != 0 {
		t.Fatalf("a new Verifier has (%d, %q, %d), want (0, \"\", 0)", v.Len(), v.LastHash(), v.Bad())
	}
	es := chain(5)
	for _, e := range es {
		if !v.Add(e) {
			t.Fatalf("Add(entry %d) = false, broken at %d (%v)", e.Seq, v.Bad(), v.Break())
		}
	}
	if got, want := v.Len(), int64(5); got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	if got, want := v.LastHash(), es[4].Hash; got != want {
		t.Errorf("LastHash() = %s, want %s", got, want)
	}
}

func TestVerifierKeepsTheFirstBreak(t *testing.T) {
	es := chain(5)
	es[1].Actor = "staff:someone-else"
	var v Verifier
	for _, e := range es {
		v.Add(e)
	}
	// The rest of the chain is sound after es[1], but the Verifier must not
	// resume, nor report a later break.
	if got := v.Add(chain(6)[5]); got {
		t.Error("Add after a break = true, want false")
	}
	if v.Bad() != 2 || v.Break() != BreakHash || v.Len() != 1 || v.LastHash() != es[0].Hash {
		t.Errorf("after a break at entry 2: Bad %d, Break %v, Len %d; want 2, hash, 1 and the first entry's hash",
			v.Bad(), v.Break(), v.Len())
	}
}

func TestBreakString(t *testing.T) {
	tests := []struct {
		b    Break
		want string
	}{
		{BreakNone, "none"},
		{BreakSequence, "sequence"},
		{BreakHash, "hash"},
		{BreakLink, "link"},
		{BreakHashAndLink, "hash and link"},
		{Break(99), "unknown"},
	}
	for _, tt := range tests {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("Break(%d).String() = %q, want %q", int(tt.b), got, tt.want)
		}
	}
}
