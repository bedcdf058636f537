package checks

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
)

// writeTree writes files (slash-separated path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// panicTree is a scan of every format in several units; one resource of each of two
// units is named "boom".
var panicTree = map[string]string{
	"tf/a/main.tf": `resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket = aws_s3_bucket.logs.id
}
`,
	"tf/b/main.tf": `resource "aws_s3_bucket" "data" {
  bucket = "data"
}
`,
	"tf/b/other.tf": `resource "aws_s3_bucket" "fine" {
  bucket = "fine"
}

resource "aws_s3_bucket" "boom" {
  bucket = "boom"
}
`,
	"cfn/t.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`,
	"k8s/x/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
`,
	"k8s/y/pods.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: boom
spec:
  containers:
    - name: boom
      image: nginx
`,
}

// boomCheck reports every resource with the number of resources it refers to, and
// panics (out of range) on a resource whose address names "boom".
var boomCheck = &check.Check{ID: "test-boom", Severity: check.High, Run: func(p *check.Pass) {
	for _, r := range p.Graph.All() {
		if strings.Contains(r.Address, "boom") {
			var none []int
			_ = none[len(r.Address)]
		}
		p.Reportf(r, nil, "refers to %d", len(p.Graph.References(r)))
	}
}}

func parseTree(t *testing.T, files map[string]string) *graph.Graph {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	t.Chdir(dir)
	res, err := parser.Parse([]string{"."}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnostics.HasErrors() {
		t.Fatalf("parse: %v", res.Diagnostics)
	}
	return res.Graph
}

// TestPanicCostsOnlyItsUnit: a check that panics on one resource keeps its results in
// every other scan unit, and the error names the file and line of that resource. The
// unit of a Kubernetes manifest is every manifest of the scan.
func TestPanicCostsOnlyItsUnit(t *testing.T) {
	g := parseTree(t, panicTree)
	out := Run(g, []*check.Check{boomCheck})

	var got []string
	for _, r := range out.Results {
		got = append(got, fmt.Sprintf("%s:%d %s", r.Range.File, r.Range.Start.Line, r.Message))
	}
	want := []string{
		"cfn/t.yaml:3 Bucket: refers to 0",
		"tf/a/main.tf:1 aws_s3_bucket.logs: refers to 0",
		// The reference to the bucket is kept: the unit's sub-graph has its edges.
		"tf/a/main.tf:5 aws_s3_bucket_public_access_block.logs: refers to 1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	if !out.Errors.HasErrors() {
		t.Fatal("a panicking check must fail the scan")
	}
	var locs []string
	for _, d := range out.Errors {
		locs = append(locs, fmt.Sprintf("%s:%d", d.Range.File, d.Range.Start.Line))
		if d.Severity != graph.DiagError || d.Summary != "internal error in check test-boom" {
			t.Errorf("diagnostic %v: want an internal error of test-boom", d)
		}
		first, _, _ := strings.Cut(d.Detail, "\n")
		if !strings.Contains(first, "index out of range") || !strings.Contains(first, "isolate_test.go") ||
			!strings.Contains(first, "boom") {
			t.Errorf("detail %q: want the panic value, its place and the resource", first)
		}
	}
	if want := []string{"k8s/y/pods.yaml:11", "tf/b/other.tf:5"}; !slices.Equal(locs, want) {
		t.Fatalf("diagnostics at %v, want %v", locs, want)
	}
	for i, lost := range []string{"every Kubernetes manifest", "tf/b"} {
		first, _, _ := strings.Cut(out.Errors[i].Detail, "\n")
		if !strings.HasSuffix(first, "the check reports nothing for "+lost) {
			t.Errorf("detail %q: want it to name %s as lost", first, lost)
		}
	}
}

// TestPanicOnlyInWholeUnit: a check that panics only when it sees a whole unit names the
// unit, and still keeps the results of the other units.
func TestPanicOnlyInWholeUnit(t *testing.T) {
	g := parseTree(t, panicTree)
	c := &check.Check{ID: "test-pair", Severity: check.High, Run: func(p *check.Pass) {
		names := map[string]bool{}
		for _, r := range p.Graph.All() {
			names[r.Address] = true
		}
		if names["aws_s3_bucket.data"] && names["aws_s3_bucket.fine"] {
			panic("data and fine together")
		}
		for _, r := range p.Graph.Resources("aws_s3_bucket") {
			p.Reportf(r, nil, "seen")
		}
	}}
	out := Run(g, []*check.Check{c})
	var got []string
	for _, r := range out.Results {
		got = append(got, r.Range.File)
	}
	if want := []string{"tf/a/main.tf"}; !slices.Equal(got, want) {
		t.Errorf("results in %v, want %v", got, want)
	}
	if len(out.Errors) != 1 || out.Errors[0].Range.File != "tf/b" || out.Errors[0].Range.Start.Line != 0 {
		t.Fatalf("errors %v: want one on tf/b", out.Errors)
	}
	if d := out.Errors[0].Detail; !strings.HasPrefix(d, "data and fine together in ") {
		t.Errorf("detail %q", d)
	}
}

// TestNoPanicRunsOnce: a check that does not panic sees the whole graph, once.
func TestNoPanicRunsOnce(t *testing.T) {
	g := parseTree(t, panicTree)
	runs := 0
	c := &check.Check{ID: "test-count", Run: func(p *check.Pass) {
		runs++
		if len(p.Graph.All()) != len(g.All()) {
			t.Errorf("saw %d resources of %d", len(p.Graph.All()), len(g.All()))
		}
	}}
	if out := Run(g, []*check.Check{c}); len(out.Errors) != 0 || runs != 1 {
		t.Errorf("runs %d, errors %v", runs, out.Errors)
	}
}

// TestManyPanicsAreBounded: a check that panics in every unit of a large scan has its
// first panics located, each an error, and the rest named in one more error.
func TestManyPanicsAreBounded(t *testing.T) {
	files := map[string]string{"ok/main.tf": "resource \"aws_s3_bucket\" \"fine\" {}\n"}
	for i := range maxLocated + 3 {
		files[fmt.Sprintf("r%02d/main.tf", i)] = "resource \"aws_s3_bucket\" \"boom\" {}\n"
	}
	g := parseTree(t, files)
	out := Run(g, []*check.Check{boomCheck})
	if len(out.Results) != 1 || out.Results[0].Range.File != "ok/main.tf" {
		t.Errorf("results %v: want the one in ok", out.Results)
	}
	if len(out.Errors) != maxLocated+1 {
		t.Fatalf("%d errors, want %d", len(out.Errors), maxLocated+1)
	}
	for i, d := range out.Errors[:maxLocated] {
		if want := fmt.Sprintf("r%02d/main.tf", i); d.Range.File != want || d.Range.Start.Line != 1 {
			t.Errorf("error %d at %s, want %s:1", i, d.Range, want)
		}
	}
	last := out.Errors[maxLocated]
	if last.Range.File != "r10/main.tf" || last.Summary != "internal error in check test-boom, in 3 more parts of the scan" ||
		!strings.HasSuffix(last.Detail, "the check reports nothing for r10, r11, r12") {
		t.Errorf("last error %s", last.Error())
	}
}

// TestKubernetesPanicKeepsNoPartialResults: every Kubernetes manifest of a scan shares one
// scope, and its edges (a NetworkPolicy selecting pods, a Service its pods) cross
// directories. A run over one directory alone misses them, so what it reports can be
// false; when the check panics on the Kubernetes unit, the directories only locate the
// panic and none of their results is kept.
func TestKubernetesPanicKeepsNoPartialResults(t *testing.T) {
	files := map[string]string{
		"app/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
`,
		"policies/deny.yaml": `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: prod
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: boom
  namespace: prod
data:
  k: v
`,
	}
	g := parseTree(t, files)
	inner := ByID("k8s-network-no-policy")
	if inner == nil {
		t.Fatal("no check k8s-network-no-policy")
	}
	if out := Run(g, []*check.Check{inner}); len(out.Results) != 0 || len(out.Errors) != 0 {
		t.Fatalf("clean run: results %v, errors %v; want none", out.Results, out.Errors)
	}
	wrapped := *inner
	wrapped.Run = func(p *check.Pass) {
		for _, r := range p.Graph.Resources("ConfigMap") {
			if strings.HasSuffix(r.Address, "/boom") {
				panic("boom")
			}
		}
		inner.Run(p)
	}
	out := Run(g, []*check.Check{&wrapped})
	for _, r := range out.Results {
		t.Errorf("kept a result of a partial graph: %s:%d %s", r.Range.File, r.Range.Start.Line, r.Message)
	}
	if len(out.Errors) != 1 {
		t.Fatalf("errors %v: want one", out.Errors)
	}
	d := out.Errors[0]
	if d.Range.File != "policies/deny.yaml" || d.Range.Start.Line != 12 {
		t.Errorf("error at %s:%d, want policies/deny.yaml:12", d.Range.File, d.Range.Start.Line)
	}
	first, _, _ := strings.Cut(d.Detail, "\n")
	if !strings.HasPrefix(first, "boom in ") || !strings.HasSuffix(first, "the check reports nothing for every Kubernetes manifest") {
		t.Errorf("detail %q: want the panic and the loss of the whole Kubernetes unit", first)
	}
}

// TestKubernetesPanicOnlyAcrossDirectories: a check that panics only when it sees the
// manifests of two directories together is still reported, at the first manifest.
func TestKubernetesPanicOnlyAcrossDirectories(t *testing.T) {
	g := parseTree(t, map[string]string{
		"k8s/x/pod.yaml":  panicTree["k8s/x/pod.yaml"],
		"k8s/y/pods.yaml": panicTree["k8s/y/pods.yaml"],
	})
	c := &check.Check{ID: "test-dirs", Severity: check.High, Run: func(p *check.Pass) {
		dirs := map[string]bool{}
		for _, r := range p.Graph.All() {
			dirs[filepath.Dir(r.Range.File)] = true
			p.Reportf(r, nil, "seen")
		}
		if len(dirs) > 1 {
			panic("two directories")
		}
	}}
	out := Run(g, []*check.Check{c})
	if len(out.Results) != 0 {
		t.Errorf("results %v: want none", out.Results)
	}
	if len(out.Errors) != 1 || out.Errors[0].Range.File != "k8s/x/pod.yaml" {
		t.Fatalf("errors %v: want one at k8s/x/pod.yaml", out.Errors)
	}
	if d := out.Errors[0].Detail; !strings.HasPrefix(d, "two directories in ") ||
		!strings.Contains(d, "the check reports nothing for every Kubernetes manifest") {
		t.Errorf("detail %q", d)
	}
}

// TestManyPanicsNameKubernetesOnce: beyond the located panics, the Kubernetes directories
// that panic are named as the one part they cost, every Kubernetes manifest.
func TestManyPanicsNameKubernetesOnce(t *testing.T) {
	files := map[string]string{}
	for i := range maxLocated {
		files[fmt.Sprintf("r%02d/main.tf", i)] = "resource \"aws_s3_bucket\" \"boom\" {}\n"
	}
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: boom\nspec:\n  containers:\n    - name: c\n      image: nginx\n"
	files["s1/pod.yaml"] = pod
	files["s2/pod.yaml"] = pod
	g := parseTree(t, files)
	out := Run(g, []*check.Check{boomCheck})
	if len(out.Errors) != maxLocated+1 {
		t.Fatalf("%d errors, want %d", len(out.Errors), maxLocated+1)
	}
	last := out.Errors[maxLocated]
	if last.Summary != "internal error in check test-boom, in 1 more part of the scan" ||
		!strings.HasSuffix(last.Detail, "the check reports nothing for every Kubernetes manifest") {
		t.Errorf("last error %s", last.Error())
	}
}
