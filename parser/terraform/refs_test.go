package terraform

import (
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestOriginsNameTfvarsDefaultsAndLocals(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "acl" {
  default = "private"
}

variable "versioning" {
  default = false
}

locals {
  enabled = var.versioning
}

resource "aws_s3_bucket" "b" {
  acl     = var.acl
  enabled = local.enabled
  name    = "fixed"
}
`,
		"terraform.tfvars": "\nacl = \"public-read\"\n",
	}, Options{})
	r := find(t, res, "aws_s3_bucket.b")
	want := map[string][]string{
		"acl":     {"terraform.tfvars:2 var.acl set in terraform.tfvars"},
		"enabled": {"main.tf:10 local.enabled defined here", "main.tf:6 default of var.versioning"},
		"name":    nil,
	}
	for attr, w := range want {
		var got []string
		for _, o := range r.OriginsOf(attr) {
			got = append(got, o.Range.File+":"+strconv.Itoa(o.Range.Start.Line)+" "+o.Message)
		}
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("OriginsOf(%s) = %q, want %q", attr, got, w)
		}
	}
}

func TestResourceReferencesEvaluateAndMakeEdges(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `resource "aws_s3_bucket" "x" {
  bucket = "logs"
}

locals {
  bucket_id = aws_s3_bucket.x.id
}

resource "aws_s3_bucket_public_access_block" "pab" {
  bucket            = aws_s3_bucket.x.id
  block_public_acls = true
}

resource "aws_s3_bucket_policy" "p" {
  bucket = local.bucket_id
  name   = aws_s3_bucket.x.bucket
  arns   = aws_s3_bucket.x[*].arn
}

data "aws_iam_policy_document" "doc" {
  statement {
    actions = ["s3:GetObject"]
  }
}

resource "aws_iam_policy" "pol" {
  policy = data.aws_iam_policy_document.doc.json
}
`,
	}, Options{})
	noErrors(t, res)
	pab := find(t, res, "aws_s3_bucket_public_access_block.pab")
	if pab.Get("bucket").IsKnown() {
		t.Errorf("bucket id should be unknown")
	}
	if got := pab.UnknownOf("bucket"); len(got) != 1 || got[0] != "aws_s3_bucket.x.id is known only after apply" {
		t.Errorf("UnknownOf(bucket) = %v", got)
	}
	p := find(t, res, "aws_s3_bucket_policy.p")
	if got := str(t, p, "name"); got != "logs" {
		t.Errorf("configured attribute through reference = %q", got)
	}
	pol := find(t, res, "aws_iam_policy.pol")
	if got := pol.UnknownOf("policy"); len(got) != 1 || got[0] != "data.aws_iam_policy_document.doc.json is read at apply time" {
		t.Errorf("UnknownOf(policy) = %v", got)
	}
	doc := find(t, res, "data.aws_iam_policy_document.doc")
	if doc.Type != "aws_iam_policy_document" || doc.Meta["mode"] != "data" {
		t.Errorf("data source = %q %v", doc.Type, doc.Meta)
	}

	g := graph.New(res.Resources)
	x := find(t, res, "aws_s3_bucket.x")
	if got := g.ReferencedVia(x, "bucket", "aws_s3_bucket_public_access_block"); len(got) != 1 {
		t.Errorf("public access block edge missing: %v", got)
	}
	if got := g.ReferencedVia(x, "bucket", "aws_s3_bucket_policy"); len(got) != 1 {
		t.Errorf("edge through a local missing: %v", got)
	}
	if got := g.ReferencedVia(doc, "policy", "aws_iam_policy"); len(got) != 1 {
		t.Errorf("data source edge missing")
	}
}

func TestReferenceToIndexedInstanceTargetsThatInstance(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `resource "aws_s3_bucket" "x" {
  count  = 2
  bucket = "b-${count.index}"
}

resource "aws_s3_bucket_versioning" "one" {
  bucket = aws_s3_bucket.x[1].bucket
}

resource "aws_s3_bucket_versioning" "all" {
  buckets = aws_s3_bucket.x[*].id
}
`,
	}, Options{})
	noErrors(t, res)
	one := find(t, res, "aws_s3_bucket_versioning.one")
	if got := str(t, one, "bucket"); got != "b-1" {
		t.Errorf("bucket = %q", got)
	}
	g := graph.New(res.Resources)
	x0, x1 := find(t, res, "aws_s3_bucket.x[0]"), find(t, res, "aws_s3_bucket.x[1]")
	if len(g.ReferencedBy(x0, "aws_s3_bucket_versioning")) != 1 {
		t.Errorf("x[0] should be referenced by all only")
	}
	if len(g.ReferencedBy(x1, "aws_s3_bucket_versioning")) != 2 {
		t.Errorf("x[1] should be referenced by one and all")
	}
}

func TestEdgesGoToTheIndexedOrIteratedInstanceOnly(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `resource "aws_s3_bucket" "c" {
  count = 2
}

resource "aws_s3_bucket_public_access_block" "c" {
  count  = 2
  bucket = aws_s3_bucket.c[count.index].id
}

resource "aws_s3_bucket" "e" {
  for_each = toset(["a", "b"])
}

resource "aws_s3_bucket_public_access_block" "e" {
  for_each = aws_s3_bucket.e
  bucket   = each.value.id
}
`,
	}, Options{})
	noErrors(t, res)
	g := graph.New(res.Resources)
	for _, c := range []struct{ bucket, pab string }{
		{"aws_s3_bucket.c[0]", "aws_s3_bucket_public_access_block.c[0]"},
		{"aws_s3_bucket.c[1]", "aws_s3_bucket_public_access_block.c[1]"},
		{`aws_s3_bucket.e["a"]`, `aws_s3_bucket_public_access_block.e["a"]`},
		{`aws_s3_bucket.e["b"]`, `aws_s3_bucket_public_access_block.e["b"]`},
	} {
		got := g.ReferencedVia(find(t, res, c.bucket), "bucket")
		if len(got) != 1 || got[0].Address != c.pab {
			var names []string
			for _, r := range got {
				names = append(names, r.Address)
			}
			t.Errorf("%s referenced by %v, want %s", c.bucket, names, c.pab)
		}
	}
}

// A block that reads only attributes of a resource sees their values; one that may see
// the resource whole, in the same module, sees every argument configured.
func TestResourceReadByAttributeAndWhole(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `
resource "aws_s3_bucket" "b" {
  bucket = "x"
  tags   = { a = "1" }
}
resource "aws_s3_bucket" "c" {
  count  = 2
  bucket = "c${count.index}"
}
resource "aws_s3_bucket" "d" {
  for_each = { k = "v" }
  bucket   = each.value
  tags     = { a = each.key }
}
resource "x" "attrs" {
  v  = aws_s3_bucket.b.bucket
  w  = aws_s3_bucket.c[1].bucket
  u  = aws_s3_bucket.d["k"].tags.a
  u2 = aws_s3_bucket.d.k.bucket
  id = aws_s3_bucket.b.id
}
resource "x" "whole" {
  v    = aws_s3_bucket.b.bucket
  keys = keys(aws_s3_bucket.b)
  n    = length(aws_s3_bucket.c)
  w    = [for b in aws_s3_bucket.c : b.bucket]
}
`}, Options{})
	attrs := find(t, res, "x.attrs").Attrs
	for name, want := range map[string]string{"v": "x", "w": "c1", "u": "k", "u2": "v"} {
		if got := attrs.GetAttr(name); !got.IsKnown() || got.AsString() != want {
			t.Errorf("x.attrs.%s = %#v, want %q", name, got, want)
		}
	}
	if attrs.GetAttr("id").IsKnown() {
		t.Errorf("x.attrs.id is known, want unknown (known only after apply)")
	}
	whole := find(t, res, "x.whole").Attrs
	keys := map[string]bool{}
	for _, k := range whole.GetAttr("keys").AsValueSlice() {
		keys[k.AsString()] = true
	}
	if !keys["bucket"] || !keys["tags"] {
		t.Errorf("keys(aws_s3_bucket.b) = %v, want every argument", keys)
	}
	if n := whole.GetAttr("n"); !n.IsKnown() || n.AsBigFloat().String() != "2" {
		t.Errorf("length(aws_s3_bucket.c) = %#v, want 2", n)
	}
	if w := whole.GetAttr("w"); !w.IsWhollyKnown() || w.LengthInt() != 2 {
		t.Errorf("for over aws_s3_bucket.c = %#v, want both buckets", w)
	}
}
