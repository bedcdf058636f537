package terraform

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// wrappedGuard is the plain way to guard f: a function with exactly f's parameters whose
// implementation calls f. guard must give the same results at the cost of one call.
func wrappedGuard(l limits, f function.Function, pre precheck) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     f.ReturnTypeForValues,
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if pre != nil {
				if err := pre(args); err != nil {
					return cty.UnknownVal(retType), err
				}
			}
			ret, err := f.Call(args)
			if err != nil {
				return ret, err
			}
			if err := l.checkResult(ret); err != nil {
				return cty.UnknownVal(retType), err
			}
			return ret, nil
		},
	})
}

// TestGuardMatchesWrappedCall calls guarded functions with unknown, null, marked, dynamic
// and wrongly typed arguments, some over budget, and compares every result and error
// with those of wrappedGuard and, within the budgets, of the function itself.
func TestGuardMatchesWrappedCall(t *testing.T) {
	lim := limits{maxStr: 64, maxColl: 8}
	guarded := []struct {
		name string
		f    function.Function
		pre  precheck
	}{
		{"format", stdlib.FormatFunc, lim.checkFormat},
		{"formatlist", stdlib.FormatListFunc, lim.checkFormatList},
		{"indent", stdlib.IndentFunc, lim.checkIndent},
		{"join", stdlib.JoinFunc, lim.checkJoin},
		{"replace", replaceFunc, lim.checkReplace},
		{"split", stdlib.SplitFunc, lim.checkSplit},
		{"concat", stdlib.ConcatFunc, lim.checkConcat},
		{"merge", stdlib.MergeFunc, checkMergeArgs},
		{"range", stdlib.RangeFunc, lim.checkRange},
		{"setproduct", stdlib.SetProductFunc, lim.checkSetProduct},
		{"setunion", dynamicTyped(stdlib.SetUnionFunc), lim.checkConcat},
		{"flatten", stdlib.FlattenFunc, nil},
		{"chunklist", stdlib.ChunklistFunc, nil},
		{"jsondecode", stdlib.JSONDecodeFunc, checkJSONDepth},
		{"jsonencode", stdlib.JSONEncodeFunc, nil},
		{"base64decode", guardedBase64Decode(), checkBase64Text},
		{"transpose", transposeFunc, nil},
		{"yamlencode", yamlEncodeFunc, nil},
	}
	long := cty.StringVal("0123456789012345678901234567890123456789012345678901234567890123456789")
	samples := []cty.Value{
		cty.NullVal(cty.DynamicPseudoType),
		cty.NullVal(cty.String),
		cty.DynamicVal,
		cty.UnknownVal(cty.String),
		cty.UnknownVal(cty.String).RefineNotNull(),
		cty.StringVal("a-b"),
		cty.StringVal("%s-%d").Mark("m"),
		cty.StringVal(`{"a":[1,2]}`),
		long,
		cty.NumberIntVal(3),
		cty.NumberIntVal(2).Mark("m"),
		cty.True,
		cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b").Mark("m")}),
		cty.ListVal([]cty.Value{long, long}),
		cty.ListVal([]cty.Value{cty.StringVal("x"), cty.UnknownVal(cty.String)}),
		cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.StringVal("y"), cty.TupleVal([]cty.Value{cty.True})}),
		cty.MapVal(map[string]cty.Value{"k": cty.ListVal([]cty.Value{cty.StringVal("v")})}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1").Mark("m"), "n": cty.NullVal(cty.Number)}).Mark("o"),
		cty.SetVal([]cty.Value{cty.StringVal("s"), cty.StringVal("t")}),
		cty.UnknownVal(cty.List(cty.String)),
	}
	calls := 0
	for _, g := range guarded {
		got, want := lim.guard(g.f, g.pre), wrappedGuard(lim, g.f, g.pre)
		params, varParam := g.f.Params(), g.f.VarParam()
		arities := []int{len(params)}
		if varParam != nil {
			arities = append(arities, len(params)+1, len(params)+2)
		}
		for _, n := range arities {
			if n > 3 {
				continue
			}
			forEachTuple(samples, n, func(args []cty.Value) {
				calls++
				// As HCL calls functions: each argument converted to its parameter's type.
				conv := make([]cty.Value, len(args))
				for i, a := range args {
					ty := varParam
					if i < len(params) {
						ty = &params[i]
					}
					c, err := convert.Convert(a, ty.Type)
					if err != nil {
						conv = nil
						break
					}
					conv[i] = c
				}
				if conv != nil {
					compareCalls(t, g.name, conv, got, want)
					compareToUnguarded(t, g.name, conv, got, g.f)
				}
				// Unconverted, as a direct caller may pass them.
				if !untypedBesideMarks(args, params, varParam) {
					compareCalls(t, g.name, args, got, want)
				}
			})
		}
	}
	if calls < 1000 {
		t.Fatalf("only %d calls made", calls)
	}
}

