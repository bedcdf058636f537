package kubernetes

import (
	"errors"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// Kustomization is what a kustomization file says about the manifests it builds, as far as
// the scan needs it: what it lists, the patches it applies and the transformations
// (namespace, names, labels, images) it makes.
type Kustomization struct {
	// Path is the kustomization file's display path.
	Path string
	// Namespace is its namespace field, empty when it sets none.
	Namespace string
	// Resources are its resources (and deprecated bases) entries, as written: manifest
	// files and directories relative to the file, or remote targets.
	Resources []string
	// Components are its components entries, as written.
	Components []string
	// Patches are its patches, patchesStrategicMerge and patchesJson6902 entries, in the
	// order kustomize applies them.
	Patches []Patch
	// Images are its images entries.
	Images []ImageRule
	// Labels are its commonLabels and labels entries.
	Labels []LabelRule
	// NamePrefix and NameSuffix are added to the names of the objects it builds.
	NamePrefix, NameSuffix string
	// lines is where each top-level field is written, for diagnostics.
	lines map[string]int
	// resourceLines and componentLines are where each Resources and Components entry is
	// written.
	resourceLines, componentLines []int
	// diags are the problems of the file itself, reported when the scan builds it.
	diags graph.Diagnostics
}

// entryLine returns the line of the i-th entry of lines, or of field when it is unknown.
func (k *Kustomization) entryLine(lines []int, i int, field string) int {
	if i < len(lines) {
		return lines[i]
	}
	return k.lines[field]
}

// Patch is one patch a kustomization applies.
type Patch struct {
	// File is the display path of the patch file; empty for an inline patch.
	File string
	// Inline is the text of an inline patch.
	Inline string
	// Target selects the objects a patch applies to; nil when the patch names its target
	// itself (a strategic-merge patch's kind and metadata.name).
	Target *PatchTarget
	// JSON6902 is set for patchesJson6902 entries, whose content must be a JSON patch.
	JSON6902 bool
	// Line is where the entry is written in the kustomization.
	Line int
}

// PatchTarget is a patch's target selector. Empty fields match anything.
type PatchTarget struct {
	Group, Version, Kind, Name, Namespace string
	LabelSelector, AnnotationSelector     string
	// kind, name and namespace are Kind, Name and Namespace compiled once by compile,
	// not once per object and name a patch is tried against.
	kind, name, namespace *pattern
	compiled              bool
	compileErr            error
}

// ImageRule is one images entry: containers whose image has Name get NewName, NewTag or
// Digest.
type ImageRule struct {
	Name, NewName, NewTag, Digest string
	Line                          int
}

// LabelRule is a set of labels added to every object built, and to selectors and pod
// templates when Selectors (commonLabels, includeSelectors) or Templates
// (includeTemplates) say so.
type LabelRule struct {
	Pairs     map[string]string
	Selectors bool
	Templates bool
	Line      int
}

// kustomizationFile is the part of a kustomization file read here.
type kustomizationFile struct {
	APIVersion            string            `yaml:"apiVersion"`
	Kind                  string            `yaml:"kind"`
	Namespace             string            `yaml:"namespace"`
	Resources             []string          `yaml:"resources"`
	Bases                 []string          `yaml:"bases"`
	Components            []string          `yaml:"components"`
	NamePrefix            string            `yaml:"namePrefix"`
	NameSuffix            string            `yaml:"nameSuffix"`
	CommonLabels          map[string]string `yaml:"commonLabels"`
	Labels                []labelsEntry     `yaml:"labels"`
	Images                []imageEntry      `yaml:"images"`
	Patches               []patchEntry      `yaml:"patches"`
	PatchesStrategicMerge []string          `yaml:"patchesStrategicMerge"`
	PatchesJSON6902       []patchEntry      `yaml:"patchesJson6902"`
}

type labelsEntry struct {
	Pairs            map[string]string `yaml:"pairs"`
	IncludeSelectors bool              `yaml:"includeSelectors"`
	IncludeTemplates bool              `yaml:"includeTemplates"`
}

type imageEntry struct {
	Name    string `yaml:"name"`
	NewName string `yaml:"newName"`
	NewTag  string `yaml:"newTag"`
	Digest  string `yaml:"digest"`
}

type patchEntry struct {
	Path   string       `yaml:"path"`
	Patch  string       `yaml:"patch"`
	Target *targetEntry `yaml:"target"`
}

type targetEntry struct {
	Group              string `yaml:"group"`
	Version            string `yaml:"version"`
	Kind               string `yaml:"kind"`
	Name               string `yaml:"name"`
	Namespace          string `yaml:"namespace"`
	LabelSelector      string `yaml:"labelSelector"`
	AnnotationSelector string `yaml:"annotationSelector"`
}

// ReadKustomization reads a kustomization file (kustomization.yaml, .yml or Kustomization,
// by name); ok is false for any other file or one that does not parse, which the scan then
// ignores as before.
func ReadKustomization(p string, src []byte) (k Kustomization, ok bool) {
	if !isKustomization(p) || len(src) > MaxFileSize {
		return Kustomization{}, false
	}
	// The YAML library has panicked on malformed input before; a scanner must not.
	defer func() {
		if r := recover(); r != nil {
			k, ok = Kustomization{}, false
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return Kustomization{}, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return Kustomization{}, false
	}
	root := doc.Content[0]
	var f kustomizationFile
	var typeErrs []string
	if err := root.Decode(&f); err != nil {
		// A field of the wrong type leaves the others decoded: the file is still read,
		// so that its patch files stay patch files, and the field is named.
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return Kustomization{}, false
		}
		typeErrs = te.Errors
	}
	if f.APIVersion != "" && !strings.HasPrefix(f.APIVersion, "kustomize.config.k8s.io/") {
		return Kustomization{}, false
	}
	if typeErrs != nil {
		// The library drops a list item that does not decode, which would shift every
		// later item off its line: the lists are decoded item by item instead.
		f.Resources = decodeItems[string](root, "resources")
		f.Bases = decodeItems[string](root, "bases")
		f.Components = decodeItems[string](root, "components")
		f.Labels = decodeItems[labelsEntry](root, "labels")
		f.Images = decodeItems[imageEntry](root, "images")
		f.PatchesStrategicMerge = decodeItems[string](root, "patchesStrategicMerge")
		f.Patches = decodePatchEntries(root, "patches")
		f.PatchesJSON6902 = decodePatchEntries(root, "patchesJson6902")
	}
	k = Kustomization{
		Path:       p,
		Namespace:  strings.TrimSpace(f.Namespace),
		Resources:  append(append([]string{}, f.Resources...), f.Bases...),
		Components: f.Components,
		NamePrefix: f.NamePrefix,
		NameSuffix: f.NameSuffix,
		lines:      map[string]int{},
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k.lines[root.Content[i].Value] = root.Content[i].Line
	}
	for _, e := range typeErrs {
		k.diags = append(k.diags, typeErrorDiag(p, root, e))
	}
	itemLine := func(field string, i int) int {
		if s := valueAt(root, field); s != nil && s.Kind == yaml.SequenceNode && i < len(s.Content) {
			return s.Content[i].Line
		}
		return k.lines[field]
	}
	for i := range f.Resources {
		k.resourceLines = append(k.resourceLines, itemLine("resources", i))
	}
	for i := range f.Bases {
		k.resourceLines = append(k.resourceLines, itemLine("bases", i))
	}
	for i := range f.Components {
		k.componentLines = append(k.componentLines, itemLine("components", i))
	}
	// kustomize applies patchesStrategicMerge, then patches, then (after the namespace,
	// name and label transformers) patchesJson6902; the order is kept here, and Build
	// applies the JSON patches in their turn.
	for i, e := range f.PatchesStrategicMerge {
		pt := Patch{Line: itemLine("patchesStrategicMerge", i)}
		if strings.Contains(e, "\n") {
			pt.Inline = e
		} else if file, ok := localEntry(p, e); ok {
			pt.File = file
		} else {
			continue
		}
		k.Patches = append(k.Patches, pt)
	}
	addPatches := func(field string, es []patchEntry, json6902 bool) {
		for i, e := range es {
			pt := Patch{Line: itemLine(field, i), JSON6902: json6902, Inline: e.Patch}
			if e.Path != "" {
				file, ok := localEntry(p, e.Path)
				if !ok {
					continue
				}
				pt.File, pt.Inline = file, ""
			}
			if t := e.Target; t != nil {
				pt.Target = &PatchTarget{Group: t.Group, Version: t.Version, Kind: t.Kind, Name: t.Name,
					Namespace: t.Namespace, LabelSelector: t.LabelSelector, AnnotationSelector: t.AnnotationSelector}
			}
			if pt.File == "" && strings.TrimSpace(pt.Inline) == "" {
				continue
			}
			k.Patches = append(k.Patches, pt)
		}
	}
	addPatches("patches", f.Patches, false)
	addPatches("patchesJson6902", f.PatchesJSON6902, true)
	for i, e := range f.Images {
		if e.Name == "" {
			continue
		}
		// A rewritten image points at the field that decides its tag (or name).
		line := itemLine("images", i)
		if s := valueAt(root, "images"); s != nil && s.Kind == yaml.SequenceNode && i < len(s.Content) {
			for _, f := range []string{"digest", "newTag", "newName"} {
				if kn := keyAt(s.Content[i], f); kn != nil {
					line = kn.Line
					break
				}
			}
		}
		k.Images = append(k.Images, ImageRule{Name: e.Name, NewName: e.NewName, NewTag: e.NewTag, Digest: e.Digest, Line: line})
	}
	if len(f.CommonLabels) > 0 {
		k.Labels = append(k.Labels, LabelRule{Pairs: f.CommonLabels, Selectors: true, Templates: true, Line: k.lines["commonLabels"]})
	}
	for i, e := range f.Labels {
		if len(e.Pairs) == 0 {
			continue
		}
		// includeSelectors implies the templates: kustomize's selector field specs
		// cover the pod template labels too.
		k.Labels = append(k.Labels, LabelRule{Pairs: e.Pairs, Selectors: e.IncludeSelectors,
			Templates: e.IncludeSelectors || e.IncludeTemplates, Line: itemLine("labels", i)})
	}
	return k, true
}

// typeErrorDiag is the warning for one field of a kustomization that has the wrong type;
// msg is the YAML library's "line N: cannot unmarshal ..." text.
func typeErrorDiag(p string, root *yaml.Node, msg string) graph.Diagnostic {
	line := 0
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	// The field is the last top-level key at or before the line.
	field := ""
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Line <= line {
			field = root.Content[i].Value
		}
	}
	if _, rest, ok := strings.Cut(msg, ": "); ok {
		msg = rest
	}
	detail := msg + "; kustomize refuses this file, and the scan builds the rest of it"
	if field != "" {
		detail = field + ": " + detail
	}
	return graph.Diagnostic{Severity: graph.DiagWarning, Summary: "kustomization field has the wrong type",
		Detail: detail, Range: lineRange(p, line)}
}

