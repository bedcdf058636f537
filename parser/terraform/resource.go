package terraform

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// resourceMeta are the meta-arguments and meta-blocks of resource and data blocks: they
// steer Terraform and are not attributes of the resource.
var resourceMeta = map[string]bool{
	"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true,
}

// resNode is a resource or data block of one module instance once evaluated.
type resNode struct {
	decl     *resourceDecl
	done     bool
	mode     expMode
	exp      *prov
	insts    []resInst
	attrProv map[string]*prov
}

type resInst struct {
	key   cty.Value
	attrs map[string]cty.Value
	// partial holds the partial rendering of attributes the scan computes itself (the
	// rendered text of a data "template_file") when they are not wholly known.
	partial map[string]cty.Value
}

// value is the resource as other expressions see it: the configured arguments of each
// instance, plus every attribute named in names that is not configured as unknown (known
// only after apply). Expressions that read nothing of an instance but the attributes
// named in only (see readAttr), when only is not nil, see instances of just those: they
// cannot tell them from the whole, which costs a copy of every argument to build.
func (n *resNode) value(names map[string]bool, only []string) cty.Value {
	if !n.done {
		return cty.DynamicVal
	}
	obj := func(in resInst) cty.Value {
		if only != nil {
			m := make(map[string]cty.Value, len(only))
			for _, k := range only {
				if v, ok := in.attrs[k]; ok {
					m[k] = v
				} else {
					m[k] = cty.DynamicVal
				}
			}
			return cty.ObjectVal(m)
		}
		m := make(map[string]cty.Value, len(in.attrs)+len(names))
		for k, v := range in.attrs {
			m[k] = v
		}
		// What is not configured is computed by the provider: after apply for a
		// resource, when read for a data source. Either way it is unknown here.
		for k := range names {
			if _, ok := m[k]; !ok {
				m[k] = cty.DynamicVal
			}
		}
		return cty.ObjectVal(m)
	}
	switch n.mode {
	case single:
		if len(n.insts) == 0 {
			return cty.DynamicVal
		}
		return obj(n.insts[0])
	case byCount:
		if len(n.insts) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(n.insts))
		for i, in := range n.insts {
			vals[i] = obj(in)
		}
		return cty.TupleVal(vals)
	case byForEach:
		m := make(map[string]cty.Value, len(n.insts))
		for _, in := range n.insts {
			if in.key.Type() == cty.String {
				m[in.key.AsString()] = obj(in)
			}
		}
		return cty.ObjectVal(m)
	}
	return cty.DynamicVal
}

// readAttr returns the attribute of an instance of n that the traversal t, which refers
// to n, reads: the attribute step after the instance's key, which t[at] is when n has
// count or for_each, else right at t[at]. It returns "" when t may see more (an instance
// or n whole, as a splat, a for expression, a function argument or an index computed at
// evaluation do), and when n's value does not depend on what is read of it.
func (n *resNode) readAttr(t hcl.Traversal, at int) string {
	if !n.done {
		return ""
	}
	switch n.mode {
	case single:
	case byCount, byForEach:
		if at >= len(t) {
			return ""
		}
		switch t[at].(type) {
		case hcl.TraverseIndex:
		case hcl.TraverseAttr:
			// An instance of for_each is also an attribute of the object of instances.
			if n.mode != byForEach {
				return ""
			}
		default:
			return ""
		}
		at++
	default:
		return ""
	}
	if at < len(t) {
		if a, ok := t[at].(hcl.TraverseAttr); ok {
			return a.Name
		}
	}
	return ""
}

