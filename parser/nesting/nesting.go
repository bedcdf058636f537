// Package nesting measures how deeply brackets nest in HCL, JSON or flow-style YAML
// source without parsing it. The parsers recurse once per level, and a Go stack overflow
// cannot be recovered, so a file nested deeper than the limit must be refused before
// any parser sees it.
package nesting

// Exceeds reports whether brackets ({, [, () in src nest deeper than max, and the 1-based
// line where they first do. Brackets inside double-quoted strings and comments (#, // and
// /* */ when hcl is true; # when it is false) do not count. Unbalanced input is fine: the
// parser reports it.
func Exceeds(src []byte, max int, hcl bool) (line int, over bool) {
	depth := 0
	line = 1
	inString, escaped, lineComment, blockComment := false, false, false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line++
			lineComment = false
			continue
		}
		switch {
		case lineComment:
		case blockComment:
			if c == '*' && i+1 < len(src) && src[i+1] == '/' {
				blockComment = false
				i++
			}
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '#':
			lineComment = true
		case hcl && c == '/' && i+1 < len(src) && src[i+1] == '/':
			lineComment = true
		case hcl && c == '/' && i+1 < len(src) && src[i+1] == '*':
			blockComment = true
			i++
		case c == '{' || c == '[' || c == '(':
			depth++
			if depth > max {
				return line, true
			}
		case c == '}' || c == ']' || c == ')':
			if depth > 0 {
				depth--
			}
		}
	}
	return 0, false
}
