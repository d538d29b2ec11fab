package displayname

// reservedWords are words that claim a role in the meeting or in the service,
// so a participant may not use them anywhere in a display name. They are
// matched as whole words in comparison form (see comparisonForm), so look-alikes
// ("H0st", "Ноst" in Cyrillic, "ＡＤＭＩＮ" in fullwidth, "ad\u200dmin") match,
// and so do words spelled out with spaces or punctuation ("T e a c h e r",
// "Co-Host", "ad.min"), because every run of adjacent words is tried joined.
// Names that merely contain one ("Christopher", "Hostetler", "Stafford") do not.
//
// "co-host" needs no entry of its own: it is the words "co" and "host".
var reservedWords = []string{
	"host", "cohost",
	"admin", "administrator", "sysadmin",
	"moderator",
	"teacher", "headteacher",
	"staff",
	"organiser", "organizer",
	"owner",
	"safeguarding", "dsl",
	"support",
	"system",
	"safemeet",
	"police",
}

// reservedForms maps the comparison form of each reserved word to the word.
var reservedForms = func() map[string]string {
	m := make(map[string]string, len(reservedWords))
	for _, w := range reservedWords {
		m[comparisonForm(w)] = w
	}
	return m
}()

// reservedIn reports the first reserved word that a run of adjacent words in
// words (comparison forms) spells.
func reservedIn(words []string) (word string, found bool) {
	joinedRuns(words, func(run string) bool {
		word, found = reservedForms[run]
		return !found
	})
	return word, found
}
