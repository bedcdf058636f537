package terraform

import (
	"strings"
	"testing"
)

// A module written the way widely used community modules are: feature flags, try(),
// lookup(), merge(), for_each over maps of objects filtered by a for expression, and
// dynamic blocks over variable lists.
const communityStyleModule = `variable "create" {
  type    = bool
  default = true
}

variable "bucket" {
  type    = string
  default = null
}

variable "server_side_encryption_configuration" {
  type    = any
  default = {}
}

variable "lifecycle_rule" {
  type    = any
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "grants" {
  type = map(object({
    permission = string
    enabled    = optional(bool, true)
  }))
  default = {}
}

locals {
  create_bucket = var.create
  sse           = try(var.server_side_encryption_configuration.rule, {})
  algorithm     = lookup(local.sse, "sse_algorithm", "AES256")
  tags          = merge({ "terraform-module" = "s3" }, var.tags)
  grants        = { for k, g in var.grants : k => g if g.enabled }
}

resource "aws_s3_bucket" "this" {
  count  = local.create_bucket ? 1 : 0
  bucket = var.bucket
  tags   = local.tags
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = local.create_bucket && length(keys(local.sse)) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.algorithm
      kms_master_key_id = try(local.sse.kms_master_key_id, null)
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count  = local.create_bucket && length(var.lifecycle_rule) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this[0].id

  dynamic "rule" {
    for_each = var.lifecycle_rule
    content {
      id     = try(rule.value.id, "rule-${rule.key}")
      status = try(rule.value.enabled ? "Enabled" : "Disabled", "Enabled")
    }
  }
}

resource "aws_s3_bucket_acl" "grant" {
  for_each = local.grants
  bucket   = aws_s3_bucket.this[0].id
  acl      = each.value.permission
}

output "s3_bucket_id" {
  value = try(aws_s3_bucket.this[0].id, "")
}
`

func TestCommunityStyleModuleEvaluates(t *testing.T) {
	res := parseTree(t, map[string]string{
		"modules/s3/main.tf": communityStyleModule,
		"live/main.tf": `module "logs" {
  source = "../modules/s3"
  bucket = "logs"
  tags   = { Team = "infra" }
  server_side_encryption_configuration = {
    rule = { sse_algorithm = "aws:kms", kms_master_key_id = "k" }
  }
  lifecycle_rule = [
    { id = "expire", enabled = false },
    { enabled = true },
  ]
  grants = {
    read  = { permission = "public-read" }
    write = { permission = "private", enabled = false }
  }
}

module "off" {
  source = "../modules/s3"
  create = false
}
`,
	}, Options{})
	noErrors(t, res)
	want := []string{
		`module.logs.aws_s3_bucket.this[0]`,
		`module.logs.aws_s3_bucket_acl.grant["read"]`,
		`module.logs.aws_s3_bucket_lifecycle_configuration.this[0]`,
		`module.logs.aws_s3_bucket_server_side_encryption_configuration.this[0]`,
	}
	if got := strings.Join(addresses(res), "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("addresses:\n%s", got)
	}
	b := find(t, res, "module.logs.aws_s3_bucket.this[0]")
	if str(t, b, "tags", "Team") != "infra" || str(t, b, "tags", "terraform-module") != "s3" {
		t.Errorf("tags = %#v", b.Get("tags").Raw())
	}
	sse := find(t, res, "module.logs.aws_s3_bucket_server_side_encryption_configuration.this[0]")
	if got := str(t, sse, "rule", 0, "apply_server_side_encryption_by_default", 0, "sse_algorithm"); got != "aws:kms" {
		t.Errorf("sse_algorithm = %q", got)
	}
	lc := find(t, res, "module.logs.aws_s3_bucket_lifecycle_configuration.this[0]")
	if str(t, lc, "rule", 0, "status") != "Disabled" || str(t, lc, "rule", 1, "id") != "rule-1" {
		t.Errorf("rules = %#v", lc.Get("rule").Raw())
	}
	acl := find(t, res, `module.logs.aws_s3_bucket_acl.grant["read"]`)
	if str(t, acl, "acl") != "public-read" {
		t.Errorf("acl = %#v", acl.Attrs)
	}
	if o := acl.OriginsOf("acl"); len(o) == 0 || o[0].Message != "local.grants defined here" {
		t.Errorf("origins = %v", o)
	}
}
