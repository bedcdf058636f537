package terraform

import (
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestOddConfigurationNeverPanicsOrErrors(t *testing.T) {
	srcs := map[string]string{
		"bad count":             `resource "x" "y" { count = "abc" }`,
		"huge count":            `resource "x" "y" { count = 1e30 }`,
		"negative count":        `resource "x" "y" { count = -1 }`,
		"fraction count":        `resource "x" "y" { count = 1.5 }`,
		"number for_each":       `resource "x" "y" { for_each = 5 }`,
		"null for_each":         `resource "x" "y" { for_each = null }`,
		"list for_each":         `resource "x" "y" { for_each = [1, 2] }`,
		"each outside":          `resource "x" "y" { a = each.value }`,
		"self reference":        `resource "x" "y" { a = x.y.a }`,
		"dynamic no content":    `resource "x" "y" { dynamic "d" { for_each = [1] } }`,
		"dynamic no label":      `resource "x" "y" { dynamic { for_each = [1] } }`,
		"provider function":     `resource "x" "y" { a = provider::aws::arn_parse("x") }`,
		"type mismatch":         "variable \"v\" {\n  type = number\n  default = \"abc\"\n}\nresource \"x\" \"y\" { a = var.v }",
		"bad type":              "variable \"v\" {\n  type = notatype\n}\nresource \"x\" \"y\" { a = var.v }",
		"module count unknown":  "variable \"n\" {}\nmodule \"m\" {\n  source = \"./m\"\n  count = var.n\n}\nresource \"x\" \"y\" { a = module.m[0].o }",
		"module output missing": "module \"m\" {\n  source = \"./m\"\n}\nresource \"x\" \"y\" { a = module.m.nope }",
		"missing module dir":    "module \"m\" {\n  source = \"./nope\"\n}",
		"splat of unknown":      "variable \"l\" {}\nresource \"x\" \"y\" { a = var.l[*].id }",
		"nested optional":       "variable \"v\" {\n  type = object({ a = optional(object({ b = optional(list(string), []) }), {}) })\n  default = { a = null }\n}\nresource \"x\" \"y\" { a = var.v.a.b }",
		"duplicate resource":    "resource \"x\" \"y\" {}\nresource \"x\" \"y\" {}",
		"attr and block":        "resource \"x\" \"y\" {\n  b = 1\n  b {}\n}",
		"local cycle self":      "locals {\n  a = local.a\n}",
		"deep expression":       "locals {\n  a = [[[[[[[[[[1]]]]]]]]]]\n}\nresource \"x\" \"y\" { a = local.a[0][0][0] }",
		"for_each resource ref": "resource \"x\" \"a\" {\n  for_each = toset([\"p\"])\n}\nresource \"x\" \"b\" { a = x.a[\"p\"].id\n c = x.a[\"q\"].id }",
		"data count":            "data \"d\" \"e\" {\n  count = 2\n}\nresource \"x\" \"y\" { a = data.d.e[1].v }",
		"sensitive":             "resource \"x\" \"y\" { a = sensitive(\"s\") }",
		"templatefile missing":  "resource \"x\" \"y\" { a = templatefile(\"nope.tpl\", {}) }",
	}
	for name, src := range srcs {
		t.Run(name, func(t *testing.T) {
			res := parseTree(t, map[string]string{"main.tf": src, "m/main.tf": "output \"o\" { value = 1 }\n"}, Options{MaxInstances: 100})
			for _, d := range res.Diagnostics {
				if d.Severity == graph.DiagError && d.Range.Start.Line == 0 {
					t.Errorf("error diagnostic without a line: %s", d.Error())
				}
				if d.Summary == "internal error evaluating module" {
					t.Errorf("panic: %s", d.Error())
				}
			}
		})
	}
}

func TestSensitiveValuesAreUnmarked(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": "resource \"x\" \"y\" {\n  a = sensitive(\"s\")\n}\n",
	}, Options{})
	r := find(t, res, "x.y")
	if r.Attrs.ContainsMarked() || str(t, r, "a") != "s" {
		t.Errorf("a = %#v", r.Attrs)
	}
}
