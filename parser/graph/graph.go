// Package graph is the common model every IaC format is normalized into: resources with
// evaluated attributes, exact source positions for every attribute, and reference edges
// between resources. Parsers build it; checks and reports only read it.
package graph

import (
	"sort"
)

// Format names the IaC language a resource was written in.
type Format string

// The formats iacscan reads.
const (
	Terraform      Format = "terraform"
	CloudFormation Format = "cloudformation"
	Kubernetes     Format = "kubernetes"
)

// Edge is a reference from one resource to another, made by the attribute at Attr of From
// (for example aws_s3_bucket_public_access_block.x.bucket = aws_s3_bucket.y.id).
type Edge struct {
	From *Resource
	To   *Resource
	Attr Path
}

// Graph holds the resources of one scan in a stable order, indexed by type and by
// reference. Build it with New; it is read-only afterwards and safe for concurrent reads.
type Graph struct {
	resources []*Resource
	byType    map[string][]*Resource
	out       map[*Resource][]Edge
	in        map[*Resource][]Edge
}

// New builds a graph from resources. Resources are sorted by file, line and address so
// that everything derived from the graph is deterministic. Pending references recorded on
// the resources with AddRef are resolved to edges within the same Scope.
func New(resources []*Resource) *Graph {
	rs := make([]*Resource, len(resources))
	copy(rs, resources)
	sort.SliceStable(rs, func(i, j int) bool { return lessResource(rs[i], rs[j]) })
	g := &Graph{
		resources: rs,
		byType:    map[string][]*Resource{},
		out:       map[*Resource][]Edge{},
		in:        map[*Resource][]Edge{},
	}
	type key struct{ scope, addr string }
	byAddr := make(map[key][]*Resource, len(rs))
	add := func(k key, i int) {
		if l, ok := byAddr[k]; ok {
			byAddr[k] = append(l, rs[i])
			return
		}
		// Most addresses name one resource: its list is a view of rs, capped so that
		// a second resource makes a new list instead of writing into rs.
		byAddr[k] = rs[i : i+1 : i+1]
	}
	nrefs := 0
	for i, r := range rs {
		g.byType[r.Type] = append(g.byType[r.Type], r)
		add(key{r.Scope, r.Address}, i)
		if r.BaseAddress != "" && r.BaseAddress != r.Address {
			add(key{r.Scope, r.BaseAddress}, i)
		}
		nrefs += len(r.refs)
	}
	// The edges out of every resource are made one resource after the other, so they
	// share one array, of about one edge a reference; each resource's are capped at
	// their length.
	out := make([]Edge, 0, nrefs)
	for _, r := range rs {
		start := len(out)
		seen := map[edgeKey]bool{}
		for _, ref := range r.refs {
			targets := byAddr[key{r.Scope, ref.To}]
			for _, to := range targets {
				if to == r {
					continue
				}
				// One reference reaches each of its targets once; only a second
				// reference (or a resource listed twice) can repeat an edge.
				if len(r.refs) > 1 || len(targets) > 1 {
					k := edgeKey{to, ref.Attr.String()}
					if seen[k] {
						continue
					}
					seen[k] = true
				}
				out = append(out, Edge{From: r, To: to, Attr: ref.Attr})
			}
		}
		if len(out) > start {
			g.out[r] = out[start:len(out):len(out)]
		}
	}
	// The edges into a resource are its edges among all the edges out, in their order:
	// counted first, they share one array too.
	fanIn := map[*Resource]int{}
	for _, e := range out {
		fanIn[e.To]++
	}
	in := make([]Edge, len(out))
	next := 0
	for _, e := range out {
		l, ok := g.in[e.To]
		if !ok {
			n := fanIn[e.To]
			l = in[next : next : next+n]
			next += n
		}
		g.in[e.To] = append(l, e)
	}
	return g
}

type edgeKey struct {
	to   *Resource
	attr string
}

func lessResource(a, b *Resource) bool {
	if a.Range.File != b.Range.File {
		return a.Range.File < b.Range.File
	}
	if a.Range.Start.Line != b.Range.Start.Line {
		return a.Range.Start.Line < b.Range.Start.Line
	}
	if a.Scope != b.Scope {
		return a.Scope < b.Scope
	}
	return a.Address < b.Address
}

// All returns every resource in stable order.
func (g *Graph) All() []*Resource { return g.resources }

// Resources returns the resources of the given types (all resources when none are given),
// in stable order.
func (g *Graph) Resources(types ...string) []*Resource {
	if len(types) == 0 {
		return g.resources
	}
	if len(types) == 1 {
		return g.byType[types[0]]
	}
	var out []*Resource
	for _, t := range types {
		out = append(out, g.byType[t]...)
	}
	sort.SliceStable(out, func(i, j int) bool { return lessResource(out[i], out[j]) })
	return out
}

// Out returns the references made by r, in the order they were recorded.
func (g *Graph) Out(r *Resource) []Edge { return g.out[r] }

// In returns the references made to r by other resources, in stable order.
func (g *Graph) In(r *Resource) []Edge { return g.in[r] }

// References returns the resources r refers to, optionally only those of the given types.
func (g *Graph) References(r *Resource, types ...string) []*Resource {
	var out []*Resource
	seen := map[*Resource]bool{}
	for _, e := range g.out[r] {
		if !seen[e.To] && typeIn(e.To.Type, types) {
			seen[e.To] = true
			out = append(out, e.To)
		}
	}
	return out
}

// ReferencedBy returns the resources that refer to r, optionally only those of the given
// types.
func (g *Graph) ReferencedBy(r *Resource, types ...string) []*Resource {
	var out []*Resource
	seen := map[*Resource]bool{}
	for _, e := range g.in[r] {
		if !seen[e.From] && typeIn(e.From.Type, types) {
			seen[e.From] = true
			out = append(out, e.From)
		}
	}
	return out
}

// ReferencedVia returns the resources of the given types that refer to r through the
// attribute named attr (its first path step), e.g. the public access blocks whose "bucket"
// argument names this bucket.
func (g *Graph) ReferencedVia(r *Resource, attr string, types ...string) []*Resource {
	var out []*Resource
	seen := map[*Resource]bool{}
	for _, e := range g.in[r] {
		if seen[e.From] || !typeIn(e.From.Type, types) {
			continue
		}
		if len(e.Attr) == 0 || e.Attr[0] != attr {
			continue
		}
		seen[e.From] = true
		out = append(out, e.From)
	}
	return out
}

func typeIn(t string, types []string) bool {
	if len(types) == 0 {
		return true
	}
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}
