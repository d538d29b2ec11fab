// Package displayname decides whether a participant may use a requested
// display name.
//
// In order, Check:
//   - refuses invalid UTF-8 and inputs over 1 KiB (NameInvalid);
//   - strips control, bidi, zero-width and other invisible characters;
//   - applies the PRECIS Nickname profile (RFC 8266): spaces mapped, collapsed
//     and trimmed, NFKC (so fullwidth and mathematical letters become plain);
//   - refuses a result of 0 or more than MaxLen runes, or with no letter or
//     number at all (NameInvalid);
//   - refuses a look-alike of a protected name (NameImpersonates, see
//     impersonate.go), checked before reserved words so that
//     "Mrs Jones (host)" is reported as impersonation;
//   - refuses a name with a reserved word in it (NameReserved, see reserved.go).
//
// Look-alikes are found by comparing forms built from the Unicode confusables
// data of UTS #39 (https://www.unicode.org/reports/tr39/#Confusable_Detection),
// case-folded, without accents, spaces or punctuation; see compare.go.
package displayname

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"

	"safemeet/internal/errcode"
)

// MaxLen is the most runes a display name may have.
const MaxLen = 40

// maxInputBytes bounds the raw input, before any work is done on it, so that a
// huge request cannot make normalisation expensive. It leaves room for a name
// of MaxLen runes of up to four bytes each plus invisible characters that are
// stripped.
const maxInputBytes = 1024

// Check normalises a requested display name and decides whether it may be used.
// protected are the names a participant must not imitate (the meeting's host and
// co-hosts, by their real names). It returns the normalised name, or an
// *errcode.Error with code errcode.NameInvalid, errcode.NameReserved or
// errcode.NameImpersonates (these codes already exist in internal/errcode).
//
// Callers should not include the participant's own real name in protected.
func Check(name string, protected []string) (string, error) {
	norm, err := normalise(name)
	if err != nil {
		return "", errcode.Wrap(errcode.NameInvalid, err)
	}
	words := comparisonWords(norm)
	if len(words) == 0 {
		return "", errcode.Wrap(errcode.NameInvalid, errors.New("no letter or number"))
	}
	for _, p := range protected {
		if imitates(words, p) {
			return "", errcode.New(errcode.NameImpersonates)
		}
	}
	if w, ok := reservedIn(words); ok {
		return "", errcode.Wrap(errcode.NameReserved, fmt.Errorf("reserved word %q", w))
	}
	return norm, nil
}

// normalise strips invisible and control characters from s, applies the PRECIS
// Nickname profile (RFC 8266: spaces mapped and collapsed, trimmed, NFKC) and
// checks the length.
func normalise(s string) (string, error) {
	if len(s) > maxInputBytes {
		return "", fmt.Errorf("input of %d bytes", len(s))
	}
	if !utf8.ValidString(s) {
		return "", errors.New("invalid UTF-8")
	}
	n, err := precis.Nickname.String(stripInvisible(s))
	if err != nil {
		return "", fmt.Errorf("precis nickname: %w", err)
	}
	if c := utf8.RuneCountInString(n); c < 1 || c > MaxLen {
		return "", fmt.Errorf("%d runes", c)
	}
	return n, nil
}

// stripInvisible turns whitespace control characters (tab, newline...) into
// spaces and removes every character that is invisible or changes how the
// text around it is shown:
//   - control characters (Cc);
//   - format characters (Cf): bidi marks, embeddings, overrides and isolates
//     (U+200E/F, U+061C, U+202A–202E, U+2066–2069), zero-width space, joiner
//     and non-joiner (U+200B–200D), word joiner and invisible operators
//     (U+2060–2064), byte order mark (U+FEFF), soft hyphen (U+00AD), tags;
//   - other default-ignorable code points (combining grapheme joiner, Hangul
//     fillers, ...) and variation selectors;
//   - U+2800 BRAILLE PATTERN BLANK, which is a symbol but shows as nothing.
func stripInvisible(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r) && unicode.IsSpace(r):
			return ' '
		case unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r),
			unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r),
			unicode.Is(unicode.Variation_Selector, r),
			r == '\u2800':
			return -1
		}
		return r
	}, s)
}