// evalResource expands a resource or data block and emits one graph resource per instance.
func (mi *modInst) evalResource(n *resNode) {
	if n == nil || n.done {
		return
	}
	defer func() { n.done = true }()
	d := n.decl
	base := mi.ctxFor(&d.deps, nil)
	reuse := !selfDependent(&d.deps, d.key())
	exp := mi.expand(d.count, d.forEach, base, d.key())
	n.mode = exp.mode
	n.exp = exp.prov
	for _, k := range exp.keys {
		if !mi.ev.spend(d.defRange) {
			break
		}
		it := exp.iterFor(k)
		mi.narrowEach(d.forEach, exp, k, it)
		ctx := instanceCtx(base, it)
		if !reuse {
			ctx = mi.ctxFor(&d.deps, it)
		}
		r := &graph.Resource{
			Format:   graph.Terraform,
			Type:     d.typ,
			Address:  mi.prefix + d.key() + exp.suffix(k),
			Scope:    mi.ev.root,
			Range:    toRange(d.rng),
			DefRange: toRange(d.defRange),
		}
		if exp.mode != single {
			r.BaseAddress = mi.prefix + d.key()
		}
		if len(mi.chain) > 0 {
			r.CallChain = append([]graph.Related(nil), mi.chain...)
		}
		if d.data {
			r.Meta = map[string]string{"mode": "data"}
		}
		b := &bodyEval{mi: mi, r: r, attrProv: n.attrProv, pcache: map[*hcl.EvalContext]*hcl.EvalContext{}}
		attrs := b.body(d.body, ctx, it, nil, true)
		in := resInst{key: k.key, attrs: attrs}
		if d.data && d.typ == "template_file" {
			mi.renderTemplateFile(n, b, attrs, d.body, &in)
		}
		r.Attrs = cty.ObjectVal(attrs)
		n.insts = append(n.insts, in)
		mi.ev.resources = append(mi.ev.resources, r)
	}
}

// bodyEval evaluates a resource body schema-less into attribute values, recording
// positions, origins, unknown reasons and references on the resource as it goes.
type bodyEval struct {
	mi       *modInst
	r        *graph.Resource
	attrProv map[string]*prov
	// pcache keeps the partial evaluation context of each context of the block.
	pcache map[*hcl.EvalContext]*hcl.EvalContext
}

func (b *bodyEval) body(body hcl.Body, ctx *hcl.EvalContext, sc *iter, path graph.Path, top bool) map[string]cty.Value {
	attrs, blocks := b.mi.mod.attrs(body), bodyBlocks(body)
	vals := make(map[string]cty.Value, len(attrs)+len(blocks))
	for _, a := range attrs {
		if top && resourceMeta[a.Name] {
			continue
		}
		if a.Name == "dynamic" {
			// Only JSON bodies show dynamic blocks as attributes; their expansion needs
			// the native syntax's block structure, so they are left out.
			continue
		}
		ap := path.Child(a.Name)
		v, p := b.mi.eval(a.Expr, ctx, sc)
		b.record(ap, toRange(a.Range), p, b.mi.partialOf(a.Expr, ctx, v, p, b.pcache))
		if _, native := a.Expr.(hclsyntax.Expression); native {
			literalPositions(b.r, ap, a.Expr)
		} else {
			jsonPositions(b.r, ap, a.Expr, b.mi.mod.files[a.Range.Filename])
		}
		if p.shape != nil {
			b.recordShape(ap, p.shape, p.origins)
		}
		if top {
			if old := b.attrProv[a.Name]; old != nil {
				old.merge(p)
			} else {
				// The facts of p are distinct already, so merging them into an empty prov
				// would copy them as they are: p itself is kept, no longer used here, and
				// full slices make a later merge into it reallocate instead of writing
				// into the arrays that record kept. (Its shape stays, unread: a merge
				// never carries it.)
				p.origins, p.unknown, p.refs = slices.Clip(p.origins), slices.Clip(p.unknown), slices.Clip(p.refs)
				b.attrProv[a.Name] = p
			}
		}
		vals[a.Name] = v
	}
	if len(blocks) == 0 {
		return vals
	}
	groups := map[string][]cty.Value{}
	unknown := map[string]bool{}
	for _, blk := range blocks {
		if top && resourceMeta[blk.Type] {
			continue
		}
		if blk.Type == "dynamic" {
			b.dynamic(blk, ctx, sc, path, groups, unknown)
			continue
		}
		bp := path.Child(blk.Type).Child(len(groups[blk.Type]))
		b.r.SetAttrInfo(bp, graph.AttrInfo{Range: toRange(blk.DefRange())})
		groups[blk.Type] = append(groups[blk.Type], cty.ObjectVal(b.body(blk.Body, ctx, sc, bp, false)))
	}
	for typ, list := range groups {
		if _, isAttr := vals[typ]; isAttr {
			continue
		}
		vals[typ] = cty.TupleVal(list)
	}
	for typ := range unknown {
		vals[typ] = cty.DynamicVal
	}
	return vals
}

