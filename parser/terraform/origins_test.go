package terraform

import (
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// origins renders the origins of path as "file:line message".
func origins(r *graph.Resource, path ...any) []string {
	var out []string
	for _, o := range r.OriginsOf(path...) {
		out = append(out, o.Range.File+":"+strconv.Itoa(o.Range.Start.Line)+" "+o.Message)
	}
	return out
}

func wantOrigins(t *testing.T, r *graph.Resource, path []any, want ...string) {
	t.Helper()
	if got := origins(r, path...); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s OriginsOf%v = %q, want %q", r.Address, path, got, want)
	}
}

func TestOriginsFollowTakenBranchNotCondition(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `variable "create" {
  default = true
}

variable "acl" {
  default = "public-read"
}

variable "other" {
  default = "private"
}

variable "unknown_flag" {
  type = bool
}

resource "aws_s3_bucket" "b" {
  acl   = var.create ? var.acl : var.other
  maybe = var.unknown_flag ? var.acl : var.other
}
`}, Options{})
	r := find(t, res, "aws_s3_bucket.b")
	wantOrigins(t, r, []any{"acl"}, "main.tf:6 default of var.acl")
	// With an unknown condition either branch may be taken; the condition names why
	// the value is unknown but is not where it was written.
	wantOrigins(t, r, []any{"maybe"}, "main.tf:6 default of var.acl", "main.tf:10 default of var.other")
	if got := r.UnknownOf("maybe"); len(got) != 1 || got[0] != "var.unknown_flag has no value" {
		t.Errorf("UnknownOf(maybe) = %q", got)
	}
}

func TestOriginsLeaveOutCountAndUntakenBranchesThroughLocalsAndModules(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `module "m" {
  source = "./m"
  create = true
  cidrs  = ["0.0.0.0/0"]
}
`,
		"m/main.tf": `variable "create" {
  default = false
}

variable "cidrs" {
  type = list(string)
}

locals {
  enabled = var.create
  cidrs   = local.enabled ? var.cidrs : []
}

resource "aws_security_group_rule" "r" {
  count       = local.enabled ? length(local.cidrs) : 0
  cidr_blocks = [local.cidrs[count.index]]
  description = "rule ${count.index}"
}
`,
	}, Options{})
	r := find(t, res, "module.m.aws_security_group_rule.r[0]")
	wantOrigins(t, r, []any{"cidr_blocks"}, "m/main.tf:11 local.cidrs defined here", "main.tf:4 module.m passes cidrs")
	wantOrigins(t, r, []any{"description"})
}

func TestOriginsKeepForEachElements(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `variable "names" {
  default = ["a"]
}

resource "aws_s3_bucket" "b" {
  for_each = toset(var.names)
  bucket   = each.value
}
`}, Options{})
	r := find(t, res, `aws_s3_bucket.b["a"]`)
	wantOrigins(t, r, []any{"bucket"}, "main.tf:2 default of var.names")
}

func TestOriginsOfElementPointAtTheElementOfTheLiteral(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `variable "cidrs" {
  type = list(string)
}

variable "rules" {
  default = {
    ssh = {
      port = 22
      cidr = "0.0.0.0/0"
    }
  }
}

module "m" {
  source = "./m"
  blocks = [
    "10.0.0.0/8",
    "0.0.0.0/0",
  ]
}

locals {
  cidrs = var.cidrs
}

resource "aws_security_group" "s" {
  cidr_blocks = local.cidrs
  rule        = var.rules.ssh
}
`,
		"terraform.tfvars": `cidrs = [
  "10.0.0.0/8",
  "0.0.0.0/0",
]
`,
		"m/main.tf": `variable "blocks" {
  type = list(string)
}

resource "aws_security_group" "m" {
  cidr_blocks = var.blocks
}
`,
	}, Options{})
	s := find(t, res, "aws_security_group.s")
	wantOrigins(t, s, []any{"cidr_blocks", 1}, "main.tf:23 local.cidrs defined here", "terraform.tfvars:3 var.cidrs set in terraform.tfvars")
	wantOrigins(t, s, []any{"cidr_blocks"}, "main.tf:23 local.cidrs defined here", "terraform.tfvars:1 var.cidrs set in terraform.tfvars")
	wantOrigins(t, s, []any{"rule", "cidr"}, "main.tf:9 default of var.rules")
	wantOrigins(t, s, []any{"rule"}, "main.tf:7 default of var.rules")
	if got := s.RangeOf("cidr_blocks", 1); got.Start.Line != 27 || got.File != "main.tf" {
		t.Errorf("RangeOf(cidr_blocks[1]) = %v, want the attribute in main.tf:27", got)
	}
	m := find(t, res, "module.m.aws_security_group.m")
	wantOrigins(t, m, []any{"cidr_blocks", 1}, "main.tf:18 module.m passes blocks")
	wantOrigins(t, m, []any{"cidr_blocks", 0}, "main.tf:17 module.m passes blocks")
}

func TestOriginsNarrowToTheLiteralPartALookupReads(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `module "sg" {
  source = "./sg"
  default_cidrs = ["10.0.0.0/8"]
  rules = [
    {
      port = 80
    },
    {
      port        = 5432
      cidr_blocks = "0.0.0.0/0,2.2.2.2/32"
    },
  ]
}
`,
		"sg/main.tf": `variable "rules" {
  type = any
}

variable "default_cidrs" {
  type = list(string)
}

variable "ports" {
  default = {
    http = [80, 80]
  }
}

resource "aws_security_group_rule" "r" {
  count       = length(var.rules)
  cidr_blocks = split(",", lookup(var.rules[count.index], "cidr_blocks", join(",", var.default_cidrs)))
  from_port   = var.ports["http"][0]
}
`,
	}, Options{})
	r := find(t, res, "module.sg.aws_security_group_rule.r[1]")
	wantOrigins(t, r, []any{"cidr_blocks"}, "main.tf:10 module.sg passes rules")
	wantOrigins(t, r, []any{"from_port"}, "sg/main.tf:11 default of var.ports")
	// The first rule has no cidr_blocks: the rule read and the default used are named.
	r0 := find(t, res, "module.sg.aws_security_group_rule.r[0]")
	wantOrigins(t, r0, []any{"cidr_blocks"}, "main.tf:5 module.sg passes rules", "main.tf:3 module.sg passes default_cidrs")
}
