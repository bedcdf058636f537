package parser_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
)

// The hostile-input corpus: every case writes one hostile file (or tree) next to good
// files with a known finding in each format, scans the directory, and asserts both the
// diagnostic (file, line when there is one, which limit) and that the good files' findings
// are still reported. The inputs are generated into a temporary directory: some are far
// too large to commit, and symbolic links and FIFOs do not survive every checkout.

const (
	goodTF   = "resource \"aws_s3_bucket\" \"good\" {\n  acl = \"public-read\"\n}\n"
	goodCFN  = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Good:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n"
	goodK8s  = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n"
	goodDir  = "good"
	tfCheck  = "aws-s3-public-acl"
	k8sCheck = "k8s-pod-privileged-container"
)

// corpus is a scan directory with the good files already written.
type corpus struct {
	t    *testing.T
	root string
}

func newCorpus(t *testing.T) *corpus {
	t.Helper()
	root := t.TempDir()
	t.Chdir(root)
	c := &corpus{t: t, root: root}
	c.write(goodDir+"/main.tf", goodTF)
	c.write(goodDir+"/bucket.yaml", goodCFN)
	c.write(goodDir+"/pod.yaml", goodK8s)
	return c
}

func (c *corpus) write(name, src string) {
	c.t.Helper()
	p := filepath.Join(c.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// scan parses the corpus and runs every check, within a time bound: a hang is a failure,
// not a stuck test run.
func (c *corpus) scan(opts parser.Options) (*parser.Result, checks.Output) {
	c.t.Helper()
	type out struct {
		res *parser.Result
		o   checks.Output
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := parser.Parse([]string{"."}, opts)
		if err != nil {
			done <- out{err: err}
			return
		}
		done <- out{res: res, o: checks.Run(res.Graph, checks.All())}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			c.t.Fatal(o.err)
		}
		c.goodFindingsReported(o.res, o.o)
		c.t.Log("\n" + dump(o.res.Diagnostics))
		return o.res, o.o
	case <-time.After(60 * time.Second):
		c.t.Fatal("scan did not finish within 60s")
	}
	return nil, checks.Output{}
}

// goodFindingsReported asserts the finding of each good file.
func (c *corpus) goodFindingsReported(res *parser.Result, o checks.Output) {
	c.t.Helper()
	want := map[string]string{
		goodDir + "/main.tf:2":     tfCheck,
		goodDir + "/bucket.yaml:6": tfCheck,
		goodDir + "/pod.yaml:10":   k8sCheck,
	}
	for _, r := range o.Results {
		if id, ok := want[fmt.Sprintf("%s:%d", r.Range.File, r.Range.Start.Line)]; ok && id == r.Check.ID {
			delete(want, fmt.Sprintf("%s:%d", r.Range.File, r.Range.Start.Line))
		}
	}
	for at, id := range want {
		c.t.Errorf("finding %s at %s was lost; diagnostics:\n%s", id, at, dump(res.Diagnostics))
	}
}

func dump(ds graph.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s [%s]\n", d.Error(), d.Severity)
	}
	return b.String()
}

// wantDiag asserts a diagnostic of severity sev on file (and line, when line > 0) whose
// text contains every one of words.
func wantDiag(t *testing.T, res *parser.Result, sev graph.DiagSeverity, file string, line int, words ...string) {
	t.Helper()
	for _, d := range res.Diagnostics {
		if d.Severity != sev || d.Range.File != file || (line > 0 && d.Range.Start.Line != line) {
			continue
		}
		text := d.Summary + ": " + d.Detail
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			return
		}
	}
	t.Errorf("no %s diagnostic on %s:%d containing %q; have:\n%s", sev, file, line, words, dump(res.Diagnostics))
}

// noInternalErrors asserts that nothing panicked.
func noInternalErrors(t *testing.T, res *parser.Result, o checks.Output) {
	t.Helper()
	for _, d := range append(append(graph.Diagnostics{}, res.Diagnostics...), o.Errors...) {
		if strings.Contains(d.Summary, "internal error") {
			t.Errorf("internal error: %s", d.Error())
		}
	}
}

