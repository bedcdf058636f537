package graph

import (
	"fmt"
	"slices"
	"testing"
)

// appendKeyOf appends the key of entry i to dst, rebuilding it from the last entry whose
// key is stored whole. The index itself never needs a key back (keyIs and commonPrefix
// compare the stored parts in place), so only the tests rebuild one, to check the index
// against what was recorded.
func (x *attrIndex) appendKeyOf(dst []byte, i int) []byte {
	base := len(dst)
	for j := i - i%restartEvery; j <= i; j++ {
		shared, rest, _ := x.keyPart(j)
		dst = append(dst[:base+shared], rest...)
	}
	return dst
}

// TestReplacedRecordsAreReclaimed replaces every record of a resource many times with
// one whose encoding has another length, as a parser adding origins to every attribute
// does, and checks that the bytes of the replaced records do not pile up and that every
// record is still found with what it last recorded.
func TestReplacedRecordsAreReclaimed(t *testing.T) {
	for _, n := range []int{3, scanEntries + 1, 300} {
		r := &Resource{}
		paths := make([]Path, n)
		for i := range paths {
			paths[i] = P("ingress", i, "cidr_blocks")
		}
		info := func(round, i int) AttrInfo {
			// Odd rounds write lines of 6 varint bytes rather than 1.
			line := 1 + i + round%2<<40
			a := AttrInfo{Range: Range{File: "main.tf", Start: Pos{Line: line, Column: round}, End: Pos{Line: line, Column: 9}}}
			if round > 0 {
				a.Origins = []Related{{Message: fmt.Sprint(round, i)}}
			}
			return a
		}
		for round := 0; round < 50; round++ {
			for i, p := range paths {
				r.SetAttrInfo(p, info(round, i))
			}
			x := r.attrs
			live := 0
			for i := range x.entries {
				live += x.recordEnd(i) - int(x.entries[i])
			}
			// A replacement that would grow data compacts it when more than half is
			// dead and else doubles it, and the replacements after may fill what
			// doubling made: data stays within 4 times the live records (plus the
			// room inside the index). Without reclaiming, it grows every round.
			if len(x.data) > 4*live+firstData {
				t.Fatalf("%d entries, round %d: %d bytes of data for %d live", n, round, len(x.data), live)
			}
			for i, p := range paths {
				want := info(round, i)
				if got := r.AttrInfo(p); got == nil || got.Range != want.Range || !slices.Equal(got.Origins, want.Origins) {
					t.Fatalf("%d entries, round %d: %v: got %+v, want %+v", n, round, p, got, want)
				}
			}
		}
	}
}
