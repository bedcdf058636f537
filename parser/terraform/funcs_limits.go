package terraform

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// limits holds the budgets that functions building strings and collections must respect.
// A function over budget returns an error, which the evaluator turns into an unknown value
// with a diagnostic; it never allocates the oversized result first.
type limits struct {
	maxStr, maxColl int
}

// precheck inspects the arguments a guarded function receives (after conversion to its
// parameter types, unmarked unless the parameter allows marks) and refuses calls whose
// result would exceed a budget before any of it is built.
type precheck func(args []cty.Value) error

// guard wraps f so that pre checks the arguments before f runs and the result is
// measured against the budgets afterwards.
//
// The wrapper gives the results cty's Function.Call gives for a function with exactly
// f's parameters whose implementation calls f: the same errors, unknown results and
// marks. It costs one call of f, though: its parameters are f's (types, nulls and values
// of no known type are checked as for f) except that they take marked and unknown
// values, so that cty does not walk every argument for marks and unknowns once more
// around f's own call; the implementation applies f's rules for those itself.
//
// (One difference remains, for callers passing a value of no known type where f wants a
// typed one, which HCL never does as it converts every argument to its parameter's type:
// the unknown result does not carry the marks of the other arguments.)
func (l limits) guard(f function.Function, pre precheck) function.Function {
	params := f.Params()
	varParam := f.VarParam()
	outer := make([]function.Parameter, len(params))
	for i, p := range params {
		outer[i] = permissive(p)
	}
	var outerVar *function.Parameter
	if varParam != nil {
		v := permissive(*varParam)
		outerVar = &v
	}
	paramAt := func(i int) *function.Parameter {
		if i < len(params) {
			return &params[i]
		}
		return varParam
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      outer,
		VarParam:    outerVar,
		// f's own type is computed below, where Function.Call would have computed it.
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			// As Function.Call does before it runs an implementation: unmark the
			// arguments whose parameter does not take marks, keeping the marks for the
			// result, and note an unknown argument the parameter wants known.
			plain, copied := args, false
			var marks []cty.ValueMarks
			unknown := false
			for i, a := range args {
				p := paramAt(i)
				if !p.AllowMarked && containsMarked(a) {
					if !copied {
						plain, copied = append([]cty.Value(nil), args...), true
					}
					var m cty.ValueMarks
					plain[i], m = a.UnmarkDeep()
					marks = append(marks, m)
				}
				if !a.IsKnown() && !p.AllowUnknown {
					unknown = true
				}
			}
			if unknown {
				// The unknown result has f's type, unless computing it fails.
				retType, err := f.ReturnTypeForValues(plain)
				if err != nil {
					return cty.NilVal, err
				}
				return cty.UnknownVal(retType).WithMarks(marks...), nil
			}
			if pre != nil {
				if err := runPrecheck(f, pre, plain); err != nil {
					return cty.NilVal, err
				}
			}
			ret, err := f.Call(plain)
			if err != nil {
				return cty.NilVal, err
			}
			if err := l.checkResult(ret); err != nil {
				return cty.NilVal, err
			}
			return ret.WithMarks(marks...), nil
		},
	})
}

// runPrecheck runs pre on args. Function.Call computes f's result type before the
// implementation runs, so an error computing it comes before any refusal (or panic) of
// pre; it is computed only then, so that a call within budget computes it once, in f.
func runPrecheck(f function.Function, pre precheck, args []cty.Value) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, typeErr := f.ReturnTypeForValues(args); typeErr != nil {
				err = typeErr
				return
			}
			panic(r) // for Function.Call to report, as it would have
		}
	}()
	if err := pre(args); err != nil {
		if _, typeErr := f.ReturnTypeForValues(args); typeErr != nil {
			return typeErr
		}
		return err
	}
	return nil
}

// permissive is p also accepting marked and unknown values: guard applies p's rules for
// them itself.
func permissive(p function.Parameter) function.Parameter {
	p.AllowUnknown = true
	p.AllowMarked = true
	return p
}

// checkResult measures the top level of a function result: the length of a string or the
// element count of a collection. Pre-checks keep the allocation bounded; this keeps the
// value that flows on into further evaluation within the budgets.
func (l limits) checkResult(v cty.Value) error {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if n := len(v.AsString()); n > l.maxStr {
			return l.strErr(n)
		}
	case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType():
		if n := v.LengthInt(); n > l.maxColl {
			return l.collErr(n)
		}
	}
	return nil
}

func (l limits) strErr(n int) error {
	return fmt.Errorf("result of %d bytes exceeds the limit of %d bytes", n, l.maxStr)
}

func (l limits) collErr(n int) error {
	return fmt.Errorf("result of %d elements exceeds the limit of %d elements", n, l.maxColl)
}

// strLen is the byte length of a known string value, 0 otherwise.
func strLen(v cty.Value) int {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return 0
	}
	return len(v.AsString())
}

