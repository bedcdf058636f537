package checks

import (
	"testing"
	"time"

	"github.com/iacscan/iacscan/parser/graph"
)

func rng(file string, line int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: line, Column: 3}, End: graph.Pos{Line: line, Column: 20}}
}

// placementScan runs Suppress over one result of aws-s3-public-acl on line 5 of
// main.tf, for a bucket whose block starts on line 3 and which module.site (called on
// line 2 of root.tf) produced.
func placementScan(t *testing.T, files map[string]string, address, base string) (Output, graph.Diagnostics) {
	t.Helper()
	res := &graph.Resource{
		Format: graph.Terraform, Type: "aws_s3_bucket", Address: address, BaseAddress: base,
		Range:     graph.Range{File: "main.tf", Start: graph.Pos{Line: 3, Column: 1}, End: graph.Pos{Line: 6, Column: 2}},
		DefRange:  rng("main.tf", 3),
		CallChain: []graph.Related{{Range: rng("root.tf", 2), Message: "module.site called here"}},
	}
	c := ByID("aws-s3-public-acl")
	out := Output{Results: []Result{{
		Check: c, Severity: c.Severity, Range: rng("main.tf", 5), Detail: "public",
		Message: address + ": public", Resources: []*graph.Resource{res}, Path: graph.P("acl"),
	}}}
	src := map[string][]byte{}
	for f, s := range files {
		src[f] = []byte(s)
	}
	warns := Suppress(&out, nil, src, SuppressOptions{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	return out, warns
}

const bucket = "\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n"

func TestIgnorePlacements(t *testing.T) {
	tests := []struct {
		name       string
		main, root string
		address    string
		base       string
		suppressed bool
	}{
		{"on the finding's line", "\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\" # iacscan:ignore:aws-s3-public-acl\n}\n", "", "aws_s3_bucket.b", "", true},
		{"above the finding", "\n\nresource \"aws_s3_bucket\" \"b\" {\n  # iacscan:ignore:aws-s3-public-acl\n  acl = \"public-read\"\n}\n", "", "aws_s3_bucket.b", "", true},
		{"above the resource", "\n# iacscan:ignore:aws-s3-public-acl\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n", "", "aws_s3_bucket.b", "", true},
		{"two lines above the resource with a blank line between", "# iacscan:ignore:aws-s3-public-acl\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n", "", "aws_s3_bucket.b", "", false},
		{"above the module call", bucket, "# iacscan:ignore:aws-s3-public-acl\nmodule \"site\" {\n}\n", "module.site.aws_s3_bucket.b", "", true},
		{"above the module call, selecting this instance", bucket, "# iacscan:ignore:aws-s3-public-acl[\"eu\"]\nmodule \"site\" {\n}\n", `module.site["eu"].aws_s3_bucket.b`, "", true},
		{"above the module call, selecting another instance", bucket, "# iacscan:ignore:aws-s3-public-acl[us]\nmodule \"site\" {\n}\n", `module.site["eu"].aws_s3_bucket.b`, "", false},
		{"above the resource, selecting this count index", "\n# iacscan:ignore:aws-s3-public-acl[1]\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n", "", "aws_s3_bucket.b[1]", "aws_s3_bucket.b", true},
		{"above the resource, a module key does not select the resource", "\n# iacscan:ignore:aws-s3-public-acl[eu]\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n", "", `module.site["eu"].aws_s3_bucket.b`, "", false},
		{"by full address", "\n# iacscan:ignore:aws-s3-public-acl[module.site[\"eu\"].aws_s3_bucket.b]\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\"\n}\n", "", `module.site["eu"].aws_s3_bucket.b`, "", true},
		{"expired", "\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\" # iacscan:ignore:aws-s3-public-acl:exp:2026-05-31\n}\n", "", "aws_s3_bucket.b", "", false},
		{"expiring today", "\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\" # iacscan:ignore:aws-s3-public-acl:exp:2026-06-01\n}\n", "", "aws_s3_bucket.b", "", true},
		{"another check", "\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl = \"public-read\" # iacscan:ignore:aws-s3-public-policy\n}\n", "", "aws_s3_bucket.b", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"main.tf": tt.main}
			if tt.root != "" {
				files["root.tf"] = tt.root
			}
			out, _ := placementScan(t, files, tt.address, tt.base)
			if len(out.Results) != 1 {
				t.Fatalf("%d results", len(out.Results))
			}
			if got := out.Results[0].Suppressed != nil; got != tt.suppressed {
				t.Errorf("suppressed = %v, want %v", got, tt.suppressed)
			}
		})
	}
}

func TestIgnoreWarnings(t *testing.T) {
	_, warns := placementScan(t, map[string]string{"main.tf": "\n\nresource \"aws_s3_bucket\" \"b\" {\n" +
		"  # iacscan:ignore:aws-s3-public-policy\n" +
		"  acl = \"public-read\" # iacscan:ignore:aws-s3-public-acl:exp:2026-05-31 # iacscan:ignore:no-such-check\n}\n" +
		"# iacscan:ignore:aws-s3-public-acl:exp:26-01-01\n"}, "aws_s3_bucket.b", "")
	want := []string{
		"main.tf:4:3: ignore of aws-s3-public-policy suppresses nothing",
		"main.tf:5:23: ignore names unknown check \"no-such-check\"",
		"main.tf:5:23: ignore of aws-s3-public-acl expired on 2026-05-31",
		"main.tf:7:1: unreadable ignore",
	}
	if len(warns) != len(want) {
		t.Fatalf("warnings:\n%v", warns)
	}
	for i, w := range warns {
		if got := w.Range.String() + ": " + w.Summary; got != want[i] || w.Severity != graph.DiagWarning {
			t.Errorf("warning %d = %s (%s), want %s", i, got, w.Severity, want[i])
		}
	}
}

func TestSplittingAMergedResultKeepsTheOtherInstancesReported(t *testing.T) {
	c := ByID("aws-s3-public-acl")
	mk := func(key string) *graph.Resource {
		return &graph.Resource{Format: graph.Terraform, Type: "aws_s3_bucket", Address: "aws_s3_bucket.b[\"" + key + "\"]",
			BaseAddress: "aws_s3_bucket.b", Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 4, Column: 2}},
			DefRange: rng("main.tf", 1)}
	}
	out := Output{Results: []Result{{Check: c, Severity: c.Severity, Range: rng("main.tf", 3), Detail: "public",
		Resources: []*graph.Resource{mk("a"), mk("b"), mk("c")}, Path: graph.P("acl")}}}
	files := map[string][]byte{"main.tf": []byte("resource \"aws_s3_bucket\" \"b\" {\n  for_each = local.x\n  acl = \"public-read\" # iacscan:ignore:aws-s3-public-acl[b]\n}\n")}
	Suppress(&out, nil, files, SuppressOptions{})
	if len(out.Results) != 2 {
		t.Fatalf("%d results, want 2", len(out.Results))
	}
	var open, sup string
	for _, r := range out.Results {
		if r.Suppressed != nil {
			sup = r.Message
		} else {
			open = r.Message
		}
	}
	if open != `aws_s3_bucket.b["a"], aws_s3_bucket.b["c"]: public` || sup != `aws_s3_bucket.b["b"]: public` {
		t.Errorf("open %q, suppressed %q", open, sup)
	}
}
