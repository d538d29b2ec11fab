package chat

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

// linked returns the link texts Segments finds in text, with their hrefs.
func linked(text string) [][2]string {
	var out [][2]string
	for _, s := range Segments(text) {
		if s.Link {
			out = append(out, [2]string{s.Text, s.Href})
		}
	}
	return out
}

func TestSegmentsFindsLinks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][2]string // link text, href
	}{
		{"https link", "see https://example.org/page", [][2]string{{"https://example.org/page", "https://example.org/page"}}},
		{"http link", "http://example.org", [][2]string{{"http://example.org", "http://example.org"}}},
		{"scheme in capitals", "HTTPS://Example.org/A", [][2]string{{"HTTPS://Example.org/A", "HTTPS://Example.org/A"}}},
		{"www address goes to https", "go to www.example.org now", [][2]string{{"www.example.org", "https://www.example.org"}}},
		{"a final dot is not part of the link", "https://example.org.", [][2]string{{"https://example.org", "https://example.org"}}},
		{"a final dot after a path is not part of it", "Read https://example.org/a/b.html.", [][2]string{{"https://example.org/a/b.html", "https://example.org/a/b.html"}}},
		{"balanced brackets are part of the link", "https://example.org/a_(b)", [][2]string{{"https://example.org/a_(b)", "https://example.org/a_(b)"}}},
		{"a link in brackets leaves the closing one out", "(see https://example.org/a)", [][2]string{{"https://example.org/a", "https://example.org/a"}}},
		{"a bracketed link in brackets", "(https://example.org/a_(b)).", [][2]string{{"https://example.org/a_(b)", "https://example.org/a_(b)"}}},
		{"trailing comma, colon and question mark are left out", "https://a.example/x, https://b.example: https://c.example/?",
			[][2]string{{"https://a.example/x", "https://a.example/x"}, {"https://b.example", "https://b.example"}, {"https://c.example/", "https://c.example/"}}},
		{"query and fragment are kept", "https://example.org/s?q=a&b=c#top", [][2]string{{"https://example.org/s?q=a&b=c#top", "https://example.org/s?q=a&b=c#top"}}},
		{"a port is kept", "http://example.org:8080/x", [][2]string{{"http://example.org:8080/x", "http://example.org:8080/x"}}},
		{"quotes around a link are left out", `"https://example.org"`, [][2]string{{"https://example.org", "https://example.org"}}},
		{"curly quotes end a link", "“https://example.org/a”", [][2]string{{"https://example.org/a", "https://example.org/a"}}},
		{"an IP address host", "http://192.168.1.10/", [][2]string{{"http://192.168.1.10/", "http://192.168.1.10/"}}},
		{"an international host", "https://bücher.example/", [][2]string{{"https://bücher.example/", "https://bücher.example/"}}},
		{"a link after a newline", "notes:\nhttps://example.org", [][2]string{{"https://example.org", "https://example.org"}}},
		{"a link ends at a backslash", `https://example.org\evil`, [][2]string{{"https://example.org", "https://example.org"}}},
		{"a link ends at an angle bracket", "<https://example.org>", [][2]string{{"https://example.org", "https://example.org"}}},
		{"two links", "https://a.example and www.b.example", [][2]string{{"https://a.example", "https://a.example"}, {"www.b.example", "https://www.b.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linked(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("links in %q = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSegmentsNeverLinks(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"javascript", "javascript:alert(1)"},
		{"javascript in capitals", "JavaScript:alert(document.cookie)"},
		{"javascript with slashes", "javascript://%0aalert(1)"},
		{"javascript as a host", "https://javascript:alert(1)"},
		{"data", "data:text/html,<script>alert(1)</script>"},
		{"file", "file:///etc/passwd"},
		{"vbscript", "vbscript:msgbox(1)"},
		{"a UNC path", `\\evil\share`},
		{"a UNC path with a dotted host", `\\evil.example\share\x.exe`},
		{"backslashes after the scheme", `https:\\evil.example`},
		{"ftp", "ftp://example.org/file"},
		{"mailto", "mailto:someone@example.org"},
		{"a bare domain", "example.org"},
		{"a host without a dot", "http://localhost/x"},
		{"an empty host", "https:///path"},
		{"dots only", "https://../"},
		{"www without a domain", "www.example"},
		{"a user name posing as a host", "https://bank.example@evil.example/login"},
		{"a user name and password", "https://bank.example:pw@evil.example/"},
		{"a port then a user name", "https://bank.example:443@evil.example/"},
		{"a port too long", "https://example.org:1234567/"},
		{"a scheme glued to a word", "xhttps://example.org"},
		{"a scheme after a colon", "link:https://example.org"},
		{"www glued to a word", "foo.www.example.org"},
		{"HTML is not parsed", `<a href="javascript:alert(1)">click</a>`},
		{"an image tag", "<img src=x onerror=alert(1)>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linked(tt.in); len(got) != 0 {
				t.Errorf("links in %q = %q, want none", tt.in, got)
			}
		})
	}
}

func TestSegmentsRejoinToTheText(t *testing.T) {
	inputs := []string{
		"", "plain", "https://example.org", "a https://example.org/x. b www.c.example, (https://d.example/e_(f)) g",
		"🙂 https://example.org/🙂 é", "<img src=x onerror=alert(1)> https://example.org",
	}
	for _, in := range inputs {
		var b strings.Builder
		for _, s := range Segments(in) {
			if s.Text == "" {
				t.Errorf("Segments(%q) has an empty segment", in)
			}
			if !s.Link && s.Href != "" {
				t.Errorf("Segments(%q): text segment %q has href %q", in, s.Text, s.Href)
			}
			b.WriteString(s.Text)
		}
		if got := b.String(); got != in {
			t.Errorf("Segments(%q) joined = %q", in, got)
		}
	}
	if got := Segments(""); got != nil {
		t.Errorf("Segments(\"\") = %v, want nil", got)
	}
}

func TestLinksUseUTF16Offsets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Link
	}{
		{"no links", "hello", nil},
		{"ASCII", "see https://example.org.", []Link{{Start: 4, End: 23, Href: "https://example.org"}}},
		// 🙂 is one rune but two UTF-16 code units; é is one of each.
		{"after an emoji", "🙂 https://example.org", []Link{{Start: 3, End: 22, Href: "https://example.org"}}},
		{"after an accent", "é www.example.org", []Link{{Start: 2, End: 17, Href: "https://www.example.org"}}},
		{"emoji inside the link", "https://example.org/🙂x y", []Link{{Start: 0, End: 23, Href: "https://example.org/🙂x"}}},
		{"two links", "🙂🙂 http://a.example 🙂 http://b.example", []Link{
			{Start: 5, End: 21, Href: "http://a.example"}, {Start: 25, End: 41, Href: "http://b.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Links(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Links(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			// What a browser slices with the offsets is the link's text.
			units := utf16.Encode([]rune(tt.in))
			for _, l := range got {
				text := string(utf16.Decode(units[l.Start:l.End]))
				if l.Href != text && l.Href != "https://"+text {
					t.Errorf("Links(%q): slice %d:%d = %q does not match href %q", tt.in, l.Start, l.End, text, l.Href)
				}
			}
		})
	}
}