// collLen is the element count of a known collection or tuple, 0 otherwise.
func collLen(v cty.Value) int {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return 0
	}
	ty := v.Type()
	if ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType() {
		if ty.IsObjectType() {
			return len(ty.AttributeTypes())
		}
		return v.LengthInt()
	}
	return 0
}

// deepStrLen approximates how many bytes a value occupies when rendered, bounded by stop so
// that measuring a huge value costs no more than the budget it is measured against.
func deepStrLen(v cty.Value, stop int) int {
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() || v.IsNull() {
		return 0
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return len(v.AsString())
	case ty == cty.Number:
		return 24
	case ty == cty.Bool:
		return 5
	case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
		n := 2
		for it := v.ElementIterator(); it.Next() && n <= stop; {
			k, e := it.Element()
			n += 2 + deepStrLen(k, stop) + deepStrLen(e, stop)
		}
		return n
	}
	return 0
}

// formatWidths sums the widths and precisions written in the verbs of a format string:
// "%09999999d" pads to ten million characters from a handful of bytes, so these numbers,
// not the length of the format, decide the size of the result.
func formatWidths(f string) *big.Int {
	total := new(big.Int)
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			continue
		}
		for i < len(f) {
			c := f[i]
			if c >= '0' && c <= '9' {
				j := i
				for j < len(f) && f[j] >= '0' && f[j] <= '9' {
					j++
				}
				n, ok := new(big.Int).SetString(f[i:j], 10)
				if ok {
					total.Add(total, n)
				}
				i = j
				continue
			}
			if c == '.' || c == '-' || c == '+' || c == '#' || c == ' ' || c == '[' || c == ']' {
				i++
				continue
			}
			break
		}
	}
	return total
}

func (l limits) checkWidths(f string, times int) error {
	w := formatWidths(f)
	w.Mul(w, big.NewInt(int64(times)))
	// Widths are counted in characters; a character is at most 4 bytes in UTF-8.
	w.Mul(w, big.NewInt(utf8.UTFMax))
	if w.Cmp(big.NewInt(int64(l.maxStr))) > 0 {
		return fmt.Errorf("format widths would build a string over the limit of %d bytes", l.maxStr)
	}
	return nil
}

// checkFormat bounds format(spec, args...): the fixed text, the padding the verbs ask for
// and the rendered arguments.
func (l limits) checkFormat(args []cty.Value) error {
	if len(args) == 0 || !args[0].IsKnown() {
		return nil
	}
	spec, _ := args[0].Unmark()
	if spec.IsNull() {
		return nil
	}
	if err := l.checkWidths(spec.AsString(), 1); err != nil {
		return err
	}
	n := len(spec.AsString())
	for _, a := range args[1:] {
		n += deepStrLen(a, l.maxStr)
	}
	if n > l.maxStr {
		return l.strErr(n)
	}
	return nil
}

// checkFormatList bounds formatlist(spec, args...), which formats once per element of the
// longest list argument.
func (l limits) checkFormatList(args []cty.Value) error {
	if len(args) == 0 || !args[0].IsKnown() {
		return nil
	}
	spec, _ := args[0].Unmark()
	if spec.IsNull() {
		return nil
	}
	rows := 1
	for _, a := range args[1:] {
		if c := collLen(a); c > rows {
			rows = c
		}
	}
	if rows > l.maxColl {
		return l.collErr(rows)
	}
	if err := l.checkWidths(spec.AsString(), rows); err != nil {
		return err
	}
	// A list contributes one element to each row; any other argument is repeated in all.
	n := int64(rows) * int64(len(spec.AsString()))
	for _, a := range args[1:] {
		ty := a.Type()
		if ty.IsListType() || ty.IsSetType() || ty.IsTupleType() {
			n += int64(deepStrLen(a, l.maxStr))
		} else {
			n += int64(rows) * int64(deepStrLen(a, l.maxStr))
		}
	}
	if n > int64(l.maxStr) {
		return l.strErr(int(n))
	}
	return nil
}

// checkIndent bounds indent(spaces, str), which adds spaces after every newline.
func (l limits) checkIndent(args []cty.Value) error {
	if len(args) != 2 || !args[0].IsKnown() || !args[1].IsKnown() {
		return nil
	}
	sp, _ := args[0].Unmark()
	s, _ := args[1].Unmark()
	if sp.IsNull() || s.IsNull() {
		return nil
	}
	if !sp.AsBigFloat().IsInt() || sp.AsBigFloat().Sign() < 0 {
		return fmt.Errorf("spaces must be a whole number not less than zero")
	}
	spaces, _ := sp.AsBigFloat().Int64()
	lines := int64(strings.Count(s.AsString(), "\n"))
	if spaces > int64(l.maxStr) || spaces*lines+int64(len(s.AsString())) > int64(l.maxStr) {
		return fmt.Errorf("indenting would build a string over the limit of %d bytes", l.maxStr)
	}
	return nil
}

