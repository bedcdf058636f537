package terraform

import (
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// prov is the provenance of a value: where it was written when that is elsewhere than the
// expression at hand, why it is unknown, and which resources it was derived from.
type prov struct {
	origins []graph.Related
	unknown []string
	refs    []string
	// assumed are the places where the value depends on a choice of the scan rather than
	// the configuration: the workspace, assumed or given (see state.workspaceOrigin).
	// Unlike origins they are kept when the
	// value only steers another (a condition, a count): the decision depends on them all
	// the same. eval adds them to origins.
	assumed []graph.Related
	// shape is where the elements of the value are written, when the value is a literal
	// list or object passed on unchanged; merge never carries it, as a merged value is
	// no longer that literal.
	shape *shape
}

// merge adds q's facts to p, keeping the first occurrence of each.
func (p *prov) merge(q *prov) {
	if q == nil {
		return
	}
	if p.origins == nil && len(q.origins) > 1 {
		// Most merges go into an empty prov: one allocation instead of growing.
		p.origins = make([]graph.Related, 0, len(q.origins))
	}
	for _, o := range q.origins {
		p.addOrigin(o)
	}
	for _, u := range q.unknown {
		p.addUnknown(u)
	}
	for _, r := range q.refs {
		p.addRef(r)
	}
	for _, a := range q.assumed {
		p.addAssumed(a)
	}
}

func (p *prov) addAssumed(a graph.Related) {
	for _, x := range p.assumed {
		if x == a {
			return
		}
	}
	p.assumed = append(p.assumed, a)
}

func (p *prov) addOrigin(o graph.Related) {
	for _, x := range p.origins {
		if x == o {
			return
		}
	}
	p.origins = append(p.origins, o)
}

func (p *prov) addUnknown(u string) {
	for _, x := range p.unknown {
		if x == u {
			return
		}
	}
	p.unknown = append(p.unknown, u)
}

func (p *prov) addRef(r string) {
	for _, x := range p.refs {
		if x == r {
			return
		}
	}
	p.refs = append(p.refs, r)
}

// exprProv gathers the provenance of everything expr refers to. Only the references that
// carry the value into the result are origins: the condition of a conditional and the
// count that repeats the block explain why a value was chosen, not where it was written,
// so they give their references and (while the value is unknown) their unknown reasons
// but no origins. The branch a known condition does not take contributes nothing.
// keys maps the start of a traversal to the instance key an index expression applies to
// it (aws_s3_bucket.x[count.index]), so that the edge goes to that instance only.
func (mi *modInst) exprProv(info *exprInfo, ctx *hcl.EvalContext, sc *iter, keys map[hcl.Pos]cty.Value) *prov {
	p := &prov{}
	carry, steer := valueTraversals(info, ctx)
	for _, t := range carry {
		mi.travProv(p, t, sc, keys, true)
	}
	for _, t := range steer {
		q := &prov{}
		mi.travProv(q, t, sc, keys, false)
		p.merge(q)
	}
	return p
}

// travProv adds to p the provenance of one traversal; origins only when withOrigins.
func (mi *modInst) travProv(p *prov, t hcl.Traversal, sc *iter, keys map[hcl.Pos]cty.Value, withOrigins bool) {
	add := func(q *prov) {
		if q == nil {
			return
		}
		if !withOrigins {
			q = &prov{unknown: q.unknown, refs: q.refs, assumed: q.assumed}
		}
		p.merge(q)
	}
	root := t.RootName()
	if sc != nil {
		if ip, ok := sc.iters[root]; ok {
			add(ip)
			return
		}
	}
	name := stepName(t, 1)
	switch root {
	case "var":
		add(mi.varProv[name])
	case "local":
		add(mi.localProv[name])
	case "count":
		// count.index is a number made by the count, never where a value was written.
		if sc != nil && sc.prov != nil {
			p.merge(&prov{unknown: sc.prov.unknown, refs: sc.prov.refs, assumed: sc.prov.assumed})
		}
	case "each":
		// each.key and each.value are elements of the for_each collection: where it was
		// written is where they were.
		if sc != nil {
			add(sc.prov)
		}
	case "module":
		n := mi.mods[name]
		if n == nil {
			return
		}
		if n.notLoaded != "" {
			p.addUnknown(n.notLoaded)
			return
		}
		if n.mode == byUnknown && n.exp != nil {
			p.merge(&prov{unknown: n.exp.unknown})
		}
		rest := t[2:]
		if len(rest) > 0 {
			if _, ok := rest[0].(hcl.TraverseIndex); ok {
				rest = rest[1:]
			}
		}
		if len(rest) > 0 {
			if a, ok := rest[0].(hcl.TraverseAttr); ok {
				add(n.outProv[a.Name])
				return
			}
		}
		for _, k := range slices.Sorted(maps.Keys(n.outProv)) {
			add(n.outProv[k])
		}
	case "data":
		if n := mi.res["data."+name+"."+stepName(t, 2)]; n != nil && len(t) >= 3 {
			mi.refProv(p, n, t[3:], keys[t.SourceRange().Start], withOrigins)
		}
	case "terraform":
		if name == "workspace" {
			mi.ev.noteWorkspace(t.SourceRange())
			p.addAssumed(graph.Related{Range: toRange(t.SourceRange()), Message: mi.ev.st.workspaceOrigin})
		}
	case "path", "self":
	default:
		if n := mi.res[root+"."+name]; n != nil {
			mi.refProv(p, n, t[2:], keys[t.SourceRange().Start], withOrigins)
		}
	}
}

// valueTraversals splits the references of the expression analysed in info into those
// that carry its value and those that only steer it: the conditions of conditional
// expressions. The references of a branch that a condition known in ctx does not take are
// in neither list. carry may be info.vars itself, to be read only.
func valueTraversals(info *exprInfo, ctx *hcl.EvalContext) (carry, steer []hcl.Traversal) {
	all := info.vars
	var steering, untaken []hcl.Range
	for _, n := range info.branches {
		if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			if lookupHasKey(fc, ctx) {
				untaken = append(untaken, fc.Args[2].Range())
			}
			continue
		}
		cond := n.(*hclsyntax.ConditionalExpr)
		steering = append(steering, cond.Condition.Range())
		// A condition that uses a for expression's symbols fails here and counts as
		// unknown: both branches may be taken.
		c, diags := safeValue(cond.Condition, ctx)
		if diags.HasErrors() || !c.IsKnown() || c.IsNull() || c.Type() != cty.Bool {
			continue
		}
		if unmark(c).True() {
			untaken = append(untaken, cond.FalseResult.Range())
		} else {
			untaken = append(untaken, cond.TrueResult.Range())
		}
	}
	if len(steering) == 0 && len(untaken) == 0 {
		return all, nil
	}
	for _, t := range all {
		pos := t.SourceRange().Start
		switch {
		case withinAny(untaken, pos):
		case withinAny(steering, pos):
			steer = append(steer, t)
		default:
			carry = append(carry, t)
		}
	}
	return carry, steer
}

