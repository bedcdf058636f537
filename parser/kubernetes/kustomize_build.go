package kubernetes

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"

	"github.com/iacscan/iacscan/parser/graph"
)

// Kustomize builds the scan's kustomizations the way kustomize would, as far as the
// checks need it, and returns the resources to scan with a warning for every patch it
// could not apply. Call it once with every resource of the scan before Link; files(path)
// returns the content of a YAML or JSON file of the scan, for patch files.
//
// The model: every kustomization that no other one of the scan lists (as a resource,
// base or component) is a root, and builds its own objects: the objects of the files it
// lists, directly or through bases, patched, renamed, relabelled, given its images and
// namespace. Those built objects replace the objects of the files as written, so a base
// that two overlays list is checked once as each overlay builds it (each copy names its
// root kustomization in its call chain, and identical findings of the copies are merged
// into one result), and a kustomization scanned alone is its own root. Patch files are
// partial objects: they are never scanned as resources. Files no kustomization lists are
// left as written.
func Kustomize(resources []*graph.Resource, ks []Kustomization, files func(string) ([]byte, bool)) ([]*graph.Resource, graph.Diagnostics) {
	if len(ks) == 0 {
		return resources, nil
	}
	if files == nil {
		files = func(string) ([]byte, bool) { return nil, false }
	}
	b := &builder{
		byDir:  map[string]*Kustomization{},
		byFile: map[string][]*graph.Resource{},
		files:  files,
		built:  map[*graph.Resource][]*graph.Resource{},
		used:   map[string]bool{},
		seen:   map[string]bool{},
		patchC: map[string]patchContent{},
	}
	for i := range ks {
		b.byDir[path.Dir(ks[i].Path)] = &ks[i]
		b.diags = append(b.diags, ks[i].diags...)
	}
	for _, r := range resources {
		if r.Format == graph.Kubernetes {
			b.byFile[r.Range.File] = append(b.byFile[r.Range.File], r)
		}
	}
	included, components := map[string]bool{}, map[string]bool{}
	for _, k := range ks {
		for i, e := range append(append([]string(nil), k.Resources...), k.Components...) {
			if d, ok := localEntry(k.Path, e); ok && b.byDir[d] != nil && d != path.Dir(k.Path) {
				included[d] = true
				components[d] = components[d] || i >= len(k.Resources)
			}
		}
	}
	dirs := slices.Sorted(maps.Keys(b.byDir))
	// builtDirs are the kustomizations some root's build has reached. Kustomizations that
	// only list each other in a cycle have no root among them: the first of them not yet
	// reached is built as a root in a second round, so that their objects and patches are
	// not left out.
	// A component is applied to its parent's objects, never built alone.
	builtDirs := maps.Clone(components)
	buildRoot := func(d string) {
		root := b.byDir[d]
		b.reached, b.count, b.capped = map[string]string{}, 0, false
		objs := b.build(root, map[string]bool{})
		for _, o := range objs {
			if r := o.finish(root); r != nil {
				b.built[o.src] = append(b.built[o.src], r)
			}
		}
		builtDirs[d] = true
		for p := range b.reached {
			builtDirs[p] = true
		}
	}
	for _, d := range dirs {
		if !included[d] {
			buildRoot(d)
		}
	}
	for _, d := range dirs {
		if !builtDirs[d] {
			buildRoot(d)
		}
	}
	patches := patchFiles(ks)
	out := make([]*graph.Resource, 0, len(resources))
	for _, r := range resources {
		if r.Format != graph.Kubernetes {
			out = append(out, r)
			continue
		}
		if patches[r.Range.File] {
			continue
		}
		if b.used[r.Range.File] {
			out = append(out, b.built[r]...)
			continue
		}
		out = append(out, r)
	}
	sortDiags(b.diags)
	return out, b.diags
}

