package lines

import (
	"bytes"
	"testing"
)

func TestLineMatchesSplittingTheText(t *testing.T) {
	for _, src := range []string{"", "a", "a\n", "\n", "a\nbb\r\n\nccc", "kind: Pod\n---\napiVersion: v1\n"} {
		x := New([]byte(src))
		want := bytes.Split([]byte(src), []byte("\n"))
		if x.Count() != len(want) {
			t.Errorf("%q: %d lines, want %d", src, x.Count(), len(want))
		}
		for n := 0; n <= len(want)+1; n++ {
			got := x.Line(n)
			if n < 1 || n > len(want) {
				if got != nil {
					t.Errorf("%q: line %d = %q, want nil", src, n, got)
				}
				continue
			}
			if !bytes.Equal(got, want[n-1]) {
				t.Errorf("%q: line %d = %q, want %q", src, n, got, want[n-1])
			}
		}
	}
}
