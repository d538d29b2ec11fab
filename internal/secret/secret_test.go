package secret

import "testing"

func TestNewIsWellFormedUniqueAndMatchesItsHash(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := New()
		if !WellFormed(s) {
			t.Fatalf("WellFormed(%q) = false", s)
		}
		if seen[s] {
			t.Fatalf("New() repeated %q", s)
		}
		seen[s] = true
		h := Hash(s)
		if h == s || len(h) != 64 {
			t.Fatalf("Hash(%q) = %q, want 64 hex characters", s, h)
		}
		if !Matches(s, h) {
			t.Fatal("Matches(s, Hash(s)) = false")
		}
		if Matches(s+"x", h) {
			t.Fatal("Matches accepted a different secret")
		}
	}
}

func TestWellFormedRejectsGarbage(t *testing.T) {
	for _, s := range []string{"", "abc", "not-a-token<>", New() + "A", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"} {
		if WellFormed(s) {
			t.Errorf("WellFormed(%q) = true, want false", s)
		}
	}
}
