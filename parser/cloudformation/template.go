package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// template is one parsed template: its sections indexed by name, and what evaluation
// needs to share across resources.
type template struct {
	f          *file
	opts       Options
	params     map[string]*parameter
	mappings   *yaml.Node
	conditions map[string]entry
	entries    map[string]entry
	order      []string // logical IDs in document order
	steps      int
	aliases    int
	diags      diagSet
	// args holds the argument node of each short-form call met so far (see argument),
	// allocated from argSlab.
	args    map[*yaml.Node]*yaml.Node
	argSlab []yaml.Node
	// numbers holds the value of each number met so far (see scalar).
	numbers map[string]cty.Value
	// decided holds the conditions that the template alone decides, by definition, once
	// one resource has evaluated them (see keep).
	decided map[entry]*decidedCond
}

// entry is one key and its value in a template section.
type entry struct {
	key, value *yaml.Node
}

// load parses src and indexes its sections. It returns nil when the file cannot be read
// as a template at all.
func load(path string, src []byte, opts Options) (t *template, diags graph.Diagnostics) {
	defer func() {
		// yaml.v3 has panicked on malformed input in the past; a broken file must not take
		// the scan down with it.
		if r := recover(); r != nil {
			t = nil
			diags = graph.Diagnostics{{
				Severity: graph.DiagError, Summary: "cannot parse template",
				Detail: fmt.Sprint(r), Range: graph.Range{File: path},
			}}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, graph.Diagnostics{syntaxError(path, src, err)}
	}
	f := newFile(path, src)
	root := rootMapping(&doc)
	if root == nil {
		return nil, graph.Diagnostics{{
			Severity: graph.DiagError, Summary: "template is not a mapping",
			Range: graph.Range{File: path, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
		}}
	}
	t = &template{
		f: f, opts: opts,
		params:     map[string]*parameter{},
		conditions: map[string]entry{},
		// entries is made once the Resources section's size is known, below.
	}
	t.mappings = lookup(root, "Mappings")
	if sec := lookup(root, "Parameters"); sec != nil {
		eachEntry(sec, func(k, v *yaml.Node) { t.params[k.Value] = t.newParameter(k, v) })
	}
	// Fn::ForEach loops (AWS::LanguageExtensions) are expanded before anything else is
	// read, as the transform does; their collections may use parameters and mappings.
	var l *loops
	if bytes.Contains(src, []byte(forEachPrefix)) {
		l = &loops{t: t}
	}
	if sec := lookup(root, "Conditions"); sec != nil {
		eachEntry(sec, func(k, v *yaml.Node) { t.conditions[k.Value] = entry{k, v} })
		if l != nil {
			if x := l.expandSection(sec); x != sec {
				t.conditions = map[string]entry{}
				eachEntry(x, func(k, v *yaml.Node) { t.conditions[k.Value] = entry{k, v} })
			}
		}
	}
	rk, sec := lookupKey(root, "Resources")
	if sec == nil || sec.Kind != yaml.MappingNode {
		r := graph.Range{File: path, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}
		if rk != nil {
			r = f.span(rk, sec)
		}
		t.diags.add(graph.DiagError, r, "template has no Resources mapping", "")
		return t, nil
	}
	if l != nil {
		sec = l.expandSection(sec)
	}
	// Sized for the section up front: a template's resources are its largest section, and
	// growing the index step by step would copy it several times over.
	t.entries = make(map[string]entry, len(sec.Content)/2)
	t.order = make([]string, 0, len(sec.Content)/2)
	eachEntry(sec, func(k, v *yaml.Node) {
		if _, dup := t.entries[k.Value]; dup {
			t.diags.add(graph.DiagWarning, f.rangeOf(k), "duplicate logical ID "+k.Value, "the last definition is used")
		} else {
			t.order = append(t.order, k.Value)
		}
		t.entries[k.Value] = entry{k, v}
	})
	return t, nil
}

// eachEntry calls fn for every key/value pair of mapping m, in document order.
func eachEntry(m *yaml.Node, fn func(k, v *yaml.Node)) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(m.Content[i], m.Content[i+1])
	}
}

var yamlErrLine = regexp.MustCompile(`line (\d+):`)

// syntaxError turns a parse error into a diagnostic with file:line:column. For JSON the
// standard library knows the exact offset; yaml.v3 reports only a line, so the column is
// that of the line's first character.
func syntaxError(path string, src []byte, err error) graph.Diagnostic {
	d := graph.Diagnostic{
		Severity: graph.DiagError, Summary: "syntax error",
		Detail: strings.TrimPrefix(err.Error(), "yaml: "),
		Range:  graph.Range{File: path, Start: graph.Pos{Line: 1, Column: 1}},
	}
	trimmed := strings.TrimSpace(string(src))
	if strings.HasPrefix(trimmed, "{") {
		var v any
		jerr := json.Unmarshal(src, &v)
		var se *json.SyntaxError
		if errors.As(jerr, &se) {
			// Offset counts the offending byte itself.
			line, col := lineCol(src, int(se.Offset)-1)
			d.Detail = se.Error()
			d.Range.Start = graph.Pos{Line: line, Column: col}
			d.Range.End = d.Range.Start
			return d
		}
	}
	if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
		if line, perr := strconv.Atoi(m[1]); perr == nil && line > 0 {
			col := 1
			lines := strings.Split(string(src), "\n")
			if line <= len(lines) {
				col += len([]rune(lines[line-1])) - len([]rune(strings.TrimLeft(lines[line-1], " \t")))
			}
			d.Range.Start = graph.Pos{Line: line, Column: col}
			d.Detail = strings.TrimPrefix(d.Detail, m[0])
			d.Detail = strings.TrimSpace(d.Detail)
		}
	}
	d.Range.End = d.Range.Start
	return d
}

// lineCol converts a byte offset into a 1-based line and character column.
func lineCol(src []byte, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	line, lineStart := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, len([]rune(string(src[lineStart:off]))) + 1
}

// diagSet collects diagnostics once each: a resource evaluated in several variants meets
// the same problem several times.
type diagSet struct {
	seen  map[string]bool
	items graph.Diagnostics
}

func (s *diagSet) add(sev graph.DiagSeverity, r graph.Range, summary, detail string) {
	k := fmt.Sprintf("%s|%d:%d|%s|%s", r.File, r.Start.Line, r.Start.Column, summary, detail)
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[k] {
		return
	}
	s.seen[k] = true
	s.items = append(s.items, graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: r})
}

func (s *diagSet) list() graph.Diagnostics { return s.items }
