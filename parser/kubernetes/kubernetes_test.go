package kubernetes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

const multiDoc = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      containers:
        - name: app
          image: "nginx:1.25"  # pinned
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules: []
`

func parseOK(t *testing.T, path, src string) []*graph.Resource {
	t.Helper()
	if !Detect(path, []byte(src)) {
		t.Fatalf("Detect(%s) = false, want true", path)
	}
	rs, diags := Parse(path, []byte(src))
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s", d.Error())
	}
	return rs
}

func TestMultiDocumentObjectsAreAddressedByAPIVersionKindNamespaceName(t *testing.T) {
	rs := parseOK(t, "m.yaml", multiDoc)
	var got []string
	for _, r := range rs {
		got = append(got, r.Address)
	}
	want := []string{"apps/v1/Deployment/shop/web", "v1/Service/shop/web", "rbac.authorization.k8s.io/v1/ClusterRole/reader"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("addresses = %v, want %v", got, want)
	}
	if rs[2].Meta["namespace"] != "" || rs[0].Meta["namespace"] != "shop" || rs[0].Type != "Deployment" || rs[0].Scope != Scope {
		t.Errorf("meta = %v / %v, type %s", rs[0].Meta, rs[2].Meta, rs[0].Type)
	}
	if rs[0].Format != graph.Kubernetes {
		t.Errorf("format = %s", rs[0].Format)
	}
}

func TestPositionsPointAtKeysItemsAndDocuments(t *testing.T) {
	rs := parseOK(t, "m.yaml", multiDoc)
	dep, svc := rs[0], rs[1]
	cases := []struct {
		r    *graph.Resource
		path graph.Path
		line int
		col  int
	}{
		{dep, graph.P("kind"), 3, 1},
		{dep, graph.P("spec", "template", "spec", "containers", 0), 13, 11},
		{dep, graph.P("spec", "template", "spec", "containers", 0, "image"), 14, 11},
		{dep, graph.P("spec", "template", "metadata", "labels", "tier"), 10, 26},
		{dep, graph.P("spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"), 16, 15},
		// A missing attribute falls back to its nearest written parent.
		{dep, graph.P("spec", "template", "spec", "containers", 0, "securityContext", "privileged"), 13, 11},
		{svc, graph.P("spec", "selector", "app"), 25, 5},
	}
	for _, c := range cases {
		got := c.r.RangeOf(c.path...)
		if got.File != "m.yaml" || got.Start.Line != c.line || got.Start.Column != c.col {
			t.Errorf("%s %s at %s, want line %d col %d", c.r.Address, c.path, got, c.line, c.col)
		}
	}
	img := dep.RangeOf("spec", "template", "spec", "containers", 0, "image")
	if img.End.Line != 14 || img.End.Column != 30 {
		t.Errorf("image ends at %d:%d, want 14:30 (before the comment)", img.End.Line, img.End.Column)
	}
	if c := dep.RangeOf("spec", "template", "spec", "containers", 0); c.End.Line != 13 {
		t.Errorf("a container is pointed at by its first line, got %s..%v", c, c.End)
	}
	if spec := dep.RangeOf("spec", "template", "spec"); spec.Start.Line != 11 || spec.End.Line != 11 || spec.End.Column != 10 {
		t.Errorf("a nested block is pointed at by its header, got %s..%v", spec, spec.End)
	}
	if dep.Range.Start.Line != 2 || dep.Range.End.Line != 16 {
		t.Errorf("deployment document range = %v..%v", dep.Range.Start, dep.Range.End)
	}
	if dep.DefRange.Start.Line != 3 || svc.DefRange.Start.Line != 19 {
		t.Errorf("def ranges: %v, %v", dep.DefRange, svc.DefRange)
	}
}

func TestPodSpecIsNamedForEveryWorkloadKind(t *testing.T) {
	src := `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: a, image: x}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: x}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec:
  template:
    spec:
      containers: [{name: a, image: x}]
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-a-workload}
`
	rs := parseOK(t, "w.yaml", src)
	if len(rs) != 4 {
		t.Fatalf("got %d resources", len(rs))
	}
	for _, r := range rs[:3] {
		pod := r.Parts["pod"]
		if name, _ := r.Get(append(pod, "containers", 0, "name")...).Str(); name != "a" {
			t.Errorf("%s: pod spec at %s does not hold the containers", r.Address, pod)
		}
	}
	if rs[3].Parts != nil {
		t.Errorf("a custom resource named Deployment got a pod spec: %v", rs[3].Parts)
	}
}

func TestListItemsBecomeResources(t *testing.T) {
	src := `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
  - apiVersion: v1
    kind: Secret
    metadata:
      name: b
      namespace: x
