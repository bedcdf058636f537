package terraform

import (
	"math/big"
	"math/bits"
	"path/filepath"
	"strconv"

	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// toStringFunc is cty's tostring with a short way for whole numbers: cty writes a number
// as the shortest decimal of its big.Float, and that conversion was a few percent of a
// scan where for expressions turn port numbers into for_each keys. Everything else, and
// every error, is cty's own.
var toStringFunc = func() function.Function {
	base := stdlib.MakeToFunc(cty.String)
	return function.New(&function.Spec{
		Description: base.Description(),
		Params:      base.Params(),
		Type:        base.ReturnTypeForValues,
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if s, ok := intText(args[0]); ok {
				return cty.StringVal(s), nil
			}
			return base.Call(args)
		},
	})
}()

// unknownFunc builds a function without arguments whose value is not known before apply
// (timestamp, plantimestamp) or differs on every call (uuid): an unknown value of ty, so
// that no check decides on a value Terraform would not produce.
func unknownFunc(ty cty.Type) function.Function {
	return function.New(&function.Spec{
		Description: "Returns a value that is only known when Terraform applies the plan.",
		Type:        function.StaticReturnType(ty),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			return cty.UnknownVal(retType), nil
		},
	})
}

// unknownVarFunc is unknownFunc for functions that take arguments, such as bcrypt, whose
// random salt makes every result different.
func unknownVarFunc(ty cty.Type) function.Function {
	return function.New(&function.Spec{
		Description: "Returns a value that differs on every call.",
		Params:      []function.Parameter{{Name: "str", Type: cty.String, AllowUnknown: true, AllowMarked: true}},
		VarParam:    &function.Parameter{Name: "opts", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowMarked: true, AllowNull: true, AllowDynamicType: true},
		Type:        function.StaticReturnType(ty),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			return cty.UnknownVal(retType), nil
		},
	})
}

// pathExpandFunc is pathexpand: a leading ~ names the home directory of the machine that
// runs Terraform, which a static scan cannot know, so such paths are unknown. Other paths
// are returned as they are, like Terraform does.
var pathExpandFunc = function.New(&function.Spec{
	Description: "Expands a leading ~ to the home directory of the user running Terraform.",
	Params:      []function.Parameter{{Name: "path", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		p := args[0].AsString()
		if len(p) > 0 && p[0] == '~' {
			return cty.UnknownVal(cty.String), nil
		}
		return args[0], nil
	},
})

// absPathFunc is abspath: an absolute path is only cleaned, while a relative one depends on
// the directory Terraform runs in and is therefore unknown.
var absPathFunc = function.New(&function.Spec{
	Description: "Converts a path to an absolute path.",
	Params:      []function.Parameter{{Name: "path", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !filepath.IsAbs(args[0].AsString()) {
			return cty.UnknownVal(cty.String), nil
		}
		return filesystem.AbsPathFunc.Call(args)
	},
})

// identityFunc returns its argument unchanged, marks included; sensitive, nonsensitive and
// ephemeralasnull change how Terraform displays or stores a value, not the value a check
// reads.
var identityFunc = function.New(&function.Spec{
	Description: "Returns its argument unchanged.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowNull:        true,
		AllowMarked:      true,
		AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		return args[0], nil
	},
})

// isSensitiveFunc is issensitive: values are never marked sensitive here, because
// sensitive() is the identity.
var isSensitiveFunc = function.New(&function.Spec{
	Description: "Reports whether a value is marked sensitive.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowNull:        true,
		AllowMarked:      true,
		AllowDynamicType: true,
	}},
	Type: function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		return cty.False, nil
	},
})

// intText is the text cty gives the number v, big.Float's shortest decimal, when v is a
// known whole number within int64 whose float has at least as many mantissa bits as the
// number: the neighbouring floats are then at most 1 away, so the shortest decimal that
// identifies the float is the number's own digits. ok is false for anything else,
// negative zero included (its text keeps the sign).
func intText(v cty.Value) (text string, ok bool) {
	if v.Type() != cty.Number || v.IsNull() || !v.IsKnown() || v.IsMarked() {
		return "", false
	}
	f := v.AsBigFloat()
	if !f.IsInt() || f.Signbit() && f.Sign() == 0 {
		return "", false
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		return "", false
	}
	abs := uint64(i)
	if i < 0 {
		abs = -abs
	}
	if uint(bits.Len64(abs)) > f.Prec() {
		return "", false
	}
	return strconv.FormatInt(i, 10), true
}
