package terraform

import (
	"maps"
	"math/big"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// A list or object written as a literal elsewhere (a tfvars assignment, a variable
// default, a module argument, a local) reaches a resource attribute through references.
// The attribute's origin is the whole literal; a finding about one element should point
// at the line of that element. A shape remembers where each element of such a literal is
// written, and follows the value as long as it is passed on unchanged.

// maxShapeNodes bounds how many element positions one attribute records, so that a
// large literal map passed to many resource instances costs little.
const maxShapeNodes = 512

// shape is the layout of a literal value: where it is written and, for a list or object,
// the shape of each element by index or key.
type shape struct {
	rng    hcl.Range
	elems  map[any]*shape // int index or string key
	origin graph.Related  // the origin that names the whole literal
	root   bool           // the whole literal rather than a part of it
	// msg, when set, names this part instead of origin's message: a part filled in from
	// elsewhere than the literal, such as an optional() attribute default.
	msg string
}

// shapeOf returns the shape of a literal list or object expression, or nil.
func shapeOf(expr hcl.Expression, origin graph.Related) *shape {
	s := literalShape(expr)
	if s == nil || len(s.elems) == 0 {
		return nil
	}
	s.origin = origin
	s.root = true
	return s
}

func literalShape(expr hcl.Expression) *shape {
	s := &shape{rng: expr.Range()}
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		s.elems = make(map[any]*shape, len(e.Exprs))
		for i, el := range e.Exprs {
			s.elems[i] = literalShape(el)
		}
	case *hclsyntax.ObjectConsExpr:
		s.elems = make(map[any]*shape, len(e.Items))
		for _, item := range e.Items {
			key, ok := literalKey(item.KeyExpr)
			if !ok {
				continue
			}
			el := literalShape(item.ValueExpr)
			el.rng = hcl.RangeBetween(item.KeyExpr.Range(), item.ValueExpr.Range())
			s.elems[key] = el
		}
	case *hclsyntax.ParenthesesExpr:
		inner := literalShape(e.Expression)
		inner.rng = s.rng
		return inner
	}
	return s
}

// withOptionalDefaults returns s, the shape of a value given to a variable whose type
// constraint is ty, with the attributes that the value leaves out and an optional()
// default fills in pointing at that default: a finding about them names the line to
// change. where names the part of the variable s is, for the origin's message. s is not
// modified: it may be the shape of the caller's argument.
func withOptionalDefaults(s *shape, ty hcl.Expression, where string) *shape {
	call, ok := ty.(*hclsyntax.FunctionCallExpr)
	if s == nil || len(s.elems) == 0 || !ok || len(call.Args) == 0 {
		return s
	}
	var elems map[any]*shape
	set := func(k any, e *shape) {
		if elems == nil {
			elems = make(map[any]*shape, len(s.elems)+1)
			maps.Copy(elems, s.elems)
		}
		elems[k] = e
	}
	switch call.Name {
	case "map", "list", "set":
		for k, e := range s.elems {
			if n := withOptionalDefaults(e, call.Args[0], where+stepText(k)); n != e {
				set(k, n)
			}
		}
	case "tuple":
		types, ok := call.Args[0].(*hclsyntax.TupleConsExpr)
		if !ok {
			return s
		}
		for k, e := range s.elems {
			if i, isInt := k.(int); isInt && i < len(types.Exprs) {
				if n := withOptionalDefaults(e, types.Exprs[i], where+stepText(k)); n != e {
					set(k, n)
				}
			}
		}
	case "object":
		attrs, ok := call.Args[0].(*hclsyntax.ObjectConsExpr)
		if !ok {
			return s
		}
		for _, item := range attrs.Items {
			name, ok := literalKey(item.KeyExpr)
			if !ok {
				continue
			}
			attrTy, def := item.ValueExpr, hclsyntax.Expression(nil)
			if opt, ok := attrTy.(*hclsyntax.FunctionCallExpr); ok && opt.Name == "optional" && len(opt.Args) > 0 {
				attrTy = opt.Args[0]
				if len(opt.Args) > 1 {
					def = opt.Args[1]
				}
			}
			e := s.elems[name]
			switch {
			case e == nil && def != nil:
				n := literalShape(def)
				n.rng = def.Range()
				n.msg = "optional default of " + where + "." + name
				set(name, n)
			case e != nil:
				if n := withOptionalDefaults(e, attrTy, where+"."+name); n != e {
					set(name, n)
				}
			}
		}
	}
	if elems == nil {
		return s
	}
	out := *s
	out.elems = elems
	return &out
}

