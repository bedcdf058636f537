package terraform

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestTemplateFileRendered(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `resource "aws_s3_bucket" "b" {}

data "template_file" "known" {
  template = "name=$${name}"
  vars     = { name = "web" }
}

data "template_file" "partial" {
  template = "arn=$${arn}/*"
  vars     = { arn = aws_s3_bucket.b.arn }
}

data "template_file" "missing" {
  template = "x=$${nope}"
}

resource "aws_x" "use" {
  known   = data.template_file.known.rendered
  partial = data.template_file.partial.rendered
  missing = data.template_file.missing.rendered
}
`}, Options{})
	use := find(t, res, "aws_x.use")
	if got, ok := use.Get("known").Str(); !ok || got != "name=web" {
		t.Errorf("known = %q (%v), want name=web", got, ok)
	}
	wantOrigins(t, use, []any{"known"}, "main.tf:4 data.template_file.known renders this template")

	if use.Get("partial").IsKnown() {
		t.Errorf("partial is known: %v", use.Get("partial"))
	}
	if u := use.UnknownOf("partial"); len(u) != 1 || u[0] != "aws_s3_bucket.b.arn is known only after apply" {
		t.Errorf("UnknownOf(partial) = %q", u)
	}
	pv, ok := use.PartialOf("partial")
	if s, _ := pv.Str(); !ok || s != "arn="+graph.UnknownText+"/*" {
		t.Errorf("PartialOf(partial) = %q (%v)", s, ok)
	}

	if u := use.UnknownOf("missing"); len(u) != 1 || !strings.Contains(u[0], "cannot render data.template_file.missing") || !strings.Contains(u[0], `"nope"`) {
		t.Errorf("UnknownOf(missing) = %q, want the missing variable named", u)
	}
}
