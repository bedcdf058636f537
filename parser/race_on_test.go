//go:build race

package parser_test

// raceEnabled is true when the race detector is on: it multiplies time and memory several
// times over, so the tests that bound them are skipped.
const raceEnabled = true
