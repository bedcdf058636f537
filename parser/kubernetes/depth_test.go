package kubernetes

import (
	"fmt"
	"strings"
	"testing"
)

// TestDeepValuesHaveTheirPositions: every value of a document the YAML parser reads has
// its own position, however deeply nested (the nesting a scan refuses is --max-depth,
// checked before parsing).
func TestDeepValuesHaveTheirPositions(t *testing.T) {
	const n = 400
	var b strings.Builder
	b.WriteString("apiVersion: example.com/v1\nkind: Deep\nmetadata:\n  name: d\nspec:\n")
	path := []any{"spec"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat("  ", 1+i), i)
		path = append(path, fmt.Sprintf("k%d", i))
	}
	fmt.Fprintf(&b, "%sx: 1\n", strings.Repeat("  ", 1+n))
	path = append(path, "x")
	rs := parseOK(t, "d.yaml", b.String())
	if len(rs) != 1 {
		t.Fatalf("%d resources", len(rs))
	}
	// k<i> is on line 6+i, x on line 6+n.
	if got := rs[0].RangeOf(path...); got.Start.Line != 6+n || got.Start.Column != 1+2*(1+n) {
		t.Errorf("x at %s, want line %d column %d", got, 6+n, 1+2*(1+n))
	}
	if v, ok := rs[0].Get(path...).Int(); !ok || v != 1 {
		t.Errorf("x = %v %v", v, ok)
	}
}
