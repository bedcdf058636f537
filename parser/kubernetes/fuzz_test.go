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
