package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

// Limits on passwords, in characters (runes).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// The argon2id parameters new hashes use: OWASP's recommended minimum
// (19 MiB, 2 passes, 1 lane), a 16-byte salt and a 32-byte key.
// See https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html.
const (
	argonMemoryKiB = 19456
	argonTime      = 2
	argonThreads   = 1
	saltLen        = 16
	keyLen         = 32
)

// phcEncoding is the base64 of PHC strings: standard alphabet, no padding.
var phcEncoding = base64.RawStdEncoding

// dummyHash is verified against when an account has no password to check, so
// that a sign-in takes the same time whether or not the account exists. It
// uses the same parameters as HashPassword (a test checks), and its password
// is unknown.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$qcqRClP7JX+49kJqbjL2ZA$GPEXeoAz9RlFsVisJn9LrX/DdTSrviE4WSeN59W3zxQ"

// HashPassword checks that pw is 12 to 256 characters of valid UTF-8 and
// returns its argon2id hash as a PHC string
// ($argon2id$v=19$m=…,t=…,p=…$salt$key). A password that breaks the rules is
// errcode.Invalid wrapping a *meeting.FieldError for "password".
func HashPassword(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); !utf8.ValidString(pw) || n < MinPasswordLen || n > MaxPasswordLen {
		return "", errcode.Wrap(errcode.Invalid, &meeting.FieldError{Field: "password"})
	}
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails (Go ≥ 1.24)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime,
		argonThreads, phcEncoding.EncodeToString(salt), phcEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the argon2id PHC string phc,
// using the parameters phc names and a constant-time comparison. A malformed
// phc, or one whose parameters are out of bounds, matches nothing.
func VerifyPassword(pw, phc string) bool {
	p, ok := parsePHC(phc)
	if !ok {
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memoryKiB, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// phc is a parsed argon2id PHC string.
type phc struct {
	memoryKiB, time uint32
	threads         uint8
	salt, key       []byte
}

// parsePHC parses an argon2id PHC string strictly, refusing parameters far
// outside what HashPassword makes so that an edited hash cannot make a
// sign-in take minutes or gigabytes.
func parsePHC(s string) (phc, bool) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return phc{}, false
	}
	m, okM := param(parts[3], 0, "m", 8, 256<<10)
	t, okT := param(parts[3], 1, "t", 1, 16)
	p, okP := param(parts[3], 2, "p", 1, 16)
	salt, errS := phcEncoding.DecodeString(parts[4])
	key, errK := phcEncoding.DecodeString(parts[5])
	if !okM || !okT || !okP || errS != nil || errK != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return phc{}, false
	}
	return phc{memoryKiB: m, time: t, threads: uint8(p), salt: salt, key: key}, true
}

// param returns the i-th of the comma-separated name=value parameters in s if
// it is called name and its value is a decimal number in [lo, hi].
func param(s string, i int, name string, lo, hi uint64) (uint32, bool) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return 0, false
	}
	k, v, ok := strings.Cut(fields[i], "=")
	n, err := strconv.ParseUint(v, 10, 32)
	if !ok || k != name || err != nil || n < lo || n > hi {
		return 0, false
	}
	return uint32(n), true
}