// guardedBase64Decode is base64decode as Functions has it.
func guardedBase64Decode() function.Function {
	return (&funcTables{}).sharedForTest("base64decode")
}

func (t *funcTables) sharedForTest(name string) function.Function {
	return sharedFunctions(FuncOptions{}.withDefaults(""))[name]
}

func forEachTuple(samples []cty.Value, n int, fn func([]cty.Value)) {
	args := make([]cty.Value, n)
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			fn(append([]cty.Value(nil), args...))
			return
		}
		for _, s := range samples {
			args[i] = s
			rec(i + 1)
		}
	}
	rec(0)
}

func compareCalls(t *testing.T, name string, args []cty.Value, got, want function.Function) {
	t.Helper()
	gv, gerr := got.Call(args)
	wv, werr := want.Call(args)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) || !gv.RawEquals(wv) {
		t.Errorf("%s%#v:\n got  %#v, %v\n want %#v, %v", name, args, gv, gerr, wv, werr)
	}
}

// compareToUnguarded checks that within the budgets the guard changes nothing but the
// refinements of an unknown result.
func compareToUnguarded(t *testing.T, name string, args []cty.Value, got, f function.Function) {
	t.Helper()
	gv, gerr := got.Call(args)
	fv, ferr := f.Call(args)
	if gerr != nil {
		// Over budget, or f's own error: compareCalls checked which.
		return
	}
	if ferr != nil {
		t.Errorf("%s%#v = %#v, unguarded error %v", name, args, gv, ferr)
		return
	}
	gu, gm := gv.UnmarkDeep()
	fu, fm := fv.UnmarkDeep()
	same := gu.IsKnown() == fu.IsKnown() && gu.Type().Equals(fu.Type()) && len(gm) == len(fm)
	if same && gu.IsKnown() {
		same = gv.RawEquals(fv)
	}
	if !same {
		t.Errorf("%s%#v = %#v, unguarded %#v", name, args, gv, fv)
	}
}

// untypedBesideMarks reports the one case where guard may answer differently from
// wrappedGuard: a value of no known type where the parameter wants a typed one, which
// HCL never passes, beside marked arguments (see guard).
func untypedBesideMarks(args []cty.Value, params []function.Parameter, varParam *function.Parameter) bool {
	untyped, marked := false, false
	for i, a := range args {
		p := varParam
		if i < len(params) {
			p = &params[i]
		}
		untyped = untyped || (a.Type() == cty.DynamicPseudoType && !p.AllowDynamicType)
		marked = marked || a.ContainsMarked()
	}
	return untyped && marked
}

// TestGuardReportsTypeErrorsBeforeBudgets: the function's own type error comes before a
// precheck's refusal or panic, as with wrappedGuard, whose precheck runs only once the
// type is computed.
func TestGuardReportsTypeErrorsBeforeBudgets(t *testing.T) {
	lim := limits{maxStr: 4, maxColl: 4}
	f := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
		Type: func(args []cty.Value) (cty.Type, error) {
			if args[0].IsKnown() && args[0].AsString() == "bad" {
				return cty.NilType, errors.New("bad argument")
			}
			return cty.String, nil
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
	})
	prechecks := map[string]precheck{
		"passes":  func([]cty.Value) error { return nil },
		"refuses": func([]cty.Value) error { return errors.New("over budget") },
		"panics":  func([]cty.Value) error { panic("precheck failed") },
	}
	for name, pre := range prechecks {
		for _, s := range []string{"bad", "good"} {
			args := []cty.Value{cty.StringVal(s)}
			gv, gerr := lim.guard(f, pre).Call(args)
			wv, werr := wrappedGuard(lim, f, pre).Call(args)
			// A panic's error ends with the stack, which differs.
			if firstLine(gerr) != firstLine(werr) || !gv.RawEquals(wv) {
				t.Errorf("%s precheck, %q: got %#v, %v; want %#v, %v", name, s, gv, gerr, wv, werr)
			}
		}
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(fmt.Sprint(err), "\n")
	return s
}
