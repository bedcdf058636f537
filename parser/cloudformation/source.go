package cloudformation

import (
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// file holds one template's source text and turns yaml.v3 node positions into graph
// ranges. yaml.v3 records where a node starts (line and column in characters) but not
// where it ends, so the end is recovered from the text.
type file struct {
	path  string
	lines []string
	runes map[int][]rune
}

func newFile(path string, src []byte) *file {
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return &file{path: path, lines: lines, runes: map[int][]rune{}}
}

// line returns line l (1-based) as characters, or nil when l is out of range.
func (f *file) line(l int) []rune {
	if l < 1 || l > len(f.lines) {
		return nil
	}
	if r, ok := f.runes[l]; ok {
		return r
	}
	r := []rune(f.lines[l-1])
	f.runes[l] = r
	return r
}

func start(n *yaml.Node) graph.Pos { return graph.Pos{Line: n.Line, Column: n.Column} }

// rangeOf is the span of node n.
func (f *file) rangeOf(n *yaml.Node) graph.Range {
	if n == nil {
		return graph.Range{File: f.path}
	}
	return graph.Range{File: f.path, Start: start(n), End: f.end(n)}
}

// span is the range from the start of k to the end of v: a mapping entry, key first.
func (f *file) span(k, v *yaml.Node) graph.Range {
	return graph.Range{File: f.path, Start: start(k), End: f.end(v)}
}

// end finds where node n ends (exclusive). Block collections end with their last
// child; flow collections at their closing bracket; scalars are measured in the text.
func (f *file) end(n *yaml.Node) graph.Pos {
	for depth := 0; n != nil && depth < maxNodeDepth; depth++ {
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return start(n)
			}
			n = n.Content[len(n.Content)-1]
		case yaml.MappingNode, yaml.SequenceNode:
			if n.Style&yaml.FlowStyle != 0 {
				closer := '}'
				if n.Kind == yaml.SequenceNode {
					closer = ']'
				}
				from := start(n)
				if len(n.Content) > 0 {
					from = f.end(n.Content[len(n.Content)-1])
				}
				return f.after(from, closer)
			}
			if len(n.Content) == 0 {
				return f.scalarEnd(n)
			}
			n = n.Content[len(n.Content)-1]
		case yaml.AliasNode:
			return graph.Pos{Line: n.Line, Column: n.Column + 1 + len([]rune(n.Value))}
		default:
			return f.scalarEnd(n)
		}
	}
	if n == nil {
		return graph.Pos{}
	}
	return start(n)
}

// after returns the position just past the first closer at or after from, skipping YAML
// comments; from itself when none is found.
func (f *file) after(from graph.Pos, closer rune) graph.Pos {
	for l := from.Line; l <= len(f.lines) && l < from.Line+maxScanLines; l++ {
		line := f.line(l)
		c := 0
		if l == from.Line {
			c = from.Column - 1
		}
		for ; c >= 0 && c < len(line); c++ {
			switch line[c] {
			case closer:
				return graph.Pos{Line: l, Column: c + 2}
			case '#':
				if c == 0 || unicode.IsSpace(line[c-1]) {
					c = len(line)
				}
			}
		}
	}
	return from
}

// scalarEnd measures a scalar (or an empty collection written as a scalar would be) in
// the source text, after any tag or anchor written before it.
func (f *file) scalarEnd(n *yaml.Node) graph.Pos {
	line := f.line(n.Line)
	c := n.Column - 1
	if c < 0 || c > len(line) {
		return start(n)
	}
	// Skip "!Ref ", "&anchor " and the like.
	for c < len(line) && (line[c] == '!' || line[c] == '&') {
		for c < len(line) && !unicode.IsSpace(line[c]) {
			c++
		}
		for c < len(line) && unicode.IsSpace(line[c]) {
			c++
		}
	}
	if c >= len(line) {
		// The value starts on a later line (a tag alone on its line).
		return graph.Pos{Line: n.Line, Column: len(line) + 1}
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return f.quotedEnd(n.Line, c, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		return f.quotedEnd(n.Line, c, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return f.blockEnd(n.Line)
	}
	v := []rune(n.Value)
	if len(v) > 0 && len(line)-c >= len(v) && string(line[c:c+len(v)]) == n.Value {
		return graph.Pos{Line: n.Line, Column: c + len(v) + 1}
	}
	// A plain scalar folded over lines, or an empty value: end at the end of the line's
	// content.
	e := len(line)
	for i := c; i < len(line); i++ {
		if line[i] == '#' && i > 0 && unicode.IsSpace(line[i-1]) {
			e = i
			break
		}
	}
	for e > c && unicode.IsSpace(line[e-1]) {
		e--
	}
	return graph.Pos{Line: n.Line, Column: e + 1}
}

// quotedEnd finds the closing quote of a quoted scalar opened at (l, c).
func (f *file) quotedEnd(l, c int, q rune) graph.Pos {
	first := l
	c++ // past the opening quote
	for ; l <= len(f.lines) && l < first+maxScanLines; l++ {
		line := f.line(l)
		for ; c < len(line); c++ {
			switch {
			case q == '"' && line[c] == '\\':
				c++
			case line[c] == q:
				if q == '\'' && c+1 < len(line) && line[c+1] == '\'' {
					c++
					continue
				}
				return graph.Pos{Line: l, Column: c + 2}
			}
		}
		c = 0
	}
	return graph.Pos{Line: first, Column: len(f.line(first)) + 1}
}

// blockEnd finds the end of a literal or folded block scalar whose indicator is on line
// l: its content lines are indented at least as much as the first of them.
func (f *file) blockEnd(l int) graph.Pos {
	end := graph.Pos{Line: l, Column: len(f.line(l)) + 1}
	indent := -1
	for i := l + 1; i <= len(f.lines) && i < l+maxScanLines; i++ {
		line := f.line(i)
		if strings.TrimSpace(string(line)) == "" {
			continue
		}
		ind := 0
		for ind < len(line) && line[ind] == ' ' {
			ind++
		}
		if indent < 0 {
			indent = ind
		}
		if ind < indent || ind == 0 {
			break
		}
		end = graph.Pos{Line: i, Column: len(line) + 1}
	}
	return end
}
