package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestEvaluatesVariablesLocalsAndFunctions(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `
variable "env" {
  type    = string
  default = "dev"
}

variable "settings" {
  type = object({
    acl  = optional(string, "private")
    tags = optional(map(string), {})
  })
  default = {}
}

locals {
  name = "logs-${var.env}"
  tags = merge({ Env = var.env }, var.settings.tags)
  acl  = var.env == "prod" ? "private" : var.settings.acl
}

resource "aws_s3_bucket" "logs" {
  bucket = local.name
  acl    = local.acl
  tags   = local.tags
  names  = [for s in ["a", "b"] : upper(s)]
}
`,
		"terraform.tfvars": `env = "stage"` + "\n",
	}, Options{})
	noErrors(t, res)
	r := find(t, res, "aws_s3_bucket.logs")
	if got := str(t, r, "bucket"); got != "logs-stage" {
		t.Errorf("bucket = %q", got)
	}
	if got := str(t, r, "acl"); got != "private" {
		t.Errorf("acl = %q", got)
	}
	if got := str(t, r, "tags", "Env"); got != "stage" {
		t.Errorf("tags.Env = %q", got)
	}
	if got := str(t, r, "names", 1); got != "B" {
		t.Errorf("names[1] = %q", got)
	}
	if r.Scope != "." || r.Type != "aws_s3_bucket" || r.Format != graph.Terraform {
		t.Errorf("scope/type/format = %q %q %q", r.Scope, r.Type, r.Format)
	}
	if r.DefRange.Start.Line != 21 || r.Range.End.Line != 26 {
		t.Errorf("ranges = %v .. %v", r.DefRange, r.Range.End)
	}
}

func TestVarFilesApplyInOrderLaterWins(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf":            "variable \"a\" {}\nvariable \"b\" {}\nvariable \"c\" {}\nresource \"x\" \"y\" {\n  a = var.a\n  b = var.b\n  c = var.c\n}\n",
		"terraform.tfvars":   "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n",
		"b.auto.tfvars":      "b = \"b-auto\"\nc = \"b-auto\"\n",
		"a.auto.tfvars.json": `{"b": "a-auto"}`,
		"extra/extra.tfvars": "c = \"extra\"\n",
		"extra/readme.txt":   "",
	}, Options{VarFiles: []string{"extra/extra.tfvars"}})
	noErrors(t, res)
	r := find(t, res, "x.y")
	for attr, want := range map[string]string{"a": "tfvars", "b": "b-auto", "c": "extra"} {
		if got := str(t, r, attr); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	if _, ok := res.Files["extra/extra.tfvars"]; !ok {
		t.Errorf("var file not recorded in Files: %v", res.Files)
	}
}

func TestVariableWithoutValueIsUnknownWithReason(t *testing.T) {
	t.Setenv("TF_VAR_acl", "public-read")
	res := parseTree(t, map[string]string{
		"main.tf": "variable \"acl\" {\n  type = string\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  acl = var.acl\n}\n",
	}, Options{})
	r := find(t, res, "aws_s3_bucket.b")
	if r.Get("acl").IsKnown() {
		t.Fatalf("acl should be unknown, got %#v", r.Get("acl").Raw())
	}
	if got := r.UnknownOf("acl"); len(got) != 1 || got[0] != "var.acl has no value" {
		t.Errorf("UnknownOf(acl) = %v", got)
	}
}

func TestPositionsOfArgumentsBlocksAndLiterals(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `resource "aws_security_group" "sg" {
  name = "web"
  ingress {
    from_port   = 22
    cidr_blocks = [
      "10.0.0.0/8",
      "0.0.0.0/0",
    ]
  }
  ingress {
    from_port = 443
  }
  tags = {
    Name = "web"
  }
}
`,
	}, Options{})
	noErrors(t, res)
	r := find(t, res, "aws_security_group.sg")
	cases := []struct {
		path graph.Path
		line int
		col  int
	}{
		{graph.P("name"), 2, 3},
		{graph.P("ingress", 0), 3, 3},
		{graph.P("ingress", 0, "cidr_blocks"), 5, 5},
		{graph.P("ingress", 0, "cidr_blocks", 1), 7, 7},
		{graph.P("ingress", 1), 10, 3},
		{graph.P("ingress", 1, "from_port"), 11, 5},
		{graph.P("tags", "Name"), 14, 5},
		{graph.P("missing"), 1, 1},
	}
	for _, c := range cases {
		got := r.RangeOf(c.path...)
		if got.Start.Line != c.line || got.Start.Column != c.col || got.File != "main.tf" {
			t.Errorf("RangeOf(%s) = %v, want main.tf:%d:%d", c.path, got, c.line, c.col)
		}
	}
	if n := len(r.Get("ingress").List()); n != 2 {
		t.Errorf("ingress has %d blocks, want 2", n)
	}
	if v, _ := r.Get("ingress", 1, "from_port").Int(); v != 443 {
		t.Errorf("ingress[1].from_port = %d", v)
	}
}

func TestMetaArgumentsAreNotAttributes(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `resource "aws_s3_bucket" "b" {
  provider   = aws.west
  depends_on = [aws_s3_bucket.c]
  bucket     = "b"
  lifecycle {
    prevent_destroy = true
  }
}
resource "aws_s3_bucket" "c" {}
`,
	}, Options{})
	r := find(t, res, "aws_s3_bucket.b")
	for _, a := range []string{"provider", "depends_on", "lifecycle"} {
		if r.Get(a).Exists() {
			t.Errorf("%s should not be an attribute", a)
		}
	}
}

