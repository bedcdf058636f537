package parser_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/cloudformation"
	"github.com/iacscan/iacscan/parser/graph"
)

// TestOneDepthLimitForEveryFormat: --max-depth is the one nesting limit. A CloudFormation
// value nested in block style beyond it is an error at its line naming the flag, and
// within it (even beyond the parser's former fixed limit of 200) it is evaluated; the
// default is the same whether the template comes through a scan or alone.
func TestOneDepthLimitForEveryFormat(t *testing.T) {
	if cloudformation.DefaultMaxDepth != parser.DefaultMaxDepth {
		t.Errorf("CloudFormation evaluates %d levels by default, --max-depth defaults to %d",
			cloudformation.DefaultMaxDepth, parser.DefaultMaxDepth)
	}
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Deep:\n")
	for i := 0; i < 250; i++ {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat("  ", 4+i), i)
	}
	fmt.Fprintf(&b, "%sx: 1\n", strings.Repeat("  ", 4+250))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	for _, tc := range []struct {
		depth int
		want  string
	}{
		{0, ""},
		{300, ""},
		// Levels count below Properties' mapping: k<i> is on line 7+i, and the mapping
		// under k99, which starts at k100, is the 101st level.
		{100, "t.yaml:107:209: value nested too deeply: nesting beyond 100 levels (--max-depth) is not evaluated; the value is left unknown"},
	} {
		res, err := parser.Parse([]string{"."}, parser.Options{Limits: parser.Limits{MaxDepth: tc.depth}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range res.Diagnostics {
			if d.Severity == graph.DiagError {
				got = append(got, d.Error())
			}
		}
		if tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
			t.Errorf("--max-depth %d: errors %q, want %q", tc.depth, got, tc.want)
		}
		if len(res.Graph.All()) != 1 {
			t.Errorf("--max-depth %d: %d resources, want the bucket", tc.depth, len(res.Graph.All()))
		}
	}
}
