package kubernetes

import (
	"bytes"
	"strings"
)

// document is one YAML document of a file, with the line its text starts on so that
// positions from parsing it alone can be made file-relative.
type document struct {
	src []byte
	// line is the 1-based file line of the document's first line.
	line int
	// lines, when set, is src split into lines once for every object of a List, so that
	// a list of n items is not split n times.
	lines []string
}

// sourceLines returns the document's lines.
func (d document) sourceLines() []string {
	if d.lines != nil {
		return d.lines
	}
	return strings.Split(string(d.src), "\n")
}

// blank reports whether the document holds nothing but whitespace and comments.
func (d document) blank() bool {
	for _, l := range bytes.Split(d.src, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

// splitDocuments cuts a YAML stream at its "---" separators (and "..." end markers). The
// documents are parsed one by one so that a syntax error in one of them does not hide the
// others. A JSON file is one document.
func splitDocuments(path string, src []byte) []document {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return []document{{src: src, line: 1}}
	}
	var (
		docs []document
		cur  = document{line: 1}
		buf  []byte
	)
	lines := bytes.SplitAfter(src, []byte("\n"))
	for i, l := range lines {
		if !isSeparator(l) {
			buf = append(buf, l...)
			continue
		}
		cur.src = buf
		docs = append(docs, cur)
		cur, buf = document{line: i + 2}, nil
		// "--- key: value" starts the next document on the marker line itself; keep that
		// line with the marker blanked so that columns stay right.
		if rest := bytes.TrimSpace(l[3:]); l[0] == '-' && len(rest) > 0 && rest[0] != '#' {
			cur.line = i + 1
			buf = append(buf, "   "...)
			buf = append(buf, l[3:]...)
		}
	}
	cur.src = buf
	return append(docs, cur)
}

// isSeparator reports whether a line is a document marker: "---" or "..." at column 1,
// alone or followed by white space.
func isSeparator(l []byte) bool {
	l = bytes.TrimRight(l, "\r\n")
	if len(l) < 3 {
		return false
	}
	if !bytes.HasPrefix(l, []byte("---")) && !bytes.HasPrefix(l, []byte("...")) {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '\t'
}
