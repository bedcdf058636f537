package terraform

import "testing"

func TestOriginOfEachValueIsTheForEachEntry(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `module "sg" {
  source   = "./m"
  for_each = {
    internal = "10.0.0.0/8"
    public   = "0.0.0.0/0"
  }
  cidr = each.value
}

resource "aws_x" "set" {
  for_each = toset([
    "a",
    "b",
  ])
  name = each.key
}

locals {
  buckets = {
    logs = { acl = "private" }
    www  = { acl = "public-read" }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  acl      = each.value.acl
  whole    = each.value
}
`,
		"m/main.tf": `variable "cidr" {}
resource "aws_security_group" "this" {
  cidr = var.cidr
}
`,
	}, Options{})
	wantOrigins(t, find(t, res, `module.sg["public"].aws_security_group.this`), []any{"cidr"},
		"main.tf:7 module.sg passes cidr", `main.tf:5 for_each entry "public"`)
	wantOrigins(t, find(t, res, `module.sg["internal"].aws_security_group.this`), []any{"cidr"},
		"main.tf:7 module.sg passes cidr", `main.tf:4 for_each entry "internal"`)
	wantOrigins(t, find(t, res, `aws_x.set["b"]`), []any{"name"}, `main.tf:13 for_each entry "b"`)
	// Through a local: the entry's attribute, or the entry for each.value whole, with
	// the local's message.
	www := find(t, res, `aws_s3_bucket.b["www"]`)
	wantOrigins(t, www, []any{"acl"}, "main.tf:21 local.buckets defined here")
	if o := www.OriginsOf("acl"); len(o) != 1 || o[0].Range.Start.Column != 14 {
		t.Errorf("origin of acl %+v, want the acl of the www entry", o)
	}
	wantOrigins(t, www, []any{"whole"}, "main.tf:21 local.buckets defined here")
	if o := www.OriginsOf("whole"); len(o) != 1 || o[0].Range.Start.Column != 5 {
		t.Errorf("origin of whole %+v, want the www entry", o)
	}
}

func TestOriginOfOptionalAttributeDefault(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `variable "rules" {
  type = map(object({
    from_port   = number
    to_port     = optional(number, 22)
    cidr_blocks = optional(list(string), ["0.0.0.0/0"])
  }))
  default = {
    ssh = { from_port = 22 }
    web = { from_port = 443, cidr_blocks = ["10.0.0.0/8"] }
  }
}

resource "aws_security_group_rule" "this" {
  for_each    = var.rules
  from_port   = each.value.from_port
  cidr_blocks = each.value.cidr_blocks
  direct      = var.rules["ssh"].cidr_blocks
}
`}, Options{})
	ssh := find(t, res, `aws_security_group_rule.this["ssh"]`)
	wantOrigins(t, ssh, []any{"cidr_blocks"}, `main.tf:5 optional default of var.rules["ssh"].cidr_blocks`)
	wantOrigins(t, ssh, []any{"direct"}, `main.tf:5 optional default of var.rules["ssh"].cidr_blocks`)
	wantOrigins(t, ssh, []any{"from_port"}, "main.tf:8 default of var.rules")
	// A value the literal gives itself is where it is written.
	web := find(t, res, `aws_security_group_rule.this["web"]`)
	wantOrigins(t, web, []any{"cidr_blocks"}, "main.tf:9 default of var.rules")
	if got := web.Get("cidr_blocks").Strings(); len(got) != 1 || got[0] != "10.0.0.0/8" {
		t.Errorf("web cidr_blocks = %q", got)
	}
}