// decodeItems decodes the list at field item by item: an item that does not decode is
// the zero value, which the reader skips, so that the others keep their index.
func decodeItems[T any](root *yaml.Node, field string) []T {
	s := valueAt(root, field)
	if s == nil || s.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]T, len(s.Content))
	for i, n := range s.Content {
		// The error is reported already; the fields of a mapping that did decode still
		// count: a patch's path with a malformed target is still a patch file.
		_ = n.Decode(&out[i])
	}
	return out
}

// decodePatchEntries decodes patch entries item by item, taking an entry written as a
// bare path (a string where kustomize wants a mapping with a path) as that path: the file
// is a patch, not a manifest.
func decodePatchEntries(root *yaml.Node, field string) []patchEntry {
	out := decodeItems[patchEntry](root, field)
	s := valueAt(root, field)
	for i := range out {
		n := s.Content[i]
		if out[i].Path == "" && out[i].Patch == "" && n.Kind == yaml.ScalarNode && n.Tag == "!!str" && !strings.Contains(n.Value, "\n") {
			out[i].Path = n.Value
		}
	}
	return out
}

// PatchFiles returns the display paths of the patch files k applies.
func (k Kustomization) PatchFiles() []string {
	var out []string
	for _, p := range k.Patches {
		if p.File != "" {
			out = append(out, p.File)
		}
	}
	return out
}