`
	rs := parseOK(t, "list.yaml", src)
	if len(rs) != 2 || rs[0].Address != "v1/ConfigMap/default/a" || rs[1].Address != "v1/Secret/x/b" {
		t.Fatalf("items = %v", rs)
	}
	if got := rs[1].RangeOf("metadata", "namespace"); got.Start.Line != 12 || got.Start.Column != 7 {
		t.Errorf("item position = %s", got)
	}
	if rs[1].Range.Start.Line != 8 {
		t.Errorf("item range starts at %d, want 8", rs[1].Range.Start.Line)
	}
}

func TestTypedListItemsTakeKindFromTheList(t *testing.T) {
	src := `{"apiVersion": "apps/v1", "kind": "DeploymentList", "items": [
  {"metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": []}}}}
]}`
	rs := parseOK(t, "l.json", src)
	if len(rs) != 1 || rs[0].Address != "apps/v1/Deployment/default/d" || rs[0].Parts["pod"] == nil {
		t.Fatalf("items = %+v", rs)
	}
}

func TestJSONManifestHasPositions(t *testing.T) {
	src := "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"metadata\": {\"name\": \"p\"},\n\t\"spec\": {\n\t\t\"hostNetwork\": true\n\t}\n}\n"
	rs := parseOK(t, "pod.json", src)
	if len(rs) != 1 {
		t.Fatalf("got %d resources", len(rs))
	}
	if got := rs[0].RangeOf("spec", "hostNetwork"); got.Start.Line != 6 {
		t.Errorf("hostNetwork at %s, want line 6", got)
	}
	if b, ok := rs[0].Get("spec", "hostNetwork").Bool(); !ok || !b {
		t.Errorf("hostNetwork value not decoded")
	}
}

func TestBrokenDocumentIsAnErrorAndTheOthersAreStillRead(t *testing.T) {
	src := `apiVersion: v1
kind: ConfigMap
metadata:
  name: good
