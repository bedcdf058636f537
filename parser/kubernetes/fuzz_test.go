package kubernetes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that no manifest makes Detect, Parse or Link panic or hang. The flag
// picks the file name's extension, since JSON and YAML documents are split differently.
func FuzzParse(f *testing.F) {
	_ = filepath.WalkDir("../../fixtures/kubernetes", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
			if src, err := os.ReadFile(p); err == nil {
				f.Add(src, strings.HasSuffix(p, ".json"))
			}
		}
		return nil
	})
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, labels: {app: w}}\n  spec: {containers: [{name: c, image: 'x:latest', securityContext: {privileged: true}}]}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec: {selector: {app: w}, type: NodePort}\n"), false)
	f.Add([]byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"i"}]}}}}`), true)
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "f.yaml"
		if json {
			name = "f.json"
		}
		if Detect(name, src) {
			rs, _ := Parse(name, src)
			Link(rs)
		}
		// Parse must cope with anything, detected or not.
		Parse(name, src)
	})
}

// FuzzKustomize checks that no kustomization or patch makes Kustomize panic: the patch
// text is applied both as a file and inline, as a strategic-merge and as a JSON patch.
func FuzzKustomize(f *testing.F) {
	f.Add([]byte(debugPatch), []byte("namespace: x\nnamePrefix: p-\ncommonLabels: {a: b}\nimages: [{name: api, newTag: latest}]\n"))
	f.Add([]byte("- {op: add, path: /spec/template/spec/containers/-, value: {name: x}}\n- {op: remove, path: /spec/selector}\n"), []byte("labels: [{pairs: {a: b}, includeSelectors: true}]\n"))
	f.Add([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n$patch: delete\n"), []byte("components: [.]\n"))
	f.Fuzz(func(t *testing.T, patch, extra []byte) {
		files := map[string]string{"b/app.yaml": hardenedBase, "o/p.yaml": string(patch)}
		rs, _ := Parse("b/app.yaml", []byte(hardenedBase))
		if Detect("o/p.yaml", patch) {
			more, _ := Parse("o/p.yaml", patch)
			rs = append(rs, more...)
		}
		var ks []Kustomization
		for _, k := range []struct{ path, src string }{
			{"b/kustomization.yaml", "resources: [app.yaml]\n"},
			{"o/kustomization.yaml", string(extra) + "\nresources: [../b]\npatches: [{path: p.yaml}, {path: p.yaml, target: {kind: Deployment}}]\npatchesJson6902: [{path: p.yaml, target: {name: api}}]\n"},
		} {
			if got, ok := ReadKustomization(k.path, []byte(k.src)); ok {
				ks = append(ks, got)
			}
		}
		out, _ := Kustomize(rs, ks, func(p string) ([]byte, bool) {
			s, ok := files[p]
			return []byte(s), ok
		})
		Link(out)
	})
}
