package cloudformation

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/parser/internal/lines"
)

// file holds one template's source text and turns yaml.v3 node positions into graph
// ranges. yaml.v3 records where a node starts (line and column in characters) but not
// where it ends, so the end is recovered from the text.
type file struct {
	path  string
	src   []byte
	lines lines.Index
	// buf holds the characters of line bufLine, the one last returned by line; reusing it
	// keeps measuring a value free of allocation, and a key and its value, measured one
	// after the other, are mostly on the same line. No caller keeps a line across another
	// call.
	buf     []rune
	bufLine int
	// endNode and scalarNode are the nodes whose ends were measured last, at endPos and
	// scalarPos. A collection ends where its last element does, and the element was
	// measured just before, when it was recorded: remembering that measure makes
	// recording a value nested n levels deep cost n measures rather than n*n.
	endNode, scalarNode *yaml.Node
	endPos, scalarPos   graph.Pos
}

func newFile(path string, src []byte) *file {
	return &file{path: path, src: src, lines: lines.New(src)}
}

// lineCount is the number of lines, counting the one after a final newline.
func (f *file) lineCount() int { return f.lines.Count() }

// line returns line l (1-based) as characters, without its line break, or nil when l is
// out of range. The slice is valid until the next call.
func (f *file) line(l int) []rune {
	if l < 1 || l > f.lines.Count() {
		return nil
	}
	if l == f.bufLine {
		return f.buf
	}
	text := bytes.TrimSuffix(f.lines.Line(l), []byte{'\r'})
	buf := f.buf[:0]
	if cap(buf) < len(text) {
		// At most one character per byte: one allocation instead of growing.
		buf = make([]rune, 0, max(len(text), 2*cap(buf)))
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			buf = append(buf, rune(c))
			i++
			continue
		}
		// An invalid byte reads as U+FFFD, as a conversion to []rune would read it.
		r, size := utf8.DecodeRune(text[i:])
		buf = append(buf, r)
		i += size
	}
	f.buf, f.bufLine = buf, l
	return buf
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
	if n != nil && n == f.endNode {
		return f.endPos
	}
	e := f.measureEnd(n)
	f.endNode, f.endPos = n, e
	return e
}

func (f *file) measureEnd(n *yaml.Node) graph.Pos {
	for depth := 0; n != nil && depth < yamlMaxDepth; depth++ {
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
			return graph.Pos{Line: n.Line, Column: n.Column + 1 + utf8.RuneCountInString(n.Value)}
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
	for l := from.Line; l <= f.lineCount() && l < from.Line+maxScanLines; l++ {
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
	if n != nil && n == f.scalarNode {
		return f.scalarPos
	}
	e := f.measureScalar(n)
	f.scalarNode, f.scalarPos = n, e
	return e
}

func (f *file) measureScalar(n *yaml.Node) graph.Pos {
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
	if n.Value != "" && writtenAt(line, c, n.Value) {
		return graph.Pos{Line: n.Line, Column: c + utf8.RuneCountInString(n.Value) + 1}
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
	for ; l <= f.lineCount() && l < first+maxScanLines; l++ {
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
	for i := l + 1; i <= f.lineCount() && i < l+maxScanLines; i++ {
		line := f.line(i)
		if blank(line) {
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

// writtenAt reports whether the characters of line from c on begin with exactly s.
func writtenAt(line []rune, c int, s string) bool {
	if !utf8.ValidString(s) {
		// Invalid bytes read as U+FFFD on the line, which is not what s holds.
		return false
	}
	for _, r := range s {
		if c >= len(line) || line[c] != r {
			return false
		}
		c++
	}
	return true
}

// blank reports whether a line holds only white space.
func blank(line []rune) bool {
	for _, r := range line {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
