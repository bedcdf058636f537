package kubernetes

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

const kustomizedApp = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1.0}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: []
`

// parseFiles parses manifests by display path, in the given order.
func parseFiles(t *testing.T, files ...[2]string) []*graph.Resource {
	t.Helper()
	var out []*graph.Resource
	for _, f := range files {
		rs, diags := Parse(f[0], []byte(f[1]))
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f[0], diags)
		}
		out = append(out, rs...)
	}
	return out
}

func kustomization(t *testing.T, p, src string) Kustomization {
	t.Helper()
	k, ok := ReadKustomization(p, []byte(src))
	if !ok {
		t.Fatalf("%s: not read as a kustomization", p)
	}
	return k
}

// kbuild applies the kustomizations to rs and links the result, as a scan does.
func kbuild(t *testing.T, rs []*graph.Resource, ks ...Kustomization) []*graph.Resource {
	t.Helper()
	out, diags := Kustomize(rs, ks, nil)
	if diags.HasErrors() {
		t.Fatalf("kustomize: %v", diags)
	}
	Link(out)
	return out
}

func addresses(rs []*graph.Resource) map[string]bool {
	out := map[string]bool{}
	for _, r := range rs {
		out[r.Address] = true
	}
	return out
}

func TestKustomizationNamespaceReachesTheFilesItLists(t *testing.T) {
	rs := parseFiles(t,
		[2]string{"deploy/app.yaml", kustomizedApp},
		[2]string{"deploy/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}}\n"},
		[2]string{"other/app.yaml", kustomizedApp})
	k := kustomization(t, "deploy/kustomization.yaml", "namespace: shop\nresources:\n  - app.yaml\n  - ./svc.yaml\n  - https://github.com/example/base?ref=v1\n")
	rs = kbuild(t, rs, k)
	got := addresses(rs)
	for _, want := range []string{
		"apps/v1/Deployment/shop/web",                     // given the kustomization's namespace
		"rbac.authorization.k8s.io/v1/ClusterRole/reader", // cluster-scoped: no namespace
		"apps/v1/Deployment/default/web",                  // other/app.yaml is not listed
		"v1/Service/shop/web",
	} {
		if !got[want] {
			t.Errorf("missing %s; have %v", want, got)
		}
	}
	if rs[0].Meta["namespace"] != "shop" {
		t.Errorf("namespace = %q, want shop", rs[0].Meta["namespace"])
	}
	// The Service selects the Deployment now that both are in shop.
	g := graph.New(rs)
	if refs := g.References(rs[2], "Deployment"); len(refs) != 1 || refs[0].Address != "apps/v1/Deployment/shop/web" {
		t.Errorf("service references = %v, want the shop Deployment", refs)
	}
}

func TestOverlayNamespaceOverridesItsBase(t *testing.T) {
	rs := parseFiles(t, [2]string{"k/base/app.yaml", kustomizedApp})
	rs = kbuild(t, rs,
		kustomization(t, "k/base/kustomization.yaml", "namespace: base\nresources: [app.yaml]\n"),
		kustomization(t, "k/overlays/prod/kustomization.yml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources: [../../base]\n"))
	if ns := rs[0].Meta["namespace"]; ns != "prod" {
		t.Errorf("namespace = %q, want prod", ns)
	}
}

func TestBaseListedByTwoOverlaysIsBuiltByEach(t *testing.T) {
	files := map[string]string{
		"base/app.yaml":           hardenedBase,
		"base/kustomization.yaml": "resources: [app.yaml]\n",
		"dev/kustomization.yaml":  "namespace: dev\nresources: [../base]\npatches: [{path: debug.yaml}]\n",
		"dev/debug.yaml":          debugPatch,
		"prod/kustomization.yaml": "namespace: prod\nresources: [../base]\n",
	}
	rs, diags := scanTree(t, files)
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	if len(rs) != 2 {
		t.Fatalf("resources = %v, want the base Deployment as dev and as prod build it", addresses(rs))
	}
	dev, prod := find(t, rs, "apps/v1/Deployment/dev/api"), find(t, rs, "apps/v1/Deployment/prod/api")
	if v, _ := dev.Get("spec", "template", "spec", "containers", 0, "securityContext", "privileged").Bool(); !v {
		t.Error("dev's patch is not applied to dev's copy")
	}
	if prod.Get("spec", "template", "spec", "containers", 0, "securityContext", "privileged").Exists() {
		t.Error("dev's patch leaked into prod's copy")
	}
	for _, c := range []struct {
		r    *graph.Resource
		root string
	}{{dev, "dev/kustomization.yaml"}, {prod, "prod/kustomization.yaml"}} {
		if n := len(c.r.CallChain); n != 1 || c.r.CallChain[0].Range.File != c.root {
			t.Errorf("%s: call chain %v, want its root %s", c.r.Address, c.r.CallChain, c.root)
		}
	}
	// Scanned alone, the base is its own root and is built as written.
	delete(files, "dev/kustomization.yaml")
	delete(files, "prod/kustomization.yaml")
	delete(files, "dev/debug.yaml")
	rs, _ = scanTree(t, files)
	if r := find(t, rs, "apps/v1/Deployment/default/api"); r.CallChain[0].Range.File != "base/kustomization.yaml" {
		t.Errorf("call chain %v, want the base kustomization", r.CallChain)
	}
}

func TestCyclicKustomizationsEnd(t *testing.T) {
	rs := parseFiles(t, [2]string{"a/app.yaml", kustomizedApp})
	rs = kbuild(t, rs,
		kustomization(t, "a/kustomization.yaml", "namespace: a\nresources: [app.yaml, ../b]\n"),
		kustomization(t, "b/kustomization.yaml", "namespace: b\nresources: [../a]\n"),
		kustomization(t, "c/kustomization.yaml", "namespace: c\nresources: [../c]\n"))
	// a and b include each other: neither is a root, so the first of them is built as one,
	// and the build stops where the cycle closes.
	if ns := rs[0].Meta["namespace"]; ns != "a" {
		t.Errorf("namespace = %q, want a", ns)
	}
}

func TestReadKustomizationRejectsOtherFiles(t *testing.T) {
	for _, c := range []struct{ path, src string }{
		{"deploy/app.yaml", "namespace: x\n"},
		{"deploy/kustomization.yaml", "apiVersion: v1\nkind: ConfigMap\n"},
		{"deploy/kustomization.yaml", ":\n\t- broken"},
	} {
		if k, ok := ReadKustomization(c.path, []byte(c.src)); ok {
			t.Errorf("%s %q: read as %+v", c.path, c.src, k)
		}
	}
}

const hardenedBase = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: api
          image: api:1.2
          securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}
`

