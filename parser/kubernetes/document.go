package kubernetes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"gopkg.in/yaml.v3"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/iacscan/iacscan/parser/graph"
)

// head is the node tree of one document and its type fields.
type head struct {
	root       *yaml.Node // the document's top mapping, nil when it is not a mapping
	apiVersion string
	kind       string
}

func (h head) isObject() bool { return h.root != nil && h.apiVersion != "" && h.kind != "" }

// isKustomize reports whether the document is a kustomize file rather than a resource.
func (h head) isKustomize() bool {
	return strings.HasPrefix(h.apiVersion, "kustomize.config.k8s.io/")
}

// parseHead parses a document's node tree and reads its apiVersion and kind.
func parseHead(src []byte) (h head, err error) {
	// The YAML libraries have panicked on malformed input before; a scanner must not.
	defer func() {
		if r := recover(); r != nil {
			h, err = head{}, fmt.Errorf("yaml parser failed: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return head{}, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return head{}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return head{}, nil
	}
	return head{root: root, apiVersion: scalarAt(root, "apiVersion"), kind: scalarAt(root, "kind")}, nil
}

// scalarAt returns the string value of key in mapping m, or "".
func scalarAt(m *yaml.Node, key string) string {
	if v := valueAt(m, key); v != nil && v.Kind == yaml.ScalarNode && v.Tag == "!!str" {
		return v.Value
	}
	return ""
}

func valueAt(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func keyAt(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

var yamlErrLine = regexp.MustCompile(`line (\d+)`)

// parseDocument turns one document into resources: one, or one per item of a List.
func parseDocument(path string, index int, d document) ([]*graph.Resource, graph.Diagnostics) {
	h, err := parseHead(d.src)
	if err != nil {
		return nil, graph.Diagnostics{syntaxDiag(path, d, err)}
	}
	if !h.isObject() || h.isKustomize() {
		// Not a Kubernetes object (a stray mapping, a list of values): nothing to scan.
		return nil, nil
	}
	val, ok := cty.NilVal, false
	if !strings.HasSuffix(strings.ToLower(path), ".json") {
		val, ok = nodeValue(h.root)
	}
	if !ok {
		val, err = decode(path, d.src)
		if err != nil {
			return nil, graph.Diagnostics{syntaxDiag(path, d, err)}
		}
	}
	if items := valueAt(h.root, "items"); strings.HasSuffix(h.kind, "List") && items != nil && items.Kind == yaml.SequenceNode {
		return listItems(path, d, h, items, val), nil
	}
	r := build(path, d, h.root, val, h.apiVersion, h.kind, index)
	return []*graph.Resource{r}, nil
}

// listItems builds the items of a List (v1 List, or a typed list such as DeploymentList
// whose items may omit apiVersion and kind).
func listItems(path string, d document, h head, items *yaml.Node, val cty.Value) []*graph.Resource {
	var out []*graph.Resource
	itemVals := graph.ValueAt(val, nil).Get("items").List()
	lines := d.sourceLines()
	d.lines = &lines
	for i, n := range items.Content {
		if n.Kind != yaml.MappingNode || i >= len(itemVals) || !itemVals[i].IsObject() {
			continue
		}
		apiVersion, kind := scalarAt(n, "apiVersion"), scalarAt(n, "kind")
		if kind == "" && h.kind != "List" {
			kind = strings.TrimSuffix(h.kind, "List")
		}
		if apiVersion == "" {
			apiVersion = h.apiVersion
		}
		if kind == "" {
			continue
		}
		out = append(out, build(path, d, n, itemVals[i].Raw(), apiVersion, kind, i))
	}
	return out
}

// decode reads a document's value the way Kubernetes does (sigs.k8s.io/yaml: YAML to
// JSON, then JSON), into cty with the type the JSON implies.
func decode(path string, src []byte) (v cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = cty.NilVal, fmt.Errorf("decode: %v", r)
		}
	}()
	js := src
	if !strings.HasSuffix(strings.ToLower(path), ".json") || !json.Valid(src) {
		var err error
		js, err = k8syaml.YAMLToJSON(src)
		if err != nil {
			return cty.NilVal, fmt.Errorf("decode: %w", err)
		}
	}
	js = bytes.TrimSpace(js)
	ty, err := ctyjson.ImpliedType(js)
	if err != nil {
		return cty.NilVal, fmt.Errorf("decode: %w", err)
	}
	v, err = ctyjson.Unmarshal(js, ty)
	if err != nil {
		return cty.NilVal, fmt.Errorf("decode: %w", err)
	}
	return v, nil
}

// syntaxDiag reports a document that does not parse, at its file line when the parser
// named one. A document holding template actions is not raw YAML: it is skipped with a
// warning rather than failing the file.
func syntaxDiag(path string, d document, err error) graph.Diagnostic {
	line := d.line
	if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n > 0 {
			line = d.line + n - 1
		}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	rng := graph.Range{File: path, Start: graph.Pos{Line: line, Column: 1}, End: graph.Pos{Line: line, Column: 1}}
	if isTemplate(d.src) {
		return graph.Diagnostic{
			Severity: graph.DiagWarning,
			Summary:  "template skipped",
			Detail:   "the document holds template actions ({{ }}) and is not raw YAML until rendered",
			Range:    rng,
		}
	}
	return graph.Diagnostic{
		Severity: graph.DiagError,
		Summary:  "invalid Kubernetes manifest",
		Detail:   msg,
		Range:    rng,
	}
}

// build makes the resource for one object whose node is n and value val.
func build(path string, d document, n *yaml.Node, val cty.Value, apiVersion, kind string, index int) *graph.Resource {
	v := graph.ValueAt(val, nil)
	meta := v.Get("metadata") // read once for the fields below: each step copies its path
	name, _ := meta.Get("name").Str()
	if name == "" {
		if gen, ok := meta.Get("generateName").Str(); ok && gen != "" {
			name = gen + "*"
		} else {
			name = fmt.Sprintf("(unnamed#%d)", index)
		}
	}
	ns := ""
	if namespaced(kind) {
		ns, _ = meta.Get("namespace").Str()
		if ns == "" {
			ns = "default"
		}
	}
	addr := address(apiVersion, kind, ns, name)
	r := &graph.Resource{
		Format:  graph.Kubernetes,
		Type:    kind,
		Address: addr,
		Scope:   Scope,
		Attrs:   val,
		Meta: map[string]string{
			"apiVersion": apiVersion,
			"kind":       kind,
			"name":       name,
			"namespace":  ns,
		},
	}
	// Comments cannot carry suppressions in JSON manifests, so the annotation can; it is
	// recorded the way the CloudFormation parser records Metadata.iacscan.ignore.
	if ids := ignoredChecks(meta); ids != "" {
		r.Meta["ignore"] = ids
	}
	p := newPositions(path, d.sourceLines(), d.line-1, r)
	// Room for the paths of all but absurdly deep documents, so that they are built in place.
	end := p.index(n, make(graph.Path, 0, 32), 0)
	r.Range = p.rng(p.pos(n.Line, n.Column), end)
	// The kind line is the object's header: every manifest has one near the top, while
	// metadata.name may be generated, templated in or absent.
	r.DefRange = r.Range
	if k := keyAt(n, "kind"); k != nil {
		r.DefRange = r.RangeOf("kind")
	}
	r.Parts = workloadParts(apiVersion, kind)
	return r
}

// IgnoreAnnotation lists, comma- or space-separated, the checks suppressed for an object.
const IgnoreAnnotation = "iacscan.dev/ignore"

// ignoredChecks returns the check IDs of the ignore annotation of an object whose metadata
// is meta, comma-separated.
func ignoredChecks(meta graph.Value) string {
	s, ok := meta.Get("annotations", IgnoreAnnotation).Str()
	if !ok {
		return ""
	}
	ids := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	return strings.Join(ids, ",")
}
