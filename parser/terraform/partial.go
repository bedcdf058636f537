package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// A value built from a template, jsonencode or templatefile becomes wholly unknown as soon
// as one interpolated input is unknown, although most of the text is written out. Checks
// that only need the known parts (the principal of a policy, not its resource ARN) read a
// partial rendering instead: the same expression evaluated again with every unknown input
// that could be text replaced by graph.UnknownText. The partial rendering is computed only
// for values that are not wholly known and is kept apart from the evaluated attributes, so
// that it never changes a value the scan relies on.

// partialOf returns the partial rendering of expr, whose value v was computed in ctx, or
// cty.NilVal when v is wholly known or nothing better than v can be rendered. p is the
// provenance eval gave with v: it has unknown reasons exactly when v is not wholly known,
// which saves walking v again. cache, when not nil, keeps the partial context of ctx for
// the other expressions of the same block.
func (mi *modInst) partialOf(expr hcl.Expression, ctx *hcl.EvalContext, v cty.Value, p *prov, cache map[*hcl.EvalContext]*hcl.EvalContext) cty.Value {
	if v == cty.NilVal || len(p.unknown) == 0 || bareUnknownText(expr, v) {
		return cty.NilVal
	}
	pctx := cache[ctx]
	if pctx == nil {
		pctx = partialCtx(ctx)
		if cache != nil {
			cache[ctx] = pctx
		}
	}
	mi.fillPartial(ctx, pctx, mi.mod.info(expr))
	pv, diags := safeValue(expr, pctx)
	if diags.HasErrors() {
		return cty.NilVal
	}
	pv = partialize(unmark(pv))
	if pv.RawEquals(v) || pv.RawEquals(cty.StringVal(graph.UnknownText)) {
		return cty.NilVal
	}
	return pv
}

// bareUnknownText reports whether expr is a plain reference such as
// aws_s3_bucket.this.id whose value v is unknown text: its partial rendering is then
// unknown text too, which partialOf reports as nothing, so it need not be computed. The
// reference reaches in the partial context the same place it reached in ctx, and
// rendering puts nothing there but the unknown itself or graph.UnknownText; only
// variables, locals and module outputs may hold a rendering of their own, so references
// to them are rendered as usual.
func bareUnknownText(expr hcl.Expression, v cty.Value) bool {
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || v.IsKnown() || (v.Type() != cty.String && v.Type() != cty.DynamicPseudoType) {
		return false
	}
	switch st.Traversal.RootName() {
	case "var", "local", "module", "data":
		return false
	}
	return true
}

// partialCtx copies the chain of ctx and its parents with their functions and no
// variables yet: fillPartial adds the partial rendering of those an expression uses.
func partialCtx(ctx *hcl.EvalContext) *hcl.EvalContext {
	var chain []*hcl.EvalContext
	for c := ctx; c != nil; c = c.Parent() {
		chain = append(chain, c)
	}
	var out *hcl.EvalContext
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		var nc *hcl.EvalContext
		if out == nil {
			nc = &hcl.EvalContext{}
		} else {
			nc = out.NewChild()
		}
		nc.Functions = c.Functions
		if c.Variables != nil {
			nc.Variables = make(map[string]cty.Value, len(c.Variables))
		}
		out = nc
	}
	if out == nil {
		out = &hcl.EvalContext{}
	}
	return out
}

// fillPartial adds to pctx, made by partialCtx from ctx, the partial rendering of what the
// expression analysed in info reads of the variables of ctx; locals, variables and module
// outputs that have a partial rendering of their own use it. Rendering only what an
// expression reads matters: the resources a block refers to are large and mostly wholly
// known. So a variable is rendered only along the static attribute steps of the
// expression's traversals (partializeAlong): everything the expression can reach lies at
// or below their ends. pctx is shared by the expressions of a block, so a variable already
// in pctx is rendered further along the steps of each new expression.
func (mi *modInst) fillPartial(ctx, pctx *hcl.EvalContext, info *exprInfo) {
	for _, t := range info.vars {
		name := t.RootName()
		for c, nc := ctx, pctx; c != nil && nc != nil; c, nc = c.Parent(), nc.Parent() {
			val, ok := c.Variables[name]
			if !ok {
				continue
			}
			prev, done := nc.Variables[name]
			if c.Parent() == nil && name == "var" {
				// Every context of the instance holds the same varObj (see ctxFor),
				// rendered whole once per instance.
				if !done {
					if mi.varObjPartial == cty.NilVal {
						mi.varObjPartial = partialize(mi.withOwnPartials(name, val))
					}
					nc.Variables[name] = mi.varObjPartial
				}
				continue
			}
			switch {
			case done:
				val = prev
			case c.Parent() == nil:
				val = mi.withOwnPartials(name, val)
			}
			nc.Variables[name] = partializeAlong(val, t[1:])
		}
	}
}

