package terraform

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// parseTree writes files (slash paths relative to a temporary directory) and parses the
// directories holding .tf files, with the temporary directory as working directory.
func parseTree(t *testing.T, files map[string]string, opts Options) *Result {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	dirs := map[string]bool{}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if (strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")) && !strings.Contains(name, ".terraform/") {
			dirs[path.Dir(name)] = true
		}
	}
	var ds []string
	for d := range dirs {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	return Parse(ds, opts)
}

func find(t *testing.T, res *Result, addr string) *graph.Resource {
	t.Helper()
	for _, r := range res.Resources {
		if r.Address == addr {
			return r
		}
	}
	t.Fatalf("no resource %s; have %v", addr, addresses(res))
	return nil
}

func addresses(res *Result) []string {
	var out []string
	for _, r := range res.Resources {
		out = append(out, r.Address)
	}
	sort.Strings(out)
	return out
}

func noErrors(t *testing.T, res *Result) {
	t.Helper()
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			t.Errorf("unexpected diagnostic: %s", d.Error())
		}
	}
}

func str(t *testing.T, r *graph.Resource, p ...any) string {
	t.Helper()
	s, ok := r.Get(p...).Str()
	if !ok {
		t.Fatalf("%s %v: not a known string: %#v", r.Address, p, r.Get(p...).Raw())
	}
	return s
}
