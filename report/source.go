package report

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iacscan/iacscan/parser/graph"
)

// source gives line-level access to the scanned files. Positions in the graph count
// lines from 1 and columns in characters from 1, with an exclusive end.
type source struct {
	files map[string][]byte
	// mu guards lines: SARIF builds results on several goroutines.
	mu    sync.Mutex
	lines map[string][]string
}

func newSource(files map[string][]byte) *source {
	return &source{files: files, lines: map[string][]string{}}
}

// has reports whether the content of file is known.
func (s *source) has(file string) bool {
	_, ok := s.files[file]
	return ok
}

// fileLines returns the lines of file without their line terminators (LF or CRLF), as
// valid UTF-8. It is nil when the file is unknown.
func (s *source) fileLines(file string) []string {
	s.mu.Lock()
	ls, ok := s.lines[file]
	s.mu.Unlock()
	if ok {
		return ls
	}
	src, ok := s.files[file]
	if !ok {
		return nil
	}
	text := strings.ToValidUTF8(string(src), "\uFFFD")
	ls = strings.Split(text, "\n")
	// A final newline ends the last line; it does not start another.
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	// Split outside the lock; when two goroutines split the same file, the first stored
	// copy is kept.
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.lines[file]; ok {
		return prev
	}
	s.lines[file] = ls
	return ls
}

// line returns line n (1-based) of file, and whether it exists.
func (s *source) line(file string, n int) (string, bool) {
	ls := s.fileLines(file)
	if n < 1 || n > len(ls) {
		return "", false
	}
	return ls[n-1], true
}

// region is a range made complete: a start column, an end line and an end column are
// always set, clamped to the file when its content is known.
type region struct {
	startLine, startColumn, endLine, endColumn int
}

// regionOf completes r: a missing column starts at the first character, a missing end
// ends with the start line, and an end before the start is treated as missing.
func (s *source) regionOf(r graph.Range) region {
	g := region{startLine: r.Start.Line, startColumn: r.Start.Column, endLine: r.End.Line, endColumn: r.End.Column}
	if g.startLine < 1 {
		g.startLine = 1
	}
	if g.startColumn < 1 {
		g.startColumn = 1
	}
	startText, known := s.line(r.File, g.startLine)
	if g.endLine < g.startLine || (g.endLine == g.startLine && g.endColumn <= g.startColumn) {
		g.endLine = g.startLine
		g.endColumn = utf8.RuneCountInString(startText) + 1
		if g.endColumn <= g.startColumn {
			g.endColumn = g.startColumn + 1
		}
		if !known {
			g.endColumn = g.startColumn
		}
	}
	if g.endColumn < 1 {
		g.endColumn = 1
	}
	return g
}

// snippet returns the source text of the region, or "" when the file is unknown. Lines
// are joined with "\n" whatever the file used.
func (s *source) snippet(file string, g region) string {
	ls := s.fileLines(file)
	if ls == nil || g.startLine > len(ls) {
		return ""
	}
	var b strings.Builder
	for n := g.startLine; n <= g.endLine && n <= len(ls); n++ {
		l := []rune(ls[n-1])
		from, to := 0, len(l)
		if n == g.startLine {
			from = clamp(g.startColumn-1, 0, len(l))
		}
		if n == g.endLine {
			to = clamp(g.endColumn-1, from, len(l))
		}
		if n > g.startLine {
			b.WriteByte('\n')
		}
		b.WriteString(string(l[from:to]))
	}
	return b.String()
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// lineOccurrence returns how many lines of file up to and including line n have the same
// trimmed text as line n (1 for the first such line). Identical lines, such as two
// `acl = "public-read"`, are thus told apart in a way that survives unrelated edits.
func (s *source) lineOccurrence(file string, n int) int {
	ls := s.fileLines(file)
	if n < 1 || n > len(ls) {
		return 1
	}
	want := strings.TrimSpace(ls[n-1])
	count := 0
	for _, l := range ls[:n] {
		if strings.TrimSpace(l) == want {
			count++
		}
	}
	return count
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}
