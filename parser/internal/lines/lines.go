// Package lines gives access to the lines of a source text by number, for the parsers
// that recover positions from the text (yaml.v3 records where a node starts, not where it
// ends).
package lines

import "bytes"

// Index keeps where each line of a text starts: one integer a line rather than a slice
// per line, and the lines are only looked at where a key or value is written.
type Index struct {
	src []byte
	// starts holds the offset in src of each line; every line but the last ends with a
	// newline.
	starts []int
}

// New indexes the lines of src. It does not copy src.
func New(src []byte) Index {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return Index{src: src, starts: starts}
}

// Count returns the number of lines: one more than the number of newlines.
func (x *Index) Count() int { return len(x.starts) }

// Line returns line n (1-based) without its newline (a carriage return before it is
// kept), or nil when there is no such line. It shares the text's memory.
func (x *Index) Line(n int) []byte {
	if n < 1 || n > len(x.starts) {
		return nil
	}
	end := len(x.src)
	if n < len(x.starts) {
		end = x.starts[n] - 1
	}
	return x.src[x.starts[n-1]:end]
}
