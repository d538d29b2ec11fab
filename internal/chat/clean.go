package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"safemeet/internal/errcode"
)

// MaxLen is the longest message, in Unicode code points (runes), after Clean.
const MaxLen = 2000

// maxMarks is the most combining marks kept in a row after one base character.
// Real scripts stack a few; long stacks ("Zalgo" text) spill over neighbouring
// messages and hide them.
const maxMarks = 8

// maxBlankLines is the most empty lines kept in a row.
const maxBlankLines = 2

const (
	zwnj      = '\u200c'
	zwj       = '\u200d'
	blackFlag = '\U0001f3f4'
	tagCancel = '\U000e007f'
)

// Clean returns text as it may be shown to others, or an *errcode.Error:
// ChatInvalid if text is not valid UTF-8 or nothing is left after cleaning, and
// ChatTooLong if more than MaxLen runes are left.
//
// Cleaning, in order:
//   - CRLF and CR become LF; U+2028 and U+2029 (line and paragraph separators)
//     become LF; a tab becomes a space, and so does U+2800 (the blank braille
//     pattern, often used to fake an empty message).
//   - Other C0 and C1 control characters and DEL are removed.
//   - Every Unicode format character (category Cf) is removed: the bidi embeddings,
//     overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E, U+200F,
//     U+061C), which can make text read in a different order from the one it is
//     stored in; and the invisible ones (U+200B zero width space, U+2060 word
//     joiner, U+FEFF, U+00AD soft hyphen, U+180E, the tag characters, ...), which
//     can pad, hide or smuggle text. Also removed, though not Cf, are U+034F
//     and the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, which look blank.
//   - Two exceptions keep emoji and scripts working. The zero width joiner
//     U+200D (which builds emoji such as 👩‍💻 and is needed in several Indic
//     scripts) and the zero width non-joiner U+200C (Persian, Indic scripts) are
//     kept only between two visible characters; elsewhere (at an edge, next to
//     a space or another joiner) they are invisible padding and are removed. Tag
//     characters are kept only as a subdivision flag's tag sequence (🏴 followed
//     by lowercase letters or digits and U+E007F, as in the flag of England).
//   - A variation selector (U+FE00–FE0F, U+E0100–E01EF) is kept only straight
//     after a visible character that is not itself a variation selector: one
//     selects an emoji's or ideograph's form; a run of them carries hidden data.
//   - At most 8 combining marks are kept in a row.
//   - Trailing spaces are removed from every line, more than 2 blank lines in a
//     row become 2, and space at the start and end of the message is removed.
//
// HTML, Markdown and links are not touched: "<b>" stays the three characters
// "<b>", for the browser to show as text.
func Clean(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", errcode.New(errcode.ChatInvalid)
	}
	runes := dropJoinersAndMarks(filter([]rune(text)))
	out := tidyLines(string(runes))
	if out == "" {
		return "", errcode.New(errcode.ChatInvalid)
	}
	if utf8.RuneCountInString(out) > MaxLen {
		return "", errcode.New(errcode.ChatTooLong)
	}
	return out, nil
}

// filter maps line breaks and tabs, removes control, format and blank-looking
// characters, and keeps valid flag tag sequences (see Clean).
func filter(in []rune) []rune {
	out := make([]rune, 0, len(in))
	for i := 0; i < len(in); i++ {
		r := in[i]
		switch {
		case r == '\r':
			if i+1 < len(in) && in[i+1] == '\n' {
				continue // the LF that follows is kept
			}
			r = '\n'
		case r == '\u2028' || r == '\u2029':
			r = '\n'
		case r == '\t' || r == '\u2800':
			r = ' '
		case r == blackFlag:
			n := flagTags(in[i+1:])
			out = append(out, in[i:i+1+n]...)
			i += n
			continue
		}
		if r != '\n' && !keepRune(r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// keepRune reports whether r (not a line feed) survives filtering. Joiners
// survive here and are judged by dropJoinersAndMarks.
func keepRune(r rune) bool {
	switch {
	case r == zwj || r == zwnj:
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return false
	case isBidiControl(r) || unicode.Is(unicode.Cf, r):
		return false
	case r == '\u034f' || r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0':
		return false
	}
	return true
}

// isBidiControl reports whether r is a bidi embedding, override, isolate or mark.
// (All are Cf too; they are named here because they are the ones that reorder text.)
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// flagTags returns how many runes at the start of rest form a subdivision flag's
// tag sequence: tag lowercase letters or digits ended by a cancel tag. It returns
// 0 if rest does not start with a complete, well-formed one.
func flagTags(rest []rune) int {
	for i, r := range rest {
		switch {
		case r == tagCancel:
			if i == 0 {
				return 0
			}
			return i + 1
		case (r >= 0xe0030 && r <= 0xe0039) || (r >= 0xe0061 && r <= 0xe007a):
			if i >= 7 { // a region and subdivision code is at most 6 ("gbeng" is 5)
				return 0
			}
		default:
			return 0
		}
	}
	return 0
}

func isVariationSelector(r rune) bool {
	return (r >= 0xfe00 && r <= 0xfe0f) || (r >= 0xe0100 && r <= 0xe01ef)
}

func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me) }

// visible reports whether r can sit either side of a kept joiner.
func visible(r rune) bool {
	return r != zwj && r != zwnj && !unicode.IsSpace(r)
}

// dropJoinersAndMarks removes joiners that are not between two visible
// characters, stray or repeated variation selectors, and long runs of
// combining marks (see Clean).
func dropJoinersAndMarks(in []rune) []rune {
	out := make([]rune, 0, len(in))
	marks := 0
	for i, r := range in {
		var prev rune = -1
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		switch {
		case r == zwj || r == zwnj:
			if prev == -1 || !visible(prev) || i+1 >= len(in) || !visible(in[i+1]) {
				continue
			}
		case isVariationSelector(r):
			if prev == -1 || !visible(prev) || isVariationSelector(prev) {
				continue
			}
		}
		if isMark(r) {
			marks++
			if marks > maxMarks {
				continue
			}
		} else {
			marks = 0
		}
		out = append(out, r)
	}
	return out
}

// tidyLines removes trailing space from each line, keeps at most maxBlankLines
// blank lines in a row, and trims the whole.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	blank := 0
	for _, line := range lines {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			blank++
			if blank > maxBlankLines {
				continue
			}
		} else {
			blank = 0
		}
		kept = append(kept, line)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}
