package kubernetes

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

// patch applies one patch of k to the objects it targets, and returns the objects (a
// strategic-merge patch may delete one). A patch it cannot apply is a warning, never a
// silent miss.
func (b *builder) patch(k *Kustomization, p Patch, objs []*kobj) []*kobj {
	where := lineRange(k.Path, p.Line)
	name := p.File
	if name == "" {
		name = "the inline patch"
	}
	docs, err := b.patchDocs(k, p)
	if errors.Is(err, errNotInScan) {
		b.warn(where, name+" is not in the scan")
		return objs
	}
	if err != nil {
		b.warn(where, name+" does not parse: "+err.Error())
		return objs
	}
	if len(docs) == 0 {
		return objs
	}
	if p.Target != nil && p.Target.LabelSelector != "" || p.Target != nil && p.Target.AnnotationSelector != "" {
		if _, ok := parseEqualitySelector(p.Target.LabelSelector); !ok {
			b.warn(where, name+": its target's labelSelector uses set-based requirements, which are not evaluated")
			return objs
		}
		if _, ok := parseEqualitySelector(p.Target.AnnotationSelector); !ok {
			b.warn(where, name+": its target's annotationSelector uses set-based requirements, which are not evaluated")
			return objs
		}
	}
	if p.Target != nil {
		if err := p.Target.compile(); err != nil {
			b.warn(where, name+": "+err.Error())
			return objs
		}
	}
	for _, doc := range docs {
		if doc == nil || doc.kind != tMap && doc.kind != tList {
			// kustomize refuses such a patch; merged, it would replace the whole object.
			b.warn(where, name+" is neither an object (a strategic-merge patch) nor a list of JSON patch operations")
			continue
		}
		json := isJSONPatch(doc)
		if p.JSON6902 && !json {
			b.warn(where, name+" is listed under patchesJson6902 but is not a list of JSON patch operations")
			continue
		}
		var targets []*kobj
		switch {
		case p.Target != nil:
			for _, o := range objs {
				if p.Target.matches(o) {
					targets = append(targets, o)
				}
			}
		case json:
			b.warn(where, name+" is a JSON patch without a target")
			continue
		default:
			id := idOf(doc)
			for _, o := range objs {
				if id.matches(o) {
					targets = append(targets, o)
				}
			}
		}
		if len(targets) == 0 {
			why := "; it is not scanned as a resource"
			if out := b.outside(k, map[string]bool{}); len(out) > 0 {
				more := ""
				if len(out) > 3 {
					out, more = out[:3], ", ..."
				}
				why = "; its target may come from entries the scan does not build (" + strings.Join(out, ", ") + more + ")"
			}
			b.warn(where, name+" matches no object that "+k.Path+" builds from the files of the scan"+why)
			continue
		}
		for _, o := range targets {
			if json {
				if err := applyJSONPatch(o.tree(), doc); err != nil {
					b.warn(where, name+": "+err.Error())
				}
				continue
			}
			// A patch takes its target's identity: the kind and name it writes (a
			// placeholder under a selector, the name before a base's prefix, suffix or
			// namespace otherwise) select what it patches and must not rename it.
			pd := doc.clone()
			pd.del("apiVersion")
			pd.del("kind")
			if m := pd.get("metadata"); m != nil && m.kind == tMap {
				m.del("name")
				m.del("namespace")
			}
			base := o.tree()
			merged := smpMerge(base, pd, 0)
			if merged == nil {
				o.deleted = true
				continue
			}
			keepIdentity(base, merged)
			o.t = merged
		}
		kept := objs[:0:0]
		for _, o := range objs {
			if !o.deleted {
				kept = append(kept, o)
			}
		}
		objs = kept
	}
	return objs
}

// keepIdentity gives merged the kind, apiVersion, name and namespace of base where it has
// none: a patch with $patch: replace writes the whole object, but not its identity.
func keepIdentity(base, merged *tnode) {
	if base == nil || base.kind != tMap || merged == nil || merged.kind != tMap {
		return
	}
	for _, k := range []string{"apiVersion", "kind"} {
		if v := base.get(k); v != nil && merged.get(k) == nil {
			merged.set(k, v)
		}
	}
	bm := base.get("metadata")
	if bm == nil || bm.kind != tMap {
		return
	}
	for _, k := range []string{"name", "namespace"} {
		if v := bm.get(k); v != nil && merged.at("metadata", k) == nil {
			merged.ensureMap("metadata", bm.info).set(k, v)
		}
	}
}

