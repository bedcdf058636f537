package graph

import (
	"math/big"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Value is a read-only view of an evaluated attribute value and the path it sits at. Its
// accessors never panic, whatever the value (null, unknown, marked, of an unexpected type),
// so a check can be written against the shape it expects and simply see "absent" or
// "unknown" otherwise.
type Value struct {
	v    cty.Value
	path Path
}

// ValueAt wraps a raw cty value found at path.
func ValueAt(v cty.Value, path Path) Value { return Value{v: clean(v), path: path} }

func clean(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return v
	}
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	return v
}

// Path is where the value sits within its resource.
func (v Value) Path() Path { return v.path }

// Raw returns the underlying cty value (cty.NilVal when absent), without marks.
func (v Value) Raw() cty.Value { return v.v }

// Exists reports whether the value is written and not null. An unknown value exists.
func (v Value) Exists() bool {
	if v.v == cty.NilVal {
		return false
	}
	if !v.v.IsKnown() {
		return true
	}
	return !v.v.IsNull()
}

// IsKnown reports whether the value itself is known (its elements may still be unknown).
// An absent value counts as known: it is known to be absent.
func (v Value) IsKnown() bool {
	if v.v == cty.NilVal {
		return true
	}
	return v.v.IsKnown()
}

// WhollyKnown reports whether the value and everything inside it is known.
func (v Value) WhollyKnown() bool {
	if v.v == cty.NilVal {
		return true
	}
	return v.v.IsWhollyKnown()
}

// Get follows path (attribute names and list indexes) from v. A missing step yields an
// absent value; a step into an unknown value yields an unknown value.
func (v Value) Get(path ...any) Value {
	if len(path) == 0 {
		return v
	}
	// Only the last step's value is returned, so the paths of the steps before it are
	// all prefixes of one path, allocated once. Each is capped at its length so that
	// appending to a returned path never writes into another.
	full := make(Path, len(v.path)+len(path))
	copy(full, v.path)
	copy(full[len(v.path):], path)
	cur := v
	for i, step := range path {
		n := len(v.path) + i + 1
		cur = cur.step(step, full[:n:n])
	}
	return cur
}

// step follows one step from v; p is v's path with step appended.
func (v Value) step(step any, p Path) Value {
	val := v.v
	if val == cty.NilVal || (val.IsKnown() && val.IsNull()) {
		return Value{path: p}
	}
	if !val.IsKnown() {
		return Value{v: cty.DynamicVal, path: p}
	}
	ty := val.Type()
	switch s := step.(type) {
	case string:
		switch {
		case ty.IsObjectType():
			// Attribute names are stored normalized, so a name found as written needs
			// no normalizing; only a miss is checked again the way GetAttr looks up,
			// in case the name is written in another Unicode form.
			if _, ok := ty.AttributeTypes()[s]; !ok && !ty.HasAttribute(s) {
				return Value{path: p}
			}
			return Value{v: clean(val.GetAttr(s)), path: p}
		case ty.IsMapType():
			if val.LengthInt() == 0 {
				return Value{path: p}
			}
			k := cty.StringVal(s)
			if !val.HasIndex(k).True() {
				return Value{path: p}
			}
			return Value{v: clean(val.Index(k)), path: p}
		}
	case int:
		if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
			return Value{path: p}
		}
		if s < 0 || s >= val.LengthInt() {
			return Value{path: p}
		}
		if ty.IsSetType() {
			i := 0
			for it := val.ElementIterator(); it.Next(); i++ {
				if i == s {
					_, e := it.Element()
					return Value{v: clean(e), path: p}
				}
			}
			return Value{path: p}
		}
		return Value{v: clean(val.Index(indexVal(s))), path: p}
	}
	return Value{path: p}
}

