package terraform

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// expMode is how a block is repeated.
type expMode int

const (
	single    expMode = iota // no count or for_each
	byCount                  // count = n
	byForEach                // for_each = map, object or set
	byUnknown                // count or for_each not known statically
)

// expKey is one instance of a repeated block: its key (number, string, or unknown) and,
// for for_each, each.value.
type expKey struct {
	key   cty.Value
	value cty.Value
}

// expansion is the outcome of evaluating count / for_each.
type expansion struct {
	mode expMode
	keys []expKey
	prov *prov
	// entries are where the for_each entry of each instance key is written, when the
	// for_each collection is a literal, here or in a variable or local it names; replaced
	// is then the origin of prov that names the whole literal (zero for a literal written
	// in the block itself).
	entries  map[string]*shape
	replaced graph.Related
}

// iter is the per-instance scope of an expression: count.index or each.*, the provenance
// of the count / for_each that made it, and dynamic block iterators.
type iter struct {
	count cty.Value
	each  cty.Value
	prov  *prov
	iters map[string]*prov
	// eachShape is where each.value of the instance is written (see expansion.entries).
	eachShape *shape
}

// names is the number of the names count and each that it sets, 0 for a nil it.
func (it *iter) names() int {
	n := 0
	if it != nil && it.count != cty.NilVal {
		n++
	}
	if it != nil && it.each != cty.NilVal {
		n++
	}
	return n
}

func (it *iter) withIterator(name string, p *prov) *iter {
	out := &iter{iters: map[string]*prov{}}
	if it != nil {
		out.count, out.each, out.prov, out.eachShape = it.count, it.each, it.prov, it.eachShape
		for k, v := range it.iters {
			out.iters[k] = v
		}
	}
	out.iters[name] = p
	return out
}

func (e *expansion) iterFor(k expKey) *iter {
	if e == noExpansion {
		return noIter
	}
	it := &iter{prov: e.prov}
	switch e.mode {
	case byCount:
		it.count = cty.ObjectVal(map[string]cty.Value{"index": k.key})
	case byForEach:
		it.each = cty.ObjectVal(map[string]cty.Value{"key": k.key, "value": k.value})
		e.narrowEntry(k, it)
	case byUnknown:
		// Either count.index or each.* may be used; both are unknown.
		it.count = cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})
		it.each = cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})
	}
	return it
}

// suffix is the instance key as written in an address: [0], ["a"], or [*] when unknown.
func (e *expansion) suffix(k expKey) string {
	switch e.mode {
	case single:
		return ""
	case byUnknown:
		return "[*]"
	}
	s, _ := keySuffix(k.key)
	return s
}

func keySuffix(k cty.Value) (string, bool) {
	if k == cty.NilVal || !k.IsKnown() || k.IsNull() {
		return "", false
	}
	switch k.Type() {
	case cty.Number:
		bf := k.AsBigFloat()
		if i, acc := bf.Int64(); acc == big.Exact {
			return "[" + strconv.FormatInt(i, 10) + "]", true
		}
	case cty.String:
		return "[" + strconv.Quote(k.AsString()) + "]", true
	}
	return "", false
}