func (b *bodyEval) record(path graph.Path, rng graph.Range, p *prov, partial cty.Value) {
	b.r.SetAttrInfo(path, graph.AttrInfo{Range: rng, Origins: p.origins, Unknown: p.unknown, Partial: partial})
	for _, ref := range p.refs {
		b.r.AddRef(ref, path)
	}
}

// dynamic expands a dynamic block into repeated blocks of its label's type.
func (b *bodyEval) dynamic(blk *hclsyntax.Block, ctx *hcl.EvalContext, sc *iter, path graph.Path, groups map[string][]cty.Value, unknown map[string]bool) {
	if len(blk.Labels) == 0 {
		return
	}
	typ := blk.Labels[0]
	iterName := typ
	var forEach *hcl.Attribute
	for _, a := range b.mi.mod.attrs(blk.Body) {
		switch a.Name {
		case "for_each":
			forEach = a
		case "iterator":
			if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
				iterName = kw
			}
		}
	}
	var content *hclsyntax.Block
	for _, c := range bodyBlocks(blk.Body) {
		if c.Type == "content" {
			content = c
			break
		}
	}
	if forEach == nil || content == nil {
		return
	}
	v, p := b.mi.eval(forEach.Expr, ctx, sc)
	elems, ok := forEachElems(v, true)
	if !ok {
		unknown[typ] = true
		if len(p.unknown) == 0 {
			p.addUnknown("for_each of dynamic " + typ + " is not known")
		}
		b.record(path.Child(typ), toRange(blk.DefRange()), p, cty.NilVal)
		return
	}
	if len(elems) > b.mi.ev.maxInstances {
		elems = elems[:b.mi.capInstances(len(elems), forEach)]
	}
	inner := sc.withIterator(iterName, p)
	for _, el := range elems {
		child := ctx.NewChild()
		child.Variables = map[string]cty.Value{
			iterName: cty.ObjectVal(map[string]cty.Value{"key": el.key, "value": el.value}),
		}
		bp := path.Child(typ).Child(len(groups[typ]))
		b.r.SetAttrInfo(bp, graph.AttrInfo{Range: toRange(content.DefRange()), Origins: p.origins})
		for _, ref := range p.refs {
			b.r.AddRef(ref, bp)
		}
		groups[typ] = append(groups[typ], cty.ObjectVal(b.body(content.Body, child, inner, bp, false)))
	}
}

// literalPositions records the range of each element of a literal list and each item of a
// literal object under path, recursively.
func literalPositions(r *graph.Resource, path graph.Path, expr hcl.Expression) {
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		for i, el := range e.Exprs {
			p := path.Child(i)
			r.SetAttrInfo(p, graph.AttrInfo{Range: toRange(el.Range())})
			literalPositions(r, p, el)
		}
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			key, ok := literalKey(item.KeyExpr)
			if !ok {
				continue
			}
			p := path.Child(key)
			r.SetAttrInfo(p, graph.AttrInfo{Range: toRange(hcl.RangeBetween(item.KeyExpr.Range(), item.ValueExpr.Range()))})
			literalPositions(r, p, item.ValueExpr)
		}
	case *hclsyntax.ParenthesesExpr:
		literalPositions(r, path, e.Expression)
	}
}

// literalKey returns an object key written as a bare name or a literal string.
func literalKey(expr hclsyntax.Expression) (string, bool) {
	if kw := hcl.ExprAsKeyword(expr); kw != "" {
		return kw, true
	}
	if k, ok := expr.(*hclsyntax.ObjectConsKeyExpr); ok {
		expr = k.Wrapped
	}
	v, diags := safeValue(expr, nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}
