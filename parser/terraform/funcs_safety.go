package terraform

import (
	"math"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// The wrappers in this file refuse arguments on which a stdlib function panics. cty turns
// such a panic into an error carrying a stack trace; refusing first gives a plain message.

// dynamicTyped wraps a set function whose return type computation assumes every argument
// is a collection: with an argument of a type not known yet, the result type is not known
// either.
func dynamicTyped(f function.Function) function.Function {
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if anyDynamicType(args) {
				return cty.DynamicPseudoType, nil
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if anyDynamicType(args) {
				return cty.DynamicVal, nil
			}
			return f.Call(args)
		},
	})
}

func anyDynamicType(args []cty.Value) bool {
	for _, a := range args {
		if a.Type() == cty.DynamicPseudoType {
			return true
		}
	}
	return false
}

// checkMergeArgs accepts only maps, objects and nulls, which is what merge is documented to
// take; stdlib panics on other types after a null argument.
func checkMergeArgs(args []cty.Value) error {
	for i, a := range args {
		ty := a.Type()
		if !(ty.IsMapType() || ty.IsObjectType() || ty == cty.DynamicPseudoType) {
			return function.NewArgErrorf(i, "arguments must be maps or objects, got %s", ty.FriendlyName())
		}
	}
	return nil
}

// checkRealResult refuses number arguments for which f has no real result (such as the
// logarithm of a negative number or an even root of one): stdlib computes these in float64
// and panics storing the NaN.
func checkRealResult(f func(a, b float64) float64) precheck {
	return func(args []cty.Value) error {
		if len(args) != 2 {
			return nil
		}
		var xs [2]float64
		for i, a := range args {
			a, _ = a.Unmark()
			if !a.IsKnown() || a.IsNull() || a.Type() != cty.Number {
				return nil
			}
			xs[i], _ = a.AsBigFloat().Float64()
		}
		if math.IsNaN(f(xs[0], xs[1])) {
			return function.NewArgErrorf(0, "no real number results from %v and %v", xs[0], xs[1])
		}
		return nil
	}
}

var (
	checkLog = checkRealResult(func(num, base float64) float64 { return math.Log(num) / math.Log(base) })
	checkPow = checkRealResult(math.Pow)
)