// expand evaluates count / for_each of a block. The number of instances is capped at the
// instance limit, which is reported as an error at the argument.
func (mi *modInst) expand(count, forEach *hcl.Attribute, ctx *hcl.EvalContext, what string) *expansion {
	switch {
	case count != nil:
		v, p := mi.eval(count.Expr, ctx, nil)
		e := &expansion{mode: byCount, prov: p}
		if !v.IsKnown() {
			e.mode = byUnknown
			e.keys = []expKey{{key: cty.UnknownVal(cty.Number)}}
			mi.ensureReason(p, "count of "+what+" is not known")
			return e
		}
		if v.IsNull() {
			return &expansion{mode: single, keys: []expKey{{}}, prov: p}
		}
		nv, err := convert.Convert(v, cty.Number)
		n, acc := 0, big.Exact
		if err == nil {
			var i64 int64
			i64, acc = nv.AsBigFloat().Int64()
			n = int(i64)
			if i64 > int64(mi.ev.maxInstances)+1 {
				n = mi.ev.maxInstances + 1
			}
		}
		if err != nil || acc != big.Exact || n < 0 {
			e.mode = byUnknown
			e.keys = []expKey{{key: cty.UnknownVal(cty.Number)}}
			mi.ensureReason(p, "count of "+what+" is not a whole number")
			return e
		}
		n = mi.capInstances(n, count)
		for i := 0; i < n; i++ {
			e.keys = append(e.keys, expKey{key: cty.NumberIntVal(int64(i))})
		}
		return e
	case forEach != nil:
		v, p := mi.eval(forEach.Expr, ctx, nil)
		e := &expansion{mode: byForEach, prov: p}
		elems, ok := forEachElems(v, false)
		if !ok {
			e.mode = byUnknown
			e.keys = []expKey{{key: cty.UnknownVal(cty.String), value: cty.DynamicVal}}
			mi.ensureReason(p, "for_each of "+what+" is not known")
			return e
		}
		n := mi.capInstances(len(elems), forEach)
		e.keys = elems[:n]
		e.entries, e.replaced = forEachEntries(forEach.Expr, p)
		return e
	}
	return noExpansion
}

// noExpansion is the expansion of every block without count or for_each, and noIter the
// scope of its one instance. Both are shared by all blocks (of all roots, concurrently)
// and never modified: iterators and provenance are only ever read or copied.
var (
	noExpansion = &expansion{mode: single, keys: []expKey{{}}, prov: &prov{}}
	noIter      = &iter{prov: noExpansion.prov}
)

func (mi *modInst) ensureReason(p *prov, reason string) {
	if len(p.unknown) == 0 {
		p.addUnknown(reason)
	}
}

func (mi *modInst) capInstances(n int, a *hcl.Attribute) int {
	if n <= mi.ev.maxInstances {
		return n
	}
	mi.ev.diag(graph.Diagnostic{
		Severity: graph.DiagError,
		Summary:  fmt.Sprintf("%s makes more than %d instances", a.Name, mi.ev.maxInstances),
		Detail:   fmt.Sprintf("only the first %d instances are scanned (instance limit per block)", mi.ev.maxInstances),
		Range:    toRange(a.Range),
	})
	return mi.ev.maxInstances
}

// forEachElems lists the instances a for_each value makes: one per map or object key, or
// one per string of a set. Lists of strings are accepted as sets (dynamic blocks iterate
// lists with numeric keys when indexed is true). ok is false when the value is unknown.
func forEachElems(v cty.Value, indexed bool) ([]expKey, bool) {
	if v == cty.NilVal || !v.IsKnown() {
		return nil, false
	}
	if v.IsNull() {
		return nil, true
	}
	ty := v.Type()
	var out []expKey
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			out = append(out, expKey{key: k, value: val})
		}
	case ty.IsSetType() || ty.IsListType() || ty.IsTupleType():
		if !whollyKnown(v) && ty.IsSetType() {
			return nil, false
		}
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			switch {
			case indexed && !ty.IsSetType():
				out = append(out, expKey{key: k, value: val})
			case val.Type() == cty.String && val.IsKnown() && !val.IsNull():
				out = append(out, expKey{key: val, value: val})
			case indexed:
				out = append(out, expKey{key: val, value: val})
			case !val.IsKnown():
				return nil, false
			}
		}
	default:
		return nil, false
	}
	return out, true
}

