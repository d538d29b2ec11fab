package chat

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"safemeet/internal/errcode"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain text is kept", "Hello, class!", "Hello, class!"},
		{"HTML stays the same text", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"},
		{"script tags stay text", "<script>alert('x')</script> &amp;", "<script>alert('x')</script> &amp;"},
		{"space around the message is trimmed", "  \n hi \n\n ", "hi"},
		{"CRLF and CR become LF", "a\r\nb\rc", "a\nb\nc"},
		{"line and paragraph separators become LF", "a\u2028b\u2029c", "a\nb\nc"},
		{"a tab becomes a space", "a\tb", "a b"},
		{"more than two blank lines become two", "a\n\n\n\n\n\nb", "a\n\n\nb"},
		{"two blank lines are kept", "a\n\n\nb", "a\n\n\nb"},
		{"lines of spaces count as blank", "a\n  \n \t \n \n \nb", "a\n\n\nb"},
		{"trailing spaces on a line go", "a   \nb", "a\nb"},
		{"leading spaces on a line stay", "a\n    b", "a\n    b"},
		{"C0 controls are removed", "a\x00b\x07c\x1bd\x7fe", "abcde"},
		{"C1 controls are removed", "a\u0085b\u009bc", "abc"},
		{"right-to-left override is removed", "invoice\u202Etxt.exe", "invoicetxt.exe"},
		{"every bidi embedding, override, isolate and mark is removed",
			"a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\u200Ek\u200Fl\u061Cm", "abcdefghijklm"},
		{"zero width space is removed", "pass\u200Bword", "password"},
		{"word joiner, BOM and soft hyphen are removed", "a\u2060b\uFEFFc\u00ADd", "abcd"},
		{"Hangul fillers and the grapheme joiner are removed", "a\u3164b\u115Fc\uFFA0d\u034Fe", "abcde"},
		{"blank braille becomes a space", "a\u2800b", "a b"},
		{"ZWJ inside an emoji sequence is kept", "👩\u200D💻 at work", "👩\u200D💻 at work"},
		{"ZWJ after a variation selector is kept", "❤\uFE0F\u200D🔥", "❤\uFE0F\u200D🔥"},
		{"family emoji is kept", "👨\u200D👩\u200D👧", "👨\u200D👩\u200D👧"},
		{"skin tone and ZWJ are kept", "👩🏽\u200D💻", "👩🏽\u200D💻"},
		{"ZWNJ inside a Persian word is kept", "می\u200Cخواهم", "می\u200Cخواهم"},
		{"ZWJ at the edges goes", "\u200Dhi\u200D", "hi"},
		{"ZWJ next to a space goes", "a \u200D b", "a  b"},
		{"doubled ZWJ keeps one", "a\u200D\u200Db", "a\u200Db"},
		{"an England flag keeps its tags", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
			"🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"},
		{"tag characters smuggling ASCII are removed", "hi\U000E0069\U000E0067\U000E006E\U000E006F\U000E0072\U000E0065", "hi"},
		{"a flag with an unfinished tag sequence loses the tags", "🏴\U000E0067\U000E0062 x", "🏴 x"},
		{"one variation selector is kept", "\u263A\uFE0F", "\u263A\uFE0F"},
		{"a run of variation selectors keeps one", "a\uFE0F\uFE0E\U000E0100\U000E0101", "a\uFE0F"},
		{"a variation selector at the start goes", "\uFE0Fa", "a"},
		{"up to 8 combining marks are kept", "e" + strings.Repeat("\u0301", 8), "e" + strings.Repeat("\u0301", 8)},
		{"more than 8 combining marks are cut", "e" + strings.Repeat("\u0301", 30) + "x", "e" + strings.Repeat("\u0301", 8) + "x"},
		{"accents and other scripts are kept", "Zoë Ōkubo — 你好 — مرحبا", "Zoë Ōkubo — 你好 — مرحبا"},
		{"a link is left alone", "see https://example.org/a?b=1", "see https://example.org/a?b=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Clean(tt.in)
			if err != nil {
				t.Fatalf("Clean(%q) error = %v, want %q", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want errcode.Code
	}{
		{"invalid UTF-8 is refused", "hi \xff\xfe", errcode.ChatInvalid},
		{"a lone surrogate encoding is refused", "a\xed\xa0\x80b", errcode.ChatInvalid},
		{"an empty message is refused", "", errcode.ChatInvalid},
		{"only spaces and newlines is refused", " \n\r\n\t ", errcode.ChatInvalid},
		{"only invisible characters is refused", "\u200B\u202E\u2060\u200D\u3164\u2800", errcode.ChatInvalid},
		{"only controls is refused", "\x00\x01\x1b", errcode.ChatInvalid},
		{"2,001 runes is too long", strings.Repeat("é", MaxLen+1), errcode.ChatTooLong},
		{"2,001 emoji is too long", strings.Repeat("🙂", MaxLen+1), errcode.ChatTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Clean(tt.in)
			if err == nil {
				t.Fatalf("Clean(%q) = %q, want error %s", tt.in, got, tt.want)
			}
			if !errors.Is(err, errcode.New(tt.want)) {
				t.Errorf("Clean(%q) error = %v, want %s", tt.in, err, tt.want)
			}
		})
	}
}

func TestCleanLengthIsCountedInRunesAfterCleaning(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"2,000 ASCII characters", strings.Repeat("a", MaxLen)},
		{"2,000 two-byte runes", strings.Repeat("é", MaxLen)},
		{"2,000 emoji (4 bytes, 2 UTF-16 units each)", strings.Repeat("🙂", MaxLen)},
		{"2,000 characters padded with invisible ones", strings.Repeat("a\u200B", MaxLen)},
		{"2,000 characters with space around", "   " + strings.Repeat("a", MaxLen) + "\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Clean(tt.in)
			if err != nil {
				t.Fatalf("Clean() error = %v, want nil", err)
			}
			if n := len([]rune(got)); n != MaxLen {
				t.Errorf("Clean() kept %d runes, want %d", n, MaxLen)
			}
		})
	}
}

