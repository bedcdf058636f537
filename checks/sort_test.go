package checks

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// TestSortResultsIsStable compares SortResults with a stable sort by the same keys, on
// lists full of ties.
func TestSortResultsIsStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	checksByID := []*check.Check{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	for n := 0; n < 300; n += 1 + n/10 {
		rs := make([]Result, n)
		for i := range rs {
			rs[i] = Result{
				Check: checksByID[rng.IntN(len(checksByID))],
				Range: graph.Range{
					File:  fmt.Sprintf("f%d.tf", rng.IntN(3)),
					Start: graph.Pos{Line: rng.IntN(4), Column: rng.IntN(2)},
					End:   graph.Pos{Line: rng.IntN(4), Column: rng.IntN(2)},
				},
				Message: fmt.Sprintf("m%d", rng.IntN(2)),
				Key:     fmt.Sprint(i), // tells equal results apart
			}
		}
		want := append([]Result(nil), rs...)
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if a.Range != b.Range {
				return rangeLess(a.Range, b.Range)
			}
			if a.Check.ID != b.Check.ID {
				return a.Check.ID < b.Check.ID
			}
			return a.Message < b.Message
		})
		SortResults(rs)
		for i := range rs {
			if rs[i].Key != want[i].Key {
				t.Fatalf("n=%d: position %d holds result %s, want %s", n, i, rs[i].Key, want[i].Key)
			}
		}
	}
}
