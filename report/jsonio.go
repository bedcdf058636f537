package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
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

// writeJSONList writes frame as writeJSON does, with the n items of one of its lists
// streamed: the list holds only placeholder when frame is encoded, and item(0) to
// item(n-1) are written in its place. The items, most of a large report, are built and
// encoded a chunk at a time on GOMAXPROCS workers and handed, in order, to the indenter,
// so that neither they nor their encoding are ever held in memory whole; the bytes are
// those of writeJSON with the items in the list. item must be safe for concurrent use.
//
// placeholder must hold a string with a NUL (listPlaceholder): quotes inside a JSON
// string are escaped, so the encoded list [placeholder] can only be found where the
// placeholder itself was encoded.
func writeJSONList(w io.Writer, frame, placeholder any, n int, item func(int) any) error {
	var enc, mark bytes.Buffer
	if err := encodeCompact(&enc, frame); err != nil {
		return err
	}
	mark.WriteByte('[')
	if err := encodeCompact(&mark, placeholder); err != nil {
		return err
	}
	mark.WriteByte(']')
	cut := bytes.Index(enc.Bytes(), mark.Bytes())
	if cut < 0 {
		return errors.New("list placeholder not found in the encoded report")
	}
	head, tail := enc.Bytes()[:cut+1], enc.Bytes()[cut+mark.Len()-1:]

	bw := bufio.NewWriterSize(w, 64<<10)
	ind := indenter{w: bw}
	ind.write(head)
	err := writeItems(&ind, n, item)
	if err == nil {
		// A report whose items failed is left cut short, so that no reader takes it
		// for a whole one; a report written to a file is not put in place then.
		ind.write(tail)
		_ = bw.WriteByte('\n')
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// listPlaceholder is the string that marks a placeholder item of writeJSONList. Its NUL
// cannot be in a check ID, the field placeholders put it in.
const listPlaceholder = "\x00list"

// encodeCompact appends v to buf as compact JSON, without escaping HTML characters, as
// writeJSON encodes before indenting, and without the encoder's final newline.
func encodeCompact(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	return nil
}

// itemChunk is how many list items a worker builds and encodes at a time.
const itemChunk = 64

// writeItems writes the encoded items, separated by commas, to ind. The chunks are built
// and encoded concurrently; a bounded queue of pending chunks keeps them in order and
// only a few in memory at once, and their buffers are reused once written. At the first
// chunk that fails, no more chunks are started and nothing more is written: the output
// stops at the last whole chunk before it, and the error is returned.
func writeItems(ind *indenter, n int, item func(int) any) error {
	type chunk struct {
		buf  *bytes.Buffer
		err  error
		done chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	queue := make(chan *chunk, 2*workers)
	sem := make(chan struct{}, workers)
	free := make(chan *bytes.Buffer, 2*workers+2)
	var failed atomic.Bool
	go func() {
		defer close(queue)
		for from := 0; from < n && !failed.Load(); from += itemChunk {
			c := &chunk{done: make(chan struct{})}
			select {
			case c.buf = <-free:
				c.buf.Reset()
			default:
				c.buf = new(bytes.Buffer)
			}
			queue <- c
			sem <- struct{}{}
			go func(from, to int) {
				defer func() {
					// A bug in building one item costs the report an error, not the
					// process: the items are built off the caller's goroutine.
					if r := recover(); r != nil {
						c.err = fmt.Errorf("internal error: %v", r)
					}
					<-sem
					close(c.done)
				}()
				enc := json.NewEncoder(c.buf)
				enc.SetEscapeHTML(false)
				for i := from; i < to; i++ {
					if i > from {
						c.buf.WriteByte(',')
					}
					if c.err = enc.Encode(item(i)); c.err != nil {
						return
					}
				}
			}(from, min(from+itemChunk, n))
		}
	}()
	var err error
	first := true
	for c := range queue {
		<-c.done
		if err == nil && c.err != nil {
			err = c.err
			failed.Store(true)
		}
		if err != nil {
			continue // the chunks already started are waited for, not written
		}
		if !first {
			ind.write([]byte{','})
		}
		first = false
		ind.write(c.buf.Bytes())
		select {
		case free <- c.buf:
		default:
		}
	}
	return err
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
