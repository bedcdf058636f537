package terraform

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

const bucketModule = `variable "acl" {
  type = string
}

variable "name" {
  default = "m"
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  acl    = var.acl
}

module "inner" {
  source = "./inner"
  id     = aws_s3_bucket.this.id
}

output "id" {
  value = aws_s3_bucket.this.id
}

output "name" {
  value = aws_s3_bucket.this.bucket
}
`

const innerModule = `variable "id" {}

resource "aws_s3_bucket_public_access_block" "pab" {
  bucket = var.id
}
`

func TestLocalModulesAreEvaluatedThroughTheirCallers(t *testing.T) {
	res := parseTree(t, map[string]string{
		"env/main.tf": `module "web" {
  source = "../modules/bucket"
  acl    = "public-read"
}

module "many" {
  source   = "../modules/bucket"
  for_each = { a = "private", b = "public-read" }
  acl      = each.value
  name     = each.key
}

module "counted" {
  source = "../modules/bucket"
  count  = 1
  acl    = "private"
}

resource "aws_s3_bucket_policy" "p" {
  bucket = module.web.name
  id     = module.web.id
}
`,
		"modules/bucket/main.tf":       bucketModule,
		"modules/bucket/inner/main.tf": innerModule,
	}, Options{})
	noErrors(t, res)
	want := []string{
		"aws_s3_bucket_policy.p",
		`module.counted[0].aws_s3_bucket.this`,
		`module.counted[0].module.inner.aws_s3_bucket_public_access_block.pab`,
		`module.many["a"].aws_s3_bucket.this`,
		`module.many["a"].module.inner.aws_s3_bucket_public_access_block.pab`,
		`module.many["b"].aws_s3_bucket.this`,
		`module.many["b"].module.inner.aws_s3_bucket_public_access_block.pab`,
		"module.web.aws_s3_bucket.this",
		"module.web.module.inner.aws_s3_bucket_public_access_block.pab",
	}
	if got := strings.Join(addresses(res), "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("addresses:\n%s", got)
	}
	web := find(t, res, "module.web.aws_s3_bucket.this")
	if str(t, web, "acl") != "public-read" || web.Scope != "env" || web.Range.File != "modules/bucket/main.tf" {
		t.Errorf("web bucket = %#v scope %q file %q", web.Attrs, web.Scope, web.Range.File)
	}
	if got := web.OriginsOf("acl"); len(got) != 1 || got[0].Message != "module.web passes acl" || got[0].Range.File != "env/main.tf" || got[0].Range.Start.Line != 3 {
		t.Errorf("origins = %v", got)
	}
	b := find(t, res, `module.many["b"].aws_s3_bucket.this`)
	if str(t, b, "bucket") != "b" || str(t, b, "acl") != "public-read" {
		t.Errorf("many[b] = %#v", b.Attrs)
	}
	pab := find(t, res, `module.many["b"].module.inner.aws_s3_bucket_public_access_block.pab`)
	if len(pab.CallChain) != 2 || pab.CallChain[0].Message != "module.many called here" || pab.CallChain[0].Range.Start.Line != 6 || pab.CallChain[1].Message != "module.inner called here" {
		t.Errorf("call chain = %v", pab.CallChain)
	}
	p := find(t, res, "aws_s3_bucket_policy.p")
	if str(t, p, "bucket") != "m" {
		t.Errorf("module output = %#v", p.Attrs)
	}
	if got := p.UnknownOf("id"); len(got) != 1 || got[0] != "aws_s3_bucket.this.id is known only after apply" {
		t.Errorf("UnknownOf(id) = %v", got)
	}

	g := graph.New(res.Resources)
	if got := g.ReferencedVia(b, "bucket", "aws_s3_bucket_public_access_block"); len(got) != 1 || got[0] != pab {
		t.Errorf("edge across module boundary = %v", got)
	}
	if got := g.ReferencedVia(web, "id", "aws_s3_bucket_policy"); len(got) != 1 {
		t.Errorf("edge through module output = %v", got)
	}
}