const debugPatch = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            privileged: true
`

// scanTree parses a tree of files the way a scan does (manifests, kustomizations, the
// rest only as content) and builds its kustomizations; it returns the resources to check,
// linked, and the diagnostics.
func scanTree(t *testing.T, files map[string]string) ([]*graph.Resource, graph.Diagnostics) {
	t.Helper()
	var (
		rs []*graph.Resource
		ks []Kustomization
	)
	for _, p := range slices.Sorted(maps.Keys(files)) {
		src := []byte(files[p])
		if k, ok := ReadKustomization(p, src); ok {
			ks = append(ks, k)
			continue
		}
		if Detect(p, src) {
			got, diags := Parse(p, src)
			if diags.HasErrors() {
				t.Fatalf("%s: %v", p, diags)
			}
			rs = append(rs, got...)
		}
	}
	out, diags := Kustomize(rs, ks, func(p string) ([]byte, bool) {
		s, ok := files[p]
		return []byte(s), ok
	})
	Link(out)
	return out, diags
}

// find returns the resource at address, failing the test when there is not exactly one.
func find(t *testing.T, rs []*graph.Resource, addr string) *graph.Resource {
	t.Helper()
	var out *graph.Resource
	for _, r := range rs {
		if r.Address == addr {
			if out != nil {
				t.Fatalf("two resources at %s", addr)
			}
			out = r
		}
	}
	if out == nil {
		t.Fatalf("no resource at %s; have %v", addr, addresses(rs))
	}
	return out
}

func TestPatchFilesAreNotScannedAsResources(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"base/app.yaml":           hardenedBase,
		"base/kustomization.yaml": "resources: [app.yaml]\n",
		"prod/debug.yaml":         debugPatch,
		"prod/smp.yaml":           debugPatch,
		"prod/json.yaml":          "- op: add\n  path: /spec/replicas\n  value: 3\n",
		"prod/missing.yaml":       "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gone}\nspec: {replicas: 1}\n",
		"prod/kustomization.yaml": "namespace: prod\nresources: [../base]\npatches:\n  - path: debug.yaml\n  - path: missing.yaml\npatchesStrategicMerge: [smp.yaml]\npatchesJson6902:\n  - target: {kind: Deployment, name: api}\n    path: json.yaml\n",
	})
	if len(rs) != 1 || rs[0].Range.File != "base/app.yaml" {
		t.Fatalf("resources = %v, want only the base Deployment as built", addresses(rs))
	}
	if rs[0].Address != "apps/v1/Deployment/prod/api" {
		t.Errorf("address = %s", rs[0].Address)
	}
	// The one patch whose target is not built says so, once.
	if len(diags) != 1 || diags[0].Severity != graph.DiagWarning || !strings.Contains(diags[0].Detail, "prod/missing.yaml matches no object") {
		t.Errorf("diagnostics = %v, want one warning about prod/missing.yaml", diags)
	}
	if diags[0].Range.File != "prod/kustomization.yaml" || diags[0].Range.Start.Line != 5 {
		t.Errorf("warning at %v, want the patch entry, prod/kustomization.yaml:5", diags[0].Range)
	}
	if n, _ := rs[0].Get("spec", "replicas").Int(); n != 3 {
		t.Errorf("replicas = %v, want 3 from the JSON patch", rs[0].Get("spec", "replicas"))
	}
}

func TestStrategicMergeFollowsListKeysAndDirectives(t *testing.T) {
	base := `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {app: api}}
