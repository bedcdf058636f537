package graph

import (
	"strconv"
)

// Path addresses a value inside a resource's attributes: a sequence of attribute names
// (string) and list indexes (int), e.g. Path{"ingress", 0, "cidr_blocks", 1}.
type Path []any

// P builds a path from steps; each step must be a string or an int.
func P(steps ...any) Path { return Path(steps) }

// Child returns a new path with step appended; p is not modified.
func (p Path) Child(step any) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, step)
}

// String renders the path as ingress[0].cidr_blocks[1]. It is also the key of the
// position index.
func (p Path) String() string {
	// Most paths fit the stack buffer, so rendering costs the one allocation of the
	// result.
	var buf [128]byte
	return string(appendPath(buf[:0], p))
}

// appendPath appends the rendering of p (see String) to buf. The rendering of a prefix
// of p is a prefix of the rendering of p, which lets the position index look up every
// enclosing path of a path from one rendering.
func appendPath(buf []byte, p Path) []byte {
	for i, s := range p {
		buf = appendStep(buf, i, s)
	}
	return buf
}

// appendStep appends the rendering of s, the i-th step of a path.
func appendStep(buf []byte, i int, s any) []byte {
	switch v := s.(type) {
	case int:
		buf = append(buf, '[')
		buf = strconv.AppendInt(buf, int64(v), 10)
		buf = append(buf, ']')
	case string:
		if i > 0 {
			buf = append(buf, '.')
		}
		buf = append(buf, v...)
	}
	return buf
}

// Parent returns the path without its last step.
func (p Path) Parent() Path {
	if len(p) == 0 {
		return p
	}
	return p[:len(p)-1]
}