// builder holds the state of one Kustomize call.
type builder struct {
	byDir  map[string]*Kustomization
	byFile map[string][]*graph.Resource
	files  func(string) ([]byte, bool)
	// built are the objects built from each resource as written, in root order.
	built map[*graph.Resource][]*graph.Resource
	// used are the files some root builds: their objects as written are replaced.
	used   map[string]bool
	diags  graph.Diagnostics
	seen   map[string]bool
	patchC map[string]patchContent
	// reached maps each file and directory the current root's build has included to the
	// kustomization that listed it first: a second listing is built once, not again, so
	// that a diamond or a repeated entry cannot multiply the objects (kustomize rejects
	// both as an object registered twice).
	reached map[string]string
	// count is how many objects the current root has built; capped is set once it has
	// reached maxRootObjects.
	count  int
	capped bool
}

type patchContent struct {
	docs []*tnode
	err  error
}

// warn records that a patch was not applied, once however many roots build the
// kustomization it is about.
func (b *builder) warn(rng graph.Range, detail string) {
	const summary = "kustomize patch not applied"
	key := rng.String() + "|" + detail
	if b.seen[key] {
		return
	}
	b.seen[key] = true
	b.diags = append(b.diags, graph.Diagnostic{Severity: graph.DiagWarning, Summary: summary, Detail: detail, Range: rng})
}

// note records a diagnostic once, however many roots build the kustomization it is about.
func (b *builder) note(summary string, rng graph.Range, detail string) {
	key := summary + "|" + rng.String() + "|" + detail
	if b.seen[key] {
		return
	}
	b.seen[key] = true
	b.diags = append(b.diags, graph.Diagnostic{Severity: graph.DiagWarning, Summary: summary, Detail: detail, Range: rng})
}

// notInScan warns that a local entry of a kustomization being built is neither a
// kustomization nor a file of the scan: what it adds or changes is missing from the build.
func (b *builder) notInScan(where graph.Range, entry, p string) {
	if _, ok := b.files(p); ok {
		// A file of the scan without objects (empty, or not a manifest): nothing is missing.
		return
	}
	b.note("kustomize entry not in the scan", where, entry+" ("+p+") is not in the scan; the objects built here lack what it adds or changes")
}

// kobj is one object being built.
type kobj struct {
	// t is the object as built so far; nil while nothing has changed it, so that the
	// many objects an overlay leaves alone (CRD bundles...) are never converted.
	t *tnode
	// src is the resource as written that the object is built from.
	src *graph.Resource
	// names and namespaces are every name and namespace the object had, the current
	// ones last: patches in an overlay name their targets as the base wrote them.
	names, namespaces []string
	// deleted is set by a $patch: delete.
	deleted bool
}

// tree returns the object's tree, made from its source on first use.
func (o *kobj) tree() *tnode {
	if o.t == nil {
		o.t = treeOf(o.src)
	}
	return o.t
}

// kind and apiVersion cannot change while an object is built; they are read from the
// source when nothing has changed it yet.
func (o *kobj) kind() string {
	if o.t == nil {
		return o.src.Type
	}
	s, _ := o.t.get("kind").str()
	return s
}

func (o *kobj) apiVersion() string {
	if o.t == nil {
		return o.src.Meta["apiVersion"]
	}
	s, _ := o.t.get("apiVersion").str()
	return s
}

// build returns the objects kustomization k builds. active holds the kustomizations being
// built, against cycles.
func (b *builder) build(k *Kustomization, active map[string]bool) []*kobj {
	dir := path.Dir(k.Path)
	switch {
	case active[dir]:
		b.note("kustomization cycle", lineRange(k.Path, 1), k.Path+" is reached again while it is being "+
			"built: kustomizations that list each other are rejected by kustomize, and the cycle is not followed")
		return nil
	case len(active) >= maxKustomizeDepth:
		b.note("kustomization chain too deep", lineRange(k.Path, 1), fmt.Sprintf("%s is more than %d "+
			"kustomizations deep and is not built", k.Path, maxKustomizeDepth))
		return nil
	}
	active[dir] = true
	defer delete(active, dir)
	objs := b.resources(k, active)
	for i, e := range k.Components {
		d, ok := localEntry(k.Path, e)
		if !ok {
			continue
		}
		if b.byDir[d] == nil {
			b.notInScan(lineRange(k.Path, k.entryLine(k.componentLines, i, "components")), e, d)
		}
		if c := b.byDir[d]; c != nil && !active[d] {
			active[d] = true
			objs = append(objs, b.resources(c, active)...)
			objs = b.transform(c, objs)
			delete(active, d)
		}
	}
	return b.transform(k, objs)
}

