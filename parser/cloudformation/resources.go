package cloudformation

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// resources builds the graph resources of the template, in document order, and reports
// reference cycles between them.
func (t *template) resources() []*graph.Resource {
	var out []*graph.Resource
	deps := make(map[string]map[string]bool, len(t.order))
	for _, id := range t.order {
		rs, d := t.variants(id)
		out = append(out, rs...)
		deps[id] = d
	}
	t.reportCycles(deps)
	return out
}

// variants evaluates one resource. Each time evaluation meets a condition that cannot be
// decided, it starts again twice, assuming the condition true and then false, until no
// undecided condition is left or the variant budget is spent (then values depending on
// the remaining conditions are unknown). It also returns the resources it refers to.
func (t *template) variants(id string) ([]*graph.Resource, map[string]bool) {
	ent := t.entries[id]
	var deps map[string]bool // nil when the resource refers to nothing
	body := deref(ent.value)
	if body == nil || body.Kind != yaml.MappingNode {
		t.diags.add(graph.DiagError, t.f.rangeOf(ent.key), "resource "+id+" is not a mapping", "")
		return nil, deps
	}
	tk, tn := lookupKey(body, "Type")
	if tn == nil || tn.Kind != yaml.ScalarNode || tn.Value == "" {
		t.diags.add(graph.DiagError, t.f.rangeOf(ent.key), "resource "+id+" has no Type", "")
		return nil, deps
	}
	t.checkType(tn.Value, t.f.span(tk, tn))

	var out []*graph.Resource
	var left leftovers              // what the previous evaluation is done with
	queue := []map[string]bool{nil} // no assumption to begin with
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		split := len(out)+len(queue)+2 <= maxVariants
		e := newEvaluator(t, a, split)
		left.lend(e)
		r := e.resource(id, ent.key, body, tn.Value)
		left = leftovers{conds: e.conds, used: e.used, res: e.res}
		if deps == nil {
			deps = e.deps // the evaluator is done with it
		} else {
			for d := range e.deps {
				deps[d] = true
			}
		}
		if split && len(e.needed) > 0 {
			c := e.needed[0]
			queue = append(queue, with(a, c, true), with(a, c, false))
			continue
		}
		if r != nil {
			out = append(out, r)
			left.res = nil // kept: not to be reused
		}
	}
	return out, deps
}

func with(a map[string]bool, cond string, v bool) map[string]bool {
	out := make(map[string]bool, len(a)+1)
	for k, x := range a {
		out[k] = x
	}
	out[cond] = v
	return out
}

// resource evaluates the resource entry body under the evaluator's assumptions. It
// returns nil when the resource's own condition is false.
func (e *evaluator) resource(id string, key, body *yaml.Node, typ string) *graph.Resource {
	f := e.t.f
	r, meta := e.res, map[string]string(nil)
	if r != nil {
		// A resource thrown away by an earlier evaluation (see reuse).
		meta = r.Meta
		clear(meta)
	} else {
		r, meta = &graph.Resource{}, map[string]string{}
	}
	*r = graph.Resource{
		Format:   graph.CloudFormation,
		Type:     typ,
		Address:  id,
		Scope:    f.path,
		Range:    f.span(key, body),
		DefRange: f.rangeOf(key),
		Meta:     meta,
	}
	e.res = r
	if cn := deref(lookup(body, "Condition")); cn != nil {
		if cn.Kind != yaml.ScalarNode {
			e.t.diags.add(graph.DiagWarning, f.rangeOf(cn), "invalid resource Condition", "expects a condition name")
		} else {
			r.Meta["condition"] = cn.Value
			c := e.condition(cn.Value, cn)
			if c.known && !c.val {
				return nil
			}
		}
	}

	r.Attrs = cty.EmptyObjectVal
	if pk, props := lookupKey(body, "Properties"); props != nil {
		tr := &trace{}
		// The paths of all properties are built on one stack (see value).
		v := e.value(props, make(graph.Path, 0, 16), true, tr)
		switch {
		case v.none:
		case !v.v.IsKnown():
			// Properties chosen by an undecided condition as a whole.
			r.Attrs = cty.DynamicVal
		case v.v.Type().IsObjectType():
			r.Attrs = v.v
		case v.v.IsNull():
		default:
			e.t.diags.add(graph.DiagWarning, f.span(pk, props), "resource "+id+" Properties is not a mapping", "")
		}
		// What the Properties mapping as a whole depends on (an Fn::If around it) holds
		// for each property that does not say more.
		for _, ref := range tr.refs {
			e.dep(ref)
			r.AddRef(ref, graph.Path{})
		}
		if (len(tr.origins) > 0 || len(tr.unknown) > 0) && !e.discarded() {
			for _, k := range graph.ValueAt(r.Attrs, nil).Keys() {
				p := graph.P(k)
				info := r.AttrInfo(p)
				if info == nil {
					continue
				}
				merged := *info
				if len(merged.Origins) == 0 {
					merged.Origins = tr.origins
				}
				if len(merged.Unknown) == 0 {
					merged.Unknown = tr.unknown
				}
				r.SetAttrInfo(p, merged)
			}
		}
	}

	e.dependsOn(r, body)
	e.metadata(r, body)
	for _, k := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
		// AWS::LanguageExtensions lets the policies be Ref to a parameter or Fn::If, so
		// they are evaluated like any value; an unknown policy is left out.
		if v := deref(lookup(body, k)); v != nil {
			if s, ok := str(e.value(v, nil, false, &trace{}).v); ok {
				r.Meta[strings.ToLower(k[:1])+k[1:]] = s
			}
		}
	}
	if len(e.used) > 0 {
		var parts []string
		for c := range e.used {
			parts = append(parts, c+"="+strconv.FormatBool(e.assume[c]))
		}
		sort.Strings(parts)
		r.Meta["conditions"] = strings.Join(parts, ",")
	}
	return r
}