spec:
  template:
    spec:
      volumes:
        - name: tmp
          emptyDir: {}
        - name: cache
          emptyDir: {}
      containers:
        - name: api
          image: api:1
          env:
            - {name: A, value: "1"}
            - {name: B, value: "2"}
          ports:
            - {containerPort: 8080, name: http}
        - name: sidecar
          image: side:1
`
	patch := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {tier: back}
spec:
  template:
    spec:
      volumes:
        - name: cache
          $patch: delete
      containers:
        - name: api
          env:
            - {name: B, value: "3"}
            - {name: C, value: "4"}
          ports:
            - {containerPort: 8080, protocol: TCP}
        - name: extra
          image: extra:1
`
	rs, diags := scanTree(t, map[string]string{
		"app/base.yaml":          base,
		"app/patch.yaml":         patch,
		"app/kustomization.yaml": "resources: [base.yaml]\npatchesStrategicMerge: [patch.yaml]\n",
	})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	r := find(t, rs, "apps/v1/Deployment/default/api")
	spec := r.Get("spec", "template", "spec")
	if got := len(spec.Get("volumes").List()); got != 1 {
		t.Errorf("volumes = %d, want 1 ($patch: delete removes cache)", got)
	}
	cs := spec.Get("containers")
	var names []string
	for _, c := range cs.List() {
		n, _ := c.Get("name").Str()
		names = append(names, n)
	}
	if strings.Join(names, ",") != "api,sidecar,extra" {
		t.Errorf("containers = %v, want api,sidecar,extra (merged by name, new ones appended)", names)
	}
	env := map[string]string{}
	for _, e := range cs.Get(0).Get("env").List() {
		n, _ := e.Get("name").Str()
		v, _ := e.Get("value").Str()
		env[n] = v
	}
	if env["A"] != "1" || env["B"] != "3" || env["C"] != "4" || len(env) != 3 {
		t.Errorf("env = %v, want A=1 B=3 C=4", env)
	}
	if len(cs.Get(0).Get("ports").List()) != 1 || !cs.Get(0).Get("ports").Get(0).Get("name").Exists() {
		t.Errorf("ports = %v, want the one port, merged by containerPort", cs.Get(0).Get("ports"))
	}
	if img, _ := cs.Get(0).Get("image").Str(); img != "api:1" {
		t.Errorf("image = %q, want the base's", img)
	}
	if l, _ := r.Get("metadata", "labels", "app").Str(); l != "api" {
		t.Error("the base's labels are lost: maps must merge")
	}
	// Positions: what the patch wrote points into it, the rest into the base.
	for _, c := range []struct {
		path []any
		file string
		line int
	}{
		{[]any{"spec", "template", "spec", "containers", 0, "env", 1, "value"}, "app/patch.yaml", 15},
		{[]any{"spec", "template", "spec", "containers", 2, "image"}, "app/patch.yaml", 20},
		{[]any{"spec", "template", "spec", "containers", 0, "image"}, "app/base.yaml", 14},
		{[]any{"metadata", "labels", "tier"}, "app/patch.yaml", 5},
		{[]any{"kind"}, "app/base.yaml", 2},
		{[]any{"metadata", "name"}, "app/base.yaml", 3},
	} {
		got := r.RangeOf(c.path...)
		if got.File != c.file || got.Start.Line != c.line {
			t.Errorf("%v at %v, want %s:%d", graph.Path(c.path), got, c.file, c.line)
		}
	}
}

func TestPatchReplaceAndDeleteDirectives(t *testing.T) {
	rs, _ := scanTree(t, map[string]string{
		"k/app.yaml": kustomizedApp + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\ndata: {a: b}\n",
		"k/kustomization.yaml": `resources: [app.yaml]
patches:
  - patch: |-
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: gone}
      $patch: delete
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
              - $patch: replace
              - {name: only, image: only:1}
`,
	})
	if got := addresses(rs); got["v1/ConfigMap/default/gone"] || len(got) != 2 {
		t.Errorf("resources = %v, want the Deployment and ClusterRole only", got)
	}
	r := find(t, rs, "apps/v1/Deployment/default/web")
	cs := r.Get("spec", "template", "spec", "containers")
	if n, _ := cs.Get(0).Get("name").Str(); len(cs.List()) != 1 || n != "only" {
		t.Errorf("containers = %v, want only the patch's", cs)
	}
	// An inline patch points at its entry in the kustomization.
	if got := r.RangeOf("spec", "template", "spec", "containers", 0, "image"); got.File != "k/kustomization.yaml" || got.Start.Line != 8 {
		t.Errorf("inline patch field at %v, want k/kustomization.yaml:8", got)
	}
}

