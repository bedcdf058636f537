package terraform

import (
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestWalkMatchesHCLWalk: the analysis walker visits what hclsyntax.Walk visits, in the
// same order and scopes, so the analysis is the same either way.
func TestWalkMatchesHCLWalk(t *testing.T) {
	for _, src := range []string{
		`var.a`,
		`"${var.env}-${local.name}"`,
		`aws_s3_bucket.b[count.index].arn`,
		`aws_s3_bucket.b["x"].id`,
		`var.on ? local.a.b : data.aws_iam_policy_document.p.json`,
		`lookup(var.m, "k", local.d)`,
		`[for k, v in var.m : "${k}=${v.x}" if v.enabled && k != local.skip]`,
		`{for s in var.subnets : s.name => s.cidr...}`,
		`[for v in var.l : [for w in v.items : w.id if w != v]]`,
		`var.list[*].name`,
		`aws_instance.web.*.private_ip`,
		`(var.a + local.b) * -var.c`,
		`!var.flag`,
		`{ name = var.n, (local.k) = 1, "lit" = aws_s3_bucket.b.id, null = 2 }`,
		`<<EOT
%{ for x in var.xs ~}
${x.name} %{ if x.on }on%{ else }${local.off}%{ endif }
%{ endfor ~}
EOT
`,
		`jsonencode({ Statement = [{ Effect = "Allow", Resource = aws_s3_bucket.b.arn }] })`,
		`try(var.o.a.b, module.m.out[0], "x")`,
		`merge(var.tags, { Name = format("%s-%s", var.env, each.key) })`,
		`[for i, x in concat(var.a, var.b) : { idx = i, val = x[var.k] }][0].val`,
		`element(aws_subnet.s[*].id, count.index % length(var.azs))`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags)
		}
		got := analyzeExpr(expr)
		w := &analysisWalker{}
		_ = hclsyntax.Walk(expr, w)
		want := &w.info
		want.attrNames = sortedSet(want.attrNames)
		want.calls = sortedSet(want.calls)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %+v\n want %+v", src, got, want)
		}
		if !reflect.DeepEqual(got.vars, expr.Variables()) {
			t.Errorf("%s: vars %v, want %v", src, got.vars, expr.Variables())
		}
	}
}
