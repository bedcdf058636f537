package terraform

import (
	"errors"
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// lengthFunc is Terraform's length: the number of elements of a collection or structure,
// or the number of characters of a string. stdlib splits these into length and strlen.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the number of elements of a collection or characters of a string.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowUnknown:     true,
		AllowMarked:      true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String || ty == cty.DynamicPseudoType, ty.IsCollectionType(),
			ty.IsTupleType(), ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case v.IsNull():
			return cty.NilVal, function.NewArgErrorf(0, "argument must not be null")
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number).WithMarks(marks), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))).WithMarks(marks), nil
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		case ty == cty.String:
			n, err := stdlib.StrlenFunc.Call([]cty.Value{v})
			return n.WithMarks(marks), err
		default:
			n, err := stdlib.LengthFunc.Call([]cty.Value{v})
			return n.WithMarks(marks), err
		}
	},
})

// indexFunc is Terraform's index(list, value): the position of the first element equal to
// value. stdlib's IndexFunc is element access, a different function.
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of a list equal to the given value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		list, value := args[0], args[1]
		ty := list.Type()
		if !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, errors.New("cannot search an empty list")
		}
		for it := list.ElementIterator(); it.Next(); {
			i, e := it.Element()
			eq, err := stdlib.Equal(e, value)
			if err != nil {
				return cty.NilVal, err
			}
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// lookupFunc is Terraform's lookup(map, key, default): the default is optional (a missing
// key without one is an error, as in Terraform) and may be null, which stdlib's LookupFunc
// refuses.
var lookupFunc = function.New(&function.Spec{
	Description: "Returns the element with the given key of a map or object, or the default.",
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true, AllowUnknown: true},
		{Name: "key", Type: cty.String, AllowMarked: true, AllowUnknown: true},
	},
	VarParam: &function.Parameter{
		Name:             "default",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
		AllowMarked:      true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, errors.New("lookup takes two or three arguments")
		}
		hasDefault := len(args) == 3
		ty := args[0].Type()
		switch {
		case ty.IsMapType():
			if hasDefault {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
				}
			}
			return ty.ElementType(), nil
		case ty.IsObjectType():
			key, _ := args[1].Unmark()
			if !key.IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if ty.HasAttribute(key.AsString()) {
				return ty.AttributeType(key.AsString()), nil
			}
			if hasDefault {
				return args[2].Type(), nil
			}
			return cty.NilType, function.NewArgErrorf(1, "the given object has no attribute %q", key.AsString())
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "the first argument must be a map or object")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		m, mMarks := args[0].Unmark()
		key, kMarks := args[1].Unmark()
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(retType).WithMarks(mMarks, kMarks), nil
		}
		if m.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must not be null")
		}
		if key.IsNull() {
			return cty.NilVal, function.NewArgErrorf(1, "argument must not be null")
		}
		k := key.AsString()
		ty := m.Type()
		switch {
		case ty.IsObjectType() && ty.HasAttribute(k):
			return m.GetAttr(k).WithMarks(mMarks, kMarks), nil
		case ty.IsMapType() && m.HasIndex(key).True():
			return m.Index(key).WithMarks(mMarks, kMarks), nil
		case len(args) == 3:
			def, err := convert.Convert(args[2], retType)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
			}
			return def.WithMarks(mMarks, kMarks), nil
		}
		return cty.NilVal, fmt.Errorf("lookup failed to find key %q", k)
	},
})

// oneFunc is Terraform's one(list): null for no element, the element for one, an error for
// more.
var oneFunc = function.New(&function.Spec{
	Description: "Returns the single element of a list or set, or null when it is empty.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			etys := ty.TupleElementTypes()
			switch len(etys) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return etys[0], nil
			}
			return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		// A set holding unknown elements has an unknown length: they may equal each other.
		if !v.IsKnown() || (v.Type().IsSetType() && !v.IsWhollyKnown()) {
			return cty.UnknownVal(retType).WithMarks(marks), nil
		}
		if v.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must not be null")
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType).WithMarks(marks), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e.WithMarks(marks), nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
})

// sumFunc is Terraform's sum: the total of a non-empty list or set of numbers.
var sumFunc = function.New(&function.Spec{
	Description: "Returns the total of a list or set of numbers.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:        function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		ty := v.Type()
		if !(ty.IsListType() || ty.IsSetType() || ty.IsTupleType()) {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum noniterable")
		}
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if v.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := cty.Zero
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
			}
			n, err := convert.Convert(e, cty.Number)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

// boolFold builds alltrue and anytrue: every (or any) element of a list of bools is true.
// An unknown element decides the result only when no known element already does.
func boolFold(all bool) function.Function {
	verb := "any"
	if all {
		verb = "all"
	}
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Returns true if %s elements of a list are true.", verb),
		Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			unknown := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				switch {
				case !e.IsKnown():
					unknown = true
				case e.IsNull():
					if all {
						return cty.False, nil
					}
				case e.True() != all:
					return cty.BoolVal(!all), nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

var (
	allTrueFunc = boolFold(true)
	anyTrueFunc = boolFold(false)
)

// transposeFunc is Terraform's transpose: a map of lists of strings with keys and values
// swapped, each new list sorted.
var transposeFunc = function.New(&function.Spec{
	Description: "Swaps the keys and list values of a map of lists of strings.",
	Params:      []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:        function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		in := args[0]
		if !in.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		out := map[string][]string{}
		for it := in.ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, errors.New("input must not contain null list")
			}
			for lit := list.ElementIterator(); lit.Next(); {
				_, e := lit.Element()
				if e.IsNull() {
					return cty.NilVal, errors.New("input must not contain null string")
				}
				out[e.AsString()] = append(out[e.AsString()], k.AsString())
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		res := make(map[string]cty.Value, len(out))
		for k, vs := range out {
			sort.Strings(vs)
			vals := make([]cty.Value, len(vs))
			for i, s := range vs {
				vals[i] = cty.StringVal(s)
			}
			res[k] = cty.ListVal(vals)
		}
		return cty.MapVal(res), nil
	},
})

// matchkeysFunc is Terraform's matchkeys(values, keys, searchset): the elements of values
// whose corresponding element of keys is in searchset, in order.
var matchkeysFunc = function.New(&function.Spec{
	Description: "Returns the elements of a list whose corresponding keys are in a search set.",
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()})
		if ty == cty.NilType {
			return cty.NilType, errors.New("keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		values, keys, search := args[0], args[1], args[2]
		if !values.IsWhollyKnown() || !keys.IsWhollyKnown() || !search.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		if values.LengthInt() != keys.LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		if values.LengthInt() == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		ty, _ := convert.UnifyUnsafe([]cty.Type{keys.Type(), search.Type()})
		keys, err := convert.Convert(keys, ty)
		if err != nil {
			return cty.NilVal, fmt.Errorf("keys: %w", err)
		}
		search, err = convert.Convert(search, ty)
		if err != nil {
			return cty.NilVal, fmt.Errorf("searchset: %w", err)
		}
		var out []cty.Value
		vals := values.AsValueSlice()
		i := 0
		for it := keys.ElementIterator(); it.Next(); i++ {
			_, k := it.Element()
			for sit := search.ElementIterator(); sit.Next(); {
				_, s := sit.Element()
				if k.RawEquals(s) {
					out = append(out, vals[i])
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})