func TestRemoteModuleWithoutInitIsAWarning(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "x" "y" {
  vpc = module.vpc.vpc_id
}
`,
	}, Options{})
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagWarning && d.Summary == "module.vpc: remote module terraform-aws-modules/vpc/aws is not downloaded (run terraform init to scan it)" && d.Range.Start.Line == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("diagnostics = %v", res.Diagnostics)
	}
	r := find(t, res, "x.y")
	if got := r.UnknownOf("vpc"); len(got) != 1 || got[0] != "module.vpc (source terraform-aws-modules/vpc/aws) was not loaded" {
		t.Errorf("UnknownOf = %v", got)
	}
}

func TestInstalledModulesAreReadFromModulesJSON(t *testing.T) {
	res := parseTree(t, map[string]string{
		"live/main.tf": `module "b" {
  source = "registry.example.com/x/bucket/aws"
  acl    = "public-read"
}
`,
		"live/.terraform/modules/modules.json":    `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"b","Source":"registry.example.com/x/bucket/aws","Dir":".terraform/modules/b"},{"Key":"b.inner","Source":"./inner","Dir":".terraform/modules/b/inner"}]}`,
		"live/.terraform/modules/b/main.tf":       bucketModule,
		"live/.terraform/modules/b/inner/main.tf": innerModule,
	}, Options{})
	noErrors(t, res)
	r := find(t, res, "module.b.aws_s3_bucket.this")
	if str(t, r, "acl") != "public-read" || r.Range.File != "live/.terraform/modules/b/main.tf" {
		t.Errorf("installed module = %#v in %s", r.Attrs, r.Range.File)
	}
	find(t, res, "module.b.module.inner.aws_s3_bucket_public_access_block.pab")
}

func TestModuleThatCallsItselfIsAnError(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf":    "module \"a\" {\n  source = \"./a\"\n}\n",
		"a/main.tf":  "module \"b\" {\n  source = \"../b\"\n}\nresource \"x\" \"a\" {}\n",
		"b/main.tf":  "module \"a\" {\n  source = \"../a\"\n}\n",
		"other/x.tf": "resource \"x\" \"o\" {}\n",
	}, Options{})
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError && d.Range.File == "b/main.tf" && d.Range.Start.Line == 1 && strings.Contains(d.Summary, "calls itself") {
			found = true
		}
	}
	if !found {
		t.Errorf("diagnostics = %v", res.Diagnostics)
	}
	find(t, res, "module.a.x.a")
}

func TestModuleDepthLimit(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf":       "module \"a\" {\n  source = \"./a\"\n}\n",
		"a/main.tf":     "module \"b\" {\n  source = \"./b\"\n}\n",
		"a/b/main.tf":   "module \"c\" {\n  source = \"./c\"\n}\n",
		"a/b/c/main.tf": "resource \"x\" \"deep\" {}\n",
	}, Options{MaxModuleDepth: 2})
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError && d.Range.File == "a/b/main.tf" && strings.Contains(d.Summary, "deeper than 2") {
			found = true
		}
	}
	if !found || len(res.Resources) != 0 {
		t.Errorf("diagnostics = %v resources %v", res.Diagnostics, addresses(res))
	}
}

func TestModuleSourceOutsideTheScannedTreeIsNotRead(t *testing.T) {
	res := parseTree(t, map[string]string{
		"scan/main.tf":  "module \"m\" {\n  source = \"../../outside\"\n}\n",
		"scan/sub/x.tf": "resource \"x\" \"y\" {}\n",
	}, Options{})
	var found bool
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagWarning && strings.Contains(d.Summary, "outside the scanned directories") {
			found = true
		}
	}
	if !found {
		t.Errorf("diagnostics = %v", res.Diagnostics)
	}
}

func TestDirectoriesThatOnlyCallEachOtherAreStillScanned(t *testing.T) {
	res := parseTree(t, map[string]string{
		"a/main.tf": "module \"b\" {\n  source = \"../b\"\n}\nresource \"x\" \"a\" {}\n",
		"b/main.tf": "module \"a\" {\n  source = \"../a\"\n}\nresource \"x\" \"b\" {}\n",
	}, Options{})
	if got := strings.Join(addresses(res), ","); got != "module.b.x.b,x.a" {
		t.Errorf("addresses = %s", got)
	}
}