// partializeAlong is partialize applied only to the part of v that steps lead to: the
// objects on the way keep their other attributes as they are. Steps past the first one
// that is not an object attribute are ignored, so that part is rendered whole.
func partializeAlong(v cty.Value, steps hcl.Traversal) cty.Value {
	if v == cty.NilVal {
		return v
	}
	out, _ := partializedAlong(v, steps)
	return out
}

func partializedAlong(v cty.Value, steps hcl.Traversal) (cty.Value, bool) {
	if len(steps) == 0 {
		return partialized(v)
	}
	a, ok := steps[0].(hcl.TraverseAttr)
	if !ok || v.IsMarked() || !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(a.Name) {
		return partialized(v)
	}
	e, changed := partializedAlong(v.GetAttr(a.Name), steps[1:])
	if !changed {
		return v, false
	}
	m := attrMap(v)
	m[a.Name] = e
	return cty.ObjectVal(m), true
}

// attrMap is v.AsValueMap() for a known, unmarked object, without cty's detour through
// an iterator that makes a string value of every attribute name.
func attrMap(v cty.Value) map[string]cty.Value {
	attrTypes := v.Type().AttributeTypes()
	m := make(map[string]cty.Value, len(attrTypes))
	for name := range attrTypes {
		m[name] = v.GetAttr(name)
	}
	return m
}

// withOwnPartials replaces, in the root variable name of an evaluation context, the
// attributes that have a partial rendering of their own.
func (mi *modInst) withOwnPartials(name string, val cty.Value) cty.Value {
	var own map[string]cty.Value
	switch name {
	case "var":
		own = mi.varPartial
	case "local":
		own = mi.localPartial
	case "module":
		return mi.modulePartials(val)
	case "data":
		return mi.dataPartials(val)
	}
	if len(own) == 0 || !val.IsKnown() || val.IsNull() || !val.Type().IsObjectType() {
		return val
	}
	attrs := val.AsValueMap()
	changed := false
	for k, pv := range own {
		if _, ok := attrs[k]; ok && pv != cty.NilVal {
			attrs[k] = pv
			changed = true
		}
	}
	if !changed {
		return val
	}
	return cty.ObjectVal(attrs)
}

// modulePartials replaces the module call values in the "module" object by their partial
// renderings, where their outputs have any.
func (mi *modInst) modulePartials(val cty.Value) cty.Value {
	if !val.IsKnown() || val.IsNull() || !val.Type().IsObjectType() {
		return val
	}
	attrs := val.AsValueMap()
	changed := false
	for name := range attrs {
		if n := mi.mods[name]; n != nil && n.hasPartial() {
			attrs[name] = n.partialValue()
			changed = true
		}
	}
	if !changed {
		return val
	}
	return cty.ObjectVal(attrs)
}

// dataPartials replaces, in the "data" object, the attributes of data source instances
// that have a partial rendering of their own (see resInst.partial).
func (mi *modInst) dataPartials(val cty.Value) cty.Value {
	if !val.IsKnown() || val.IsNull() || !val.Type().IsObjectType() {
		return val
	}
	var types map[string]cty.Value
	// Each node replaces its own entry, so the order of the map does not matter.
	for _, n := range mi.res {
		if !n.decl.data || !n.done || !n.hasPartial() || !val.Type().HasAttribute(n.decl.typ) {
			continue
		}
		if types == nil {
			types = attrMap(val)
		}
		byName := types[n.decl.typ]
		if !byName.IsKnown() || byName.IsNull() || !byName.Type().IsObjectType() || !byName.Type().HasAttribute(n.decl.name) {
			continue
		}
		names := attrMap(byName)
		names[n.decl.name] = n.withPartials(names[n.decl.name])
		types[n.decl.typ] = cty.ObjectVal(names)
	}
	if types == nil {
		return val
	}
	return cty.ObjectVal(types)
}