func TestJSONConfigurationIsEvaluated(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf.json": `{
  "variable": {"name": {"default": "j"}},
  "resource": {"aws_s3_bucket": {"b": {
    "bucket": "${var.name}-bucket",
    "versioning": {"enabled": true}
  }}}
}`,
	}, Options{})
	noErrors(t, res)
	r := find(t, res, "aws_s3_bucket.b")
	if got := str(t, r, "bucket"); got != "j-bucket" {
		t.Errorf("bucket = %q", got)
	}
	vs := r.Get("versioning").List()
	if len(vs) != 1 {
		t.Fatalf("versioning = %#v", r.Get("versioning").Raw())
	}
	if b, ok := vs[0].Get("enabled").Bool(); !ok || !b {
		t.Errorf("versioning[0].enabled = %#v", r.Get("versioning").Raw())
	}
	if r.RangeOf("bucket").Start.Line != 4 {
		t.Errorf("bucket line = %v", r.RangeOf("bucket"))
	}
}

func TestSyntaxErrorLeavesOutOnlyTheBrokenFile(t *testing.T) {
	res := parseTree(t, map[string]string{
		"a/broken.tf": "resource \"aws_s3_bucket\" \"x\" {\n  acl = \n}\n",
		"a/good.tf":   "resource \"aws_s3_bucket\" \"y\" {\n  acl = \"private\"\n}\n",
		"b/main.tf":   "resource \"aws_s3_bucket\" \"z\" {}\n",
	}, Options{})
	if got := strings.Join(addresses(res), ","); got != "aws_s3_bucket.y,aws_s3_bucket.z" {
		t.Errorf("resources = %s", got)
	}
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError && d.Range.File == "a/broken.tf" && d.Range.Start.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no error diagnostic for a/broken.tf: %v", res.Diagnostics)
	}
	if res.FileCount != 3 {
		t.Errorf("FileCount = %d", res.FileCount)
	}
}

func TestReferenceCycleIsAWarningAndUnknown(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": "locals {\n  a = local.b\n  b = local.a\n}\nresource \"x\" \"y\" {\n  v = local.a\n}\n",
	}, Options{})
	var warned bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagWarning && strings.Contains(d.Summary, "cycle") && d.Range.File == "main.tf" && d.Range.Start.Line == 2 {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no cycle warning at main.tf:2: %v", res.Diagnostics)
	}
	r := find(t, res, "x.y")
	if r.Get("v").IsKnown() {
		t.Errorf("v should be unknown")
	}
}

func TestEvaluationErrorsBecomeUnknownNotDiagnostics(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `resource "x" "y" {
  a = nosuchfunc("x")
  b = 1 + "x"
  c = local.missing
  d = "ok"
}
`,
	}, Options{})
	noErrors(t, res)
	r := find(t, res, "x.y")
	if got := r.UnknownOf("a"); len(got) == 0 || got[0] != "function nosuchfunc is not supported" {
		t.Errorf("UnknownOf(a) = %v", got)
	}
	for _, a := range []string{"a", "b", "c"} {
		if r.Get(a).IsKnown() {
			t.Errorf("%s should be unknown", a)
		}
	}
	if str(t, r, "d") != "ok" {
		t.Errorf("d lost")
	}
}

func TestApplyTimeFunctionIsNamedAsTheReason(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": "resource \"x\" \"y\" {\n  a = \"t-${timestamp()}\"\n}\n",
	}, Options{})
	r := find(t, res, "x.y")
	if got := r.UnknownOf("a"); len(got) != 1 || got[0] != "function timestamp is known only after apply" {
		t.Errorf("UnknownOf(a) = %v", got)
	}
}

func TestOptionalDefaultsApplyToPartlyUnknownInputs(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "cfg" {
  type = object({
    name = string
    acl  = optional(string, "private")
  })
  default = { name = "n" }
}

module "m" {
  source = "./m"
  cfg    = { name = aws_s3_bucket.x.id }
}

resource "aws_s3_bucket" "x" {
  acl = var.cfg.acl
}
`,
		"m/main.tf": `variable "cfg" {
  type = object({
    name = string
    acl  = optional(string, "private")
  })
}

resource "aws_s3_bucket" "y" {
  bucket = var.cfg.name
  acl    = var.cfg.acl
}
`,
	}, Options{})
	noErrors(t, res)
	if got := str(t, find(t, res, "aws_s3_bucket.x"), "acl"); got != "private" {
		t.Errorf("root acl = %q", got)
	}
	y := find(t, res, "module.m.aws_s3_bucket.y")
	if got := str(t, y, "acl"); got != "private" {
		t.Errorf("module acl = %q", got)
	}
	if y.Get("bucket").IsKnown() {
		t.Errorf("bucket should be unknown")
	}
}

func TestJSONCommentKeysAreIgnored(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf.json": `{"resource": {"x": {"y": {"//": "a comment", "a": 1}}}}`,
	}, Options{})
	r := find(t, res, "x.y")
	if r.Get("//").Exists() || !r.Get("a").Exists() {
		t.Errorf("attrs = %#v", r.Attrs)
	}
}

func TestAbsoluteDirectoriesKeepAbsoluteFileNames(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"x\" \"y\" {\n  a = 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := filepath.ToSlash(dir)
	res := Parse([]string{abs}, Options{})
	r := find(t, res, "x.y")
	if r.Range.File != abs+"/main.tf" || r.Scope != abs {
		t.Errorf("file %q scope %q", r.Range.File, r.Scope)
	}
	if _, ok := res.Files[abs+"/main.tf"]; !ok {
		t.Errorf("files = %v", res.Files)
	}
}