// outside returns the resources entries of k and its bases that the scan does not hold:
// remote targets, and paths that are neither a kustomization nor a manifest of the scan.
func (b *builder) outside(k *Kustomization, active map[string]bool) []string {
	dir := path.Dir(k.Path)
	if active[dir] || len(active) >= maxKustomizeDepth {
		return nil
	}
	active[dir] = true
	var out []string
	for _, e := range append(append([]string(nil), k.Resources...), k.Components...) {
		p, ok := localEntry(k.Path, e)
		switch {
		case !ok:
			out = append(out, e)
		case b.byDir[p] != nil:
			out = append(out, b.outside(b.byDir[p], active)...)
		case b.byFile[p] == nil:
			out = append(out, p)
		}
	}
	return out
}

// patchDocs returns the documents of a patch, read once per file.
func (b *builder) patchDocs(k *Kustomization, p Patch) ([]*tnode, error) {
	if p.File == "" {
		docs, err := readPatch(k.Path, []byte(p.Inline))
		info := &graph.AttrInfo{Range: lineRange(k.Path, p.Line)}
		for _, d := range docs {
			d.withInfo(info)
		}
		return docs, err
	}
	if c, ok := b.patchC[p.File]; ok {
		return cloneAll(c.docs), c.err
	}
	var c patchContent
	src, ok := b.files(p.File)
	if !ok {
		c.err = errNotInScan
	} else {
		c.docs, c.err = readPatch(p.File, src)
	}
	b.patchC[p.File] = c
	return cloneAll(c.docs), c.err
}

type scanError string

func (e scanError) Error() string { return string(e) }

const errNotInScan = scanError("the file is not in the scan")

func cloneAll(ns []*tnode) []*tnode {
	out := make([]*tnode, len(ns))
	for i, n := range ns {
		out[i] = n.clone()
	}
	return out
}

// matches reports whether a strategic-merge patch with this id targets o: same kind and
// name (as written or as renamed since), same namespace when the patch names one, same
// API group when it gives an apiVersion.
func (id objectID) matches(o *kobj) bool {
	if id.kind == "" || id.kind != o.kind() || id.name == "" {
		return false
	}
	if id.group != "" && id.group != group(o.apiVersion()) {
		return false
	}
	return contains(o.names, id.name) && (id.namespace == "" || slices.ContainsFunc(o.namespaces, func(ns string) bool {
		// An object written without a namespace is in "default", as kustomize sees it.
		return orDefault(ns) == orDefault(id.namespace)
	}))
}

// matches reports whether a patch target selects o. kind, name and namespace are
// anchored regular expressions, as in kustomize; a target whose patterns do not compile
// selects nothing (patch warns about it).
func (t *PatchTarget) matches(o *kobj) bool {
	if t.compile() != nil {
		return false
	}
	if !t.kind.match(o.kind()) {
		return false
	}
	av := o.apiVersion()
	if t.Group != "" && t.Group != group(av) {
		return false
	}
	if t.Version != "" && t.Version != av[strings.LastIndexByte(av, '/')+1:] {
		return false
	}
	if !t.name.matchAny(o.names) || !t.namespace.matchAny(o.namespaces) {
		return false
	}
	if t.LabelSelector != "" && !selectorMatches(t.LabelSelector, o.tree().at("metadata", "labels")) {
		return false
	}
	return t.AnnotationSelector == "" || selectorMatches(t.AnnotationSelector, o.tree().at("metadata", "annotations"))
}

// compile compiles the target's patterns on first use and returns the error of the first
// one that is not a valid regular expression.
func (t *PatchTarget) compile() error {
	if t.compiled {
		return t.compileErr
	}
	t.compiled = true
	for _, c := range []struct {
		field, src string
		dst        **pattern
	}{{"kind", t.Kind, &t.kind}, {"name", t.Name, &t.name}, {"namespace", t.Namespace, &t.namespace}} {
		p, err := compilePattern(c.src)
		if err != nil {
			t.compileErr = fmt.Errorf("its target's %s %q is not a valid regular expression: %w", c.field, c.src, err)
			return t.compileErr
		}
		*c.dst = p
	}
	return nil
}

// pattern is an anchored regular expression of a patch target; nil matches anything.
type pattern struct {
	// literal is the pattern itself when it has no metacharacters: compared, not run.
	literal string
	re      *regexp.Regexp
}

func compilePattern(src string) (*pattern, error) {
	if src == "" {
		return nil, nil
	}
	if regexp.QuoteMeta(src) == src {
		return &pattern{literal: src}, nil
	}
	re, err := regexp.Compile("^(?:" + src + ")$")
	if err != nil {
		return nil, err
	}
	return &pattern{re: re}, nil
}

