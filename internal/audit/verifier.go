package audit

// Break is the way a chain fails to verify at an entry.
type Break int

// Breaks, from what the chain can tell about an entry.
const (
	// BreakNone: the chain is intact so far.
	BreakNone Break = iota
	// BreakSequence: the entry's Seq is not the next number, so entries
	// before it are missing or it is out of order.
	BreakSequence
	// BreakHash: the entry's Hash does not match its own contents and
	// PrevHash, so it was edited in place.
	BreakHash
	// BreakLink: the entry is consistent in itself, but its PrevHash is not
	// the Hash of the entry before it, so the entry before was edited and
	// re-hashed (or, for the first entry, it was forged).
	BreakLink
	// BreakHashAndLink: both of the above, so the entry was edited or moved
	// here from elsewhere in the chain.
	BreakHashAndLink
)

// String returns a short name for b.
func (b Break) String() string {
	switch b {
	case BreakNone:
		return "none"
	case BreakSequence:
		return "sequence"
	case BreakHash:
		return "hash"
	case BreakLink:
		return "link"
	case BreakHashAndLink:
		return "hash and link"
	default:
		return "unknown"
	}
}

// Verifier checks a chain one entry at a time from its first (Seq 1,
// PrevHash ""), so a long log can be checked in pages without holding it all
// in memory. The zero value is ready for the first entry. Once an entry fails,
// the Verifier keeps the first failure and looks at no more entries.
type Verifier struct {
	n        int64  // entries found in place
	lastHash string // Hash of the last of them
	brk      Break
	found    int64 // Seq of the entry that broke the chain
}

// Add checks e as the next entry and reports whether the chain is still
// intact.
func (v *Verifier) Add(e Entry) (ok bool) {
	if v.brk != BreakNone {
		return false
	}
	selfOK := e.Hash == ChainHash(e.PrevHash, e)
	linkOK := e.PrevHash == v.lastHash
	switch {
	case e.Seq != v.n+1:
		v.brk = BreakSequence
	case !selfOK && !linkOK:
		v.brk = BreakHashAndLink
	case !selfOK:
		v.brk = BreakHash
	case !linkOK:
		v.brk = BreakLink
	default:
		v.n++
		v.lastHash = e.Hash
		return true
	}
	v.found = e.Seq
	return false
}

// Bad returns the sequence number at which the chain first broke: the
// entry that was edited, the first missing one where entries were deleted,
// or the place where an entry is out of order. It is 0 while the chain is
// intact.
func (v *Verifier) Bad() int64 {
	if v.brk == BreakNone {
		return 0
	}
	return v.n + 1
}

// Break returns how the chain broke at Bad, or BreakNone.
func (v *Verifier) Break() Break { return v.brk }

// Found returns the Seq of the entry found where the chain broke (which
// differs from Bad on a BreakSequence), or 0 while the chain is intact.
func (v *Verifier) Found() int64 { return v.found }

// Len returns the number of entries found in place, which is also the Seq
// of the last of them.
func (v *Verifier) Len() int64 { return v.n }

// LastHash returns the Hash of the last entry found in place ("" if none).
func (v *Verifier) LastHash() string { return v.lastHash }
