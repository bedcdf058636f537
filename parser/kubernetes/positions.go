package kubernetes

import (
	"bytes"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/parser/internal/lines"
)

// positions records where every mapping key and sequence item of one object is written.
// The value decoders drop positions, so they come from a node-level parse of the same
// text, kept beside the decoded value.
type positions struct {
	file string
	// lines are the document's lines.
	lines lines.Index
	// offset turns a document-relative line into a file line.
	offset int
	res    *graph.Resource
	nodes  int
	// overLimit is set when the document is too deep or too large to index entirely;
	// positions beyond the limit fall back to the enclosing key.
	overLimit bool
}

func newPositions(file string, lines lines.Index, offset int, r *graph.Resource) *positions {
	return &positions{file: file, lines: lines, offset: offset, res: r}
}

func (p *positions) pos(line, col int) graph.Pos {
	return graph.Pos{Line: line + p.offset, Column: col}
}

func (p *positions) rng(start, end graph.Pos) graph.Range {
	if end.Line < start.Line || (end.Line == start.Line && end.Column < start.Column) {
		end = start
	}
	return graph.Range{File: p.file, Start: start, End: end}
}

// index walks n, recording a position for path and everything below it, and returns the
// file position just past the end of n.
//
// The paths of n's children are appended to path in place rather than copied: a child's
// path stays intact while its own subtree is indexed (that only writes past its end), and
// Resource.SetAttrInfo keeps the path's text, not the slice. Give index a path with spare
// capacity so that siblings share one backing array.
func (p *positions) index(n *yaml.Node, path graph.Path, depth int) graph.Pos {
	start := p.pos(n.Line, n.Column)
	if depth > maxDepth || p.nodes > maxNodes {
		p.overLimit = true
		return start
	}
	p.nodes++
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias != nil {
			// The aliased content is written at the anchor; its children point there,
			// the alias itself ends where its name does.
			p.index(n.Alias, path, depth+1)
		}
		return p.pos(n.Line, n.Column+1+utf8.RuneCountInString(n.Value))
	case yaml.MappingNode:
		end := graph.Pos{Line: start.Line, Column: start.Column + 1}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.Tag == "!!merge" {
				end = maxPos(end, p.merge(v, path, depth+1))
				continue
			}
			child := scratchChild(path, k.Value)
			vend := p.index(v, child, depth+1)
			kstart := p.pos(k.Line, k.Column)
			kend := p.scalarEnd(k)
			vend = maxPos(vend, kend)
			rec := vend
			if isBlock(v) {
				// A nested block is pointed at by its header, "key:", as a Terraform
				// block is: a finding about it (or a field missing from it) shows one
				// line, not the whole block.
				rec = graph.Pos{Line: kend.Line, Column: kend.Column + 1}
			}
			p.res.SetAttrInfo(child, graph.AttrInfo{Range: p.rng(kstart, rec)})
			end = maxPos(end, vend)
		}
		if n.Style&yaml.FlowStyle != 0 {
			end = p.closing(end, start, '}')
		}
		return end
	case yaml.SequenceNode:
		end := graph.Pos{Line: start.Line, Column: start.Column + 1}
		for i, item := range n.Content {
			child := scratchChild(path, i)
			iend := p.index(item, child, depth+1)
			p.res.SetAttrInfo(child, graph.AttrInfo{Range: p.rng(p.pos(item.Line, item.Column), p.itemHeader(item, child, iend))})
			end = maxPos(end, iend)
		}
		if n.Style&yaml.FlowStyle != 0 {
			end = p.closing(end, start, ']')
		}
		return end
	case yaml.ScalarNode:
		return p.scalarEnd(n)
	}
	return start
}

// isBlock reports whether n is a block-style (indented) mapping or sequence with content.
func isBlock(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0
}

// itemHeader returns where the header of a sequence item ends: a block mapping item
// ("- name: app" followed by more keys) is pointed at by its first line, so that a
// finding about a container shows the "- name:" line; other items are shown whole.
func (p *positions) itemHeader(item *yaml.Node, path graph.Path, end graph.Pos) graph.Pos {
	if item.Kind != yaml.MappingNode || !isBlock(item) {
		return end
	}
	first := p.res.AttrInfo(scratchChild(path, item.Content[0].Value))
	if first == nil {
		return end
	}
	return first.Range.End
}

// merge indexes the mappings merged with "<<" under path, without overriding the keys
// written in the mapping itself (which win, as in the decoded value).
func (p *positions) merge(v *yaml.Node, path graph.Path, depth int) graph.Pos {
	end := p.pos(v.Line, v.Column)
	var sources []*yaml.Node
	switch v.Kind {
	case yaml.SequenceNode:
		sources = v.Content
	default:
		sources = []*yaml.Node{v}
	}
	for _, s := range sources {
		for s.Kind == yaml.AliasNode && s.Alias != nil {
			s = s.Alias
		}
		if s.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(s.Content); i += 2 {
			k, val := s.Content[i], s.Content[i+1]
			child := scratchChild(path, k.Value)
			if p.res.AttrInfo(child) != nil {
				continue
			}
			vend := p.index(val, child, depth+1)
			p.res.SetAttrInfo(child, graph.AttrInfo{Range: p.rng(p.pos(k.Line, k.Column), maxPos(vend, p.scalarEnd(k)))})
		}
	}
	return maxPos(end, p.pos(v.Line, v.Column+1))
}