func (p *pattern) match(s string) bool {
	switch {
	case p == nil:
		return true
	case p.re == nil:
		return p.literal == s
	default:
		return p.re.MatchString(s)
	}
}

func (p *pattern) matchAny(ss []string) bool {
	if p == nil {
		return true
	}
	for _, s := range ss {
		if p.match(s) {
			return true
		}
	}
	return false
}

// requirement is one term of an equality-based selector: key=value, key!=value, key, !key.
type requirement struct {
	key, value string
	op         string // "=", "!=", "exists", "!exists"
}

// parseEqualitySelector parses an equality-based selector; ok is false for set-based
// terms (in, notin), which are not evaluated.
func parseEqualitySelector(s string) ([]requirement, bool) {
	var out []requirement
	for _, term := range strings.Split(s, ",") {
		term = strings.TrimSpace(term)
		switch {
		case term == "":
		case strings.ContainsAny(term, "() "):
			return nil, false
		case strings.Contains(term, "!="):
			kv := strings.SplitN(term, "!=", 2)
			out = append(out, requirement{strings.TrimSpace(kv[0]), strings.TrimSpace(kv[1]), "!="})
		case strings.Contains(term, "="):
			kv := strings.SplitN(strings.Replace(term, "==", "=", 1), "=", 2)
			out = append(out, requirement{strings.TrimSpace(kv[0]), strings.TrimSpace(kv[1]), "="})
		case strings.HasPrefix(term, "!"):
			out = append(out, requirement{key: strings.TrimSpace(term[1:]), op: "!exists"})
		default:
			out = append(out, requirement{key: term, op: "exists"})
		}
	}
	return out, true
}

func selectorMatches(s string, labels *tnode) bool {
	reqs, ok := parseEqualitySelector(s)
	if !ok {
		return false
	}
	for _, r := range reqs {
		v, has := labels.get(r.key).str()
		switch r.op {
		case "=":
			if !has || v != r.value {
				return false
			}
		case "!=":
			if has && v == r.value {
				return false
			}
		case "exists":
			if labels.get(r.key) == nil {
				return false
			}
		case "!exists":
			if labels.get(r.key) != nil {
				return false
			}
		}
	}
	return true
}

// podSpecs returns the pod specs of a built object, where its kind keeps them.
func podSpecs(o *kobj) []*tnode {
	if o.src.Parts["pod"] == nil {
		// Not a workload: it has no pod spec to change, nor a tree to make for it.
		return nil
	}
	var out []*tnode
	for _, p := range [][]string{
		{"spec"}, {"spec", "template", "spec"}, {"spec", "jobTemplate", "spec", "template", "spec"},
	} {
		if s := o.tree().at(p...); s != nil && s.kind == tMap && (s.get("containers") != nil || s.get("initContainers") != nil) {
			out = append(out, s)
		}
	}
	return out
}

// setImages applies one images entry to the containers of o. kustomize matches the
// image's name: the image without its tag or digest.
func setImages(o *kobj, img ImageRule, info *graph.AttrInfo) {
	if o.src.Parts["pod"] == nil {
		// Another kind (a custom resource with a pod template): kustomize rewrites the
		// images of containers lists wherever they are.
		if o.t == nil && !imageNamed(o.src.Attrs, img.Name, false, 0) {
			// Nothing to rewrite, nor a tree to make for it.
			return
		}
		eachContainerList(o.tree(), 0, func(list *tnode) { rewriteImages(list, img, info) })
		return
	}
	for _, spec := range podSpecs(o) {
		for _, field := range []string{"containers", "initContainers", "ephemeralContainers"} {
			rewriteImages(spec.get(field), img, info)
		}
	}
}

// containerFields are the lists whose items' images kustomize rewrites in any kind.
var containerFields = map[string]bool{"containers": true, "initContainers": true}

// imageNamed reports whether v holds a containers list with an image named name; inList
// is set below such a list's items.
func imageNamed(v cty.Value, name string, inList bool, depth int) bool {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || depth > maxTreeDepth {
		return false
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			key := k.AsString()
			if inList && key == "image" && e.IsKnown() && !e.IsNull() && e.Type() == cty.String {
				if n, _, _ := splitImage(e.AsString()); n == name {
					return true
				}
			}
			if imageNamed(e, name, containerFields[key], depth+1) {
				return true
			}
		}
	case ty.IsTupleType() || ty.IsListType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if imageNamed(e, name, inList, depth+1) {
				return true
			}
		}
	}
	return false
}

