package displayname

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"safemeet/internal/errcode"
)

// ok marks a case that must be accepted.
const ok errcode.Code = ""

type checkCase struct {
	scenario  string
	name      string
	protected []string
	want      string // normalised name, when accepted
	code      errcode.Code
}

func runChecks(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			got, err := Check(tc.name, tc.protected)
			if tc.code == ok {
				if err != nil {
					t.Fatalf("Check(%q) refused with %v, want accepted", tc.name, err)
				}
				want := tc.want
				if want == "" {
					want = tc.name
				}
				if got != want {
					t.Errorf("Check(%q) = %q, want %q", tc.name, got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check(%q) accepted as %q, want %s", tc.name, got, tc.code)
			}
			var e *errcode.Error
			if !errors.As(err, &e) {
				t.Fatalf("Check(%q) error %v is not an *errcode.Error", tc.name, err)
			}
			if e.Code != tc.code {
				t.Errorf("Check(%q) code = %s, want %s (error %v)", tc.name, e.Code, tc.code, err)
			}
			if got != "" {
				t.Errorf("Check(%q) returned name %q with an error, want empty", tc.name, got)
			}
		})
	}
}

func TestCheckNormalises(t *testing.T) {
	runChecks(t, []checkCase{
		{scenario: "a plain name is kept as it is", name: "Sam Jones", code: ok},
		{scenario: "surrounding spaces are trimmed", name: "  Sam Jones  ", want: "Sam Jones", code: ok},
		{scenario: "repeated spaces collapse to one", name: "Sam   Jones", want: "Sam Jones", code: ok},
		{scenario: "a no-break space becomes a space", name: "Sam\u00a0Jones", want: "Sam Jones", code: ok},
		{scenario: "a tab becomes a space", name: "Sam\tJones", want: "Sam Jones", code: ok},
		{scenario: "fullwidth letters become ASCII", name: "ＳａｍＪｏｎｅｓ", want: "SamJones", code: ok},
		{scenario: "mathematical letters become plain", name: "𝐒𝐚𝐦", want: "Sam", code: ok},
		{scenario: "a decomposed accent is composed", name: "Zoe\u0308", want: "Zoë", code: ok},
		{scenario: "a right-to-left override is stripped", name: "\u202eJones", want: "Jones", code: ok},
		{scenario: "bidi isolates and marks are stripped", name: "\u2067Sam\u2069 \u200fJones\u200e\u061c", want: "Sam Jones", code: ok},
		{scenario: "zero-width characters are stripped", name: "S\u200ba\u200cm\u200d \u2060Jo\ufeffn\u00ades", want: "Sam Jones", code: ok},
		{scenario: "control characters are stripped", name: "Sam\x00\x07\x1b\u0085Jones", want: "Sam Jones", code: ok},
		{scenario: "a combining grapheme joiner and variation selector are stripped", name: "Sa\u034fm\ufe0f", want: "Sam", code: ok},
		{scenario: "a braille blank is stripped", name: "Sam\u2800", want: "Sam", code: ok},
		{scenario: "a name of exactly MaxLen runes is accepted", name: strings.Repeat("é", MaxLen), code: ok},
	})
}

func TestCheckRefusesInvalid(t *testing.T) {
	runChecks(t, []checkCase{
		{scenario: "an empty name is invalid", name: "", code: errcode.NameInvalid},
		{scenario: "a name of spaces is invalid", name: "   \t ", code: errcode.NameInvalid},
		{scenario: "a name of only invisible characters is invalid", name: "\u200b\u200d\u202e\ufeff", code: errcode.NameInvalid},
		{scenario: "a name of only punctuation is invalid", name: "...", code: errcode.NameInvalid},
		{scenario: "a name of only emoji is invalid", name: "🙂🙂", code: errcode.NameInvalid},
		{scenario: "invalid UTF-8 is invalid", name: "Sam \xff Jones", code: errcode.NameInvalid},
		{scenario: "a truncated UTF-8 sequence is invalid", name: "Zo\xc3", code: errcode.NameInvalid},
		{scenario: "a name one rune over MaxLen is invalid", name: strings.Repeat("a", MaxLen+1), code: errcode.NameInvalid},
		{scenario: "a long name counts runes after normalising", name: strings.Repeat("é", MaxLen+1), code: errcode.NameInvalid},
		{scenario: "a stack of combining marks counts towards the length", name: "Sam" + strings.Repeat("\u0301", MaxLen), code: errcode.NameInvalid},
		{scenario: "a huge input is invalid before any work", name: strings.Repeat("\u200b", 2000) + "Sam", code: errcode.NameInvalid},
		{scenario: "an unassigned code point is invalid", name: "Sam\u0378", code: errcode.NameInvalid},
		{scenario: "a private-use character is invalid", name: "Sam\ue000", code: errcode.NameInvalid},
	})
}

