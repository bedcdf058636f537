package kubernetes

import (
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
	out, diags := Kustomize(rs, ks)
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

func TestBaseBuiltIntoSeveralNamespacesIsLeftAsWritten(t *testing.T) {
	rs := parseFiles(t, [2]string{"base/app.yaml", kustomizedApp})
	rs = kbuild(t, rs,
		kustomization(t, "base/kustomization.yaml", "resources: [app.yaml]\n"),
		kustomization(t, "dev/kustomization.yaml", "namespace: dev\nresources: [../base]\n"),
		kustomization(t, "prod/kustomization.yaml", "namespace: prod\nresources: [../base]\n"))
	if ns := rs[0].Meta["namespace"]; ns != "default" {
		t.Errorf("namespace = %q, want default (as written)", ns)
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

func TestPatchFilesAreNotScannedAsResources(t *testing.T) {
	rs := parseFiles(t,
		[2]string{"base/app.yaml", hardenedBase},
		[2]string{"prod/debug.yaml", debugPatch},
		[2]string{"prod/smp.yaml", debugPatch},
		[2]string{"prod/json.yaml", "- op: add\n  path: /spec/replicas\n  value: 3\n"})
	out, diags := Kustomize(rs, []Kustomization{
		kustomization(t, "base/kustomization.yaml", "resources: [app.yaml]\n"),
		kustomization(t, "prod/kustomization.yaml", "namespace: prod\nresources: [../base]\npatches:\n  - path: debug.yaml\npatchesStrategicMerge: [smp.yaml]\npatchesJson6902:\n  - target: {kind: Deployment, name: api}\n    path: json.yaml\n"),
	})
	for _, r := range out {
		if r.Range.File != "base/app.yaml" {
			t.Errorf("%s from %s is scanned; only the base is a resource", r.Address, r.Range.File)
		}
	}
	if len(out) == 0 {
		t.Fatal("the base Deployment is gone")
	}
	if diags.HasErrors() {
		t.Errorf("errors: %v", diags)
	}
}