// dependsOn records DependsOn as references made by the attribute "DependsOn".
func (e *evaluator) dependsOn(r *graph.Resource, body *yaml.Node) {
	dk, dn := lookupKey(body, "DependsOn")
	dn = deref(dn)
	if dn == nil {
		return
	}
	var names []*yaml.Node
	switch dn.Kind {
	case yaml.ScalarNode:
		names = []*yaml.Node{dn}
	case yaml.SequenceNode:
		names = dn.Content
	}
	var ids []string
	for _, n := range names {
		n = deref(n)
		if n == nil || n.Kind != yaml.ScalarNode {
			continue
		}
		if _, ok := e.t.entries[n.Value]; !ok {
			e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(n), "DependsOn undefined resource "+n.Value, "")
			continue
		}
		ids = append(ids, n.Value)
		e.dep(n.Value)
		r.AddRef(n.Value, graph.P("DependsOn"))
	}
	if len(ids) > 0 {
		r.Meta["dependsOn"] = strings.Join(ids, ",")
		r.Meta["dependsOnLine"] = fmt.Sprint(dk.Line)
	}
}

// metadata keeps the resource's Metadata reachable outside Attrs: Meta["metadata"] is
// its evaluated JSON (unknown parts null), Meta["metadataLine"] where it is written, and
// Meta["ignore"] the check IDs listed under Metadata.iacscan.ignore, comma-separated.
func (e *evaluator) metadata(r *graph.Resource, body *yaml.Node) {
	mk, md := lookupKey(body, "Metadata")
	if md == nil {
		return
	}
	v := e.value(md, nil, false, &trace{}).v
	if e.discarded() {
		return
	}
	if b, err := json.Marshal(toPlain(v)); err == nil {
		r.Meta["metadata"] = string(b)
	}
	r.Meta["metadataLine"] = fmt.Sprint(mk.Line)
	ids := graph.ValueAt(v, nil).Get("iacscan", "ignore").Strings()
	if len(ids) > 0 {
		r.Meta["ignore"] = strings.Join(ids, ",")
	}
}

// reportCycles reports resources that refer to each other in a circle, which
// CloudFormation rejects.
func (t *template) reportCycles(deps map[string]map[string]bool) {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(id string)
	visit = func(id string) {
		color[id] = grey
		stack = append(stack, id)
		next := make([]string, 0, len(deps[id]))
		for d := range deps[id] {
			next = append(next, d)
		}
		sort.Strings(next)
		for _, d := range next {
			switch color[d] {
			case white:
				visit(d)
			case grey:
				i := len(stack) - 1
				for i > 0 && stack[i] != d {
					i--
				}
				cycle := append(append([]string{}, stack[i:]...), d)
				t.diags.add(graph.DiagWarning, t.f.rangeOf(t.entries[d].key), "circular dependency between resources",
					strings.Join(cycle, " -> "))
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
	}
	for _, id := range t.order {
		if color[id] == white {
			visit(id)
		}
	}
}
