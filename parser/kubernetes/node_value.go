package kubernetes

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// nodeValue converts a document's yaml.v3 node tree, already parsed for positions, into
// the value decode would produce from the same text. decode reads YAML the way
// Kubernetes does (YAML 1.1 through sigs.k8s.io/yaml, then JSON), which means parsing the
// document three more times; for the plain strings, integers, booleans, mappings and
// sequences that make up nearly every manifest the result is the same, and nodeValue
// builds it directly. It reports false, and the caller decodes the text, for anything
// whose reading could differ between the two: scalars YAML 1.1 resolves differently
// (yes, on, 0777, 1_000, timestamps...), floats, explicit tags, anchors and aliases,
// merge keys, duplicate keys and text that is not valid UTF-8.
func nodeValue(n *yaml.Node) (cty.Value, bool) {
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content)%2 != 0 {
			return cty.NilVal, false
		}
		attrs := make(map[string]cty.Value, len(n.Content)/2)
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag != "!!str" || !plainStringIsString(k) || !utf8.ValidString(k.Value) {
				return cty.NilVal, false
			}
			if _, dup := attrs[k.Value]; dup {
				return cty.NilVal, false
			}
			v, ok := nodeValue(n.Content[i+1])
			if !ok {
				return cty.NilVal, false
			}
			attrs[k.Value] = v
		}
		return cty.ObjectVal(attrs), true
	case yaml.SequenceNode:
		elems := make([]cty.Value, len(n.Content))
		for i, c := range n.Content {
			v, ok := nodeValue(c)
			if !ok {
				return cty.NilVal, false
			}
			elems[i] = v
		}
		return cty.TupleVal(elems), true
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	// Aliases and anything else: let the decoder expand them.
	return cty.NilVal, false
}

func scalarValue(n *yaml.Node) (cty.Value, bool) {
	switch n.Tag {
	case "!!str":
		if !plainStringIsString(n) || !utf8.ValidString(n.Value) {
			return cty.NilVal, false
		}
		return cty.StringVal(n.Value), true
	case "!!bool":
		switch n.Value {
		case "true", "True", "TRUE":
			return cty.True, true
		case "false", "False", "FALSE":
			return cty.False, true
		}
	case "!!null":
		switch n.Value {
		case "", "~", "null", "Null", "NULL":
			return cty.NullVal(cty.DynamicPseudoType), true
		}
	case "!!int":
		if n.Style == 0 && simpleDecimal(n.Value) {
			// The number cty.ParseNumberVal makes (a big.Float of 512 bits, rounding to
			// nearest even), without scanning the decimal text into it: an integer that
			// fits an int64 is exact either way.
			i, err := strconv.ParseInt(n.Value, 10, 64)
			if err != nil {
				return cty.NilVal, false
			}
			return cty.NumberVal(new(big.Float).SetPrec(512).SetMode(big.ToNearestEven).SetInt64(i)), true
		}
	}
	return cty.NilVal, false
}

// simpleDecimal reports whether s is an integer in plain decimal that fits an int64 with
// room to spare: no sign but minus, no leading zero (nor -0), no underscore.
func simpleDecimal(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || (digits[0] == '0' && s != "0") {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// plainStringIsString reports whether a scalar yaml.v3 read as a string is also a string
// for a YAML 1.1 reader. Quoted and block scalars always are; a plain one is unless it
// could be a YAML 1.1 boolean, null, number or timestamp.
func plainStringIsString(n *yaml.Node) bool {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return true
	}
	if n.Style != 0 {
		// Explicitly tagged: the two readers may treat the tag differently.
		return false
	}
	s := n.Value
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9':
		// Resource quantities (500m, 256Mi) and CIDRs start with a digit too. A YAML 1.1
		// number or timestamp is made only of digits, signs, points, colons, spaces,
		// underscores and the letters of hexadecimal, binary, octal, exponent and time
		// zone notation: any other character makes the scalar a string for both readers.
		return strings.IndexFunc(s, notInNumberOrTime) >= 0
	case c == '+', c == '-', c == '.', c == '<':
		return false
	}
	return !yaml11Word(s)
}

// yaml11Word reports whether s is, in any letter case, one of the words a YAML 1.1 reader
// takes for a boolean or null.
func yaml11Word(s string) bool {
	const longest = len("false")
	if len(s) <= longest && isASCIIString(s) {
		// Lowered on the stack: strings.ToLower would allocate for every plain scalar
		// with a capital letter (Deployment, ClusterIP, TCP...), while the words are short.
		var buf [longest]byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		return isYAML11Word(string(buf[:len(s)]))
	}
	if isASCIIString(s) {
		return false // longer than every word
	}
	// Some non-ASCII letters lower to ASCII ones.
	return isYAML11Word(strings.ToLower(s))
}

func isYAML11Word(lower string) bool {
	switch lower {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~":
		return true
	}
	return false
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// notInNumberOrTime reports whether r can appear in no YAML 1.1 number or timestamp.
func notInNumberOrTime(r rune) bool {
	return !strings.ContainsRune("0123456789abcdefABCDEFxXoObB_+-.:tTzZ \t", r)
}
