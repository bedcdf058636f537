package terraform

import (
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/iacscan/iacscan/parser/graph"
)

type nodeKind int

const (
	nodeLocal nodeKind = iota
	nodeResource
	nodeModule
	nodeOutput
)

// node is one named value of a module in the dependency graph.
type node struct {
	kind   nodeKind
	id     string // local.x, aws_s3_bucket.x, data.t.x, module.x, output.x
	rng    hcl.Range
	deps   usage
	local  *localDecl
	output *outputDecl
	cyclic bool

	// Tarjan's bookkeeping.
	index, low int
	onStack    bool
	visited    bool
}

// dependencyOrder returns the module's named values so that each comes after everything
// it refers to, and the reference cycles among them (marked cyclic), in the order they
// are found. It depends on the module's syntax only, so it runs once, when the module is
// loaded; every instance reports the cycles (see reportCycle).
func (m *module) dependencyOrder() (ordered []*node, cycles [][]*node) {
	var nodes []*node
	byID := map[string]*node{}
	add := func(n *node) {
		if byID[n.id] != nil {
			return
		}
		byID[n.id] = n
		nodes = append(nodes, n)
	}
	for _, l := range m.locals {
		n := &node{kind: nodeLocal, id: "local." + l.name, rng: l.attr.Range, local: l}
		n.deps.addExpr(l.attr.Expr, m.analyze(l.attr.Expr))
		add(n)
	}
	for _, r := range m.resources {
		add(&node{kind: nodeResource, id: r.key(), rng: r.defRange, deps: r.deps})
	}
	for _, c := range m.calls {
		add(&node{kind: nodeModule, id: "module." + c.name, rng: c.defRange, deps: c.deps})
	}
	for _, o := range m.outputs {
		n := &node{kind: nodeOutput, id: "output." + o.name, rng: o.rng, output: o}
		if o.attr != nil {
			n.deps.addExpr(o.attr.Expr, m.analyze(o.attr.Expr))
		}
		add(n)
	}

	var idBuf []byte
	edges := func(n *node) []*node {
		var out []*node
		for _, t := range n.deps.travs {
			idBuf = appendDepID(idBuf[:0], t)
			// One node per id, so a node already listed is an id already seen; a
			// block refers to few distinct values, so the list is short to search.
			if d := byID[string(idBuf)]; d != nil && !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
		return out
	}

	var stack []*node
	index := 0
	var strong func(n *node)
	strong = func(n *node) {
		n.visited, n.index, n.low, n.onStack = true, index, index, true
		index++
		stack = append(stack, n)
		self := false
		for _, d := range edges(n) {
			if d == n {
				self = true
				continue
			}
			if !d.visited {
				strong(d)
				n.low = min(n.low, d.low)
			} else if d.onStack {
				n.low = min(n.low, d.index)
			}
		}
		if n.low != n.index {
			return
		}
		if stack[len(stack)-1] == n {
			// A component of one node, as most are: nothing to collect or sort.
			stack = stack[:len(stack)-1]
			n.onStack = false
			if self {
				n.cyclic = true
				cycles = append(cycles, []*node{n})
			}
			ordered = append(ordered, n)
			return
		}
		var scc []*node
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			top.onStack = false
			scc = append(scc, top)
			if top == n {
				break
			}
		}
		// Within a component, keep declaration order.
		sort.SliceStable(scc, func(i, j int) bool { return lessHCLRange(scc[i].rng, scc[j].rng) })
		if len(scc) > 1 || self {
			for _, c := range scc {
				c.cyclic = true
			}
			cycles = append(cycles, scc)
		}
		ordered = append(ordered, scc...)
	}
	for _, n := range nodes {
		if !n.visited {
			strong(n)
		}
	}
	return ordered, cycles
}

// reportCycle reports, for one instance, a reference cycle of its module.
func (mi *modInst) reportCycle(scc []*node) {
	names := make([]string, len(scc))
	for i, n := range scc {
		names[i] = n.id + " (" + rangeString(n.rng) + ")"
	}
	mi.ev.diag(graph.Diagnostic{
		Severity: graph.DiagWarning,
		Summary:  "reference cycle: " + scc[0].id + " refers back to itself",
		Detail:   "the values of " + strings.Join(names, ", ") + " are unknown",
		Range:    toRange(scc[0].rng),
	})
}

// depID names the module value a traversal refers to, or "" for inputs and scope values.
func depID(t hcl.Traversal) string {
	return string(appendDepID(nil, t))
}

// appendDepID appends depID(t) to dst: callers that only compare or look the id up make
// it in a buffer of their own, which allocates nothing.
func appendDepID(dst []byte, t hcl.Traversal) []byte {
	root := t.RootName()
	switch root {
	case "var", "path", "terraform", "count", "each", "self":
		return dst
	case "data":
		dst = append(dst, "data."...)
		dst = append(dst, stepName(t, 1)...)
		dst = append(dst, '.')
		return append(dst, stepName(t, 2)...)
	}
	// local.x, module.x, and resource type.name.
	dst = append(dst, root...)
	dst = append(dst, '.')
	return append(dst, stepName(t, 1)...)
}
