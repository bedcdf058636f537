package terraform

import (
	"encoding/json"

	"github.com/hashicorp/hcl/v2"
	"github.com/iacscan/iacscan/parser/graph"
)

// The hcl JSON syntax evaluates a resource argument as one value and exposes only its
// whole range, so a finding on ingress[0].cidr_blocks in a .tf.json file would cover the
// whole ingress object. jsonPositions scans the argument's JSON text itself and records
// where each nested element and member is written.

// jsonNode is one JSON value with where it is written: its elements when it is an array,
// its members (key to value, in order) when it is an object.
type jsonNode struct {
	rng     hcl.Range
	elems   []*jsonNode
	keys    []string
	members []*jsonNode // member ranges run from the key to the end of the value
	object  bool
}

// jsonScanner walks JSON text keeping the hcl position (line, column in characters,
// byte offset in the file) of the next byte.
type jsonScanner struct {
	src  []byte
	i    int
	pos  hcl.Pos
	file string
}

func (s *jsonScanner) next() {
	b := s.src[s.i]
	s.i++
	s.pos.Byte++
	switch {
	case b == '\n':
		s.pos.Line++
		s.pos.Column = 1
	case b&0xC0 != 0x80:
		// A UTF-8 continuation byte belongs to the character already counted.
		s.pos.Column++
	}
}

func (s *jsonScanner) skipSpace() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.next()
		default:
			return
		}
	}
}

func (s *jsonScanner) peek() byte {
	if s.i >= len(s.src) {
		return 0
	}
	return s.src[s.i]
}

// value scans one JSON value; nil when the text is not valid JSON there.
func (s *jsonScanner) value(depth int) *jsonNode {
	s.skipSpace()
	if s.i >= len(s.src) || depth > 64 {
		return nil
	}
	start := s.pos
	n := &jsonNode{}
	switch s.peek() {
	case '{':
		n.object = true
		s.next()
		for {
			s.skipSpace()
			if s.peek() == '}' {
				s.next()
				break
			}
			keyStart := s.pos
			key, ok := s.str()
			if !ok {
				return nil
			}
			s.skipSpace()
			if s.peek() != ':' {
				return nil
			}
			s.next()
			v := s.value(depth + 1)
			if v == nil {
				return nil
			}
			m := *v
			m.rng = hcl.Range{Filename: s.file, Start: keyStart, End: v.rng.End}
			n.keys = append(n.keys, key)
			n.members = append(n.members, &m)
			s.skipSpace()
			if s.peek() == ',' {
				s.next()
				continue
			}
			if s.peek() != '}' {
				return nil
			}
		}
	case '[':
		s.next()
		for {
			s.skipSpace()
			if s.peek() == ']' {
				s.next()
				break
			}
			v := s.value(depth + 1)
			if v == nil {
				return nil
			}
			n.elems = append(n.elems, v)
			s.skipSpace()
			if s.peek() == ',' {
				s.next()
				continue
			}
			if s.peek() != ']' {
				return nil
			}
		}
	case '"':
		if _, ok := s.str(); !ok {
			return nil
		}
	default:
		for s.i < len(s.src) {
			c := s.peek()
			if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				break
			}
			s.next()
		}
	}
	n.rng = hcl.Range{Filename: s.file, Start: start, End: s.pos}
	return n
}

// str scans a JSON string and returns its decoded text.
func (s *jsonScanner) str() (string, bool) {
	if s.peek() != '"' {
		return "", false
	}
	from := s.i
	s.next()
	for s.i < len(s.src) {
		c := s.peek()
		s.next()
		if c == '\\' && s.i < len(s.src) {
			s.next()
			continue
		}
		if c == '"' {
			var out string
			if err := json.Unmarshal(s.src[from:s.i], &out); err != nil {
				return "", false
			}
			return out, true
		}
	}
	return "", false
}

// jsonPositions records the range of every element and member nested in the JSON
// argument expr of a .tf.json file whose text is src. An object given where a block goes
// is read by checks as a list of one block, so its members are also recorded under index
// 0.
func jsonPositions(r *graph.Resource, path graph.Path, expr hcl.Expression, src []byte) {
	rng := expr.Range()
	if src == nil || rng.Start.Byte < 0 || rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return
	}
	s := &jsonScanner{src: src[:rng.End.Byte], i: rng.Start.Byte, pos: rng.Start, file: rng.Filename}
	root := s.value(0)
	if root == nil {
		return
	}
	budget := maxShapeNodes
	var walk func(p graph.Path, n *jsonNode, alias bool)
	walk = func(p graph.Path, n *jsonNode, alias bool) {
		set := func(cp graph.Path, el *jsonNode, alias bool) {
			if budget <= 0 {
				return
			}
			budget--
			r.SetAttrInfo(cp, graph.AttrInfo{Range: toRange(el.rng)})
			walk(cp, el, alias)
		}
		for i, el := range n.elems {
			set(p.Child(i), el, false)
		}
		for i, key := range n.keys {
			if key == "//" {
				continue
			}
			set(p.Child(key), n.members[i], true)
			if alias {
				set(p.Child(0).Child(key), n.members[i], true)
			}
		}
	}
	walk(path, root, root.object)
}