// patchFiles returns the display paths of the patch files the kustomizations list.
func patchFiles(ks []Kustomization) map[string]bool {
	out := map[string]bool{}
	for _, k := range ks {
		for _, p := range k.PatchFiles() {
			out[p] = true
		}
	}
	return out
}

// localEntry resolves a resources entry of the kustomization at kpath to a display path;
// ok is false for remote targets (URLs, git repositories), which the scan does not hold.
func localEntry(kpath, entry string) (string, bool) {
	entry = strings.TrimSpace(entry)
	if entry == "" || strings.Contains(entry, "://") || strings.Contains(entry, "?ref=") ||
		strings.HasPrefix(entry, "github.com/") || strings.HasPrefix(entry, "git@") {
		return "", false
	}
	if path.IsAbs(entry) {
		return path.Clean(entry), true
	}
	return path.Join(path.Dir(kpath), entry), true
}

// address is the graph address of a Kubernetes object: apiVersion/kind/name, with the
// namespace before the name for namespaced kinds.
func address(apiVersion, kind, ns, name string) string {
	// Concatenated, not formatted: every object has one, and fmt boxes each argument.
	if ns == "" {
		return apiVersion + "/" + kind + "/" + name
	}
	return apiVersion + "/" + kind + "/" + ns + "/" + name
}

// lineRange is a one-line range at line of file, for diagnostics.
func lineRange(file string, line int) graph.Range {
	if line < 1 {
		line = 1
	}
	return graph.Range{File: file, Start: graph.Pos{Line: line, Column: 1}, End: graph.Pos{Line: line, Column: 1}}
}