func TestJSONPatchThatCannotBeAppliedIsAWarning(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"k/app.yaml":  kustomizedApp,
		"k/move.yaml": "- {op: move, from: /spec/a, path: /spec/b}\n",
		"k/bad.yaml":  "- {op: replace, path: /spec/missing/x, value: 1}\n",
		"k/kustomization.yaml": `resources: [app.yaml]
patches:
  - path: move.yaml
    target: {kind: Deployment}
  - path: bad.yaml
    target: {kind: Deploy.*, name: web}
`,
	})
	if len(rs) != 2 {
		t.Errorf("resources = %v", addresses(rs))
	}
	if len(diags) != 2 {
		t.Fatalf("diagnostics = %v, want one warning per patch", diags)
	}
	for i, want := range []string{`"move" is not supported`, `"missing" does not exist`} {
		if !strings.Contains(diags[i].Detail, want) || diags[i].Severity != graph.DiagWarning {
			t.Errorf("diagnostic %d = %v, want a warning saying %s", i, diags[i], want)
		}
	}
}

func TestCommonLabelsReachSelectorsAndTemplates(t *testing.T) {
	files := map[string]string{
		"o/app.yaml":    kustomizedApp,
		"o/policy.yaml": "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {matchLabels: {team: a}}\n",
		"o/empty.yaml":  "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all}\nspec: {podSelector: {}}\n",
		"o/svc.yaml":    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n",
	}
	files["o/kustomization.yaml"] = "resources: [app.yaml, policy.yaml, empty.yaml, svc.yaml]\ncommonLabels: {team: a}\n"
	rs, _ := scanTree(t, files)
	d := find(t, rs, "apps/v1/Deployment/default/web")
	for _, p := range [][]any{{"metadata", "labels"}, {"spec", "selector", "matchLabels"}, {"spec", "template", "metadata", "labels"}} {
		if v, _ := d.Get(p...).Get("team").Str(); v != "a" {
			t.Errorf("%v has no team label", graph.Path(p))
		}
	}
	if v, _ := find(t, rs, "v1/Service/default/web").Get("spec", "selector", "team").Str(); v != "a" {
		t.Error("the Service selector is not created with the label")
	}
	if find(t, rs, "networking.k8s.io/v1/NetworkPolicy/default/all").Get("spec", "podSelector", "matchLabels").Exists() {
		t.Error("an empty podSelector must stay empty: it selects every pod")
	}
	g := graph.New(rs)
	if refs := g.References(find(t, rs, "networking.k8s.io/v1/NetworkPolicy/default/p"), "Deployment"); len(refs) != 1 {
		t.Errorf("policy selects %v, want the Deployment", refs)
	}
	if got := d.RangeOf("spec", "template", "metadata", "labels", "team"); got.File != "o/kustomization.yaml" || got.Start.Line != 2 {
		t.Errorf("added label at %v, want the commonLabels line", got)
	}

	// labels without includeSelectors reach metadata and, with includeTemplates, the
	// pod template, never selectors.
	files["o/kustomization.yaml"] = "resources: [app.yaml]\nlabels:\n  - pairs: {team: b}\n    includeTemplates: true\n"
	rs, _ = scanTree(t, files)
	d = find(t, rs, "apps/v1/Deployment/default/web")
	if d.Get("spec", "selector", "matchLabels", "team").Exists() {
		t.Error("labels without includeSelectors changed the selector")
	}
	if v, _ := d.Get("spec", "template", "metadata", "labels", "team").Str(); v != "b" {
		t.Error("includeTemplates did not reach the pod template")
	}
}

