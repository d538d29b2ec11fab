//go:build !race

package sfu

// raceEnabled reports whether the race detector is on; it allocates, so
// allocation counts mean nothing then.
const raceEnabled = false
