package graph

import (
	"strconv"
	"strings"
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
	var b strings.Builder
	for i, s := range p {
		switch v := s.(type) {
		case int:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(v))
			b.WriteByte(']')
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// Parent returns the path without its last step.
func (p Path) Parent() Path {
	if len(p) == 0 {
		return p
	}
	return p[:len(p)-1]
}