func TestCleanIsIdempotent(t *testing.T) {
	inputs := []string{
		"a\u200D\u200Db", "x\n\n\n\n\ny  ", "\u263A\uFE0F\uFE0F", "👩\u200D💻", " e\u0301\u0301 ",
		"🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "a \u200D b",
	}
	for _, in := range inputs {
		once, err := Clean(in)
		if err != nil {
			t.Fatalf("Clean(%q) error = %v", in, err)
		}
		twice, err := Clean(once)
		if err != nil || twice != once {
			t.Errorf("Clean(Clean(%q)) = %q, %v; want %q, nil", in, twice, err, once)
		}
	}
}

// FuzzCleanAndLinks checks what must hold for any input: cleaned text is valid,
// short enough, stable and free of bidi controls; segments rejoin to the text;
// and every link is http(s) and shows where it goes.
func FuzzCleanAndLinks(f *testing.F) {
	for _, s := range []string{
		"hi", "<img src=x onerror=alert(1)>", "https://example.org/a_(b).", "www.example.org", `\\evil\share`,
		"javascript:alert(1)", "a\u202Eb\u200Dc", "👩\u200D💻", "\xff", "https://a.example@b.example",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Clean(in)
		if err != nil {
			return
		}
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > MaxLen || out == "" {
			t.Fatalf("Clean(%q) = %q: invalid, empty or too long", in, out)
		}
		if strings.IndexFunc(out, isBidiControl) >= 0 {
			t.Fatalf("Clean(%q) = %q keeps a bidi control", in, out)
		}
		if again, err := Clean(out); err != nil || again != out {
			t.Fatalf("Clean is not stable on %q: %q, %v", out, again, err)
		}
		var b strings.Builder
		for _, s := range Segments(out) {
			b.WriteString(s.Text)
			if !s.Link {
				continue
			}
			lower := strings.ToLower(s.Href)
			if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
				t.Fatalf("Segments(%q) links %q", out, s.Href)
			}
			if s.Href != s.Text && s.Href != "https://"+s.Text {
				t.Fatalf("Segments(%q): link text %q goes to %q", out, s.Text, s.Href)
			}
		}
		if b.String() != out {
			t.Fatalf("Segments(%q) rejoin to %q", out, b.String())
		}
	})
}
