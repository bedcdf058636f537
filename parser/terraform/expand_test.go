package terraform

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestCountAndForEachMakeInstances(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "enabled" {
  default = false
}

variable "buckets" {
  default = {
    logs = { acl = "private" }
    site = { acl = "public-read" }
  }
}

resource "aws_s3_bucket" "disabled" {
  count = var.enabled ? 1 : 0
}

resource "aws_s3_bucket" "counted" {
  count  = 2
  bucket = "b${count.index}"
}

resource "aws_s3_bucket" "each" {
  for_each = var.buckets
  bucket   = each.key
  acl      = each.value.acl
}

resource "aws_s3_bucket" "set" {
  for_each = toset(["a", "b"])
  bucket   = each.value
}
`,
	}, Options{})
	noErrors(t, res)
	want := `aws_s3_bucket.counted[0],aws_s3_bucket.counted[1],aws_s3_bucket.each["logs"],aws_s3_bucket.each["site"],aws_s3_bucket.set["a"],aws_s3_bucket.set["b"]`
	if got := strings.Join(addresses(res), ","); got != want {
		t.Fatalf("addresses = %s", got)
	}
	site := find(t, res, `aws_s3_bucket.each["site"]`)
	if str(t, site, "acl") != "public-read" || str(t, site, "bucket") != "site" {
		t.Errorf("each values wrong: %#v", site.Attrs)
	}
	if site.BaseAddress != "aws_s3_bucket.each" {
		t.Errorf("BaseAddress = %q", site.BaseAddress)
	}
	if got := site.OriginsOf("acl"); len(got) != 1 || got[0].Message != "default of var.buckets" {
		t.Errorf("origins of each.value = %v", got)
	}
	if str(t, find(t, res, "aws_s3_bucket.counted[1]"), "bucket") != "b1" {
		t.Errorf("count.index wrong")
	}
}

func TestUnknownCountMakesOneRepresentativeInstance(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "n" {
  type = number
}

resource "aws_s3_bucket" "x" {
  count  = var.n
  bucket = "b${count.index}"
  acl    = "private"
}

resource "aws_s3_bucket" "y" {
  for_each = var.m
  bucket   = each.key
}

variable "m" {
  type = map(string)
}
`,
	}, Options{})
	x := find(t, res, "aws_s3_bucket.x[*]")
	if x.BaseAddress != "aws_s3_bucket.x" {
		t.Errorf("BaseAddress = %q", x.BaseAddress)
	}
	if x.Get("bucket").IsKnown() || str(t, x, "acl") != "private" {
		t.Errorf("attrs = %#v", x.Attrs)
	}
	if got := x.UnknownOf("bucket"); len(got) != 1 || got[0] != "var.n has no value" {
		t.Errorf("UnknownOf(bucket) = %v", got)
	}
	find(t, res, "aws_s3_bucket.y[*]")
}

func TestInstanceLimitIsAnErrorAndCapsExpansion(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": "resource \"x\" \"y\" {\n  count = 50\n}\n",
	}, Options{MaxInstances: 5})
	if n := len(res.Resources); n != 5 {
		t.Errorf("%d instances, want 5", n)
	}
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError && d.Range.File == "main.tf" && d.Range.Start.Line == 2 && strings.Contains(d.Summary, "5") {
			found = true
		}
	}
	if !found {
		t.Errorf("no limit diagnostic at main.tf:2: %v", res.Diagnostics)
	}
}

func TestDynamicBlocksExpandWithContentPositions(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "rules" {
  default = [
    { port = 22, cidrs = ["0.0.0.0/0"] },
    { port = 443, cidrs = ["10.0.0.0/8"] },
  ]
}

resource "aws_security_group" "sg" {
  ingress {
    from_port = 80
  }
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      cidr_blocks = rule.value.cidrs
      dynamic "tag" {
        for_each = rule.value.cidrs
        content {
          value = tag.value
        }
      }
    }
  }
}
`,
	}, Options{})
	noErrors(t, res)
	r := find(t, res, "aws_security_group.sg")
	ing := r.Get("ingress").List()
	if len(ing) != 3 {
		t.Fatalf("ingress = %#v", r.Get("ingress").Raw())
	}
	if p, _ := ing[1].Get("from_port").Int(); p != 22 {
		t.Errorf("ingress[1].from_port = %d", p)
	}
	if s, _ := r.Get("ingress", 2, "tag", 0, "value").Str(); s != "10.0.0.0/8" {
		t.Errorf("nested dynamic = %#v", r.Get("ingress", 2).Raw())
	}
	if got := r.RangeOf("ingress", 2, "cidr_blocks"); got.Start.Line != 17 {
		t.Errorf("RangeOf(ingress[2].cidr_blocks) = %v", got)
	}
	if got := r.OriginsOf("ingress", 1, "cidr_blocks"); len(got) != 1 || got[0].Range.Start.Line != 2 {
		t.Errorf("origins = %v", got)
	}
}

func TestDynamicBlockWithUnknownForEachIsUnknown(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "rules" {}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value
    }
  }
}
`,
	}, Options{})
	r := find(t, res, "aws_security_group.sg")
	if r.Get("ingress").IsKnown() {
		t.Errorf("ingress should be unknown")
	}
	if got := r.UnknownOf("ingress"); len(got) != 1 || got[0] != "var.rules has no value" {
		t.Errorf("UnknownOf = %v", got)
	}
}

func TestTotalInstanceBudgetStopsNestedExpansion(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf":   "module \"a\" {\n  source = \"./a\"\n  count  = 10\n}\n",
		"a/main.tf": "resource \"x\" \"y\" {\n  count = 10\n}\n",
	}, Options{MaxTotal: 25})
	if n := len(res.Resources); n >= 25 || n == 0 {
		t.Errorf("%d resources made with a budget of 25", n)
	}
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError && strings.Contains(d.Summary, "more than 25") && d.Range.Start.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("diagnostics = %v", res.Diagnostics)
	}
}

func TestOversizedFileIsReportedAndSkipped(t *testing.T) {
	res := parseTree(t, map[string]string{
		"big.tf":   "resource \"x\" \"big\" {\n  a = \"" + strings.Repeat("a", 200) + "\"\n}\n",
		"small.tf": "resource \"x\" \"small\" {}\n",
	}, Options{MaxFileSize: 100})
	if got := strings.Join(addresses(res), ","); got != "x.small" {
		t.Errorf("addresses = %s", got)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Range.File != "big.tf" || res.Diagnostics[0].Severity != graph.DiagError {
		t.Errorf("diagnostics = %v", res.Diagnostics)
	}
}
