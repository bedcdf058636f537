package corpus

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
)

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateIsDeterministicForASeed(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := Generate(d, Options{Files: 120, Seed: 7}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Generate(c, Options{Files: 120, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) != len(tb) {
		t.Fatalf("same seed wrote %d and %d files", len(ta), len(tb))
	}
	same := true
	for name, content := range ta {
		if !bytes.Equal(content, tb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if !bytes.Equal(content, tc[name]) {
			same = false
		}
	}
	if same {
		t.Error("a different seed wrote the same tree")
	}
}

func TestGenerateWritesExactlyTheRequestedFiles(t *testing.T) {
	for _, n := range []int{0, 1, 19, 250} {
		dir := t.TempDir()
		st, err := Generate(dir, Options{Files: n, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(readTree(t, dir)); got != n || st.Total() != n {
			t.Errorf("asked for %d files, wrote %d (stats say %d)", n, got, st.Total())
		}
	}
}

func TestGeneratedCorpusParsesWithoutDiagnostics(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(dir, Options{Files: 250, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if st.Terraform == 0 || st.CloudFormation == 0 || st.Kubernetes == 0 {
		t.Fatalf("every format must be present: %+v", st)
	}
	t.Chdir(dir)
	res, err := parser.Parse([]string{"."}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s: %s: %s", d.Range, d.Summary, d.Detail)
	}
	if got := res.Stats[graph.CloudFormation].Scanned; got != st.CloudFormation {
		t.Errorf("%d CloudFormation files scanned, %d written", got, st.CloudFormation)
	}
	if got := res.Stats[graph.Kubernetes].Scanned; got != st.Kubernetes {
		t.Errorf("%d Kubernetes files scanned, %d written", got, st.Kubernetes)
	}
	if len(res.Graph.Resources()) == 0 {
		t.Error("no resources")
	}
}