---
apiVersion: v1
kind: Service
metadata:
  name: [broken
  x: y
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: also-good
`
	if !Detect("b.yaml", []byte(src)) {
		t.Fatal("Detect = false")
	}
	rs, diags := Parse("b.yaml", []byte(src))
	if len(rs) != 2 {
		t.Errorf("got %d resources, want the 2 good ones", len(rs))
	}
	if len(diags) != 1 || diags[0].Severity != graph.DiagError {
		t.Fatalf("diags = %v", diags)
	}
	if l := diags[0].Range.Start.Line; l < 6 || l > 11 {
		t.Errorf("error at line %d, want within the broken document (6-11)", l)
	}
	if diags[0].Range.File != "b.yaml" {
		t.Errorf("error names file %q", diags[0].Range.File)
	}
}

func TestLoneBrokenManifestIsStillDetected(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n   bad: indent\n"
	if !Detect("p.yaml", []byte(src)) {
		t.Fatal("a broken manifest must be claimed so that its error is reported")
	}
	_, diags := Parse("p.yaml", []byte(src))
	if !diags.HasErrors() {
		t.Errorf("no error for a broken manifest")
	}
}

func TestTemplatedDocumentIsAWarningNotAnError(t *testing.T) {
	src := "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n"
	rs, diags := Parse("t.yaml", []byte(src))
	if len(rs) != 0 || diags.HasErrors() {
		t.Errorf("template: resources %v, diags %v", rs, diags)
	}
}

func TestDetectSkipsYAMLThatIsNotKubernetes(t *testing.T) {
	files := map[string]string{
		".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
		"docker-compose.yml":       "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
		"openapi.yaml":             "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
		"playbook.yml":             "- hosts: all\n  tasks:\n    - name: install\n      apt: {name: nginx}\n",
		"values.yaml":              "replicaCount: 1\nimage:\n  repository: nginx\n  tag: latest\n",
		"kustomization.yaml":       "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\n",
		"overlay/kustomize.yaml":   "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\n",
		"Chart.yaml":               "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
		"package.json":             "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
		"broken.yaml":              "a: [b\n",
		"empty.yaml":               "",
	}
	for path, src := range files {
		if Detect(path, []byte(src)) {
			t.Errorf("Detect(%s) = true, want false", path)
		}
	}
}

func TestServiceNetworkPolicyAndBindingsLinkAcrossFiles(t *testing.T) {
	deploy := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: []}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: []}
`
	others := `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: back, namespace: shop}
spec:
  podSelector:
    matchExpressions: [{key: tier, operator: In, values: [back]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: admin}
`
	var all []*graph.Resource
	all = append(all, parseOK(t, "a.yaml", deploy)...)
	all = append(all, parseOK(t, "b.yaml", others)...)
	Link(all)
	g := graph.New(all)
	byAddr := map[string]*graph.Resource{}
	for _, r := range all {
		byAddr[r.Address] = r
	}
	names := func(rs []*graph.Resource) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Address)
		}
		return strings.Join(s, ",")
	}
	web := byAddr["apps/v1/Deployment/shop/web"]
	if got := names(g.ReferencedBy(web, "Service")); got != "v1/Service/shop/web" {
		t.Errorf("services selecting web = %q", got)
	}
	if got := names(g.ReferencedVia(web, "spec", "NetworkPolicy")); got != "networking.k8s.io/v1/NetworkPolicy/shop/deny" {
		t.Errorf("policies selecting web = %q", got)
	}
	if got := names(g.ReferencedBy(byAddr["apps/v1/Deployment/other/web"])); got != "" {
		t.Errorf("a workload of another namespace was selected by %q", got)
	}
	if got := names(g.References(byAddr["rbac.authorization.k8s.io/v1/RoleBinding/shop/rb"])); got != "rbac.authorization.k8s.io/v1/Role/shop/r" {
		t.Errorf("role binding refers to %q", got)
	}
	if got := names(g.References(byAddr["rbac.authorization.k8s.io/v1/ClusterRoleBinding/crb"])); got != "rbac.authorization.k8s.io/v1/ClusterRole/admin" {
		t.Errorf("cluster role binding refers to %q", got)
	}
}

func TestHostileInputsDoNotPanic(t *testing.T) {
	inputs := []string{
		"apiVersion: v1\nkind: Pod\nmetadata: &a {name: x, self: *a}\n",
		"apiVersion: v1\nkind: List\nitems: [1, null, [], {kind: Pod}]\n",
		"apiVersion: v1\nkind: Pod\n<<: {x: 1}\nspec: !!binary aGVsbG8=\n",
		"--- apiVersion: v1\n",
		"apiVersion: 1\nkind: 2\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: |\n    multi\n    line\nspec: {a: [1, {b: \"c\\\"\"}], 'q''': 2}\n",
		strings.Repeat("[", 10000),
	}
	for _, src := range inputs {
		Detect("x.yaml", []byte(src))
		rs, _ := Parse("x.yaml", []byte(src))
		Link(rs)
		for _, r := range rs {
			r.RangeOf("spec", "a", 1, "b")
		}
	}
}

func TestIgnoreAnnotationIsRecordedInMeta(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    iacscan.dev/ignore: \"k8s-pod-image-latest, k8s-network-host-network\"\n"
	rs := parseOK(t, "p.yaml", src)
	if len(rs) != 1 || rs[0].Meta["ignore"] != "k8s-pod-image-latest,k8s-network-host-network" {
		t.Fatalf("meta = %v", rs[0].Meta)
	}
}

// TestTruncatedFixturesDoNotPanic cuts every Kubernetes fixture at many points: whatever
// half-written manifest a scan meets, it gets diagnostics, never a crash.
func TestTruncatedFixturesDoNotPanic(t *testing.T) {
	var files []string
	err := filepath.Walk("../../fixtures/kubernetes", func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".json")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Skipf("fixtures not readable: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		step := len(src)/40 + 1
		for cut := 0; cut <= len(src); cut += step {
			part := src[:cut]
			Detect(f, part)
			rs, _ := Parse(f, part)
			Link(rs)
			for _, r := range rs {
				r.RangeOf("spec", "template", "spec", "containers", 0, "image")
			}
		}
	}
}
