package terraform

import (
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// TestPanicInOneRootModuleCostsThatModuleOnly: a panic while evaluating one root module
// is an error on its directory; the other root modules are evaluated as usual.
func TestPanicInOneRootModuleCostsThatModuleOnly(t *testing.T) {
	saved := panicHook
	t.Cleanup(func() { panicHook = saved })
	panicHook = func(root string) {
		if root == "b" {
			panic("evaluator bug")
		}
	}
	res := parseTree(t, map[string]string{
		"a/main.tf": "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
		"b/main.tf": "resource \"aws_s3_bucket\" \"b\" {}\n",
		"c/main.tf": "resource \"aws_s3_bucket\" \"c\" {}\n",
	}, Options{})
	var errs []string
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			errs = append(errs, d.Error())
		}
	}
	if len(errs) != 1 || errs[0] != "b: internal error evaluating module: evaluator bug" {
		t.Errorf("errors %q: want one internal error on b", errs)
	}
	var got []string
	for _, r := range res.Resources {
		got = append(got, r.Range.File+" "+r.Address)
	}
	if len(got) != 2 || got[0] != "a/main.tf aws_s3_bucket.a" || got[1] != "c/main.tf aws_s3_bucket.c" {
		t.Errorf("resources %q: want those of a and c", got)
	}
	if s := str(t, find(t, res, "aws_s3_bucket.a"), "bucket"); s != "a" {
		t.Errorf("bucket = %q", s)
	}
}
