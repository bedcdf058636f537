package cloudformation

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// versionKey finds AWSTemplateFormatVersion written as a key, in YAML or JSON.
var versionKey = regexp.MustCompile(`(?m)^\s*\{?\s*"?AWSTemplateFormatVersion"?\s*:`)

// topVersionKey finds it written as a top-level YAML key (no indentation), which is what
// makes an unparsable YAML file a broken template rather than, say, a Helm template that
// embeds one.
var topVersionKey = regexp.MustCompile(`(?m)^"?AWSTemplateFormatVersion"?\s*:`)

// hasDocSeparator reports whether a line of src starts with a YAML document marker: in a
// stream of several documents a version key may belong to one that is not the first,
// which Detect does not read. (Byte searches: this runs over every template.)
func hasDocSeparator(src []byte) bool {
	return bytes.HasPrefix(src, []byte("---")) || bytes.HasPrefix(src, []byte("...")) ||
		bytes.Contains(src, []byte("\n---")) || bytes.Contains(src, []byte("\n..."))
}

// Detect reports whether the file at path with content src is a CloudFormation (or SAM)
// template: it declares AWSTemplateFormatVersion, the SAM transform, or a Resources map
// whose entries have an AWS:: type. It is called on every YAML and JSON file of the tree,
// so files that do not mention "AWS" at all are rejected without parsing.
func Detect(path string, src []byte) bool {
	if !bytes.Contains(src, []byte("AWS")) {
		return false
	}
	// The regular expression needs the name itself, which a byte search rules out faster.
	hasVersion := bytes.Contains(src, []byte("AWSTemplateFormatVersion")) && versionKey.Match(src)
	if !hasVersion && !bytes.Contains(src, []byte("AWS::")) {
		return false
	}
	if len(src) > maxFileSize {
		// Too large to parse here; Parse reports the limit when it looks like a template.
		return hasVersion
	}
	// A version key at the start of a line of a single-document file is a key of the
	// top-level mapping: the file is a template whether or not it parses, and Parse will
	// say if it does not. Parsing it here as well would double the cost of every template.
	isJSON := bytes.HasPrefix(bytes.TrimSpace(src), []byte("{"))
	if hasVersion && isJSON && json.Valid(src) && topLevelJSONKey(src, "AWSTemplateFormatVersion") {
		// The same holds for a JSON template: the key is one of the top-level object's.
		return true
	}
	if hasVersion && topVersionKey.Match(src) && !hasDocSeparator(src) {
		return true
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		// A broken template is still a template: Parse reports the syntax error.
		return (isJSON && hasVersion) || topVersionKey.Match(src)
	}
	root := rootMapping(&doc)
	if root == nil {
		return false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "AWSTemplateFormatVersion":
			return true
		case "Transform":
			if transformIsSAM(v) {
				return true
			}
		case "Resources":
			if v.Kind != yaml.MappingNode {
				continue
			}
			for j := 1; j < len(v.Content); j += 2 {
				if t := typeOf(v.Content[j]); strings.HasPrefix(t, "AWS::") {
					return true
				}
			}
		}
	}
	return false
}

// topLevelJSONKey reports whether the object of the valid JSON text src has key written
// as is (without escapes) among its own keys, not those of nested values.
func topLevelJSONKey(src []byte, key string) bool {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return false // the end of the object
			}
		case '"':
			start := i + 1
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			if depth != 1 || string(src[start:min(i, len(src))]) != key {
				continue
			}
			// In valid JSON, a string followed by a colon is a key.
			rest := bytes.TrimLeft(src[min(i+1, len(src)):], " \t\r\n")
			if len(rest) > 0 && rest[0] == ':' {
				return true
			}
		}
	}
	return false
}

// rootMapping returns the top-level mapping of the first document, or nil.
func rootMapping(doc *yaml.Node) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// transformIsSAM reports whether a Transform value names the SAM transform.
func transformIsSAM(v *yaml.Node) bool {
	if v.Kind == yaml.ScalarNode {
		return strings.HasPrefix(v.Value, "AWS::Serverless")
	}
	for _, c := range v.Content {
		if c.Kind == yaml.ScalarNode && strings.HasPrefix(c.Value, "AWS::Serverless") {
			return true
		}
	}
	return false
}

// typeOf returns the Type of a resource entry, or "".
func typeOf(res *yaml.Node) string {
	if t := lookup(res, "Type"); t != nil && t.Kind == yaml.ScalarNode {
		return t.Value
	}
	return ""
}

// lookup returns the value of key in mapping m, or nil. When a key is repeated the last
// one wins, as in JSON.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			out = m.Content[i+1]
		}
	}
	return out
}

// lookupKey returns the key node and value of key in mapping m, or nils.
func lookupKey(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	var k, v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			k, v = m.Content[i], m.Content[i+1]
		}
	}
	return k, v
}