// resources returns the objects of k's resources entries, as its bases build them.
func (b *builder) resources(k *Kustomization, active map[string]bool) []*kobj {
	var objs []*kobj
	for i, e := range k.Resources {
		p, ok := localEntry(k.Path, e)
		if !ok {
			continue
		}
		where := lineRange(k.Path, k.entryLine(k.resourceLines, i, "resources"))
		if first, ok := b.reached[p]; ok {
			by := "is listed twice in " + k.Path
			if first != k.Path {
				by = "is also included through " + first
			}
			b.note("kustomize resource listed twice", where, e+" ("+p+") "+by+
				"; kustomize rejects an object registered twice, and its objects are built once here")
			continue
		}
		b.reached[p] = k.Path
		if sub := b.byDir[p]; sub != nil {
			objs = append(objs, b.build(sub, active)...)
			continue
		}
		if b.byFile[p] == nil {
			b.notInScan(where, e, p)
		}
		for _, r := range b.byFile[p] {
			if b.count >= maxRootObjects {
				if !b.capped {
					b.capped = true
					b.note("kustomize build truncated", where, fmt.Sprintf(
						"the build of this root reaches more than %d objects; from %s on, its objects are left out of the build", maxRootObjects, p))
				}
				break
			}
			b.count++
			b.used[p] = true
			ns, _ := r.Get("metadata", "namespace").Str()
			o := &kobj{src: r, names: []string{r.Meta["name"]}, namespaces: []string{ns}}
			objs = append(objs, o)
		}
	}
	return objs
}

// transform applies k's patches and transformations to objs, in kustomize's order:
// strategic-merge patches and patches, namespace, name prefix and suffix, labels, JSON
// 6902 patches, images.
func (b *builder) transform(k *Kustomization, objs []*kobj) []*kobj {
	for _, p := range k.Patches {
		if !p.JSON6902 {
			objs = b.patch(k, p, objs)
		}
	}
	if k.Namespace != "" {
		info := &graph.AttrInfo{Range: lineRange(k.Path, k.lines["namespace"])}
		setSubjectNamespaces(k.Namespace, objs, info)
		for _, o := range objs {
			if !namespaced(o.kind()) {
				continue
			}
			if o.t != nil || o.namespaces[len(o.namespaces)-1] != k.Namespace {
				o.tree().ensureMap("metadata", info).setString("namespace", k.Namespace, info)
			}
			o.namespaces = append(o.namespaces, k.Namespace)
		}
	}
	if k.NamePrefix != "" || k.NameSuffix != "" {
		renameObjects(k, objs)
	}
	for _, l := range k.Labels {
		for _, o := range objs {
			addLabels(o, l, &graph.AttrInfo{Range: lineRange(k.Path, l.Line)})
		}
	}
	for _, p := range k.Patches {
		if p.JSON6902 {
			objs = b.patch(k, p, objs)
		}
	}
	for _, img := range k.Images {
		for _, o := range objs {
			setImages(o, img, &graph.AttrInfo{Range: lineRange(k.Path, img.Line)})
		}
	}
	return objs
}