func TestNamePrefixRenamesObjectsAndReferences(t *testing.T) {
	rs, _ := scanTree(t, map[string]string{
		"n/app.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: web:1
          envFrom: [{configMapRef: {name: cfg}}, {secretRef: {name: external}}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web}
rules: []
`,
		"n/kustomization.yaml": "namePrefix: p-\nnameSuffix: -s\nresources: [app.yaml]\n",
	})
	d := find(t, rs, "apps/v1/Deployment/default/p-web-s")
	spec := d.Get("spec", "template", "spec")
	if v, _ := spec.Get("serviceAccountName").Str(); v != "p-web-s" {
		t.Errorf("serviceAccountName = %q", v)
	}
	if v, _ := spec.Get("containers", 0, "envFrom", 0, "configMapRef", "name").Str(); v != "p-cfg-s" {
		t.Errorf("configMapRef = %q", v)
	}
	if v, _ := spec.Get("containers", 0, "envFrom", 1, "secretRef", "name").Str(); v != "external" {
		t.Errorf("a reference to an object outside the build = %q, want it unchanged", v)
	}
	b := find(t, rs, "rbac.authorization.k8s.io/v1/RoleBinding/default/p-web-s")
	if v, _ := b.Get("subjects", 0, "name").Str(); v != "p-web-s" {
		t.Errorf("subject = %q", v)
	}
	g := graph.New(rs)
	if refs := g.References(b, "Role"); len(refs) != 1 || refs[0].Address != "rbac.authorization.k8s.io/v1/Role/default/p-web-s" {
		t.Errorf("binding references %v, want the renamed Role", refs)
	}
}

func TestImagesEntriesRewriteMatchingImagesOnly(t *testing.T) {
	for _, c := range []struct{ image, rule, want string }{
		{"nginx", "{name: nginx, newTag: '1.25'}", "nginx:1.25"},
		{"nginx:1.0", "{name: nginx, newName: reg.io/nginx}", "reg.io/nginx:1.0"},
		{"nginx:1.0", "{name: nginx, digest: 'sha256:abc'}", "nginx@sha256:abc"},
		{"reg.io:5000/nginx:1.0", "{name: 'reg.io:5000/nginx', newTag: '2'}", "reg.io:5000/nginx:2"},
		{"nginx-extra:1.0", "{name: nginx, newTag: '2'}", "nginx-extra:1.0"},
	} {
		app := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: '" + c.image + "'}]}\n"
		rs, _ := scanTree(t, map[string]string{"i/pod.yaml": app, "i/kustomization.yaml": "resources: [pod.yaml]\nimages: [" + c.rule + "]\n"})
		if got, _ := find(t, rs, "v1/Pod/default/p").Get("spec", "containers", 0, "image").Str(); got != c.want {
			t.Errorf("%s with %s = %s, want %s", c.image, c.rule, got, c.want)
		}
	}
}

func TestComponentsPatchTheirParentsObjects(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"c/base/app.yaml":             kustomizedApp,
		"c/kustomization.yaml":        "resources: [base/app.yaml]\ncomponents: [comp]\n",
		"c/comp/kustomization.yaml":   "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: [{path: patch.yaml}]\n",
		"c/comp/patch.yaml":           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n",
		"c/comp/unrelated-readme.yml": "title: x\n",
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	if n, _ := find(t, rs, "apps/v1/Deployment/default/web").Get("spec", "replicas").Int(); n != 5 {
		t.Errorf("replicas = %d, want 5 from the component's patch", n)
	}
}

func TestTargetedPatchKeepsEachTargetsName(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"t/app.yaml": kustomizedApp + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 1}\n",
		"t/kustomization.yaml": `resources: [app.yaml]
patches:
  - target: {kind: Deployment, labelSelector: "!skip"}
    patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: not-important}
      spec: {replicas: 2}
`,
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	for _, a := range []string{"apps/v1/Deployment/default/web", "apps/v1/Deployment/default/api"} {
		if n, _ := find(t, rs, a).Get("spec", "replicas").Int(); n != 2 {
			t.Errorf("%s: replicas = %d, want 2", a, n)
		}
	}
}

func TestPatchOfARemoteBaseNamesWhatIsMissing(t *testing.T) {
	_, diags := scanTree(t, map[string]string{
		"ha/kustomization.yaml": "resources: [../base/server, https://example.com/x.yaml]\npatches: [{path: p.yaml}]\n",
		"ha/p.yaml":             debugPatch,
	})
	if len(diags) != 2 || !strings.Contains(diags[0].Detail, "../base/server (base/server) is not in the scan") ||
		!strings.Contains(diags[1].Detail, "entries the scan does not build (base/server, https://example.com/x.yaml)") {
		t.Errorf("diagnostics = %v, want the local entry outside the scan, then the patch naming the entries outside it", diags)
	}
}

func TestKustomizationReachedTwiceIsBuiltOnce(t *testing.T) {
	// A chain where every level lists the next twice: built naively, the bottom Pod is
	// copied 2^levels times.
	const levels = 14
	files := map[string]string{
		"k0/pod.yaml":           "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n",
		"k0/kustomization.yaml": "resources: [pod.yaml]\n",
	}
	for i := 1; i <= levels; i++ {
		prev := "../k" + strconv.Itoa(i-1)
		files["k"+strconv.Itoa(i)+"/kustomization.yaml"] = "resources:\n  - " + prev + "\n  - " + prev + "/\n"
	}
	rs, diags := scanTree(t, files)
	if len(rs) != 1 || rs[0].Address != "v1/Pod/default/p" {
		t.Fatalf("resources = %d (%v), want the Pod once", len(rs), addresses(rs))
	}
	if len(diags) != levels {
		t.Fatalf("diagnostics = %v, want one per level listing its base twice", diags)
	}
	for _, d := range diags {
		if d.Severity != graph.DiagWarning || !strings.Contains(d.Detail, "is listed twice in") || d.Range.Start.Line != 3 {
			t.Errorf("diagnostic %v, want a warning at the second entry", d)
		}
	}

	// A diamond: top lists left and right, both list bottom.
	rs, diags = scanTree(t, map[string]string{
		"d/bottom/app.yaml":           kustomizedApp,
		"d/bottom/kustomization.yaml": "resources: [app.yaml]\n",
		"d/left/kustomization.yaml":   "resources: [../bottom]\n",
		"d/right/kustomization.yaml":  "resources: [../bottom]\n",
		"d/top/kustomization.yaml":    "namespace: top\nresources: [../left, ../right]\n",
	})
	if len(rs) != 2 || !addresses(rs)["apps/v1/Deployment/top/web"] {
		t.Errorf("resources = %v, want the Deployment and ClusterRole once each", addresses(rs))
	}
	if len(diags) != 1 || diags[0].Range.File != "d/right/kustomization.yaml" ||
		!strings.Contains(diags[0].Detail, "is also included through d/left/kustomization.yaml") {
		t.Errorf("diagnostics = %v, want one at right's entry naming left", diags)
	}
}

func TestRootObjectsAreCapped(t *testing.T) {
	defer func(n int) { maxRootObjects = n }(maxRootObjects)
	maxRootObjects = 1
	rs, diags := scanTree(t, map[string]string{
		"c/app.yaml":           kustomizedApp,
		"c/kustomization.yaml": "namespace: c\nresources: [app.yaml]\n",
	})
	if len(rs) != 1 || !addresses(rs)["apps/v1/Deployment/c/web"] {
		t.Errorf("resources = %v, want the first object only", addresses(rs))
	}
	if len(diags) != 1 || diags[0].Summary != "kustomize build truncated" || !strings.Contains(diags[0].Detail, "more than 1 objects") {
		t.Errorf("diagnostics = %v, want one saying the build was truncated", diags)
	}
}

func TestScalarPatchIsAWarningNotAReplacement(t *testing.T) {
	for _, patch := range []string{`"null"`, `"just a string"`, `"42"`} {
		rs, diags := scanTree(t, map[string]string{
			"s/app.yaml":           kustomizedApp,
			"s/kustomization.yaml": "resources: [app.yaml]\npatches:\n  - patch: " + patch + "\n    target: {kind: Deployment}\n",
		})
		r := find(t, rs, "apps/v1/Deployment/default/web")
		if img, _ := r.Get("spec", "template", "spec", "containers", 0, "image").Str(); img != "web:1.0" {
			t.Errorf("%s: image = %q, want the Deployment as written (attrs %#v)", patch, img, r.Attrs)
		}
		if len(diags) != 1 || !strings.Contains(diags[0].Detail, "is neither an object") || diags[0].Range.Start.Line != 3 {
			t.Errorf("%s: diagnostics = %v, want one at the entry", patch, diags)
		}
	}
}

func TestStrategicMergePatchDoesNotRenameItsTarget(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"r/base/app.yaml":           kustomizedApp,
		"r/base/kustomization.yaml": "namePrefix: b-\nnamespace: team\nresources: [app.yaml]\n",
		"r/mid/kustomization.yaml": `nameSuffix: -m
resources: [../base]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: team}
      spec: {replicas: 3}
`,
		"r/ov/kustomization.yaml": `namespace: prod
resources: [../mid]
patches:
  - target: {kind: Deployment, name: b-web-m}
    patch: |-
      - {op: add, path: /spec/template/spec/hostNetwork, value: true}
`,
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	r := find(t, rs, "apps/v1/Deployment/prod/b-web-m")
	if n, _ := r.Get("spec", "replicas").Int(); n != 3 {
		t.Errorf("replicas = %d, want 3 from mid's patch", n)
	}
	if v, _ := r.Get("spec", "template", "spec", "hostNetwork").Bool(); !v {
		t.Error("ov's patch by the built name is not applied")
	}
	if r.Meta["name"] != "b-web-m" || r.Meta["namespace"] != "prod" {
		t.Errorf("meta = %v, want b-web-m in prod", r.Meta)
	}

	// The namespace a patch writes does not move its target back either.
	rs, diags = scanTree(t, map[string]string{
		"n/base/app.yaml":           kustomizedApp,
		"n/base/kustomization.yaml": "namespace: team\nresources: [app.yaml]\n",
		"n/mid/kustomization.yaml": `namespace: stage
resources: [../base]
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: team}
      $patch: replace
      spec: {replicas: 4}
