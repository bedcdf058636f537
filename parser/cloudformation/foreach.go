package cloudformation

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// forEachPrefix starts the key of an Fn::ForEach loop (AWS::LanguageExtensions).
const forEachPrefix = "Fn::ForEach::"

// maxLoopNodes and maxLoopEntries bound how many YAML nodes and how many generated
// entries (resources, properties, conditions) Fn::ForEach expansion may create for one
// template: loops nest and multiply, so a small file could otherwise ask for millions of
// resources, while CloudFormation itself accepts at most 500 in the expanded template.
const (
	maxLoopNodes   = 200_000
	maxLoopEntries = 5_000
)

// loops expands the Fn::ForEach loops of one template. Expansion happens on the node
// tree before anything is evaluated, as the AWS::LanguageExtensions transform does
// before deployment: each loop is replaced by one copy of its fragment per collection
// value, with the identifier substituted. Copied nodes keep the line and column of the
// fragment they come from, so findings point at the text inside the loop.
type loops struct {
	t              *template
	nodes, entries int
	// over is set once maxLoopNodes is reached; the rest is not expanded.
	over bool
}

// expandSection returns mapping m with the loops among its entries expanded, and loops
// inside the values expanded too (resource properties). It returns m itself when there
// is nothing to expand.
func (l *loops) expandSection(m *yaml.Node) *yaml.Node {
	if !containsLoop(m, 0) {
		return m
	}
	return l.expand(m, nil, 0)
}

// containsLoop reports whether a loop key appears anywhere under n. Each node is visited
// once: YAML aliases can make a small tree reach the same nodes exponentially often.
func containsLoop(n *yaml.Node, depth int) bool {
	return containsLoopSeen(n, depth, map[*yaml.Node]bool{})
}

func containsLoopSeen(n *yaml.Node, depth int, seen map[*yaml.Node]bool) bool {
	n = deref(n)
	if n == nil || depth > yamlMaxDepth || seen[n] {
		return false
	}
	seen[n] = true
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 && c.Kind == yaml.ScalarNode && strings.HasPrefix(c.Value, forEachPrefix) {
			return true
		}
		if containsLoopSeen(c, depth+1, seen) {
			return true
		}
	}
	return false
}

// binding is one identifier of an enclosing loop and the value it stands for; known is
// false for the one representative instance of a loop whose collection is not known
// statically, where the identifier is left to resolve to an unknown value.
type binding struct {
	id, value string
	known     bool
}

// expand copies n with the identifiers in binds substituted and every loop in a mapping
// replaced by its expansion.
func (l *loops) expand(n *yaml.Node, binds []binding, depth int) *yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	l.nodes++
	if l.over || l.nodes > maxLoopNodes || depth > l.t.opts.maxDepth() {
		l.stop(n)
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line, Column: n.Column}
	}
	if r := substituteRef(n, binds); r != nil {
		return r
	}
	c := *n
	c.Content = nil
	if n.Kind == yaml.ScalarNode {
		c.Value = substitute(n.Value, binds)
		return &c
	}
	if n.Kind != yaml.MappingNode {
		for _, child := range n.Content {
			c.Content = append(c.Content, l.expand(child, binds, depth+1))
		}
		return &c
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && strings.HasPrefix(k.Value, forEachPrefix) {
			c.Content = append(c.Content, l.loop(k, v, binds, depth)...)
			continue
		}
		c.Content = append(c.Content, l.expand(k, binds, depth+1), l.expand(v, binds, depth+1))
	}
	return &c
}

