package register

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// replacement stands in for a character that clean removes, so that a reader
// of the register can see something was there.
const replacement = "\uFFFD"

// clean makes s safe to write in either format: invalid UTF-8, control
// characters other than tab, newline and carriage return, and the
// noncharacters U+FFFE and U+FFFF are each replaced by U+FFFD.
//
// XML 1.0 forbids most of these outright (https://www.w3.org/TR/xml/#charsets),
// so a name with a NUL in it would otherwise make a broken workbook; the rest
// (ESC, DEL, the C1 controls such as CSI) are valid XML but would let a name
// recolour or rewrite the terminal of someone who looks at the CSV with cat.
// Newlines stay: CSV quotes them and a spreadsheet cell can hold them.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				b.WriteString(replacement)
				continue
			}
		}
		if unwanted(r) {
			b.WriteString(replacement)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isClean reports whether clean would return s unchanged.
func isClean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unwanted(r) {
			return false
		}
	}
	return true
}

// unwanted reports whether clean replaces r.
func unwanted(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	case 0xFFFE, 0xFFFF:
		return true
	}
	return unicode.IsControl(r)
}

// neutralise makes a CSV cell inert when a spreadsheet would otherwise read it
// as a formula, following OWASP's advice on CSV injection
// (https://owasp.org/www-community/attacks/CSV_Injection): a cell that begins
// with "=", "+", "-", "@", tab or carriage return gets a single quote in
// front. Excel and LibreOffice take a leading quote to mean "this is text" and
// do not show it in the cell. The rule has no exceptions (a lone "-" is
// quoted too): every exception is somewhere an attack can hide.
//
// Only text columns pass through here; counts, times and minutes are written
// by this package and are never formulas. Commas, quotes and newlines inside a
// cell are left to encoding/csv's quoting.
//
// Workbooks do not need this: a string cell there is text whatever it starts
// with, so the value is kept exact (see WriteXLSX).
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