// eachContainerList calls f with every containers or initContainers list below n.
func eachContainerList(n *tnode, depth int, f func(*tnode)) {
	if n == nil || depth > maxTreeDepth {
		return
	}
	switch n.kind {
	case tMap:
		for i, k := range n.keys {
			if containerFields[k] && n.vals[i] != nil && n.vals[i].kind == tList {
				f(n.vals[i])
			}
			eachContainerList(n.vals[i], depth+1, f)
		}
	case tList:
		for _, it := range n.items {
			eachContainerList(it, depth+1, f)
		}
	}
}

// rewriteImages applies one images entry to the containers of list.
func rewriteImages(list *tnode, img ImageRule, info *graph.AttrInfo) {
	if list == nil || list.kind != tList {
		return
	}
	for _, c := range list.items {
		cur := c.get("image")
		s, ok := cur.str()
		if !ok {
			continue
		}
		name, tag, digest := splitImage(s)
		if name != img.Name {
			continue
		}
		if img.NewName != "" {
			name = img.NewName
		}
		switch {
		case img.Digest != "":
			tag, digest = "", img.Digest
		case img.NewTag != "":
			tag, digest = img.NewTag, ""
		}
		out := name
		if tag != "" {
			out += ":" + tag
		}
		if digest != "" {
			out += "@" + digest
		}
		if out == s {
			continue
		}
		n := scalarNode(out, &graph.AttrInfo{Range: info.Range})
		if cur.info != nil {
			n.info.Origins = append([]graph.Related{{Range: cur.info.Range, Message: "the image as its base writes it"}}, cur.info.Origins...)
		}
		c.set("image", n)
	}
}

