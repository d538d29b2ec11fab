// Package secret makes and checks bearer secrets: invitation tokens, login IDs and
// one-time sign-in links. Secrets are 256 bits from crypto/rand; only their SHA-256
// hashes are stored, and comparisons are constant-time.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// Size is the number of random bytes in a secret.
const Size = 32

// New returns a new URL-safe secret of Size random bytes.
func New() string {
	var b [Size]byte
	rand.Read(b[:]) // never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Hash returns the hex SHA-256 of a secret: the only form that is stored.
// A plain hash suffices because secrets carry 256 bits of entropy.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// WellFormed reports whether s could be a secret made by New, so that garbage is
// refused before any lookup.
func WellFormed(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(Size) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// Matches reports in constant time whether s hashes to hash.
func Matches(s, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(Hash(s)), []byte(hash)) == 1
}