// scalarEnd finds where a scalar's text ends on its source line(s).
func (p *positions) scalarEnd(n *yaml.Node) graph.Pos {
	line := p.line(n.Line)
	if isASCII(line) {
		return scalarEndIn(p, n, line, line)
	}
	return scalarEndIn(p, n, line, []rune(string(line)))
}

// char is a character of a source line as columns count them: a byte of an ASCII line,
// where bytes and characters are the same and nothing need be decoded, or a rune.
type char interface{ byte | rune }

// scalarEndIn is scalarEnd on line, whose characters are rs.
func scalarEndIn[T char](p *positions, n *yaml.Node, line []byte, rs []T) graph.Pos {
	col := n.Column - 1 // 0-based rune index of the scalar's first character
	if col < 0 || col > len(rs) {
		return p.pos(n.Line, n.Column+utf8.RuneCountInString(n.Value))
	}
	switch {
	case n.Style&yaml.LiteralStyle != 0 || n.Style&yaml.FoldedStyle != 0:
		// A block scalar runs over the following more-indented lines.
		last := n.Line
		for l := n.Line + 1; l <= p.lines.Count(); l++ {
			t := p.line(l)
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
			if indentOf(t) <= indentOf(line) {
				break
			}
			last = l
		}
		return p.pos(last, utf8.RuneCount(bytes.TrimRight(p.line(last), " \t\r"))+1)
	case n.Style&yaml.DoubleQuotedStyle != 0 || n.Style&yaml.SingleQuotedStyle != 0:
		q := rs[col]
		for i := col + 1; i < len(rs); i++ {
			if q == '"' && rs[i] == '\\' {
				i++
				continue
			}
			if rs[i] == q {
				if q == '\'' && i+1 < len(rs) && rs[i+1] == '\'' {
					i++
					continue
				}
				return p.pos(n.Line, i+2)
			}
		}
		return p.pos(n.Line, len(rs)+1)
	}
	// A plain scalar ends before a comment, a flow indicator or a ": " on its line.
	end := col
	for i := col; i < len(rs); i++ {
		c := rs[i]
		if c == '#' && i > col && (rs[i-1] == ' ' || rs[i-1] == '\t') {
			break
		}
		if c == ':' && (i+1 == len(rs) || rs[i+1] == ' ') {
			break
		}
		if (c == ',' || c == ']' || c == '}') && inFlow(rs[:col]) {
			break
		}
		if c != ' ' && c != '\t' && c != '\r' {
			end = i + 1
		}
	}
	if end == col {
		// An empty (null) value: point at where it would be.
		return p.pos(n.Line, n.Column)
	}
	return p.pos(n.Line, end+1)
}

// closing moves end past the closing bracket of a flow collection started at start.
func (p *positions) closing(end, start graph.Pos, bracket byte) graph.Pos {
	line := p.line(end.Line - p.offset)
	if isASCII(line) {
		return closingIn(end, start, bracket, line)
	}
	return closingIn(end, start, bracket, []rune(string(line)))
}

func closingIn[T char](end, start graph.Pos, bracket byte, rs []T) graph.Pos {
	from := end.Column - 1
	if end.Line == start.Line && from < start.Column {
		from = start.Column
	}
	for i := max(from, 0); i < len(rs); i++ {
		if rs[i] == T(bracket) {
			return graph.Pos{Line: end.Line, Column: i + 2}
		}
	}
	return end
}

func (p *positions) line(n int) []byte {
	return p.lines.Line(n)
}

func inFlow[T char](before []T) bool {
	depth := 0
	for _, c := range before {
		switch c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		}
	}
	return depth > 0
}

func indentOf(s []byte) int {
	return len(s) - len(bytes.TrimLeft(s, " "))
}

// isASCII reports whether s holds only ASCII characters, whose columns are byte offsets.
func isASCII(s []byte) bool {
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func maxPos(a, b graph.Pos) graph.Pos {
	if b.Line > a.Line || (b.Line == a.Line && b.Column > a.Column) {
		return b
	}
	return a
}

// scratchChild returns path with step appended, in path's spare capacity when it has
// some: the walk builds every child's path in one buffer instead of copying the parent's
// for each. The result is only valid until the next sibling's path is built, so nothing
// may keep it: SetAttrInfo and AttrInfo render it to a key at once, and whatever keeps a
// path (AddRef, a trace's origin) must keep a copy.
func scratchChild(path graph.Path, step any) graph.Path {
	return append(path, step)
}
