package terraform

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestJSONConfigWithBOMIsOneClearError(t *testing.T) {
	const bom = "\xef\xbb\xbf"
	res := parseTree(t, map[string]string{
		"k.tf.json":               bom + `{"resource": {"aws_security_group": {"k": {"name": "k"}}}}`,
		"a.tf":                    bom + "variable \"v\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.v\n}\n",
		"terraform.tfvars.json":   bom + `{"v": "from-json"}`,
		"z.auto.tfvars":           bom + "v = \"from-hcl\"\n",
		"unrelated/other.tf.json": `{"resource": {"aws_s3_bucket": {"o": {"bucket": "o"}}}}`,
	}, Options{})
	var bomDiags []string
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Summary, "byte order mark") {
			bomDiags = append(bomDiags, d.Range.File)
			if d.Range.Start.Line != 1 || !strings.Contains(d.Detail, "without a byte order mark") {
				t.Errorf("diagnostic %+v: want line 1 and the fix", d)
			}
		} else if d.Severity == graph.DiagError {
			t.Errorf("unexpected error %+v", d)
		}
	}
	if strings.Join(bomDiags, ",") != "k.tf.json,terraform.tfvars.json" {
		t.Errorf("byte order mark errors for %q, want the two JSON files", bomDiags)
	}
	// The native syntax skips the mark, as Terraform does.
	if got, _ := find(t, res, "aws_s3_bucket.b").Get("bucket").Str(); got != "from-hcl" {
		t.Errorf("bucket = %q, want the value of the .auto.tfvars file", got)
	}
	find(t, res, "aws_s3_bucket.o")
}
