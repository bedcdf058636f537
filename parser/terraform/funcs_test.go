package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// evalFunc evaluates one HCL expression with the functions of a module in dir, and with
// the variables vars (may be nil).
func evalFunc(t *testing.T, dir string, opts FuncOptions, vars map[string]cty.Value, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags)
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: Functions(dir, opts)}
	return expr.Value(ctx)
}

type funcCase struct {
	expr string
	want cty.Value
}

// runFuncCases checks every expression against the value Terraform documents for it.
func runFuncCases(t *testing.T, dir string, opts FuncOptions, vars map[string]cty.Value, cases []funcCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := evalFunc(t, dir, opts, vars, c.expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", c.expr, diags)
			}
			if !got.RawEquals(c.want) {
				t.Errorf("%s\n got  %#v\n want %#v", c.expr, got, c.want)
			}
		})
	}
}

// wantError checks that each expression fails to evaluate, which the evaluator turns into
// an unknown value, and that it does so without panicking.
func wantError(t *testing.T, dir string, opts FuncOptions, exprs ...string) {
	t.Helper()
	for _, e := range exprs {
		t.Run(e, func(t *testing.T) {
			got, diags := evalFunc(t, dir, opts, nil, e)
			if !diags.HasErrors() {
				t.Errorf("%s = %#v, want an error", e, got)
			}
		})
	}
}

func strs(ss ...string) []cty.Value {
	out := make([]cty.Value, len(ss))
	for i, s := range ss {
		out[i] = cty.StringVal(s)
	}
	return out
}

func TestCollectionFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`lookup({a="ay", b="bee"}, "a", "what?")`, cty.StringVal("ay")},
		{`lookup({a="ay", b="bee"}, "c", "what?")`, cty.StringVal("what?")},
		{`lookup({a="ay"}, "a")`, cty.StringVal("ay")},
		{`lookup({a="ay"}, "c", null)`, cty.NullVal(cty.DynamicPseudoType)},
		{`merge({a="b", c="d"}, {e="f", c="z"})`, cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("b"), "c": cty.StringVal("z"), "e": cty.StringVal("f")})},
		{`concat(["a", ""], ["b", "c"])`, cty.TupleVal(strs("a", "", "b", "c"))},
		{`coalesce("a", "b")`, cty.StringVal("a")},
		{`coalesce("", "b")`, cty.StringVal("b")},
		{`coalesce(null, 1, 2)`, cty.NumberIntVal(1)},
		{`coalescelist(["a", "b"], ["c", "d"])`, cty.TupleVal(strs("a", "b"))},
		{`coalescelist([], ["c", "d"])`, cty.TupleVal(strs("c", "d"))},
		{`compact(["a", "", "b", null, "c"])`, cty.ListVal(strs("a", "b", "c"))},
		{`contains(["a", "b", "c"], "a")`, cty.True},
		{`contains(["a", "b", "c"], "d")`, cty.False},
		{`distinct(["a", "b", "a", "c", "d", "b"])`, cty.ListVal(strs("a", "b", "c", "d"))},
		{`element(["a", "b", "c"], 1)`, cty.StringVal("b")},
		{`element(["a", "b", "c"], 3)`, cty.StringVal("a")},
		{`flatten([["a", "b"], [], ["c"]])`, cty.TupleVal(strs("a", "b", "c"))},
		{`index(["a", "b", "c"], "b")`, cty.NumberIntVal(1)},
		{`keys({a=1, c=2, d=3})`, cty.TupleVal(strs("a", "c", "d"))},
		{`values({a=3, c=2, d=1})`, cty.TupleVal([]cty.Value{cty.NumberIntVal(3), cty.NumberIntVal(2), cty.NumberIntVal(1)})},
		{`length([])`, cty.NumberIntVal(0)},
		{`length(["a", "b"])`, cty.NumberIntVal(2)},
		{`length({"a" = "b"})`, cty.NumberIntVal(1)},
		{`length("hello")`, cty.NumberIntVal(5)},
		{`length("👾🕹️")`, cty.NumberIntVal(2)},
		{`one([])`, cty.NullVal(cty.DynamicPseudoType)},
		{`one(["hello"])`, cty.StringVal("hello")},
		{`one(tolist([]))`, cty.NullVal(cty.DynamicPseudoType)},
		{`sum([10, 13, 6, 4.5])`, cty.NumberFloatVal(33.5)},
		{`alltrue(["true", true])`, cty.True},
		{`alltrue([true, false])`, cty.False},
		{`alltrue([])`, cty.True},
		{`anytrue(["true"])`, cty.True},
		{`anytrue([true, false])`, cty.True},
		{`anytrue([])`, cty.False},
		{`range(3)`, cty.ListVal([]cty.Value{cty.NumberIntVal(0), cty.NumberIntVal(1), cty.NumberIntVal(2)})},
		{`range(1, 4)`, cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2), cty.NumberIntVal(3)})},
		{`range(1, 8, 2)`, cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(3), cty.NumberIntVal(5), cty.NumberIntVal(7)})},
		{`range(4, 1)`, cty.ListVal([]cty.Value{cty.NumberIntVal(4), cty.NumberIntVal(3), cty.NumberIntVal(2)})},
		{`zipmap(["a", "b"], [1, 2])`, cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.NumberIntVal(2)})},
		{`setproduct(["development", "staging"], ["app1", "app2"])`, cty.ListVal([]cty.Value{
			cty.TupleVal(strs("development", "app1")), cty.TupleVal(strs("development", "app2")),
			cty.TupleVal(strs("staging", "app1")), cty.TupleVal(strs("staging", "app2")),
		})},
		{`setunion(["a", "b"], ["b", "c"], ["d"])`, cty.SetVal(strs("a", "b", "c", "d"))},
		{`setintersection(["a", "b"], ["b", "c"], ["b", "d"])`, cty.SetVal(strs("b"))},
		{`setsubtract(["a", "b", "c"], ["a", "c"])`, cty.SetVal(strs("b"))},
		{`slice(["a", "b", "c", "d"], 1, 3)`, cty.TupleVal(strs("b", "c"))},
		{`sort(["e", "d", "a", "x"])`, cty.ListVal(strs("a", "d", "e", "x"))},
		{`reverse([1, 2, 3])`, cty.TupleVal([]cty.Value{cty.NumberIntVal(3), cty.NumberIntVal(2), cty.NumberIntVal(1)})},
		{`chunklist(["a", "b", "c", "d", "e"], 2)`, cty.ListVal([]cty.Value{cty.ListVal(strs("a", "b")), cty.ListVal(strs("c", "d")), cty.ListVal(strs("e"))})},
		{`matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])`, cty.ListVal(strs("i-abc", "i-def"))},
		{`transpose({"a" = ["1", "2"], "b" = ["2", "3"]})`, cty.MapVal(map[string]cty.Value{
			"1": cty.ListVal(strs("a")), "2": cty.ListVal(strs("a", "b")), "3": cty.ListVal(strs("b")),
		})},
	})
}
