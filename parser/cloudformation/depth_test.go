package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// deepTemplate is a bucket whose property Deep nests n block-style mappings, k<i> on line
// 8+i, down to x: 1.
func deepTemplate(n int) (src string, path []any) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n      Deep:\n")
	path = []any{"Deep"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat("  ", 4+i), i)
		path = append(path, fmt.Sprintf("k%d", i))
	}
	fmt.Fprintf(&b, "%sx: 1\n", strings.Repeat("  ", 4+n))
	return b.String(), append(path, "x")
}

// TestNestingWithinMaxDepthIsEvaluated: values nested deeper than the old fixed limit of
// 200 levels but within the depth limit are evaluated, without a diagnostic.
func TestNestingWithinMaxDepthIsEvaluated(t *testing.T) {
	src, path := deepTemplate(300)
	rs, diags := ParseWith("t.yaml", []byte(src), Options{MaxDepth: 400})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	r := resource(t, rs, "Bucket", "")
	if v, ok := r.Get(path...).Int(); !ok || v != 1 {
		t.Errorf("deep value = %v %v, want 1", v, ok)
	}
	wantLine(t, r, 308, 1+2*(4+300), path...)
	if _, diags := Parse("t.yaml", []byte(src)); len(diags) != 0 {
		t.Errorf("default depth limit %d: diagnostics %v", DefaultMaxDepth, diags)
	}
}

// TestNestingBeyondMaxDepthIsOneErrorNamingTheFlag: a value nested deeper than the limit
// is left unknown with one error at its line that names --max-depth; the rest of the
// resource is evaluated.
func TestNestingBeyondMaxDepthIsOneErrorNamingTheFlag(t *testing.T) {
	src, path := deepTemplate(300)
	rs, diags := ParseWith("t.yaml", []byte(src), Options{MaxDepth: 100})
	if len(diags) != 1 {
		t.Fatalf("diagnostics %v, want one", diags)
	}
	d := diags[0]
	if d.Severity != graph.DiagError || d.Range.File != "t.yaml" || d.Summary != "value nested too deeply" ||
		!strings.Contains(d.Detail, "beyond 100 levels (--max-depth)") {
		t.Errorf("diagnostic %s", d.Error())
	}
	// Levels count below Properties' mapping (Deep's mapping is the first): the
	// mapping under k99, which starts at k100's line, is the 101st.
	if d.Range.Start.Line != 8+100 {
		t.Errorf("diagnostic at line %d, want %d", d.Range.Start.Line, 8+100)
	}
	r := resource(t, rs, "Bucket", "")
	wantStr(t, r, "PublicRead", "AccessControl")
	if r.Get(path...).IsKnown() {
		t.Error("the value beyond the limit is known")
	}
}