// stepText is a shape key as written after a reference: ["key"] or [0].
func stepText(k any) string {
	switch x := k.(type) {
	case string:
		return "[" + strconv.Quote(x) + "]"
	case int:
		return "[" + strconv.Itoa(x) + "]"
	}
	return ""
}

// sub follows the static steps of a traversal (.name, [0], ["key"]) into the shape; nil
// when a step is not static or the literal has no such element. Only a list or object
// is returned: a pass-through value needs element positions.
func (s *shape) sub(steps hcl.Traversal) *shape {
	cur := s.at(steps)
	if cur == nil || len(cur.elems) == 0 {
		return nil
	}
	return cur
}

// at is like sub, but also returns a single element that is not a list or object.
func (s *shape) at(steps hcl.Traversal) *shape {
	cur := s
	for _, st := range steps {
		var key any
		switch x := st.(type) {
		case hcl.TraverseAttr:
			key = x.Name
		case hcl.TraverseIndex:
			k, ok := staticKey(x.Key)
			if !ok {
				return nil
			}
			key = k
		default:
			return nil
		}
		if cur = cur.elem(key); cur == nil {
			return nil
		}
	}
	return cur
}

// elem is the element at key, keeping the literal's origin.
func (s *shape) elem(key any) *shape {
	if s == nil {
		return nil
	}
	next := s.elems[key]
	if next == nil {
		return nil
	}
	msg := next.msg
	if msg == "" {
		msg = s.msg
	}
	return &shape{rng: next.rng, elems: next.elems, origin: s.origin, msg: msg}
}

// message is what an origin at this part of the literal says.
func (s *shape) message() string {
	if s.msg != "" {
		return s.msg
	}
	return s.origin.Message
}

func staticKey(v cty.Value) (any, bool) {
	if !v.IsKnown() || v.IsNull() {
		return nil, false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		if i, acc := v.AsBigFloat().Int64(); acc == big.Exact {
			return int(i), true
		}
	}
	return nil, false
}

// exprShape returns the part of a literal that expr selects: a reference to a variable or
// local whose value was a literal, followed by static steps, index expressions and
// lookup() or element() calls whose keys are known in ctx.
func (mi *modInst) exprShape(expr hclsyntax.Expression, ctx *hcl.EvalContext, sc *iter) *shape {
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) < 2 {
			return nil
		}
		var src *prov
		switch e.Traversal.RootName() {
		case "var":
			src = mi.varProv[stepName(e.Traversal, 1)]
		case "local":
			src = mi.localProv[stepName(e.Traversal, 1)]
		case "each":
			// each.value of an instance whose for_each entry is written as a literal.
			if sc != nil && sc.eachShape != nil && stepName(e.Traversal, 1) == "value" {
				return sc.eachShape.at(e.Traversal[2:])
			}
		}
		if src == nil || src.shape == nil {
			return nil
		}
		return src.shape.at(e.Traversal[2:])
	case *hclsyntax.RelativeTraversalExpr:
		if base := mi.exprShape(e.Source, ctx, sc); base != nil {
			return base.at(e.Traversal)
		}
	case *hclsyntax.IndexExpr:
		if base := mi.exprShape(e.Collection, ctx, sc); base != nil {
			return base.elem(evalKey(e.Key, ctx))
		}
	case *hclsyntax.ParenthesesExpr:
		return mi.exprShape(e.Expression, ctx, sc)
	case *hclsyntax.FunctionCallExpr:
		if (e.Name == "lookup" || e.Name == "element") && len(e.Args) >= 2 {
			if base := mi.exprShape(e.Args[0], ctx, sc); base != nil {
				return base.elem(evalKey(e.Args[1], ctx))
			}
		}
	}
	return nil
}

func evalKey(expr hclsyntax.Expression, ctx *hcl.EvalContext) any {
	v, diags := safeValue(expr, ctx)
	if diags.HasErrors() {
		return nil
	}
	k, ok := staticKey(unmark(v))
	if !ok {
		return nil
	}
	return k
}

