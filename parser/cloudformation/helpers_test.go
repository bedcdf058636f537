package cloudformation

import (
	"os"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// parseTestdata parses testdata/name and fails the test on error diagnostics.
func parseTestdata(t *testing.T, name string, opts Options) []*graph.Resource {
	t.Helper()
	path := "testdata/" + name
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !Detect(path, src) {
		t.Fatalf("%s is not detected as a template", path)
	}
	rs, diags := ParseWith(path, src, opts)
	for _, d := range diags {
		if d.Severity == graph.DiagError {
			t.Errorf("unexpected diagnostic: %s", d.Error())
		}
	}
	return rs
}

// resource returns the only resource with addr whose Meta["conditions"] is conds.
func resource(t *testing.T, rs []*graph.Resource, addr, conds string) *graph.Resource {
	t.Helper()
	var found *graph.Resource
	for _, r := range rs {
		if r.Address == addr && r.Meta["conditions"] == conds {
			if found != nil {
				t.Fatalf("two resources %s with conditions %q", addr, conds)
			}
			found = r
		}
	}
	if found == nil {
		var have []string
		for _, r := range rs {
			have = append(have, r.Address+"{"+r.Meta["conditions"]+"}")
		}
		t.Fatalf("no resource %s with conditions %q; have %s", addr, conds, strings.Join(have, ", "))
	}
	return found
}

func count(rs []*graph.Resource, addr string) int {
	n := 0
	for _, r := range rs {
		if r.Address == addr {
			n++
		}
	}
	return n
}

func wantStr(t *testing.T, r *graph.Resource, want string, path ...any) {
	t.Helper()
	got, ok := r.Get(path...).Str()
	if !ok || got != want {
		t.Errorf("%s %v = %q (known %v), want %q", r.Address, graph.Path(path), got, ok, want)
	}
}

func wantUnknown(t *testing.T, r *graph.Resource, reason string, path ...any) {
	t.Helper()
	v := r.Get(path...)
	if v.IsKnown() {
		t.Errorf("%s %v is known, want unknown", r.Address, graph.Path(path))
	}
	reasons := r.UnknownOf(path...)
	for _, got := range reasons {
		if got == reason {
			return
		}
	}
	t.Errorf("%s %v unknown because %q, want %q", r.Address, graph.Path(path), reasons, reason)
}

// wantLine checks where the attribute at path starts.
func wantLine(t *testing.T, r *graph.Resource, line, col int, path ...any) {
	t.Helper()
	got := r.RangeOf(path...)
	if got.Start.Line != line || got.Start.Column != col {
		t.Errorf("%s %v starts at %d:%d, want %d:%d", r.Address, graph.Path(path), got.Start.Line, got.Start.Column, line, col)
	}
}

// wantOrigin checks that an origin of path has this message and line.
func wantOrigin(t *testing.T, r *graph.Resource, msg string, line int, path ...any) {
	t.Helper()
	origins := r.OriginsOf(path...)
	for _, o := range origins {
		if o.Message == msg {
			if o.Range.Start.Line != line {
				t.Errorf("%s %v origin %q at line %d, want %d", r.Address, graph.Path(path), msg, o.Range.Start.Line, line)
			}
			return
		}
	}
	t.Errorf("%s %v origins %v lack %q", r.Address, graph.Path(path), origins, msg)
}

func parseString(src string) ([]*graph.Resource, graph.Diagnostics) {
	return Parse("t.yaml", []byte(src))
}

// wantDiag checks that a diagnostic whose summary contains summary is reported at line.
func wantDiag(t *testing.T, diags graph.Diagnostics, summary string, line int) {
	t.Helper()
	for _, d := range diags {
		if strings.Contains(d.Summary, summary) {
			if d.Range.Start.Line != line {
				t.Errorf("diagnostic %q at line %d, want %d", d.Error(), d.Range.Start.Line, line)
			}
			return
		}
	}
	t.Errorf("no diagnostic %q in %v", summary, diags)
}