// Str returns the value as a string when it is a known string, number or bool.
func (v Value) Str() (string, bool) {
	val := v.v
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() {
		return "", false
	}
	switch val.Type() {
	case cty.String:
		return val.AsString(), true
	case cty.Number:
		return val.AsBigFloat().Text('f', -1), true
	case cty.Bool:
		if val.True() {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// Bool returns the value as a bool when it is a known bool or the strings "true"/"false"
// (Terraform and CloudFormation both accept those).
func (v Value) Bool() (b bool, ok bool) {
	val := v.v
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() {
		return false, false
	}
	switch val.Type() {
	case cty.Bool:
		return val.True(), true
	case cty.String:
		switch strings.ToLower(strings.TrimSpace(val.AsString())) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// Int returns the value as an integer when it is a known whole number or a string holding
// one.
func (v Value) Int() (int64, bool) {
	val := v.v
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() {
		return 0, false
	}
	var f *big.Float
	switch val.Type() {
	case cty.Number:
		f = val.AsBigFloat()
	case cty.String:
		var ok bool
		f, ok = new(big.Float).SetString(strings.TrimSpace(val.AsString()))
		if !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0, false
	}
	return i, true
}

// List returns the elements of a known list, tuple or set, each with its path. A single
// object is returned as a one-element list, since a nested block written once and a list
// of one block mean the same. Anything else yields nil.
func (v Value) List() []Value {
	val := v.v
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() {
		return nil
	}
	ty := val.Type()
	switch {
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		n := val.LengthInt()
		out := make([]Value, 0, n)
		// The elements' paths (this path and an index) share one allocation, each
		// capped at its length so that appending to one never writes into the next.
		w := len(v.path) + 1
		paths := make(Path, n*w)
		at := func(i int) Path {
			if i >= n {
				return v.path.Child(i)
			}
			p := paths[i*w : (i+1)*w : (i+1)*w]
			copy(p, v.path)
			p[w-1] = i
			return p
		}
		if ty.IsSetType() {
			i := 0
			for it := val.ElementIterator(); it.Next(); i++ {
				_, e := it.Element()
				out = append(out, Value{v: clean(e), path: at(i)})
			}
			return out
		}
		// A list or tuple is read by index: its iterator would make a new number value
		// for every element's key.
		for i := 0; i < n; i++ {
			out = append(out, Value{v: clean(val.Index(indexVal(i))), path: at(i)})
		}
		return out
	case ty.IsObjectType() || ty.IsMapType():
		return []Value{v}
	}
	return nil
}

// Strings returns the value as a list of strings: a list's known string elements, or a
// single string as a one-element list. Unknown elements are skipped; use List to see them.
func (v Value) Strings() []string {
	if s, ok := v.Str(); ok {
		return []string{s}
	}
	var out []string
	for _, e := range v.List() {
		if s, ok := e.Str(); ok {
			out = append(out, s)
		}
	}
	return out
}

// Keys returns the sorted attribute names of a known object or map.
func (v Value) Keys() []string {
	val := v.v
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() {
		return nil
	}
	ty := val.Type()
	var keys []string
	switch {
	case ty.IsObjectType():
		for k := range ty.AttributeTypes() {
			keys = append(keys, k)
		}
	case ty.IsMapType():
		for it := val.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			keys = append(keys, k.AsString())
		}
	}
	sort.Strings(keys)
	return keys
}

// IsObject reports whether the value is a known object or map.
func (v Value) IsObject() bool {
	val := v.v
	if val == cty.NilVal || !val.IsKnown() || val.IsNull() {
		return false
	}
	return val.Type().IsObjectType() || val.Type().IsMapType()
}

// smallIndexes are the number values of the list indexes met in practice, made once:
// cty.NumberIntVal allocates, and cty values are immutable, so they can be shared.
var smallIndexes = func() (out [256]cty.Value) {
	for i := range out {
		out[i] = cty.NumberIntVal(int64(i))
	}
	return out
}()

// indexVal returns the number value of the list index i (i >= 0).
func indexVal(i int) cty.Value {
	if i < len(smallIndexes) {
		return smallIndexes[i]
	}
	return cty.NumberIntVal(int64(i))
}
