package displayname

import (
	"slices"
	"strings"
	"unicode"

	"go.mau.fi/util/confusable"
	"golang.org/x/text/cases"
)

// comparisonWords splits a normalised name into words and returns each word's
// comparison form (see comparisonForm), leaving out words whose form is empty.
//
// Words are separated by anything that is not a letter, number or mark
// (spaces, punctuation, symbols), and also where digits meet letters, so that
// "H0st" is the words "H", "0", "st". Because reserved words and protected
// names are matched against runs of adjacent words joined together (see
// joinedRuns), splitting more finely never hides a match; it only lets
// "Teacher1" or "Mrs Jones2" be seen as containing "teacher" or "mrsjones".
func comparisonWords(name string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		if f := comparisonForm(cur.String()); f != "" {
			words = append(words, f)
		}
		cur.Reset()
	}
	prevDigit := false
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
			flush()
			continue
		}
		if unicode.IsMark(r) {
			cur.WriteRune(r) // a mark belongs to the character before it
			continue
		}
		digit := unicode.IsNumber(r)
		if digit != prevDigit {
			flush()
		}
		prevDigit = digit
		cur.WriteRune(r)
	}
	flush()
	return words
}

// maxSkeletonRounds bounds the loop in skeletonFixedPoint. Over all of
// Unicode 17 three rounds reach a fixed point or a cycle; the rest is margin.
const maxSkeletonRounds = 8

// skeletonFixedPoint applies the UTS #39 skeleton and then Unicode case
// folding, over and over, until the result stops changing.
//
// A few prototypes have prototypes of their own once folded ("Ϛ" gives "σ",
// which gives "o"), hence the loop. And for Cherokee the two steps undo each
// other: case folding maps Cherokee small letters to capitals, the
// confusables data maps some capitals to small letters. When the loop comes
// back to a string it has seen, the smallest string of that cycle is taken, so
// every member of the cycle gives the same answer.
func skeletonFixedPoint(s string) string {
	fold := cases.Fold() // a Caser has state, so one per call
	seen := []string{s}
	for range maxSkeletonRounds {
		next := fold.String(confusable.Skeleton(s))
		if next == s {
			return s
		}
		if i := slices.Index(seen, next); i >= 0 {
			return slices.Min(seen[i:])
		}
		seen = append(seen, next)
		s = next
	}
	return s
}

// comparisonForm maps a word to the form it is compared in, so that words
// that look alike get the same form:
//
//  1. the UTS #39 skeleton (NFD, each character replaced by its prototype from
//     the Unicode confusables data, NFD again), which maps Cyrillic and Greek
//     look-alikes to Latin, "0" to "O", "1" and "I" to "l", "m" to "rn";
//  2. Unicode case folding, then steps 1 and 2 again until nothing changes
//     (see skeletonFixedPoint), so that a look-alike of either case matches
//     ("Ноst", "НОST", "hоst") and the form of a form is itself;
//  3. combining marks removed, so "Jönes" and "J̸o̸n̸e̸s̸" match "Jones";
//  4. "i" folded to "l": the confusables data maps capital "I" and "1" to
//     "l", but case folding turns "I" into "i" first, so without this step
//     "ADM1N" and "admin" would differ;
//  5. punctuation and spaces that some prototypes contain dropped (the
//     prototype of "ʼ" is "'"), so that they match the separators between
//     words; symbols are kept ("ð" gives "∂").
//
// The form is for comparison only and is never shown to anyone.
func comparisonForm(word string) string {
	s := skeletonFixedPoint(word)
	return strings.Map(func(r rune) rune {
		switch {
		case r == 'i':
			return 'l'
		case unicode.IsMark(r), unicode.IsPunct(r), unicode.IsSpace(r), !unicode.IsGraphic(r):
			return -1
		}
		return r
	}, s)
}

// joinedRuns calls yield with every run of adjacent words joined together,
// from single words up to the whole name, and stops when yield returns false.
// With at most MaxLen words this is at most 820 short strings.
func joinedRuns(words []string, yield func(string) bool) {
	for i := range words {
		var run strings.Builder
		for j := i; j < len(words); j++ {
			run.WriteString(words[j])
			if !yield(run.String()) {
				return
			}
		}
	}
}
