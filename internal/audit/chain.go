package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
	"strconv"
	"time"
)

// chainVersion separates this encoding from any later one, so that a future
// change of encoding can never produce a hash equal to one made by this one.
const chainVersion = "safemeet-audit-chain-v1"

// ChainHash returns the hex SHA-256 that links e to the entry before it, whose
// hash is prevHash ("" for the first entry). It covers prevHash and every field
// of e except PrevHash and Hash themselves: Seq, At (as UTC RFC 3339 with
// nanoseconds), Actor, Action, Subject, Outcome, Meeting and Details (in key
// order). Every field is length-prefixed, so no two different entries share an
// encoding, and a nil Details hashes like an empty one.
func ChainHash(prevHash string, e Entry) string {
	h := sha256.New()
	writeField(h, chainVersion)
	writeField(h, prevHash)
	writeField(h, strconv.FormatInt(e.Seq, 10))
	writeField(h, e.At.UTC().Format(time.RFC3339Nano))
	writeField(h, e.Actor)
	writeField(h, e.Action)
	writeField(h, e.Subject)
	writeField(h, string(e.Outcome))
	writeField(h, e.Meeting)
	writeLen(h, len(e.Details))
	keys := make([]string, 0, len(e.Details))
	for k := range e.Details {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		writeField(h, k)
		writeField(h, e.Details[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeField writes s preceded by its length in bytes.
func writeField(h hash.Hash, s string) {
	writeLen(h, len(s))
	h.Write([]byte(s))
}

// writeLen writes n as 8 big-endian bytes.
func writeLen(h hash.Hash, n int) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
}

// Verify walks a chain from its first entry (Seq 1, PrevHash "") and reports
// whether every entry is in place and unedited. If not, badSeq is the sequence
// number at which the chain first breaks: the entry that was edited, the first
// missing one where entries were deleted, or the place where an entry is out of
// order. An empty chain is intact.
//
// If an entry was edited and its own Hash recomputed, the break shows at the
// next entry (whose PrevHash no longer matches). Verify cannot notice entries
// removed from the end, nor a chain rewritten from the edit onwards: compare
// the last hash with a copy kept elsewhere for that.
//
// Verify holds the whole chain in memory; a Verifier checks one entry at a
// time, and also tells how the chain broke.
func Verify(entries []Entry) (badSeq int64, ok bool) {
	var v Verifier
	for _, e := range entries {
		if !v.Add(e) {
			return v.Bad(), false
		}
	}
	return 0, true
}