// splitImage cuts an image reference into its name, tag and digest.
func splitImage(s string) (name, tag, digest string) {
	name = s
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name, digest = name[:i], name[i+1:]
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 && !strings.Contains(name[i:], "/") {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

// labelPlace is one place kustomize writes common labels to: a path of mapping keys
// (a "[]" step walks every item of a list), for the kinds listed, created when missing
// when create is set.
type labelPlace struct {
	kinds  []string
	path   []string
	create bool
}

var workloadKinds = []string{"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"}

// selectorPlaces and templatePlaces are kustomize's builtin label field specs for the
// kinds the checks read (affinity and topology-spread selectors are not rewritten).
var (
	selectorPlaces = []labelPlace{
		{[]string{"Service", "ReplicationController"}, []string{"spec", "selector"}, true},
		{workloadKinds, []string{"spec", "selector", "matchLabels"}, true},
		{[]string{"Job", "PodDisruptionBudget"}, []string{"spec", "selector", "matchLabels"}, false},
		{[]string{"CronJob"}, []string{"spec", "jobTemplate", "spec", "selector", "matchLabels"}, false},
		{[]string{"NetworkPolicy"}, []string{"spec", "podSelector", "matchLabels"}, false},
		{[]string{"NetworkPolicy"}, []string{"spec", "ingress", "[]", "from", "[]", "podSelector", "matchLabels"}, false},
		{[]string{"NetworkPolicy"}, []string{"spec", "egress", "[]", "to", "[]", "podSelector", "matchLabels"}, false},
	}
	templatePlaces = []labelPlace{
		{append([]string{"ReplicationController", "Job"}, workloadKinds...), []string{"spec", "template", "metadata", "labels"}, true},
		{[]string{"CronJob"}, []string{"spec", "jobTemplate", "metadata", "labels"}, true},
		{[]string{"CronJob"}, []string{"spec", "jobTemplate", "spec", "template", "metadata", "labels"}, true},
		{[]string{"StatefulSet"}, []string{"spec", "volumeClaimTemplates", "[]", "metadata", "labels"}, true},
	}
)

// addLabels adds a label rule's labels to o: to its metadata, and to its selectors and
// pod templates when the rule says so.
func addLabels(o *kobj, l LabelRule, info *graph.AttrInfo) {
	places := []labelPlace{{nil, []string{"metadata", "labels"}, true}}
	if l.Selectors {
		places = append(places, selectorPlaces...)
	}
	if l.Templates {
		places = append(places, templatePlaces...)
	}
	kind := o.kind()
	for _, pl := range places {
		if pl.kinds != nil && !contains(pl.kinds, kind) {
			continue
		}
		for _, m := range labelMaps(o.tree(), pl.path, pl.create, info) {
			for _, k := range slices.Sorted(maps.Keys(l.Pairs)) {
				m.setString(k, l.Pairs[k], info)
			}
		}
	}
}

// labelMaps returns the mappings at path below n, creating the missing ones when create.
func labelMaps(n *tnode, p []string, create bool, info *graph.AttrInfo) []*tnode {
	if n == nil || n.kind != tMap && !(len(p) > 0 && p[0] == "[]") {
		return nil
	}
	if len(p) == 0 {
		return []*tnode{n}
	}
	if p[0] == "[]" {
		if n.kind != tList {
			return nil
		}
		var out []*tnode
		for _, it := range n.items {
			out = append(out, labelMaps(it, p[1:], create, info)...)
		}
		return out
	}
	c := n.get(p[0])
	if c == nil || (c.kind == tScalar && c.v.IsNull()) {
		if !create || (len(p) > 1 && p[1] == "[]") {
			return nil
		}
		c = n.ensureMap(p[0], info)
	}
	return labelMaps(c, p[1:], create, info)
}

// renameObjects adds k's prefix and suffix to the names of objs, and to the references by
// name between them that the checks follow: a pod's service account, config maps and
// secrets, a binding's role and service-account subjects, an Ingress's backend Service.
func renameObjects(k *Kustomization, objs []*kobj) {
	info := &graph.AttrInfo{Range: lineRange(k.Path, k.lines["namePrefix"])}
	if k.NamePrefix == "" {
		info = &graph.AttrInfo{Range: lineRange(k.Path, k.lines["nameSuffix"])}
	}
	renamed := map[string]string{} // kind/old name -> new name
	saNS := map[string]string{}    // old name of a ServiceAccount -> its namespace
	for _, o := range objs {
		kind := o.kind()
		// kustomize never renames these: their names are fixed by what they define.
		if kind == "CustomResourceDefinition" || kind == "Namespace" ||
			(kind == "APIService" && group(o.apiVersion()) == "apiregistration.k8s.io") {
			continue
		}
		old, ok := o.tree().at("metadata", "name").str()
		if !ok || old == "" {
			continue
		}
		nw := k.NamePrefix + old + k.NameSuffix
		o.tree().ensureMap("metadata", info).set("name", scalarNode(nw, info))
		o.names = append(o.names, nw)
		renamed[kind+"/"+old] = nw
		if kind == "ServiceAccount" {
			saNS[old] = orDefault(o.namespaces[len(o.namespaces)-1])
		}
	}
	ref := func(n *tnode, key, kind string) {
		if n == nil || n.kind != tMap {
			return
		}
		if s, ok := n.get(key).str(); ok {
			if nw, ok := renamed[kind+"/"+s]; ok {
				n.set(key, scalarNode(nw, info))
			}
		}
	}
	each := func(n *tnode, f func(*tnode)) {
		if n != nil && n.kind == tList {
			for _, it := range n.items {
				f(it)
			}
		}
	}
	for _, o := range objs {
		for _, spec := range podSpecs(o) {
			ref(spec, "serviceAccountName", "ServiceAccount")
			ref(spec, "serviceAccount", "ServiceAccount")
			each(spec.get("imagePullSecrets"), func(n *tnode) { ref(n, "name", "Secret") })
			each(spec.get("volumes"), func(v *tnode) {
				ref(v.get("configMap"), "name", "ConfigMap")
				ref(v.get("secret"), "secretName", "Secret")
				ref(v.get("persistentVolumeClaim"), "claimName", "PersistentVolumeClaim")
			})
			for _, field := range []string{"containers", "initContainers"} {
				each(spec.get(field), func(c *tnode) {
					each(c.get("env"), func(e *tnode) {
						ref(e.at("valueFrom", "configMapKeyRef"), "name", "ConfigMap")
						ref(e.at("valueFrom", "secretKeyRef"), "name", "Secret")
					})
					each(c.get("envFrom"), func(e *tnode) {
						ref(e.get("configMapRef"), "name", "ConfigMap")
						ref(e.get("secretRef"), "name", "Secret")
					})
				})
			}
		}
		switch o.kind() {
		case "RoleBinding", "ClusterRoleBinding":
			rr := o.tree().get("roleRef")
			if kind, ok := rr.get("kind").str(); ok {
				ref(rr, "name", kind)
			}
			each(o.tree().get("subjects"), func(s *tnode) {
				// A subject names an account in its own namespace: one of the same
				// name elsewhere is not the renamed one.
				kind, _ := s.get("kind").str()
				name, _ := s.get("name").str()
				ns, _ := s.get("namespace").str()
				if kind == "ServiceAccount" && orDefault(ns) == saNS[name] {
					ref(s, "name", "ServiceAccount")
				}
			})
		case "Ingress":
			each(o.tree().at("spec", "rules"), func(rule *tnode) {
				each(rule.at("http", "paths"), func(p *tnode) {
					ref(p.at("backend", "service"), "name", "Service")
					ref(p.get("backend"), "serviceName", "Service")
				})
			})
			ref(o.tree().at("spec", "defaultBackend", "service"), "name", "Service")
		}
	}
}
