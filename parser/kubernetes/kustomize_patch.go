package kubernetes

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// readPatch parses the documents of a patch (a file, or the text of an inline patch) into
// trees that carry their positions in file. A document that does not parse is skipped
// with err set.
func readPatch(file string, src []byte) (docs []*tnode, err error) {
	if len(src) > MaxFileSize {
		return nil, fmt.Errorf("%d bytes exceeds the limit of %d bytes", len(src), MaxFileSize)
	}
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("yaml parser failed: %v", r)
		}
	}()
	for _, d := range splitDocuments(file, src) {
		if d.blank() {
			continue
		}
		var doc yaml.Node
		if e := yaml.Unmarshal(d.src, &doc); e != nil {
			err = e
			continue
		}
		if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		val, ok := nodeValue(root)
		if !ok {
			v, e := decode(file, d.src)
			if e != nil {
				err = e
				continue
			}
			val = v
		}
		// The positions are recorded on a scratch resource, then read into the tree.
		r := &graph.Resource{Attrs: val}
		newPositions(file, d.sourceLines(), d.line-1, r).index(root, make(graph.Path, 0, 32), 0)
		docs = append(docs, treeOf(r))
	}
	return docs, err
}

// isJSONPatch reports whether a patch document is a JSON patch: a list of operations.
func isJSONPatch(n *tnode) bool {
	return n != nil && n.kind == tList
}

// objectID is the kind, name and namespace a strategic-merge patch names its target by.
type objectID struct {
	group, kind, name, namespace string
}

func idOf(n *tnode) objectID {
	apiVersion, _ := n.get("apiVersion").str()
	kind, _ := n.get("kind").str()
	name, _ := n.at("metadata", "name").str()
	ns, _ := n.at("metadata", "namespace").str()
	return objectID{group: group(apiVersion), kind: kind, name: name, namespace: ns}
}

// mergeKeys are the strategic-merge keys of the lists that matter for the checks: a
// patch's item with the same key merges into the base's item, other items are added.
// Lists not named here are replaced whole, as kustomize does for lists without a key.
var mergeKeys = map[string][]string{
	"containers":                {"name"},
	"initContainers":            {"name"},
	"ephemeralContainers":       {"name"},
	"volumes":                   {"name"},
	"volumeMounts":              {"mountPath"},
	"volumeDevices":             {"devicePath"},
	"env":                       {"name"},
	"imagePullSecrets":          {"name"},
	"hostAliases":               {"ip"},
	"topologySpreadConstraints": {"topologyKey"},
	// Container ports merge by containerPort, a Service's by port.
	"ports": {"containerPort", "port"},
}

// smpMerge applies the strategic-merge patch p to base and returns the result (nil when
// the patch deletes it). Neither tree is changed: the result shares unchanged subtrees.
func smpMerge(base, p *tnode, depth int) *tnode {
	if p == nil {
		return base
	}
	if p.kind != tMap && depth == 0 {
		// Only a mapping patches an object: a scalar must not replace it whole.
		return base
	}
	if base == nil || base.kind != tMap || p.kind != tMap || depth > maxTreeDepth {
		return stripDirectives(p)
	}
	switch directive(p) {
	case "delete":
		return nil
	case "replace":
		return stripDirectives(p)
	}
	out := &tnode{kind: tMap, info: base.info, keys: append([]string(nil), base.keys...), vals: append([]*tnode(nil), base.vals...)}
	for i, k := range p.keys {
		pv := p.vals[i]
		if strings.HasPrefix(k, "$") {
			// $patch, $retainKeys, $setElementOrder/..., $deleteFromPrimitiveList/...:
			// directives, not fields. Only $patch changes what the checks see.
			continue
		}
		if pv.kind == tScalar && pv.v.IsNull() {
			out.del(k)
			continue
		}
		bv := out.get(k)
		switch {
		case bv != nil && bv.kind == tMap && pv.kind == tMap:
			if m := smpMerge(bv, pv, depth+1); m != nil {
				out.set(k, m)
			} else {
				out.del(k)
			}
		case bv != nil && bv.kind == tList && pv.kind == tList && mergeKeys[k] != nil:
			out.set(k, mergeList(k, bv, pv, depth+1))
		case sameScalar(bv, pv):
			// The patch repeats the base (its kind and name, typically): the field keeps
			// the base's position.
		default:
			out.set(k, stripDirectives(pv))
		}
	}
	return out
}

// sameScalar reports whether a and b are scalars of equal value.
func sameScalar(a, b *tnode) bool {
	if a == nil || b == nil || a.kind != tScalar || b.kind != tScalar || !a.v.IsWhollyKnown() || !b.v.IsWhollyKnown() {
		return false
	}
	if a.v.IsNull() || b.v.IsNull() || !a.v.Type().Equals(b.v.Type()) {
		return false
	}
	return a.v.Equals(b.v).True()
}

// directive returns the $patch directive of a mapping.
func directive(n *tnode) string {
	s, _ := n.get("$patch").str()
	return s
}

// stripDirectives returns n without the $-directives a patch may hold, for a value that
// is taken whole.
func stripDirectives(n *tnode) *tnode {
	switch n.kind {
	case tMap:
		out := &tnode{kind: tMap, info: n.info}
		for i, k := range n.keys {
			if !strings.HasPrefix(k, "$") {
				out.keys = append(out.keys, k)
				out.vals = append(out.vals, stripDirectives(n.vals[i]))
			}
		}
		return out
	case tList:
		out := &tnode{kind: tList, info: n.info}
		for _, c := range n.items {
			if c.kind == tMap && directive(c) != "" {
				continue
			}
			out.items = append(out.items, stripDirectives(c))
		}
		return out
	}
	return n
}