func TestCheckRefusesReservedWords(t *testing.T) {
	runChecks(t, []checkCase{
		{scenario: "host alone is reserved", name: "Host", code: errcode.NameReserved},
		{scenario: "host in lower case is reserved", name: "host", code: errcode.NameReserved},
		{scenario: "co-host with a hyphen is reserved", name: "Co-Host", code: errcode.NameReserved},
		{scenario: "cohost as one word is reserved", name: "cohost", code: errcode.NameReserved},
		{scenario: "a role before a surname is reserved", name: "Teacher Smith", code: errcode.NameReserved},
		{scenario: "a role after a name is reserved", name: "Sam (admin)", code: errcode.NameReserved},
		{scenario: "a role joined by punctuation is reserved", name: "support.team", code: errcode.NameReserved},
		{scenario: "a role followed by a digit is reserved", name: "Teacher1", code: errcode.NameReserved},
		{scenario: "administrator is reserved", name: "Administrator", code: errcode.NameReserved},
		{scenario: "moderator is reserved", name: "Moderator", code: errcode.NameReserved},
		{scenario: "staff is reserved", name: "STAFF", code: errcode.NameReserved},
		{scenario: "organiser is reserved", name: "Organiser", code: errcode.NameReserved},
		{scenario: "organizer is reserved", name: "Organizer", code: errcode.NameReserved},
		{scenario: "owner is reserved", name: "Meeting Owner", code: errcode.NameReserved},
		{scenario: "safeguarding is reserved", name: "Safeguarding Lead", code: errcode.NameReserved},
		{scenario: "dsl is reserved", name: "DSL", code: errcode.NameReserved},
		{scenario: "system is reserved", name: "System", code: errcode.NameReserved},
		{scenario: "safemeet is reserved", name: "SafeMeet", code: errcode.NameReserved},
		{scenario: "police is reserved", name: "Police", code: errcode.NameReserved},
		{scenario: "a zero in host is reserved", name: "H0st", code: errcode.NameReserved},
		{scenario: "a one in admin is reserved", name: "adm1n", code: errcode.NameReserved},
		{scenario: "a capital I in admin is reserved", name: "ADMlN", code: errcode.NameReserved},
		{scenario: "Cyrillic capital H and small o in host is reserved", name: "\u041d\u043est", code: errcode.NameReserved},
		{scenario: "all-Cyrillic capitals spelling HOST is reserved", name: "\u041d\u041e\u0405\u0422", code: errcode.NameReserved},
		{scenario: "Greek capitals in HOST are reserved", name: "\u0397\u039fST", code: errcode.NameReserved},
		{scenario: "Cyrillic letters in teacher are reserved", name: "t\u0435\u0430\u0441h\u0435r", code: errcode.NameReserved},
		{scenario: "fullwidth ADMIN is reserved", name: "ＡＤＭＩＮ", code: errcode.NameReserved},
		{scenario: "mathematical bold host is reserved", name: "𝐇𝐨𝐬𝐭", code: errcode.NameReserved},
		{scenario: "a zero-width joiner inside admin is reserved", name: "ad\u200dmin", code: errcode.NameReserved},
		{scenario: "a soft hyphen inside admin is reserved", name: "ad\u00admin", code: errcode.NameReserved},
		{scenario: "an accent on admin is reserved", name: "Admín", code: errcode.NameReserved},
		{scenario: "combining marks over host are reserved", name: "H\u0336o\u0336s\u0336t\u0336", code: errcode.NameReserved},
		{scenario: "a spaced-out role is reserved", name: "T e a c h e r", code: errcode.NameReserved},
		{scenario: "a role split in two is reserved", name: "Ad Min", code: errcode.NameReserved},
		{scenario: "a dotted-out role is reserved", name: "D.S.L.", code: errcode.NameReserved},
		{scenario: "rn for m in admin is reserved", name: "adrnin", code: errcode.NameReserved},
	})
}

