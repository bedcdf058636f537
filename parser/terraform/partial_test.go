package terraform

import (
	"encoding/json"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

const partialBucket = `resource "aws_s3_bucket" "b" {
  bucket = "x"
}
`

// partialString returns the partial rendering recorded at path, failing when there is none
// or the attribute's own value became known.
func partialString(t *testing.T, r *graph.Resource, path ...any) string {
	t.Helper()
	if r.Get(path...).WhollyKnown() {
		t.Fatalf("%s %v: value is known, want unknown", r.Address, path)
	}
	pv, ok := r.PartialOf(path...)
	if !ok {
		t.Fatalf("%s %v: no partial rendering", r.Address, path)
	}
	s, ok := pv.Str()
	if !ok {
		t.Fatalf("%s %v: partial is not a string: %#v", r.Address, path, pv.Raw())
	}
	return s
}

// policyStatement decodes a JSON policy and returns its first statement.
func policyStatement(t *testing.T, doc string) map[string]any {
	t.Helper()
	var p struct {
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatalf("partial policy is not JSON: %v\n%s", err, doc)
	}
	if len(p.Statement) == 0 {
		t.Fatalf("no statement in %s", doc)
	}
	return p.Statement[0]
}

func TestPartialHeredocPolicyKeepsKnownText(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": partialBucket + `
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = <<POLICY
{"Statement":[{"Effect":"Allow","Principal":"*","Resource":"${aws_s3_bucket.b.arn}/*"}]}
POLICY
}
`}, Options{})
	noErrors(t, res)
	st := policyStatement(t, partialString(t, find(t, res, "aws_s3_bucket_policy.b"), "policy"))
	if st["Principal"] != "*" || st["Resource"] != graph.UnknownText+"/*" {
		t.Errorf("statement = %v", st)
	}
}

func TestPartialJSONEncodePolicyThroughLocal(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": partialBucket + `
locals {
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Resource  = ["${aws_s3_bucket.b.arn}/*"]
    }]
  })
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = local.policy
}
`}, Options{})
	st := policyStatement(t, partialString(t, find(t, res, "aws_s3_bucket_policy.b"), "policy"))
	principal, _ := st["Principal"].(map[string]any)
	res0, _ := st["Resource"].([]any)
	if principal["AWS"] != "*" || len(res0) != 1 || res0[0] != graph.UnknownText+"/*" {
		t.Errorf("statement = %v", st)
	}
}

func TestPartialTemplatefilePolicyThroughModule(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": partialBucket + `
module "pol" {
  source = "./pol"
  arn    = aws_s3_bucket.b.arn
}
`,
		"pol/main.tf": `variable "arn" {
  type = string
}

resource "aws_s3_bucket_policy" "b" {
  bucket = "x"
  policy = templatefile("${path.module}/p.tpl", { bucket_arn = var.arn })
}
`,
		"pol/p.tpl": `{"Statement":[{"Effect":"Allow","Principal":"*","Resource":"${bucket_arn}/*"}]}`,
	}, Options{})
	noErrors(t, res)
	st := policyStatement(t, partialString(t, find(t, res, "module.pol.aws_s3_bucket_policy.b"), "policy"))
	if st["Principal"] != "*" || st["Resource"] != graph.UnknownText+"/*" {
		t.Errorf("statement = %v", st)
	}
}

func TestPartialListKeepsKnownElementsAndNestedBlocks(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `variable "extra" {
  type = string
}

variable "port" {
  type = number
}

resource "aws_security_group" "s" {
  ingress {
    from_port   = var.port
    cidr_blocks = ["0.0.0.0/0", var.extra]
  }
}
`}, Options{})
	r := find(t, res, "aws_security_group.s")
	pv, ok := r.PartialOf("ingress", 0, "cidr_blocks")
	if !ok {
		t.Fatal("no partial rendering of ingress[0].cidr_blocks")
	}
	got := pv.Strings()
	if len(got) != 2 || got[0] != "0.0.0.0/0" || got[1] != graph.UnknownText {
		t.Errorf("partial cidr_blocks = %q", got)
	}
	if _, ok := r.PartialOf("ingress", 0, "from_port"); ok {
		t.Error("an unknown number has a partial rendering; it cannot be rendered as text")
	}
	if r.Get("ingress", 0, "cidr_blocks").WhollyKnown() {
		t.Error("the attribute's own value became known")
	}
}

func TestPartialNotRecordedForKnownValues(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": partialBucket + `
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Principal = "*" })
}
`}, Options{})
	r := find(t, res, "aws_s3_bucket_policy.b")
	if _, ok := r.PartialOf("policy"); ok {
		t.Error("a known policy has a partial rendering")
	}
	if _, ok := r.PartialOf("bucket"); ok {
		t.Error("a bare unknown reference has a partial rendering; it has no known part")
	}
}

func TestPartializeLeavesNonTextUnknowns(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{
		"s": cty.UnknownVal(cty.String),
		"n": cty.UnknownVal(cty.Number),
		"l": cty.UnknownVal(cty.List(cty.String)),
		"d": cty.DynamicVal,
	})
	got := partialize(v)
	if got.GetAttr("s").AsString() != graph.UnknownText || got.GetAttr("d").AsString() != graph.UnknownText {
		t.Errorf("text unknowns not rendered: %#v", got)
	}
	if got.GetAttr("n").IsKnown() || got.GetAttr("l").IsKnown() {
		t.Errorf("non-text unknowns rendered: %#v", got)
	}
}