// mergeList merges the items of patch list p into base list b by the merge key of field.
func mergeList(field string, b, p *tnode, depth int) *tnode {
	for _, item := range p.items {
		if item.kind == tMap && directive(item) == "replace" {
			// The whole list is replaced by the patch's other items.
			return stripDirectives(p)
		}
	}
	key := listKey(field, b, p)
	out := &tnode{kind: tList, info: b.info, items: append([]*tnode(nil), b.items...)}
	for _, item := range p.items {
		kv, ok := item.get(key).str()
		if !ok {
			kv, ok = scalarText(item.get(key))
		}
		idx := -1
		if ok {
			for j, bi := range out.items {
				if bv, bok := scalarText(bi.get(key)); bok && bv == kv {
					idx = j
					break
				}
			}
		}
		switch {
		case idx >= 0 && directive(item) == "delete":
			out.items = append(out.items[:idx:idx], out.items[idx+1:]...)
		case idx >= 0:
			if m := smpMerge(out.items[idx], item, depth+1); m != nil {
				out.items[idx] = m
			}
		case directive(item) == "delete":
			// Deleting an item that is not there changes nothing.
		default:
			out.items = append(out.items, stripDirectives(item))
		}
	}
	return out
}

// listKey picks the merge key of a list: the first candidate its items carry.
func listKey(field string, lists ...*tnode) string {
	keys := mergeKeys[field]
	for _, k := range keys {
		for _, l := range lists {
			for _, it := range l.items {
				if it.get(k) != nil {
					return k
				}
			}
		}
	}
	return keys[0]
}

// scalarText renders a string or number scalar for comparing merge keys.
func scalarText(n *tnode) (string, bool) {
	if n == nil || n.kind != tScalar || !n.v.IsKnown() || n.v.IsNull() {
		return "", false
	}
	switch n.v.Type() {
	case cty.String:
		return n.v.AsString(), true
	case cty.Number:
		return n.v.AsBigFloat().Text('g', -1), true
	}
	return "", false
}

// applyJSONPatch applies the operations of a JSON 6902 patch to obj in place. Only add,
// replace and remove (and test, which changes nothing) on paths that exist are applied;
// anything else fails the whole patch, before obj is changed.
func applyJSONPatch(obj, ops *tnode) error {
	work := obj.clone()
	for i, op := range ops.items {
		name, _ := op.get("op").str()
		p, _ := op.get("path").str()
		steps, err := pointer(p)
		if err != nil {
			return fmt.Errorf("operation %d: %w", i+1, err)
		}
		switch name {
		case "add", "replace":
			v := op.get("value")
			if v == nil {
				return fmt.Errorf("operation %d (%s %s) has no value", i+1, name, p)
			}
			if err := jsonSet(work, steps, stripDirectives(v), name == "add"); err != nil {
				return fmt.Errorf("operation %d (%s %s): %w", i+1, name, p, err)
			}
		case "remove":
			if err := jsonRemove(work, steps); err != nil {
				return fmt.Errorf("operation %d (remove %s): %w", i+1, p, err)
			}
		case "test":
		default:
			return fmt.Errorf("operation %d: %q is not supported", i+1, name)
		}
	}
	*obj = *work
	return nil
}

// pointer splits a JSON pointer into its unescaped tokens.
func pointer(p string) ([]string, error) {
	if p == "" || p[0] != '/' {
		return nil, fmt.Errorf("path %q is not a JSON pointer", p)
	}
	toks := strings.Split(p[1:], "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks, nil
}

// parentOf follows all but the last token.
func parentOf(n *tnode, steps []string) (*tnode, error) {
	for _, s := range steps[:len(steps)-1] {
		switch n.kind {
		case tMap:
			c := n.get(s)
			if c == nil {
				return nil, fmt.Errorf("%q does not exist", s)
			}
			n = c
		case tList:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(n.items) {
				return nil, fmt.Errorf("index %q is out of range", s)
			}
			n = n.items[i]
		default:
			return nil, fmt.Errorf("%q is not inside an object or a list", s)
		}
	}
	return n, nil
}

func jsonSet(root *tnode, steps []string, v *tnode, add bool) error {
	parent, err := parentOf(root, steps)
	if err != nil {
		return err
	}
	last := steps[len(steps)-1]
	switch parent.kind {
	case tMap:
		if !add && parent.get(last) == nil {
			return fmt.Errorf("%q does not exist", last)
		}
		parent.set(last, v)
		return nil
	case tList:
		if add && last == "-" {
			parent.items = append(parent.items, v)
			return nil
		}
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i > len(parent.items) || (!add && i == len(parent.items)) {
			return fmt.Errorf("index %q is out of range", last)
		}
		if add {
			parent.items = append(parent.items[:i:i], append([]*tnode{v}, parent.items[i:]...)...)
		} else {
			parent.items[i] = v
		}
		return nil
	}
	return fmt.Errorf("%q is not inside an object or a list", last)
}

func jsonRemove(root *tnode, steps []string) error {
	parent, err := parentOf(root, steps)
	if err != nil {
		return err
	}
	last := steps[len(steps)-1]
	switch parent.kind {
	case tMap:
		if parent.get(last) == nil {
			return fmt.Errorf("%q does not exist", last)
		}
		parent.del(last)
		return nil
	case tList:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(parent.items) {
			return fmt.Errorf("index %q is out of range", last)
		}
		parent.items = append(parent.items[:i:i], parent.items[i+1:]...)
		return nil
	}
	return fmt.Errorf("%q is not inside an object or a list", last)
}