// forEachEntries finds where each entry of a for_each collection is written, keyed by the
// instance key it makes: the items of a literal map or object (by key) or of a literal
// list of strings, bare or in toset() (by value), written in the block itself or as the
// value of the variable or local that for_each names (p.shape). replaced is the origin
// naming the whole literal that an entry's origin replaces.
func forEachEntries(expr hcl.Expression, p *prov) (map[string]*shape, graph.Related) {
	if p.shape != nil {
		return shapeEntries(p.shape, nil), p.shape.origin
	}
	se, ok := expr.(hclsyntax.Expression)
	for ok {
		switch e := se.(type) {
		case *hclsyntax.ParenthesesExpr:
			se = e.Expression
			continue
		case *hclsyntax.FunctionCallExpr:
			if (e.Name == "toset" || e.Name == "tomap" || e.Name == "core::toset" || e.Name == "core::tomap") && len(e.Args) == 1 && !e.ExpandFinal {
				se = e.Args[0]
				continue
			}
		}
		break
	}
	if !ok {
		return nil, graph.Related{}
	}
	s := literalShape(se)
	if len(s.elems) == 0 {
		return nil, graph.Related{}
	}
	return shapeEntries(s, se), graph.Related{}
}

// shapeEntries keys the elements of s by the instance key each makes: an object's by
// its key, a list's by its string value, read from expr (the literal list, when it is
// at hand); elements of a list written elsewhere are left out.
func shapeEntries(s *shape, expr hclsyntax.Expression) map[string]*shape {
	out := map[string]*shape{}
	tuple, _ := expr.(*hclsyntax.TupleConsExpr)
	for k := range s.elems {
		switch key := k.(type) {
		case string:
			out[key] = s.elem(key)
		case int:
			if tuple == nil || key >= len(tuple.Exprs) {
				continue
			}
			v, diags := safeValue(tuple.Exprs[key], nil)
			if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
				continue
			}
			out[v.AsString()] = s.elem(key)
		}
	}
	return out
}

// narrowEntry makes the origin of each.key and each.value of instance k the for_each
// entry that made it, in place of the whole collection.
func (e *expansion) narrowEntry(k expKey, it *iter) {
	if e.entries == nil || !k.key.IsKnown() || k.key.IsNull() || k.key.Type() != cty.String {
		return
	}
	es := e.entries[k.key.AsString()]
	if es == nil {
		return
	}
	msg := "for_each entry " + strconv.Quote(k.key.AsString())
	if e.replaced != (graph.Related{}) {
		msg = e.replaced.Message
	}
	entry := graph.Related{Range: toRange(es.rng), Message: msg}
	p := &prov{unknown: e.prov.unknown, refs: e.prov.refs, assumed: e.prov.assumed}
	replaced := false
	for _, o := range e.prov.origins {
		if e.replaced != (graph.Related{}) && o == e.replaced {
			p.addOrigin(entry)
			replaced = true
			continue
		}
		p.addOrigin(o)
	}
	if !replaced {
		p.addOrigin(entry)
	}
	it.prov = p
	// each.value as a whole is the entry: the origin already names it.
	it.eachShape = &shape{rng: es.rng, elems: es.elems, origin: entry, root: true, msg: es.msg}
}

// narrowEach makes each.* of one instance refer to the matching instance when for_each
// iterates over another resource directly (for_each = aws_s3_bucket.this): each.value of
// instance "a" is aws_s3_bucket.this["a"], not every bucket.
func (mi *modInst) narrowEach(forEach *hcl.Attribute, e *expansion, k expKey, it *iter) {
	if forEach == nil || e.mode != byForEach {
		return
	}
	t, diags := hcl.AbsTraversalForExpr(forEach.Expr)
	if diags.HasErrors() {
		return
	}
	id := depID(t)
	n := mi.res[id]
	if n == nil || n.mode != byForEach || len(t) != len(strings.Split(id, ".")) {
		return
	}
	suffix, ok := keySuffix(k.key)
	if !ok {
		return
	}
	target := mi.prefix + id
	p := &prov{origins: e.prov.origins, unknown: e.prov.unknown}
	for _, r := range e.prov.refs {
		if r == target {
			r += suffix
		}
		p.refs = append(p.refs, r)
	}
	it.prov = p
}
