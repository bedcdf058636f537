package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// aliasErrors returns the "too many YAML aliases" diagnostics.
func aliasErrors(diags graph.Diagnostics) graph.Diagnostics {
	var out graph.Diagnostics
	for _, d := range diags {
		if d.Summary == "too many YAML aliases" {
			out = append(out, d)
		}
	}
	return out
}

// TestAliasBombIsOneErrorAtTheFirstAliasNotFollowed: a template with more aliases than
// the limit is one error, at the first alias not followed; the aliases before it and
// everything that is not an alias are evaluated as usual.
func TestAliasBombIsOneErrorAtTheFirstAliasNotFollowed(t *testing.T) {
	const n = maxAliases + 500
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n      Tags:\n        - Key: a\n          Value: &v x\n")
	// Tag i+1 is an alias on line 11+2i.
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "        - Key: k%d\n          Value: *v\n", i)
	}
	b.WriteString("  Other:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicReadWrite\n      Tags:\n        - Key: o\n          Value: *v\n")
	rs, diags := parseString(b.String())

	errs := aliasErrors(diags)
	if len(errs) != 1 || len(diags) != 1 {
		t.Fatalf("diagnostics %v, want one alias error", diags)
	}
	d := errs[0]
	if first := 11 + 2*maxAliases; d.Severity != graph.DiagError || d.Range.File != "t.yaml" || d.Range.Start.Line != first {
		t.Errorf("alias error %s, want an error at line %d", d.Error(), first)
	}
	if !strings.Contains(d.Detail, fmt.Sprintf("more than %d aliases", maxAliases)) {
		t.Errorf("detail %q does not name the limit", d.Detail)
	}
	bucket := resource(t, rs, "Bucket", "")
	wantStr(t, bucket, "PublicRead", "AccessControl")
	wantStr(t, bucket, "x", "Tags", maxAliases, "Value")
	if bucket.Get("Tags", maxAliases+1, "Value").IsKnown() {
		t.Error("an alias beyond the limit was followed")
	}
	other := resource(t, rs, "Other", "")
	wantStr(t, other, "PublicReadWrite", "AccessControl")
	wantStr(t, other, "o", "Tags", 0, "Key")
}

// TestNestedAliasBombIsOneError: aliases of aliases (each level naming the one before
// ten times) hit the limit inside one value: one error for the file.
func TestNestedAliasBombIsOneError(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nMappings:\n  M:\n")
	b.WriteString("    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		ref := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&b, "    l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(ref+", ", 10), ", "))
	}
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n      Tags: *l9\n  C:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *l8\n")
	rs, diags := parseString(b.String())
	if errs := aliasErrors(diags); len(errs) != 1 {
		t.Errorf("alias errors %v, want one", errs)
	}
	wantStr(t, resource(t, rs, "B", ""), "PublicRead", "AccessControl")
	resource(t, rs, "C", "")
}
