package displayname

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"
)

// Lengths, in runes of comparison form, from which a protected name is looked
// for inside a candidate and not only compared with the whole of it.
const (
	// minWordMatch: a protected form this long is refused when it appears as
	// whole words of the candidate ("Mrs Jones (host)", "Ann Smith" for "Ann").
	// Shorter ones ("Al") are refused only when the whole name matches, or
	// every "Al Smith" would be.
	minWordMatch = 3
	// minInnerMatch: a protected form this long is refused anywhere in the
	// candidate, even inside a word ("TheRealMrsJones"). Shorter ones are not,
	// or a host called "Ann" would turn away every "Hannah" and "Joanne".
	minInnerMatch = 6
)

// imitates reports whether a candidate, given as comparison-form words, looks
// like the protected name p.
func imitates(words []string, p string) bool {
	pw := comparisonWords(protectedForm(p))
	pf := strings.Join(pw, "")
	if pf == "" {
		return false
	}
	whole := strings.Join(words, "")
	if whole == pf {
		return true
	}
	n := utf8.RuneCountInString(pf)
	if n >= minInnerMatch && strings.Contains(whole, pf) {
		return true
	}
	found := false
	if n >= minWordMatch {
		joinedRuns(words, func(run string) bool {
			found = run == pf
			return !found
		})
	}
	return found
}

// protectedForm normalises a protected name as a candidate would be, but
// without the length limit, falling back to the name with invisible characters
// stripped if PRECIS refuses it (protected names come from accounts and
// invitations, not from Check).
func protectedForm(p string) string {
	s := stripInvisible(p)
	if n, err := precis.Nickname.String(s); err == nil {
		return n
	}
	return s
}