func deep(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

func TestInvalidUTF8IsAParseErrorAndOtherFilesAreScanned(t *testing.T) {
	c := newCorpus(t)
	c.write("bad/main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"\xff\xfe\"\n}\n")
	c.write("bad/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"\xff\xfe\"\n")
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "bad/main.tf", 2, "UTF-8")
	wantDiag(t, res, graph.DiagError, "bad/pod.yaml", 1, "UTF-8")
}

func TestBinaryFileNamedTfIsAParseErrorAndTheModuleIsStillScanned(t *testing.T) {
	c := newCorpus(t)
	bin := make([]byte, 4096)
	for i := range bin {
		bin[i] = byte(i*7 + i/3)
	}
	c.write(goodDir+"/blob.tf", string(bin))
	c.write("bin/blob.yaml", "apiVersion: v1\nkind: Pod\n"+string(bin))
	c.write("bin/other.json", string(bin))
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, goodDir+"/blob.tf", 1, "binary")
	wantDiag(t, res, graph.DiagError, "bin/blob.yaml", 0, "binary")
	if n := len(res.Diagnostics); n != 2 {
		t.Errorf("two binary files are two diagnostics, not %d", n)
	}
}

// A 100 MB file is made sparse: the size limit must refuse it from its size alone.
func TestHundredMegabyteFilesAreRefusedBySize(t *testing.T) {
	c := newCorpus(t)
	for _, name := range []string{"big/main.tf", "big/huge.yaml", "big/package-lock.json"} {
		head := ""
		if name == "big/huge.yaml" {
			head = goodK8s
		}
		c.write(name, head)
		if err := os.Truncate(filepath.Join(c.root, filepath.FromSlash(name)), 100<<20); err != nil {
			t.Fatal(err)
		}
	}
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "big/main.tf", 0, "too large", "limit")
	wantDiag(t, res, graph.DiagError, "big/huge.yaml", 0, "too large", "--max-file-size")
	if len(res.Files["big/huge.yaml"]) > 0 {
		t.Error("the oversized file was read")
	}
	// A large file that is not IaC is skipped quietly, as YAML and JSON that is not IaC
	// always is.
	for _, d := range res.Diagnostics {
		if d.Range.File == "big/package-lock.json" {
			t.Errorf("diagnostic on a file that is not IaC: %s", d.Error())
		}
	}
}

func TestTenThousandDeepNestingIsADepthLimitInHCLJSONAndYAML(t *testing.T) {
	c := newCorpus(t)
	c.write("deep/main.tf", "locals {\n  x = "+deep("[", "]", 10_000)+"\n}\n")
	c.write("deep/template.json", `{"AWSTemplateFormatVersion":"2010-09-09",`+"\n"+`"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"X":`+deep("[", "]", 10_000)+`}}}}`)
	c.write("deep/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: "+deep("{a: ", "}", 10_000)+"\n")
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "deep/main.tf", 2, "nest", "500")
	wantDiag(t, res, graph.DiagError, "deep/template.json", 2, "nest", "--max-depth")
	wantDiag(t, res, graph.DiagError, "deep/pod.yaml", 5, "nest", "--max-depth")
}

func TestDepthLimitIsConfigurable(t *testing.T) {
	c := newCorpus(t)
	c.write("deep/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: "+deep("{a: ", "}", 30)+"\n")
	res, _ := c.scan(parser.Options{Limits: parser.Limits{MaxDepth: 20}})
	wantDiag(t, res, graph.DiagError, "deep/pod.yaml", 5, "limit of 20 levels")
}

func TestYAMLAliasBombsAreBounded(t *testing.T) {
	c := newCorpus(t)
	// Ten levels, each naming the one before ten times: 10^10 nodes once expanded.
	var b strings.Builder
	b.WriteString("  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		ref := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&b, "  l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(ref+", ", 10), ", "))
	}
	c.write("bomb/pod.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: laughs\ndata:\n"+b.String())
	c.write("bomb/template.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nMappings:\n  M:\n"+b.String()+"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *l9\n")
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "bomb/template.yaml", 5, "too many YAML aliases")
	wantDiag(t, res, graph.DiagError, "bomb/pod.yaml", 1, "aliasing")
}
