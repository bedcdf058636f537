package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// writeJSON writes v as 2-space indented JSON with a final newline. HTML characters are
// kept as they are: the output is read by tools and people, never embedded in a page.
//
// The value is encoded compactly and indented on the way out: the encoder's own
// indentation runs a JSON scanner over every byte into a second buffer as large as the
// report, which cost more than encoding a large SARIF log. The bytes written are the
// same as json.Encoder with SetIndent("", "  ").
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	writeIndented(bw, buf.Bytes())
	return bw.Flush()
}

// writeIndented writes src, compact JSON as json.Encoder writes it, indented by two
// spaces per level as json.Indent would (see indenter). Write errors are kept by w and
// returned by its Flush.
func writeIndented(w *bufio.Writer, src []byte) {
	trailing := len(src) > 0 && src[len(src)-1] == '\n'
	if trailing {
		src = src[:len(src)-1]
	}
	ind := indenter{w: w}
	ind.write(src)
	if trailing {
		_ = w.WriteByte('\n')
	}
}

// indenter indents compact JSON by two spaces per level as json.Indent would: empty
// objects and arrays stay {} and [], a key's colon is followed by a space, and whitespace
// outside strings is dropped. It keeps its place between writes, so that a document may
// be handed to it in pieces (a SARIF log result by result) and come out as if written in
// one piece. Write errors are kept by w and returned by its Flush.
type indenter struct {
	w                             *bufio.Writer
	depth                         int
	needIndent, inString, escaped bool
}

func (ind *indenter) newline() {
	_ = ind.w.WriteByte('\n')
	for range ind.depth {
		_, _ = ind.w.WriteString("  ")
	}
}

func (ind *indenter) write(src []byte) {
	w := ind.w
	for i := 0; i < len(src); i++ {
		c := src[i]
		if ind.inString {
			// Copy the rest of the string up to its closing quote in one write.
			j := i
			for ; j < len(src); j++ {
				if ind.escaped {
					ind.escaped = false
					continue
				}
				if src[j] == '\\' {
					ind.escaped = true
					continue
				}
				if src[j] == '"' {
					ind.inString = false
					break
				}
			}
			if j == len(src) {
				j--
			}
			_, _ = w.Write(src[i : j+1])
			i = j
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if ind.needIndent && c != '}' && c != ']' {
			ind.needIndent = false
			ind.depth++
			ind.newline()
		}
		switch c {
		case '"':
			ind.inString = true
			_ = w.WriteByte(c)
		case '{', '[':
			ind.needIndent = true
			_ = w.WriteByte(c)
		case ',':
			_ = w.WriteByte(c)
			ind.newline()
		case ':':
			_, _ = w.WriteString(": ")
		case '}', ']':
			if ind.needIndent {
				ind.needIndent = false
			} else {
				ind.depth--
				ind.newline()
			}
			_ = w.WriteByte(c)
		default:
			_ = w.WriteByte(c)
		}
	}
}
