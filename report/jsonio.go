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
// spaces per level as json.Indent would: empty objects and arrays stay {} and [], a
// key's colon is followed by a space, and whitespace outside strings is dropped except
// the newline that ends the value. Write errors are kept by w and returned by its Flush.
func writeIndented(w *bufio.Writer, src []byte) {
	trailing := len(src) > 0 && src[len(src)-1] == '\n'
	if trailing {
		src = src[:len(src)-1]
	}
	depth := 0
	needIndent, inString, escaped := false, false, false
	newline := func() {
		_ = w.WriteByte('\n')
		for range depth {
			_, _ = w.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			// Copy the rest of the string up to its closing quote in one write.
			j := i
			for ; j < len(src); j++ {
				if escaped {
					escaped = false
					continue
				}
				if src[j] == '\\' {
					escaped = true
					continue
				}
				if src[j] == '"' {
					inString = false
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
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			newline()
		}
		switch c {
		case '"':
			inString = true
			_ = w.WriteByte(c)
		case '{', '[':
			needIndent = true
			_ = w.WriteByte(c)
		case ',':
			_ = w.WriteByte(c)
			newline()
		case ':':
			_, _ = w.WriteString(": ")
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				newline()
			}
			_ = w.WriteByte(c)
		default:
			_ = w.WriteByte(c)
		}
	}
	if trailing {
		_ = w.WriteByte('\n')
	}
}