// checkJoin bounds join(sep, lists...): every element plus a separator between each two.
func (l limits) checkJoin(args []cty.Value) error {
	if len(args) == 0 {
		return nil
	}
	sep := strLen(args[0])
	total, count := 0, 0
	for _, list := range args[1:] {
		list, _ = list.Unmark()
		if !list.IsKnown() || list.IsNull() {
			continue
		}
		for it := list.ElementIterator(); it.Next(); {
			_, e := it.Element()
			total += strLen(e)
			count++
			if count > 1 {
				total += sep
			}
			if total > l.maxStr {
				return l.strErr(total)
			}
		}
	}
	return nil
}

// checkConcat bounds functions whose result holds the elements of all their arguments.
func (l limits) checkConcat(args []cty.Value) error {
	n := 0
	for _, a := range args {
		n += collLen(a)
	}
	if n > l.maxColl {
		return l.collErr(n)
	}
	return nil
}

// checkSetProduct bounds setproduct, whose result grows as the product of its inputs.
func (l limits) checkSetProduct(args []cty.Value) error {
	n := 1
	for _, a := range args {
		c := collLen(a)
		if c == 0 {
			return nil
		}
		if n > l.maxColl/c {
			return fmt.Errorf("setproduct would build more than the limit of %d elements", l.maxColl)
		}
		n *= c
	}
	return nil
}

// checkRange bounds range(): it counts the elements from the arguments before any is built.
func (l limits) checkRange(args []cty.Value) error {
	var start, end, step *big.Float
	num := func(v cty.Value) *big.Float {
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
			return nil
		}
		return v.AsBigFloat()
	}
	switch len(args) {
	case 1:
		start, end, step = new(big.Float), num(args[0]), big.NewFloat(1)
	case 2:
		start, end, step = num(args[0]), num(args[1]), big.NewFloat(1)
	case 3:
		start, end, step = num(args[0]), num(args[1]), num(args[2])
	default:
		return nil
	}
	if start == nil || end == nil || step == nil || step.Sign() == 0 {
		return nil
	}
	span := new(big.Float).Sub(end, start)
	span.Abs(span)
	st := new(big.Float).Abs(step)
	count := new(big.Float).Quo(span, st)
	if count.Cmp(big.NewFloat(float64(l.maxColl))) > 0 {
		return fmt.Errorf("range would build more than the limit of %d elements", l.maxColl)
	}
	return nil
}

// checkReplace bounds replace(str, substr, replacement). An empty or regular-expression
// substring can match at every position, each match adding the whole replacement (and, for
// a pattern, the groups it refers to with $n).
func (l limits) checkReplace(args []cty.Value) error {
	if len(args) != 3 {
		return nil
	}
	for _, a := range args {
		if !a.IsKnown() || a.IsNull() {
			return nil
		}
	}
	s, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
	var matches int
	perMatch := len(rep)
	if re, ok := replacePattern(sub); ok {
		compiled, err := regexp.Compile(re)
		if err != nil {
			return nil //nolint:nilerr // replaceFunc itself reports the invalid pattern.
		}
		matches = len(compiled.FindAllStringIndex(s, -1))
		perMatch += strings.Count(rep, "$") * len(s)
	} else if sub == "" {
		matches = utf8.RuneCountInString(s) + 1
	} else {
		matches = strings.Count(s, sub)
	}
	if int64(matches)*int64(perMatch)+int64(len(s)) > int64(l.maxStr) {
		return fmt.Errorf("replacing would build a string over the limit of %d bytes", l.maxStr)
	}
	return nil
}

// checkSplit bounds split(separator, str) by the number of pieces it would make.
func (l limits) checkSplit(args []cty.Value) error {
	if len(args) != 2 || !args[0].IsKnown() || !args[1].IsKnown() || args[0].IsNull() || args[1].IsNull() {
		return nil
	}
	sep, _ := args[0].Unmark()
	s, _ := args[1].Unmark()
	if n := strings.Count(s.AsString(), sep.AsString()) + 1; n > l.maxColl {
		return l.collErr(n)
	}
	return nil
}

// maxJSONDepth bounds the nesting jsondecode accepts: the decoder recurses once per level,
// and real documents are nowhere near this deep.
const maxJSONDepth = 1000

// checkJSONDepth refuses documents nested deeper than maxJSONDepth, counting brackets
// outside strings.
func checkJSONDepth(args []cty.Value) error {
	if len(args) != 1 || !args[0].IsKnown() || args[0].IsNull() {
		return nil
	}
	v, _ := args[0].Unmark()
	if v.Type() != cty.String {
		return nil
	}
	depth, inString, escaped := 0, false, false
	for _, c := range []byte(v.AsString()) {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			if depth > maxJSONDepth {
				return fmt.Errorf("JSON nested deeper than %d levels", maxJSONDepth)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}