func TestCheckAllowsOrdinaryNames(t *testing.T) {
	jones := []string{"Mrs Jones", "Mr Patel"}
	runChecks(t, []checkCase{
		{scenario: "a name containing host inside a word is allowed", name: "Hostetler", code: ok},
		{scenario: "Christopher is allowed", name: "Christopher", code: ok},
		{scenario: "a name containing staff inside a word is allowed", name: "Stafford", code: ok},
		{scenario: "a name containing admin-like letters is allowed", name: "Adminah Osei", code: ok},
		{scenario: "a name containing owner inside a word is allowed", name: "Downers", code: ok},
		{scenario: "a name containing dsl inside a word is allowed", name: "Windsl", code: ok},
		{scenario: "Icelandic letters are allowed", name: "Zoë Ólafsdóttir", protected: jones, code: ok},
		{scenario: "Chinese is allowed", name: "李小龙", protected: jones, code: ok},
		{scenario: "Vietnamese is allowed", name: "Nguyễn Văn An", protected: jones, code: ok},
		{scenario: "an apostrophe is allowed", name: "O'Brien", protected: jones, code: ok},
		{scenario: "a hyphen is allowed", name: "Anne-Marie", protected: jones, code: ok},
		{scenario: "Cyrillic is allowed", name: "Наталья Иванова", protected: jones, code: ok},
		{scenario: "Greek is allowed", name: "Νίκος Παπαδόπουλος", protected: jones, code: ok},
		{scenario: "Arabic is allowed", name: "فاطمة الزهراء", protected: jones, code: ok},
		{scenario: "Hindi is allowed", name: "अनन्या शर्मा", protected: jones, code: ok},
		{scenario: "Japanese is allowed", name: "さくら 山田", protected: jones, code: ok},
		{scenario: "Korean is allowed", name: "김민준", protected: jones, code: ok},
		{scenario: "a name with a digit is allowed", name: "Sam 2", protected: jones, code: ok},
		{scenario: "an emoji after a name is allowed", name: "Sam 🙂", protected: jones, code: ok},
		{scenario: "a shared surname is allowed", name: "Sam Jones", protected: jones, code: ok},
		{scenario: "a shared title is allowed", name: "Mrs Smith", protected: jones, code: ok},
	})
}