// narrowOrigins replaces, among p's origins, a literal that expr only reads parts of by
// the parts it reads: cidr_blocks = lookup(var.rules[count.index], "cidr_blocks", "")
// names the line of that rule's cidr_blocks, not the start of the whole var.rules list.
func (mi *modInst) narrowOrigins(p *prov, info *exprInfo, ctx *hcl.EvalContext, sc *iter) {
	if len(info.parts) == 0 || len(p.origins) == 0 {
		return
	}
	var taken []hcl.Range
	parts := map[graph.Related][]graph.Related{}
	var order []graph.Related
	for _, e := range info.parts {
		if withinAny(taken, e.Range().Start) {
			continue
		}
		s := mi.exprShape(e, ctx, sc)
		if s == nil {
			continue
		}
		taken = append(taken, e.Range())
		if s.root {
			// The whole literal: the origin already names it.
			continue
		}
		if _, seen := parts[s.origin]; !seen {
			order = append(order, s.origin)
		}
		parts[s.origin] = append(parts[s.origin], graph.Related{Range: toRange(s.rng), Message: s.message()})
	}
	for _, o := range order {
		var out []graph.Related
		for _, x := range p.origins {
			if x != o {
				out = append(out, x)
				continue
			}
			for _, repl := range parts[o] {
				if !containsRelated(out, repl) {
					out = append(out, repl)
				}
			}
		}
		p.origins = out
	}
}

func containsRelated(rs []graph.Related, r graph.Related) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// passShape gives p the shape of the value expr passes on unchanged: a bare reference to
// a variable or local (with static steps) whose value was a literal.
func (mi *modInst) passShape(p *prov, expr hcl.Expression) {
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(st.Traversal) < 2 {
		return
	}
	var src *prov
	switch st.Traversal.RootName() {
	case "var":
		src = mi.varProv[stepName(st.Traversal, 1)]
	case "local":
		src = mi.localProv[stepName(st.Traversal, 1)]
	}
	if src == nil || src.shape == nil {
		return
	}
	if s := src.shape.sub(st.Traversal[2:]); s != nil {
		p.shape = s
	}
}

// recordShape gives each element of the attribute at path whose value came from a
// literal elsewhere that element's position as origin, in place of the whole literal.
func (b *bodyEval) recordShape(path graph.Path, s *shape, parent []graph.Related) {
	budget := maxShapeNodes
	// The attribute's origins name the literal, or the part of it the value was read
	// from (see narrowOrigins); that entry gives way to each element's own.
	target := s.origin
	if !s.root {
		target = graph.Related{Range: toRange(s.rng), Message: s.origin.Message}
	}
	var walk func(p graph.Path, s *shape)
	walk = func(p graph.Path, s *shape) {
		for _, k := range sortedShapeKeys(s.elems) {
			el := s.elems[k]
			if budget <= 0 || el == nil {
				return
			}
			budget--
			cp := p.Child(k)
			info := graph.AttrInfo{}
			if old := b.r.AttrInfo(cp); old != nil {
				info = *old
			}
			info.Origins = replaceOrigin(parent, target, graph.Related{Range: toRange(el.rng), Message: s.origin.Message})
			b.r.SetAttrInfo(cp, info)
			walk(cp, &shape{rng: el.rng, elems: el.elems, origin: s.origin})
		}
	}
	walk(path, s)
}

// replaceOrigin returns origins with old replaced by repl, or repl first when old is not
// among them.
func replaceOrigin(origins []graph.Related, old, repl graph.Related) []graph.Related {
	out := make([]graph.Related, 0, len(origins)+1)
	found := false
	for _, o := range origins {
		if o == old {
			out = append(out, repl)
			found = true
			continue
		}
		out = append(out, o)
	}
	if !found {
		out = append([]graph.Related{repl}, out...)
	}
	return out
}

// sortedShapeKeys orders indexes numerically, then keys lexically, for deterministic
// recording under the node budget.
func sortedShapeKeys(m map[any]*shape) []any {
	var ints []int
	var strs []string
	for k := range m {
		switch x := k.(type) {
		case int:
			ints = append(ints, x)
		case string:
			strs = append(strs, x)
		}
	}
	out := make([]any, 0, len(m))
	sort.Ints(ints)
	for _, i := range ints {
		out = append(out, i)
	}
	sort.Strings(strs)
	for _, s := range strs {
		out = append(out, s)
	}
	return out
}