func (n *resNode) hasPartial() bool {
	for _, in := range n.insts {
		if in.partial != nil {
			return true
		}
	}
	return false
}

// withPartials replaces in v, the value of n as an expression saw it (see resNode.value),
// the attributes of each instance that have a partial rendering.
func (n *resNode) withPartials(v cty.Value) cty.Value {
	if !v.IsKnown() || v.IsNull() {
		return v
	}
	inst := func(o cty.Value, in resInst) cty.Value {
		if in.partial == nil || !o.IsKnown() || o.IsNull() || !o.Type().IsObjectType() {
			return o
		}
		m := attrMap(o)
		for k, pv := range in.partial {
			if _, ok := m[k]; ok {
				m[k] = pv
			}
		}
		return cty.ObjectVal(m)
	}
	ty := v.Type()
	switch n.mode {
	case single:
		if len(n.insts) == 1 {
			return inst(v, n.insts[0])
		}
	case byCount:
		if ty.IsTupleType() && v.LengthInt() == len(n.insts) {
			l := v.AsValueSlice()
			for i := range l {
				l[i] = inst(l[i], n.insts[i])
			}
			return cty.TupleVal(l)
		}
	case byForEach:
		if ty.IsObjectType() {
			m := attrMap(v)
			for _, in := range n.insts {
				if in.key.Type() != cty.String {
					continue
				}
				if o, ok := m[in.key.AsString()]; ok {
					m[in.key.AsString()] = inst(o, in)
				}
			}
			return cty.ObjectVal(m)
		}
	}
	return v
}

// partialize replaces every unknown part of v that could stand for text (an unknown
// string, or an unknown of unknown type) by graph.UnknownText. Unknown numbers, bools and
// collections stay unknown. A collection whose elements no longer share a type is left as
// it was.
func partialize(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return v
	}
	out, _ := partialized(v)
	return out
}

// partialized is partialize in one pass, telling whether anything was replaced: a list,
// map or object is rebuilt only when one of its elements changed, and wholly known parts
// are read once without being copied.
func partialized(v cty.Value) (out cty.Value, changed bool) {
	defer func() {
		// cty panics on collections of mixed element types; the value is then kept.
		if recover() != nil {
			out, changed = v, false
		}
	}()
	ty := v.Type()
	if !v.IsKnown() {
		if ty == cty.String || ty == cty.DynamicPseudoType {
			return cty.StringVal(graph.UnknownText), true
		}
		return v, false
	}
	if v.IsNull() {
		return v, false
	}
	switch {
	case ty.IsObjectType():
		var m map[string]cty.Value
		for name := range ty.AttributeTypes() {
			pe, ch := partialized(v.GetAttr(name))
			if !ch {
				continue
			}
			if m == nil {
				m = attrMap(v)
			}
			m[name] = pe
		}
		if m == nil {
			return v, false
		}
		return cty.ObjectVal(m), true
	case ty.IsMapType():
		var m map[string]cty.Value
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			pe, ch := partialized(e)
			if !ch {
				continue
			}
			if m == nil {
				m = v.AsValueMap()
			}
			m[k.AsString()] = pe
		}
		if m == nil {
			return v, false
		}
		return cty.MapVal(m), true
	case ty.IsTupleType(), ty.IsListType(), ty.IsSetType():
		var l []cty.Value
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			pe, ch := partialized(e)
			if !ch {
				continue
			}
			if l == nil {
				l = v.AsValueSlice()
			}
			l[i] = pe
		}
		switch {
		case l == nil:
			return v, false
		case ty.IsTupleType():
			return cty.TupleVal(l), true
		case ty.IsListType():
			return cty.ListVal(l), true
		}
		return cty.SetVal(l), true
	}
	return v, false
}

// hasPartial reports whether an instance of the module call has an output with a partial
// rendering.
func (n *modNode) hasPartial() bool {
	for _, in := range n.insts {
		if len(in.outPartial) > 0 {
			return true
		}
	}
	return false
}

// partialValue is value with each output that has a partial rendering replaced by it.
func (n *modNode) partialValue() cty.Value {
	return n.valueOf(func(in modCallInst) map[string]cty.Value {
		if len(in.outPartial) == 0 {
			return in.outputs
		}
		m := make(map[string]cty.Value, len(in.outputs))
		for k, v := range in.outputs {
			m[k] = v
		}
		for k, v := range in.outPartial {
			m[k] = v
		}
		return m
	})
}
