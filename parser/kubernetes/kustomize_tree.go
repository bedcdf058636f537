package kubernetes

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

// tnode is a Kubernetes object (or part of one) being built by kustomize: a value that
// can be patched in place and that keeps, for every key and item, the position it was
// written at, so that a field a patch adds points into the patch file while the fields
// the base wrote keep the base's positions.
type tnode struct {
	kind tkind
	// keys and vals are a mapping's entries, in order.
	keys []string
	vals []*tnode
	// items are a sequence's items.
	items []*tnode
	// v is a scalar's value (null included).
	v cty.Value
	// info is what was recorded for this key or item where it was written; nil when
	// nothing was.
	info *graph.AttrInfo
}

type tkind uint8

const (
	tScalar tkind = iota
	tMap
	tList
)

// maxTreeDepth bounds the nesting converted, against values deeper than any manifest.
const maxTreeDepth = 256

// treeOf converts r's attributes into a tree with r's positions.
func treeOf(r *graph.Resource) *tnode {
	return treeFrom(r, r.Attrs, nil, 0)
}

func treeFrom(r *graph.Resource, v cty.Value, p graph.Path, depth int) *tnode {
	n := &tnode{}
	if len(p) > 0 {
		n.info = r.AttrInfo(p)
	}
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || depth > maxTreeDepth {
		n.v = v
		if v == cty.NilVal {
			n.v = cty.NullVal(cty.DynamicPseudoType)
		}
		return n
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		n.kind = tMap
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			key := k.AsString()
			n.keys = append(n.keys, key)
			n.vals = append(n.vals, treeFrom(r, e, p.Child(key), depth+1))
		}
	case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		n.kind = tList
		i := 0
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n.items = append(n.items, treeFrom(r, e, p.Child(i), depth+1))
			i++
		}
	default:
		n.v = v
	}
	return n
}

// value returns the tree as a cty value of the shape the parser makes: objects and tuples.
func (n *tnode) value() cty.Value {
	switch n.kind {
	case tMap:
		if len(n.keys) == 0 {
			return cty.EmptyObjectVal
		}
		attrs := make(map[string]cty.Value, len(n.keys))
		for i, k := range n.keys {
			attrs[k] = n.vals[i].value()
		}
		return cty.ObjectVal(attrs)
	case tList:
		if len(n.items) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(n.items))
		for i, c := range n.items {
			elems[i] = c.value()
		}
		return cty.TupleVal(elems)
	}
	return n.v
}

// record sets the positions of the tree on r, below path p.
func (n *tnode) record(r *graph.Resource, p graph.Path) {
	if n.info != nil && len(p) > 0 {
		r.SetAttrInfo(p, *n.info)
	}
	switch n.kind {
	case tMap:
		for i, k := range n.keys {
			n.vals[i].record(r, p.Child(k))
		}
	case tList:
		for i, c := range n.items {
			c.record(r, p.Child(i))
		}
	}
}

// clone returns a deep copy of the tree; positions are shared, they are never changed in
// place.
func (n *tnode) clone() *tnode {
	if n == nil {
		return nil
	}
	c := &tnode{kind: n.kind, v: n.v, info: n.info}
	if n.kind == tMap {
		c.keys = append([]string(nil), n.keys...)
		c.vals = make([]*tnode, len(n.vals))
		for i, v := range n.vals {
			c.vals[i] = v.clone()
		}
	}
	if n.kind == tList {
		c.items = make([]*tnode, len(n.items))
		for i, v := range n.items {
			c.items[i] = v.clone()
		}
	}
	return c
}

// get returns the value of key in a mapping, or nil.
func (n *tnode) get(key string) *tnode {
	if n == nil || n.kind != tMap {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// at follows a path of mapping keys; nil when any is missing.
func (n *tnode) at(keys ...string) *tnode {
	for _, k := range keys {
		n = n.get(k)
	}
	return n
}

// set sets key in a mapping, keeping its place when it exists.
func (n *tnode) set(key string, v *tnode) {
	if n == nil || n.kind != tMap {
		return
	}
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, v)
}

// del removes key from a mapping.
func (n *tnode) del(key string) {
	if n == nil || n.kind != tMap {
		return
	}
	for i, k := range n.keys {
		if k == key {
			n.keys = append(n.keys[:i:i], n.keys[i+1:]...)
			n.vals = append(n.vals[:i:i], n.vals[i+1:]...)
			return
		}
	}
}

// str returns a scalar string's value.
func (n *tnode) str() (string, bool) {
	if n == nil || n.kind != tScalar || n.v == cty.NilVal || !n.v.IsKnown() || n.v.IsNull() || n.v.Type() != cty.String {
		return "", false
	}
	return n.v.AsString(), true
}

// ensureMap returns the mapping at key of n, creating it (at info) when it is missing.
func (n *tnode) ensureMap(key string, info *graph.AttrInfo) *tnode {
	c := n.get(key)
	if c != nil && c.kind == tMap {
		return c
	}
	c = &tnode{kind: tMap, info: info}
	n.set(key, c)
	return c
}

// setString sets key of mapping n to the string s written at info, unless it already
// holds s: then it keeps the position it was written at.
func (n *tnode) setString(key, s string, info *graph.AttrInfo) {
	if cur, ok := n.get(key).str(); ok && cur == s {
		return
	}
	n.set(key, scalarNode(s, info))
}

// scalarNode is a string scalar written at info.
func scalarNode(s string, info *graph.AttrInfo) *tnode {
	return &tnode{v: cty.StringVal(s), info: info}
}

// withInfo sets info on every node of the tree: the positions of an inline patch are
// those of its entry in the kustomization.
func (n *tnode) withInfo(info *graph.AttrInfo) {
	n.info = info
	for _, c := range n.vals {
		c.withInfo(info)
	}
	for _, c := range n.items {
		c.withInfo(info)
	}
}