`,
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	r = find(t, rs, "apps/v1/Deployment/stage/web")
	if n, _ := r.Get("spec", "replicas").Int(); n != 4 || r.Get("spec", "template").Exists() {
		t.Errorf("spec = %v, want the replacement's", r.Get("spec"))
	}
}

func TestKustomizationWithAWronglyTypedFieldIsStillBuilt(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"h/base/app.yaml":           kustomizedApp,
		"h/base/kustomization.yaml": "resources: [app.yaml]\n",
		"h/o1/kustomization.yaml":   "resources:\n- ../base\npatches:\n- path: priv.yaml\n- bare.yaml\nnamespace: prod\nnamePrefix: [a]\n",
		"h/o1/priv.yaml":            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {hostNetwork: true}}}\n",
		"h/o1/bare.yaml":            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 7}\n",
	})
	if len(diags) != 2 || diags[0].Range.File != "h/o1/kustomization.yaml" ||
		diags[0].Range.Start.Line != 5 || !strings.HasPrefix(diags[0].Detail, "patches: cannot unmarshal") ||
		diags[1].Range.Start.Line != 7 || !strings.HasPrefix(diags[1].Detail, "namePrefix: cannot unmarshal") {
		t.Errorf("diagnostics = %v, want one at the bare patch path and one at namePrefix", diags)
	}
	if got := addresses(rs); len(got) != 2 {
		t.Errorf("resources = %v, want the base's objects as o1 builds them, no patch file", got)
	}
	if k, ok := ReadKustomization("deploy/kustomization.yaml", []byte("namespace: [not, a, string]\nresources: [a.yaml]\n")); !ok ||
		len(k.diags) != 1 || len(k.Resources) != 1 || k.Namespace != "" {
		t.Errorf("read as %+v, %v; want the resources and one diagnostic", k, ok)
	}
	r := find(t, rs, "apps/v1/Deployment/prod/web")
	if v, _ := r.Get("spec", "template", "spec", "hostNetwork").Bool(); !v {
		t.Error("priv.yaml is not applied")
	}
	if n, _ := r.Get("spec", "replicas").Int(); n != 7 {
		t.Errorf("replicas = %d, want 7 from the patch written as a bare path", n)
	}
}

func TestPatchTargetPatternsAreRegularExpressions(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"p/app.yaml": kustomizedApp + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 1}\n",
		"p/kustomization.yaml": `resources: [app.yaml]