// loop expands one Fn::ForEach entry into the key/value pairs it generates.
func (l *loops) loop(k, v *yaml.Node, binds []binding, depth int) []*yaml.Node {
	name := strings.TrimPrefix(k.Value, forEachPrefix)
	v = deref(v)
	if v == nil || v.Kind != yaml.SequenceNode || len(v.Content) != 3 {
		l.t.diags.add(graph.DiagError, l.t.f.rangeOf(k), "invalid Fn::ForEach",
			"expects [Identifier, Collection, {OutputKey: OutputValue}]; the loop is not analysed")
		return nil
	}
	idNode, coll, frag := deref(v.Content[0]), v.Content[1], deref(v.Content[2])
	if idNode == nil || idNode.Kind != yaml.ScalarNode || idNode.Value == "" {
		l.t.diags.add(graph.DiagError, l.t.f.rangeOf(v.Content[0]), "invalid Fn::ForEach",
			"the identifier must be a string; the loop is not analysed")
		return nil
	}
	if frag == nil || frag.Kind != yaml.MappingNode {
		l.t.diags.add(graph.DiagError, l.t.f.rangeOf(v.Content[2]), "invalid Fn::ForEach",
			"the fragment must be a mapping {OutputKey: OutputValue}; the loop is not analysed")
		return nil
	}
	id := idNode.Value
	values, why := l.collection(l.expand(coll, binds, depth+1))
	var out []*yaml.Node
	if why != "" {
		// Like a Terraform count that is not known: one representative instance, whose
		// keys keep the identifier as written and whose uses of it are unknown.
		l.t.loopParam(id, fmt.Sprintf("the collection of Fn::ForEach::%s is not known statically (%s)", name, why))
		inner := append(append([]binding{}, binds...), binding{id: id})
		return l.expand(frag, inner, depth+1).Content
	}
	for _, val := range values {
		l.entries += len(frag.Content) / 2
		if l.entries > maxLoopEntries {
			l.stop(k)
		}
		if l.over {
			break
		}
		inner := append(append([]binding{}, binds...), binding{id: id, value: val, known: true})
		out = append(out, l.expand(frag, inner, depth+1).Content...)
	}
	return out
}

// stop ends the expansion at node n, once, with an error: what the loops would generate
// beyond the limits is not analysed, so the file does not count as fully analysed.
func (l *loops) stop(n *yaml.Node) {
	if l.over {
		return
	}
	l.over = true
	l.t.diags.add(graph.DiagError, l.t.f.rangeOf(n), "Fn::ForEach expands too far",
		fmt.Sprintf("expanding the loops needs more than %d entries, %d nodes or %d levels of nesting (--max-depth); the rest is not analysed",
			maxLoopEntries, maxLoopNodes, l.t.opts.maxDepth()))
}

// collection evaluates a loop's collection: a list, or anything that yields a list of
// strings (a Ref to a CommaDelimitedList parameter, Fn::Split, Fn::FindInMap...). It
// returns why the collection is not known when it is not.
func (l *loops) collection(n *yaml.Node) ([]string, string) {
	e := newEvaluator(l.t, map[string]bool{}, false)
	tr := &trace{}
	v := e.value(n, nil, false, tr).v
	why := strings.Join(tr.unknown, "; ")
	if why == "" {
		why = "a value known only at deployment"
	}
	if v.IsNull() || !v.IsKnown() {
		return nil, why
	}
	ty := v.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		return nil, "the collection is not a list"
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		if !ev.IsKnown() {
			return nil, why
		}
		s, ok := str(ev)
		if !ok {
			return nil, "an element of the collection is not a string"
		}
		out = append(out, s)
	}
	return out, ""
}

// loopParam makes Ref id and ${id} resolve to an unknown value with the reason why,
// through a parameter of that name. A real parameter or resource of that name keeps its
// meaning.
func (t *template) loopParam(id, why string) {
	if _, ok := t.params[id]; ok {
		return
	}
	if _, ok := t.entries[id]; ok {
		return
	}
	t.params[id] = &parameter{name: id, value: cty.UnknownVal(cty.String), unknowns: []string{why}}
}

// substituteRef replaces a Ref to a bound identifier (Ref: Id, or !Ref Id) by the
// identifier's value, as a string at the position of the Ref.
func substituteRef(n *yaml.Node, binds []binding) *yaml.Node {
	var name *yaml.Node
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		name = n
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref":
		name = deref(n.Content[1])
	}
	if name == nil || name.Kind != yaml.ScalarNode {
		return nil
	}
	for i := len(binds) - 1; i >= 0; i-- {
		b := binds[i]
		if b.id != name.Value {
			continue
		}
		if !b.known {
			return nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: b.value, Line: n.Line, Column: n.Column}
	}
	return nil
}

// substitute replaces ${Id} by the identifier's value and &{Id} by the value without its
// non-alphanumeric characters (10.0.1.0/24 becomes 1001024), for every known binding.
func substitute(s string, binds []binding) string {
	if !strings.Contains(s, "{") {
		return s
	}
	for i := len(binds) - 1; i >= 0; i-- {
		b := binds[i]
		if !b.known {
			continue
		}
		s = strings.ReplaceAll(s, "${"+b.id+"}", b.value)
		s = strings.ReplaceAll(s, "&{"+b.id+"}", alphanumeric(b.value))
	}
	return s
}

// alphanumeric keeps the ASCII letters and digits of s, the characters a logical ID may
// hold.
func alphanumeric(s string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, s)
}