// setSubjectNamespaces gives the ServiceAccount subjects of the bindings in objs the
// namespace ns, where kustomize's namespace transformer does: a subject named "default",
// and a subject naming a ServiceAccount the build moves to ns (same name and namespace,
// "default" when none is written). Others keep theirs: they name accounts elsewhere.
func setSubjectNamespaces(ns string, objs []*kobj, info *graph.AttrInfo) {
	moved := map[string]bool{}
	for _, o := range objs {
		if o.kind() == "ServiceAccount" {
			moved[o.names[len(o.names)-1]+"\x00"+orDefault(o.namespaces[len(o.namespaces)-1])] = true
		}
	}
	follows := func(name, subjectNS string) bool {
		return name == "default" || moved[name+"\x00"+orDefault(subjectNS)]
	}
	for _, o := range objs {
		if kind := o.kind(); kind != "RoleBinding" && kind != "ClusterRoleBinding" {
			continue
		}
		if o.t == nil {
			// Read the source first: a binding nothing changes is never converted.
			change := false
			for _, s := range o.src.Get("subjects").List() {
				kind, _ := s.Get("kind").Str()
				name, _ := s.Get("name").Str()
				sns, _ := s.Get("namespace").Str()
				change = change || kind == "ServiceAccount" && sns != ns && follows(name, sns)
			}
			if !change {
				continue
			}
		}
		subjects := o.tree().get("subjects")
		if subjects == nil || subjects.kind != tList {
			continue
		}
		for _, s := range subjects.items {
			if s == nil || s.kind != tMap {
				continue
			}
			kind, _ := s.get("kind").str()
			name, _ := s.get("name").str()
			sns, _ := s.get("namespace").str()
			if kind == "ServiceAccount" && sns != ns && follows(name, sns) {
				s.setString("namespace", ns, info)
			}
		}
	}
}

func orDefault(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

// finish makes the graph resource of a built object.
func (o *kobj) finish(root *Kustomization) *graph.Resource {
	built := graph.Related{Range: lineRange(root.Path, 1), Message: "built by " + root.Path}
	if o.t == nil {
		// Unchanged: a copy of the source, which shares its read-only attributes.
		r := new(graph.Resource)
		*r = *o.src
		r.Meta = make(map[string]string, len(o.src.Meta))
		maps.Copy(r.Meta, o.src.Meta)
		r.CallChain = append(append([]graph.Related(nil), o.src.CallChain...), built)
		return r
	}
	apiVersion, kind := o.apiVersion(), o.kind()
	if kind == "" {
		kind = o.src.Type
	}
	if apiVersion == "" {
		apiVersion = o.src.Meta["apiVersion"]
	}
	name, _ := o.t.at("metadata", "name").str()
	if name == "" {
		name = o.src.Meta["name"]
	}
	ns := ""
	if namespaced(kind) {
		ns, _ = o.t.at("metadata", "namespace").str()
		if ns == "" {
			ns = "default"
		}
	}
	r := &graph.Resource{
		Format:   graph.Kubernetes,
		Type:     kind,
		Address:  address(apiVersion, kind, ns, name),
		Scope:    o.src.Scope,
		Attrs:    o.t.value(),
		Range:    o.src.Range,
		DefRange: o.src.DefRange,
		Meta:     make(map[string]string, len(o.src.Meta)),
		Parts:    workloadParts(apiVersion, kind),
	}
	maps.Copy(r.Meta, o.src.Meta)
	r.Meta["apiVersion"], r.Meta["kind"], r.Meta["name"], r.Meta["namespace"] = apiVersion, kind, name, ns
	delete(r.Meta, "ignore")
	if ids := ignoredChecks(graph.ValueAt(r.Attrs, nil).Get("metadata")); ids != "" {
		r.Meta["ignore"] = ids
	}
	r.CallChain = append(append([]graph.Related(nil), o.src.CallChain...), built)
	o.t.record(r, nil)
	return r
}

// sortDiags orders diagnostics by place, then text, for deterministic output.
func sortDiags(ds graph.Diagnostics) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Range, ds[j].Range
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return ds[i].Detail < ds[j].Detail
	})
}

// maxRootObjects bounds the objects one root kustomization builds, against trees that
// reach the same manifests through many paths; a variable so that tests can lower it.
var maxRootObjects = 200000

// maxKustomizeDepth bounds the chain of overlays followed, against absurd or cyclic trees.
const maxKustomizeDepth = 32
