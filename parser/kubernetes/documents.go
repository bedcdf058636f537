package kubernetes

import (
	"bytes"
	"strings"

	"github.com/iacscan/iacscan/parser/internal/lines"
)

// document is one YAML document of a file, with the line its text starts on so that
// positions from parsing it alone can be made file-relative.
type document struct {
	src []byte
	// line is the 1-based file line of the document's first line.
	line int
	// lines, when set, is src's line index made once for every object of a List, so that
	// a list of n items is not indexed n times.
	// It is a pointer to keep a file's list of documents small.
	lines *lines.Index
}

// sourceLines returns the document's lines.
func (d document) sourceLines() lines.Index {
	if d.lines != nil {
		return *d.lines
	}
	return lines.New(d.src)
}

// blank reports whether the document holds nothing but whitespace and comments.
func (d document) blank() bool {
	for rest := d.src; len(rest) > 0; {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

// splitDocuments cuts a YAML stream at its "---" separators (and "..." end markers). The
// documents are parsed one by one so that a syntax error in one of them does not hide the
// others. A JSON file is one document.
//
// A document's text is a slice of src, not a copy: only a document that starts on its
// marker line needs text of its own.
func splitDocuments(path string, src []byte) []document {
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		return []document{{src: src, line: 1}}
	}
	var (
		docs  []document
		cur   = document{line: 1}
		start int    // offset in src of the current document's text
		head  []byte // the current document's first line, when it was written on its marker
	)
	text := func(end int) []byte {
		if head != nil {
			return append(head, src[start:end]...)
		}
		// The capacity is capped so that nothing appending to a document's text could
		// write over the next one.
		return src[start:end:end]
	}
	for i, off := 0, 0; off < len(src); i++ {
		end := len(src)
		if j := bytes.IndexByte(src[off:], '\n'); j >= 0 {
			end = off + j + 1
		}
		l := src[off:end]
		if isSeparator(l) {
			cur.src = text(off)
			docs = append(docs, cur)
			cur, start, head = document{line: i + 2}, end, nil
			// "--- key: value" starts the next document on the marker line itself; keep
			// that line with the marker blanked so that columns stay right.
			if rest := bytes.TrimSpace(l[3:]); l[0] == '-' && len(rest) > 0 && rest[0] != '#' {
				cur.line = i + 1
				head = append([]byte("   "), l[3:]...)
			}
		}
		off = end
	}
	cur.src = text(len(src))
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
