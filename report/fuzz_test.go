package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/report"
	"github.com/zclconf/go-cty/cty"
)

// fuzzCheck is the one rule of every fuzzed report.
var fuzzCheck = &check.Check{
	ID: "aws-s3-public-acl", Title: "S3 bucket ACL grants access to everyone",
	Severity: check.Critical, Category: check.CategoryPublicStorage,
	Description: "A public canned ACL lets anyone read the bucket.",
	Remediation: "Set acl to \"private\".",
	Links:       []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html"},
	Formats:     []graph.Format{graph.Terraform},
}

// fuzzInput builds a scan whose file content, path, message and positions come from the
// fuzzer: positions may be zero, negative, reversed or past the end of the file.
func fuzzInput(src []byte, file, msg string, line, col, endLine, endCol int) *report.Input {
	rng := graph.Range{File: file, Start: graph.Pos{Line: line, Column: col}, End: graph.Pos{Line: endLine, Column: endCol}}
	res := &graph.Resource{
		Format: graph.Terraform, Type: "aws_s3_bucket", Address: "aws_s3_bucket." + msg,
		BaseAddress: "aws_s3_bucket." + msg, Scope: file, Attrs: cty.EmptyObjectVal, Range: rng, DefRange: rng,
	}
	related := []graph.Related{{Range: rng, Message: msg}, {Range: graph.Range{File: msg}, Message: ""}}
	return &report.Input{
		Tool:   report.ToolInfo{Name: "iacscan", Version: "dev", InformationURI: "https://github.com/iacscan/iacscan"},
		Checks: []*check.Check{fuzzCheck},
		Results: []checks.Result{{
			Check: fuzzCheck, Severity: fuzzCheck.Severity, Range: rng, Message: msg, Detail: msg,
			Resources: []*graph.Resource{res, res}, Path: graph.Path{"acl"}, Related: related,
			Key: fuzzCheck.ID + "|" + res.Address + "|acl",
		}},
		Undecided: []checks.UndecidedResult{{Check: fuzzCheck, Range: rng, Resource: res, Path: graph.Path{"acl"}, Reasons: []string{msg}}},
		Diagnostics: graph.Diagnostics{
			{Severity: graph.DiagError, Summary: msg, Detail: msg, Range: rng},
			{Severity: graph.DiagWarning, Summary: "limit", Range: graph.Range{File: file}},
		},
		Stats: map[graph.Format]*graph.Counts{graph.Terraform: {Scanned: 1, Failed: 1}, graph.Format(msg): {}},
		Files: map[string][]byte{file: src},
	}
}

// FuzzSARIF checks that the SARIF writer never panics, always writes valid JSON when it
// succeeds, and writes the same bytes for the same input, whatever the file content
// (invalid UTF-8, NUL bytes, CRLF), paths and positions.
func FuzzSARIF(f *testing.F) {
	f.Add([]byte("resource \"aws_s3_bucket\" \"b\" {\n  acl = \"public-read\"\n}\n"), "main.tf", "b", 2, 3, 2, 22)
	f.Add([]byte("a\r\nb\xff\xfe\x00\tc\n"), "dir with spaces/bücket.tf", "ünï\x00code", 0, 0, 0, 0)
	f.Add([]byte(""), "../../etc/passwd", "", -1, -5, -3, 1<<30)
	f.Add([]byte("x"), "C:\\x\\y.tf", "%2e%2e/%00", 5, 9, 1, 1)
	f.Fuzz(func(t *testing.T, src []byte, file, msg string, line, col, endLine, endCol int) {
		var a, b bytes.Buffer
		errA := report.SARIF(&a, fuzzInput(src, file, msg, line, col, endLine, endCol))
		errB := report.SARIF(&b, fuzzInput(src, file, msg, line, col, endLine, endCol))
		if (errA == nil) != (errB == nil) {
			t.Fatalf("same input, different errors: %v / %v", errA, errB)
		}
		if errA != nil {
			return
		}
		if !json.Valid(a.Bytes()) {
			t.Fatalf("invalid JSON:\n%s", a.Bytes())
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatal("same input, different output")
		}
	})
}
