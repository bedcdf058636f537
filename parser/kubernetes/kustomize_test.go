package kubernetes

import (
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
	// Every kustomization is included by another: none is a root, nothing changes.
	if ns := rs[0].Meta["namespace"]; ns != "default" {
		t.Errorf("namespace = %q, want default", ns)
	}
}

func TestReadKustomizationRejectsOtherFiles(t *testing.T) {
	for _, c := range []struct{ path, src string }{
		{"deploy/app.yaml", "namespace: x\n"},
		{"deploy/kustomization.yaml", "namespace: [not, a, string]\n"},
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
	for _, p := range sortedKeys(files) {
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
