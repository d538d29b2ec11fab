package chat

import (
	"strings"
	"unicode"
	"unicode/utf16"
)

// Segment is a run of a message's text: plain text, or a link.
type Segment struct {
	Text string
	// Link is true for a link; Href is then where it goes: Text itself for an
	// http:// or https:// link, "https://" + Text for a www. address.
	Link bool
	Href string
}

// Link is one link in a message's text, as sent on the wire (the "links" of a
// chat message). Start and End are offsets into the text in UTF-16 code units,
// so that a browser's text.slice(Start, End) is the link's text; Href is where
// it goes, as in Segment. Links in a message are in order and never overlap.
type Link struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Href  string `json:"href"`
}

// span is a found link, in rune offsets.
type span struct {
	start, end int
	href       string
}

// Segments splits text into plain-text and link segments, in order; joined,
// their Text is text. An empty text has no segments.
//
// Only these are links: "http://" or "https://" followed by a host name, and
// "www." followed by a host name (which goes to https://). The scheme is matched
// without regard to case. A host name is letters, digits, hyphens and dots,
// with at least one dot (two after "www.") and no empty label, optionally
// followed by ":" and a port number; then a path, query or fragment may follow.
// Nothing else is ever a link: no other scheme (javascript:, data:, file:,
// vbscript:, ...), no UNC path (\\server\share), no address with a user name
// ("https://bank.example@evil.example" is refused whole, so it cannot pose as
// one site while going to another). A link starts only at the start of the text,
// after a space, or after an opening bracket, "<" or a quote; it ends at a space, a
// control or format character, one of < > " ` { } | \ ^, or a quotation mark;
// and trailing punctuation (. , : ; ! ? ' " * _ ~) is not part of it, nor is a
// closing ) ] or } that has no opening partner inside the link, so
// "(see https://example.org/a_(b))." links "https://example.org/a_(b)".
func Segments(text string) []Segment {
	runes := []rune(text)
	var segs []Segment
	at := 0
	for _, l := range findLinks(runes) {
		if l.start > at {
			segs = append(segs, Segment{Text: string(runes[at:l.start])})
		}
		segs = append(segs, Segment{Text: string(runes[l.start:l.end]), Link: true, Href: l.href})
		at = l.end
	}
	if at < len(runes) {
		segs = append(segs, Segment{Text: string(runes[at:])})
	}
	return segs
}

// Links returns the links in text with UTF-16 offsets (see Link), or nil if
// there are none. The server sends them with a message only when the meeting's
// rules make chat links clickable.
func Links(text string) []Link {
	runes := []rune(text)
	found := findLinks(runes)
	if len(found) == 0 {
		return nil
	}
	links := make([]Link, 0, len(found))
	units, at := 0, 0 // UTF-16 offset of rune index at
	advance := func(to int) int {
		for ; at < to; at++ {
			units += utf16.RuneLen(runes[at])
		}
		return units
	}
	for _, l := range found {
		start := advance(l.start)
		end := advance(l.end)
		links = append(links, Link{Start: start, End: end, Href: l.href})
	}
	return links
}

func findLinks(rs []rune) []span {
	var found []span
	for i := 0; i < len(rs); {
		if atBoundary(rs, i) {
			if l, ok := linkAt(rs, i); ok {
				found = append(found, l)
				i = l.end
				continue
			}
		}
		i++
	}
	return found
}

// atBoundary reports whether a link may start at rs[i].
func atBoundary(rs []rune, i int) bool {
	if i == 0 {
		return true
	}
	p := rs[i-1]
	return unicode.IsSpace(p) || unicode.In(p, unicode.Ps, unicode.Pi) || p == '<' || p == '"' || p == '\''
}

// hasPrefixFold reports whether rs starts with the ASCII prefix, ignoring case.
func hasPrefixFold(rs []rune, prefix string) bool {
	if len(rs) < len(prefix) {
		return false
	}
	for i := range len(prefix) {
		if unicode.ToLower(rs[i]) != rune(prefix[i]) {
			return false
		}
	}
	return true
}

// linkAt parses a link starting at rs[i], if there is one.
func linkAt(rs []rune, i int) (span, bool) {
	var hostStart, minLabels int
	var hrefPrefix string
	switch {
	case hasPrefixFold(rs[i:], "https://"):
		hostStart, minLabels = i+len("https://"), 2
	case hasPrefixFold(rs[i:], "http://"):
		hostStart, minLabels = i+len("http://"), 2
	case hasPrefixFold(rs[i:], "www."):
		hostStart, minLabels, hrefPrefix = i, 3, "https://"
	default:
		return span{}, false
	}
	j := hostStart
	for j < len(rs) && isHostRune(rs[j]) {
		j++
	}
	if !validHost(string(rs[hostStart:j]), minLabels) {
		return span{}, false
	}
	if j < len(rs) && rs[j] == ':' {
		k := j + 1
		for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
			k++
		}
		switch digits := k - j - 1; {
		case digits > 0 && digits <= 5: // a port
			j = k
		case digits == 0 && (k == len(rs) || !isURLRune(rs[k]) || strings.ContainsRune(".,;!?)]'", rs[k])):
			// a colon ending the sentence, as in "see https://example.org: ..."
		default:
			return span{}, false // a password, a stray colon or no real port: refused whole
		}
	}
	if j < len(rs) {
		switch rs[j] {
		case '/', '?', '#':
			for j < len(rs) && isURLRune(rs[j]) {
				j++
			}
		case '@':
			return span{}, false // a user name: refused whole
		}
	}
	end := trimTrailing(rs, i, j)
	if end <= hostStart {
		return span{}, false
	}
	text := string(rs[i:end])
	return span{start: i, end: end, href: hrefPrefix + text}, true
}

func isHostRune(r rune) bool {
	return r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// validHost reports whether host (perhaps with trailing dots, which are left to
// trimTrailing) has at least minLabels labels, none empty.
func validHost(host string, minLabels int) bool {
	host = strings.TrimRight(host, ".")
	labels := strings.Split(host, ".")
	if len(labels) < minLabels {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return true
}

// isURLRune reports whether r may be part of a link's path, query or fragment.
func isURLRune(r rune) bool {
	switch {
	case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		return false
	case unicode.In(r, unicode.Pi, unicode.Pf):
		return false
	case strings.ContainsRune("<>\"`{}|\\^", r):
		return false
	}
	return true
}

// trimTrailing returns where the link rs[start:end] really ends: without
// trailing punctuation or unbalanced closing brackets.
func trimTrailing(rs []rune, start, end int) int {
	parens, brackets := balance(rs[start:end], '(', ')'), balance(rs[start:end], '[', ']')
	for end > start {
		switch r := rs[end-1]; {
		case strings.ContainsRune(".,:;!?'\"*_~", r):
		case r == ')' && parens < 0:
			parens++
		case r == ']' && brackets < 0:
			brackets++
		default:
			return end
		}
		end--
	}
	return end
}

// balance returns how many more opening than closing brackets rs has.
func balance(rs []rune, open, close rune) int {
	n := 0
	for _, r := range rs {
		switch r {
		case open:
			n++
		case close:
			n--
		}
	}
	return n
}