patches:
  - target: {kind: Deploy.*, name: "w.b|api"}
    patch: '[{op: add, path: /spec/replicas, value: 2}]'
  - target: {kind: Deployment, name: "web["}
    patch: '[{op: add, path: /spec/replicas, value: 9}]'
`,
	})
	for _, a := range []string{"apps/v1/Deployment/default/web", "apps/v1/Deployment/default/api"} {
		if n, _ := find(t, rs, a).Get("spec", "replicas").Int(); n != 2 {
			t.Errorf("%s: replicas = %d, want 2", a, n)
		}
	}
	if len(diags) != 1 || diags[0].Range.Start.Line != 5 ||
		!strings.Contains(diags[0].Detail, `its target's name "web[" is not a valid regular expression`) {
		t.Errorf("diagnostics = %v, want one naming the invalid pattern", diags)
	}
}

func TestEntryOutsideTheScanIsAWarning(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"o/base/app.yaml":           kustomizedApp,
		"o/base/kustomization.yaml": "resources: [app.yaml]\n",
		"o/prod/kustomization.yaml": "resources:\n  - ../base\n  - ../extra/cm.yaml\n  - https://example.com/remote.yaml\ncomponents:\n  - ../../components/sec\n",
		"o/dev/kustomization.yaml":  "resources: [../base, ../extra/cm.yaml]\n",
	})
	if len(rs) != 4 {
		t.Errorf("resources = %v, want the base as prod and dev build it", addresses(rs))
	}
	want := []struct {
		file string
		line int
		text string
	}{
		{"o/dev/kustomization.yaml", 1, "../extra/cm.yaml (o/extra/cm.yaml) is not in the scan"},
		{"o/prod/kustomization.yaml", 3, "../extra/cm.yaml (o/extra/cm.yaml) is not in the scan"},
		{"o/prod/kustomization.yaml", 6, "../../components/sec (components/sec) is not in the scan"},
	}
	if len(diags) != len(want) {
		t.Fatalf("diagnostics = %v, want one per local entry outside the scan", diags)
	}
	for i, w := range want {
		d := diags[i]
		if d.Range.File != w.file || d.Range.Start.Line != w.line || !strings.Contains(d.Detail, w.text) {
			t.Errorf("diagnostic %v, want %s:%d %q", d, w.file, w.line, w.text)
		}
	}
}