func TestCheckRefusesImpersonation(t *testing.T) {
	jones := []string{"Mr Patel", "Mrs Jones"}
	runChecks(t, []checkCase{
		{scenario: "the same name is refused", name: "Mrs Jones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name in lower case is refused", name: "mrs jones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name in capitals is refused", name: "MRS JONES", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with a zero for O is refused", name: "Mrs J0nes", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with a Cyrillic o is refused", name: "Mrs J\u043enes", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with Cyrillic capitals is refused", name: "\u041c\u0433s J\u043en\u0435\u0455", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with a Greek omicron is refused", name: "Mrs J\u03bfnes", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name in fullwidth letters is refused", name: "Ｍｒｓ Ｊｏｎｅｓ", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with an umlaut is refused", name: "Mrs Jönes", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with a role after it is refused", name: "Mrs Jones (host)", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with two spaces is refused", name: "Mrs  Jones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name without a space is refused", name: "MrsJones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with a full stop is refused", name: "Mrs. Jones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name spaced out is refused", name: "M r s J o n e s", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with zero-width spaces is refused", name: "Mrs\u200b Jo\u200bnes", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name behind a right-to-left override is refused", name: "\u202eMrs Jones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name with a digit after it is refused", name: "Mrs Jones2", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the name inside a longer word is refused", name: "TheRealMrsJones", protected: jones, code: errcode.NameImpersonates},
		{scenario: "the second protected name is checked too", name: "Mr Pate1", protected: jones, code: errcode.NameImpersonates},
		{scenario: "a capital I for l is refused", name: "AIi Khan", protected: []string{"Ali Khan"}, code: errcode.NameImpersonates},
		{scenario: "a lower-case copy of a name with I is refused", name: "ian wright", protected: []string{"Ian Wright"}, code: errcode.NameImpersonates},
		{scenario: "a protected name with odd spacing still matches", name: "Mrs Jones", protected: []string{"  mrs\u00a0 JONES "}, code: errcode.NameImpersonates},
		{scenario: "a short protected name matches exactly", name: "A1", protected: []string{"Al"}, code: errcode.NameImpersonates},
		{scenario: "a three-letter protected name is refused as a word", name: "Ann Smith", protected: []string{"Ann"}, code: errcode.NameImpersonates},
	})
}

func TestCheckAllowsNamesThatOnlyShareParts(t *testing.T) {
	runChecks(t, []checkCase{
		{scenario: "a short protected name does not block longer names", name: "Al Smith", protected: []string{"Al"}, code: ok},
		{scenario: "a three-letter protected name does not block names containing it", name: "Hannah", protected: []string{"Ann"}, code: ok},
		{scenario: "a three-letter protected name does not block Joanne", name: "Joanne", protected: []string{"Ann"}, code: ok},
		{scenario: "a different first name with the same surname is allowed", name: "Sam Jones", protected: []string{"Mrs Jones"}, code: ok},
		{scenario: "no protected names allows any ordinary name", name: "Mrs Jones", protected: nil, code: ok},
		{scenario: "an empty protected name is ignored", name: "Sam", protected: []string{"", "\u200b"}, code: ok},
		{scenario: "a protected name longer than MaxLen still works", name: "Sam", protected: []string{strings.Repeat("Bartholomew ", 5)}, code: ok},
	})
}

func TestCheckPrefersImpersonationOverReserved(t *testing.T) {
	_, err := Check("Mrs Jones (teacher)", []string{"Mrs Jones"})
	if got, want := errcode.Of(err), errcode.NameImpersonates; got != want {
		t.Errorf("code = %s, want %s", got, want)
	}
}

func TestComparisonForm(t *testing.T) {
	tests := []struct {
		scenario string
		a, b     string
	}{
		{"Cyrillic o matches Latin o", "j\u043enes", "jones"},
		{"zero matches capital O", "J0NES", "jones"},
		{"one matches l", "A1i", "all"},
		{"capital I matches l", "AIi", "Ali"},
		{"lower i matches l", "ali", "all"},
		{"fullwidth matches ASCII after precis", "Ｊｏｎｅｓ", "jones"},
		{"combining marks are dropped", "Jo\u0308nes", "jones"},
		{"sharp s folds to ss", "Strauß", "strauss"},
		{"Cherokee capital and small letters that fold into each other match", "\u13a3", "\uab73"},
		{"a Greek capital matches its Latin look-alike", "\u0392\u0395\u039d", "ben"},
		{"a modifier apostrophe matches an apostrophe", "O\u02bcBrien", "o'brien"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			na, err := normalise(tc.a)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := comparisonForm(na), comparisonForm(tc.b); got != want {
				t.Errorf("comparisonForm(%q) = %q, want %q (the form of %q)", tc.a, got, want, tc.b)
			}
		})
	}
}

func TestReservedFormsAreDistinct(t *testing.T) {
	if got, want := len(reservedForms), len(reservedWords); got != want {
		t.Errorf("len(reservedForms) = %d, want %d: two reserved words share a comparison form", got, want)
	}
}

// TestComparisonFormIsStable checks, for every letter and number in Unicode,
// that the form of a form is itself and that case does not change the form.
func TestComparisonFormIsStable(t *testing.T) {
	fold := cases.Fold()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			continue
		}
		f := comparisonForm(string(r))
		if g := comparisonForm(f); g != f {
			t.Errorf("comparisonForm(%q) = %q, but comparisonForm(%q) = %q", string(r), f, f, g)
		}
		// Case must not matter for everyday Latin letters (an ASCII letter,
		// perhaps with accents). Elsewhere capital and small letters can look
		// quite different (Greek "Β" and "β"), and the forms may differ too.
		if base := norm.NFD.String(string(r))[0]; base >= 0x80 || !unicode.IsLetter(rune(base)) {
			continue
		}
		folded := fold.String(string(r))
		if g := comparisonForm(folded); g != f {
			t.Errorf("comparisonForm(%q) = %q, but comparisonForm(%q) (case-folded) = %q", string(r), f, folded, g)
		}
	}
}
