package auth

import (
	"errors"
	"strings"
	"testing"

	"safemeet/internal/errcode"
	"safemeet/internal/meeting"
)

const goodPassword = "correct horse battery"

func TestAHashedPasswordVerifiesAndNothingElseDoes(t *testing.T) {
	phc, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(phc, want) {
		t.Errorf("HashPassword = %q, want it to start %q", phc, want)
	}
	if !VerifyPassword(goodPassword, phc) {
		t.Errorf("VerifyPassword(right password) = false, want true")
	}
	for _, pw := range []string{"correct horse batterY", "", goodPassword + " "} {
		if VerifyPassword(pw, phc) {
			t.Errorf("VerifyPassword(%q) = true, want false", pw)
		}
	}
	again, _ := HashPassword(goodPassword)
	if again == phc {
		t.Errorf("two hashes of one password are equal (%q): the salt is not random", phc)
	}
}

func TestATamperedHashMatchesNothing(t *testing.T) {
	phc, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	parts := strings.Split(phc, "$") // "", alg, version, params, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	flip := func(s string) string {
		if s[0] == 'A' {
			return "B" + s[1:]
		}
		return "A" + s[1:]
	}
	tests := []struct{ name, phc string }{
		{"a changed key", with(5, flip(parts[5]))},
		{"a changed salt", with(4, flip(parts[4]))},
		{"a different algorithm", with(1, "argon2i")},
		{"a different version", with(2, "v=16")},
		{"a changed time cost", with(3, "m=19456,t=3,p=1")},
		{"a huge memory cost", with(3, "m=4194304,t=2,p=1")},
		{"parameters out of order", with(3, "t=2,m=19456,p=1")},
		{"an extra parameter", with(3, "m=19456,t=2,p=1,x=1")},
		{"a non-numeric parameter", with(3, "m=lots,t=2,p=1")},
		{"a salt that is not base64", with(4, "!!!!")},
		{"a truncated key", with(5, parts[5][:10])},
		{"a missing field", strings.Join(parts[:5], "$")},
		{"an empty string", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+" matches nothing", func(t *testing.T) {
			if VerifyPassword(goodPassword, tt.phc) {
				t.Errorf("VerifyPassword(%q) = true, want false", tt.phc)
			}
		})
	}
}

func TestPasswordLengthRules(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		wantOK bool
	}{
		{"eleven characters are too few", strings.Repeat("a", 11), false},
		{"twelve characters are enough", strings.Repeat("a", 12), true},
		{"twelve accented characters are enough though they are more bytes", strings.Repeat("é", 12), true},
		{"256 characters are allowed", strings.Repeat("a", 256), true},
		{"257 characters are too many", strings.Repeat("a", 257), false},
		{"invalid UTF-8 is refused", strings.Repeat("a", 12) + "\xff", false},
		{"an empty password is refused", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HashPassword(tt.pw)
			if got := err == nil; got != tt.wantOK {
				t.Fatalf("HashPassword error = %v, want ok %v", err, tt.wantOK)
			}
			if err == nil {
				return
			}
			var fe *meeting.FieldError
			if errcode.Of(err) != errcode.Invalid || !errors.As(err, &fe) || fe.Field != "password" {
				t.Errorf("HashPassword error = %v, want errcode.Invalid naming the password field", err)
			}
		})
	}
}

func TestTheDummyHashCostsTheSameAsARealOne(t *testing.T) {
	p, ok := parsePHC(dummyHash)
	if !ok {
		t.Fatalf("dummyHash does not parse")
	}
	got := [4]int{int(p.memoryKiB), int(p.time), int(p.threads), len(p.key)}
	want := [4]int{argonMemoryKiB, argonTime, argonThreads, keyLen}
	if got != want {
		t.Errorf("dummyHash memory, time, threads, key length = %v, want %v", got, want)
	}
}