func TestNamespaceReachesServiceAccountSubjects(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"b/kustomization.yaml": "namespace: prod\nnamePrefix: x-\nresources: [res.yaml]\n",
		"b/res.yaml": `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects:
- {kind: ServiceAccount, name: sa, namespace: default}
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: default, namespace: other}
- {kind: ServiceAccount, name: elsewhere, namespace: default}
- {kind: ServiceAccount, name: moved, namespace: team}
- {kind: ServiceAccount, name: sa, namespace: other}
roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: moved, namespace: team}
`,
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	r := find(t, rs, "rbac.authorization.k8s.io/v1/ClusterRoleBinding/x-crb")
	want := [][2]string{{"x-sa", "prod"}, {"default", "prod"}, {"default", "prod"}, {"elsewhere", "default"},
		{"x-moved", "prod"}, {"sa", "other"}}
	subjects := r.Get("subjects").List()
	if len(subjects) != len(want) {
		t.Fatalf("subjects = %v", r.Get("subjects"))
	}
	for i, w := range want {
		name, _ := subjects[i].Get("name").Str()
		ns, _ := subjects[i].Get("namespace").Str()
		if name != w[0] || ns != w[1] {
			t.Errorf("subject %d = %s/%s, want %s/%s", i, ns, name, w[1], w[0])
		}
	}
}

func TestImagesReachContainersOfOtherKinds(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"i/kustomization.yaml": "resources: [res.yaml]\nimages:\n  - {name: nginx, newName: registry/nginx, digest: 'sha256:abc'}\n",
		"i/res.yaml": `apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  template:
    spec:
      initContainers: [{name: i, image: "nginx:1.0"}]
      containers: [{name: c, image: nginx}, {name: d, image: other}]
  image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {image: nginx}
`,
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	w := find(t, rs, "example.com/v1/Widget/default/w")
	for _, c := range []struct {
		path graph.Path
		want string
	}{
		{graph.Path{"spec", "template", "spec", "containers", 0, "image"}, "registry/nginx@sha256:abc"},
		{graph.Path{"spec", "template", "spec", "initContainers", 0, "image"}, "registry/nginx@sha256:abc"},
		{graph.Path{"spec", "template", "spec", "containers", 1, "image"}, "other"},
		{graph.Path{"spec", "image"}, "nginx"},
	} {
		if got, _ := w.Get(c.path...).Str(); got != c.want {
			t.Errorf("%v = %q, want %q", c.path, got, c.want)
		}
	}
	if got, _ := find(t, rs, "v1/ConfigMap/default/cm").Get("data", "image").Str(); got != "nginx" {
		t.Errorf("config map data = %q, want it untouched", got)
	}
}

// TestKustomizationsInACycleAreStillBuilt: two kustomizations that list each other have
// no root among them; they are built all the same, with a warning about the cycle,
// instead of being left out of the scan in silence.
func TestKustomizationsInACycleAreStillBuilt(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"c/a/app.yaml":           kustomizedApp,
		"c/a/kustomization.yaml": "namespace: cyc\nresources: [app.yaml, ../b]\n",
		"c/b/kustomization.yaml": "resources: [../a]\n",
	})
	if got := addresses(rs); !got["apps/v1/Deployment/cyc/web"] {
		t.Fatalf("resources = %v, want the Deployment built in namespace cyc", got)
	}
	var cycle int
	for _, d := range diags {
		if d.Summary == "kustomization cycle" && d.Severity == graph.DiagWarning && d.Range.File == "c/a/kustomization.yaml" {
			cycle++
		}
	}
	if cycle != 1 {
		t.Errorf("diagnostics = %v, want one cycle warning on c/a", diags)
	}
}

// TestPatchNamingDefaultNamespaceFindsObjectWithoutOne: a patch that writes
// `namespace: default` targets an object written without a namespace, which is in
// "default" too.
func TestPatchNamingDefaultNamespaceFindsObjectWithoutOne(t *testing.T) {
	rs, diags := scanTree(t, map[string]string{
		"n/app.yaml":           kustomizedApp,
		"n/kustomization.yaml": "resources: [app.yaml]\npatches:\n  - path: priv.yaml\n",
		"n/priv.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\n" +
			"spec: {template: {spec: {hostNetwork: true}}}\n",
	})
	if len(diags) != 0 {
		t.Errorf("diagnostics = %v, want none", diags)
	}
	for _, r := range rs {
		if r.Address == "apps/v1/Deployment/default/web" {
			if on, ok := r.Get("spec", "template", "spec", "hostNetwork").Bool(); !ok || !on {
				t.Errorf("hostNetwork = %v, %v: want the patch applied", on, ok)
			}
			return
		}
	}
	t.Errorf("resources = %v, want the Deployment", addresses(rs))
}