// lookupHasKey reports whether fc, a call lookup(map, key, default), has a map and key
// known in ctx and the key present, so that the default is not used.
func lookupHasKey(fc *hclsyntax.FunctionCallExpr, ctx *hcl.EvalContext) bool {
	m, d1 := safeValue(fc.Args[0], ctx)
	k, d2 := safeValue(fc.Args[1], ctx)
	if d1.HasErrors() || d2.HasErrors() {
		return false
	}
	m, k = unmark(m), unmark(k)
	if !m.IsKnown() || m.IsNull() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
		return false
	}
	ty := m.Type()
	switch {
	case ty.IsObjectType():
		return ty.HasAttribute(k.AsString())
	case ty.IsMapType():
		return m.HasIndex(k).True()
	}
	return false
}

func withinAny(rs []hcl.Range, pos hcl.Pos) bool {
	for _, r := range rs {
		if pos.Byte >= r.Start.Byte && pos.Byte < r.End.Byte {
			return true
		}
	}
	return false
}

// refProv adds what a reference to resource n (followed by rest) contributes: an edge to
// the resource, why the referenced attribute is unknown when it is and, when withOrigins,
// where the attribute was written. It adds to p directly: each kind of fact keeps its
// order, as when they were gathered apart and merged.
func (mi *modInst) refProv(p *prov, n *resNode, rest hcl.Traversal, key cty.Value, withOrigins bool) {
	addr := mi.prefix + n.decl.key()
	if key != cty.NilVal && len(rest) == 0 && n.mode != byUnknown && n.mode != single {
		if s, ok := keySuffix(key); ok {
			addr += s
		}
	}
	if len(rest) > 0 {
		if ix, ok := rest[0].(hcl.TraverseIndex); ok {
			rest = rest[1:]
			if n.mode != byUnknown && n.mode != single {
				if s, ok := keySuffix(ix.Key); ok {
					addr += s
				}
			}
		}
	}
	p.addRef(addr)
	if n.mode == byUnknown && n.exp != nil {
		p.merge(&prov{unknown: n.exp.unknown})
	}
	attr := ""
	if len(rest) > 0 {
		if a, ok := rest[0].(hcl.TraverseAttr); ok {
			attr = a.Name
		}
	}
	if ap, ok := n.attrProv[attr]; ok && attr != "" {
		q := &prov{unknown: ap.unknown}
		if withOrigins {
			q.origins = ap.origins
		}
		p.merge(q)
		return
	}
	switch {
	case n.decl.data && attr != "":
		// The attribute read is named: a check can then tell a VPC's cidr_block from its
		// tags, and the user sees which value was missing.
		p.addUnknown(n.decl.key() + "." + attr + " is read at apply time")
	case n.decl.data:
		p.addUnknown(n.decl.key() + " is read at apply time")
	case attr != "":
		p.addUnknown(n.decl.key() + "." + attr + " is known only after apply")
	default:
		p.addUnknown(n.decl.key() + " has attributes known only after apply")
	}
}

// applyTimeFunctions return values that only exist when Terraform applies the plan.
var applyTimeFunctions = map[string]bool{
	"timestamp": true, "plantimestamp": true, "uuid": true, "bcrypt": true,
}

// indexKeys evaluates the keys of index expressions applied directly to a traversal,
// keyed by the traversal's start.
func indexKeys(info *exprInfo, ctx *hcl.EvalContext) map[hcl.Pos]cty.Value {
	var out map[hcl.Pos]cty.Value
	for _, ix := range info.indexes {
		st := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		k, diags := safeValue(ix.Key, ctx)
		if diags.HasErrors() || !k.IsKnown() || k.IsNull() {
			continue
		}
		if out == nil {
			out = map[hcl.Pos]cty.Value{}
		}
		out[st.Traversal.SourceRange().Start] = unmark(k)
	}
	return out
}

func stepName(t hcl.Traversal, i int) string {
	if i >= len(t) {
		return ""
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseRoot:
		return s.Name
	}
	return ""
}
