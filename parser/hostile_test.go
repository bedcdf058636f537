package parser_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
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

func TestCyclicLocalsAndVariablesAreDiagnosedAndUnknown(t *testing.T) {
	c := newCorpus(t)
	c.write("cycle/main.tf", `locals {
  a = local.b
  b = "${local.a}-x"
}
variable "v" {
  default = var.v
}
resource "aws_s3_bucket" "c" {
  acl = local.a
}
`)
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagWarning, "cycle/main.tf", 2, "reference cycle", "local.a", "local.b")
	for _, r := range res.Graph.Resources("aws_s3_bucket") {
		if r.Address == "aws_s3_bucket.c" && r.Get("acl").IsKnown() {
			t.Error("a value on a cycle is known")
		}
	}
}

func TestModulesCallingThemselvesOrEachOtherAreNotEvaluated(t *testing.T) {
	c := newCorpus(t)
	c.write("self/main.tf", "module \"again\" {\n  source = \"./\"\n}\n")
	c.write("ping/main.tf", "module \"pong\" {\n  source = \"../pong\"\n}\n")
	c.write("pong/main.tf", "module \"ping\" {\n  source = \"../ping\"\n}\n")
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "self/main.tf", 1, "calls itself")
	wantDiag(t, res, graph.DiagError, "pong/main.tf", 1, "calls itself", "directly or through other modules")
}

func TestHugeCountForEachAndRangeHitTheExpansionLimits(t *testing.T) {
	c := newCorpus(t)
	c.write("huge/main.tf", `resource "aws_s3_bucket" "many" {
  count = 5000000
}
resource "aws_s3_bucket" "each" {
  for_each = toset([for i in range(2000000) : tostring(i)])
}
locals {
  r = range(100000000000)
}
`)
	res, o := c.scan(parser.Options{Limits: parser.Limits{MaxExpansion: 1000}})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "huge/main.tf", 2, "more than 1000 instances")
	wantDiag(t, res, graph.DiagError, "huge/main.tf", 5, "evaluation limit", "range")
	wantDiag(t, res, graph.DiagError, "huge/main.tf", 8, "evaluation limit", "range")
	if n := len(res.Graph.Resources("aws_s3_bucket")); n > 2100 {
		t.Errorf("%d buckets: the expansion limit did not hold", n)
	}
}

func TestStringFunctionsCannotBuildHugeStrings(t *testing.T) {
	c := newCorpus(t)
	c.write("str/main.tf", `locals {
  a = format("%999999999s", "x")
  b = join("", [for i in range(100000) : "0123456789abcdef0123456789abcdef"])
  c = indent(99999999, "a\nb")
}
resource "aws_s3_bucket" "s" {
  bucket = local.a
  acl    = local.b
}
`)
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "str/main.tf", 2, "evaluation limit", "format")
	wantDiag(t, res, graph.DiagError, "str/main.tf", 4, "evaluation limit", "indent")
	for _, r := range res.Graph.Resources("aws_s3_bucket") {
		if s, ok := r.Get("acl").Str(); ok && len(s) > 1<<20 {
			t.Errorf("%s.acl holds %d bytes", r.Address, len(s))
		}
	}
}

func TestModuleDepthLimitIsConfigurable(t *testing.T) {
	c := newCorpus(t)
	for i := 0; i < 5; i++ {
		c.write(fmt.Sprintf("chain/m%d/main.tf", i), fmt.Sprintf("module \"next\" {\n  source = \"../m%d\"\n}\n", i+1))
	}
	c.write("chain/m5/main.tf", goodTF)
	res, o := c.scan(parser.Options{Limits: parser.Limits{MaxModuleDepth: 2}})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "chain/m2/main.tf", 1, "deeper than 2 levels", "module call depth limit")
}

func TestSymlinkLoopsAndLinksOutOfTheRootAreNotFollowed(t *testing.T) {
	c := newCorpus(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.tf"), []byte(goodTF), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "pod.yaml"), []byte(goodK8s), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"links/loop":      ".",
		"links/a":         "b",
		"links/b":         "a",
		"links/out":       outside,
		"links/out.yaml":  filepath.Join(outside, "pod.yaml"),
		"links/out.tf":    filepath.Join(outside, "secret.tf"),
		"links/gone.yaml": filepath.Join(outside, "missing.yaml"),
	}
	if err := os.MkdirAll("links", 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range links {
		if err := os.Symlink(target, name); err != nil {
			t.Skipf("symbolic links unsupported: %v", err)
		}
	}
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	for f := range res.Files {
		if strings.HasPrefix(f, "links/") || strings.Contains(f, outside) {
			t.Errorf("read %s through a symbolic link", f)
		}
	}
	for _, r := range o.Results {
		if !strings.HasPrefix(r.Range.File, goodDir+"/") {
			t.Errorf("finding outside the good files: %s %s", r.Range, r.Check.ID)
		}
	}
}

func TestModuleSourcesEscapingTheRepositoryAreNotRead(t *testing.T) {
	c := newCorpus(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "main.tf"), []byte(goodTF), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(filepath.Join(c.root, "escape"), outside)
	if err != nil {
		t.Fatal(err)
	}
	c.write("escape/main.tf", "module \"out\" {\n  source = \""+filepath.ToSlash(rel)+"\"\n}\nmodule \"etc\" {\n  source = \"../../../../../../../../etc\"\n}\n")
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagWarning, "escape/main.tf", 1, "outside")
	for f := range res.Files {
		if !strings.HasPrefix(f, goodDir+"/") && !strings.HasPrefix(f, "escape/") {
			t.Errorf("read %s outside the scan root", f)
		}
	}
}

// Tests run as root here, and chmod 000 does not stop root: the unreadable entries are
// a FIFO (which would block a read forever) and a file in a directory that cannot be
// listed when not root.
func TestUnreadableFilesAreDiagnosedWithoutBlocking(t *testing.T) {
	c := newCorpus(t)
	if err := os.MkdirAll("odd", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"odd/pipe.yaml", "odd/main.tf"} {
		if err := syscall.Mkfifo(name, 0o644); err != nil {
			t.Skipf("cannot make a FIFO: %v", err)
		}
	}
	if err := syscall.Mkfifo("odd/pipe.txt", 0o644); err != nil {
		t.Fatal(err)
	}
	c.write("fn/main.tf", "resource \"aws_s3_bucket\" \"fn\" {\n  bucket = file(\"${path.module}/../odd/pipe.txt\")\n  policy = templatefile(\"../odd/pipe.txt\", {})\n}\n")
	if err := syscall.Mkfifo("fn/terraform.tfvars", 0o644); err != nil {
		t.Fatal(err)
	}
	c.write("odd/locked.yaml", goodK8s)
	if err := os.Chmod("odd/locked.yaml", 0); err != nil {
		t.Fatal(err)
	}
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "odd/pipe.yaml", 0, "not a regular file")
	wantDiag(t, res, graph.DiagError, "odd/main.tf", 0, "not a regular file")
	wantDiag(t, res, graph.DiagError, "fn/terraform.tfvars", 0, "variable file", "not a regular file")
	// A file function pointed at the FIFO leaves its value unknown instead of blocking.
	found := false
	for _, r := range res.Graph.Resources("aws_s3_bucket") {
		if r.Address == "aws_s3_bucket.fn" && r.Range.File == "fn/main.tf" {
			found = true
			if r.Get("bucket").IsKnown() || r.Get("policy").IsKnown() {
				t.Error("a value read from a FIFO is known")
			}
		}
	}
	if !found {
		t.Error("fn/main.tf was not evaluated")
	}
	if os.Geteuid() != 0 {
		wantDiag(t, res, graph.DiagError, "odd/locked.yaml", 0, "cannot read", "permission denied")
	}
}

func TestCloudFormationCyclesAndTenThousandResources(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector; the whole corpus runs without it")
	}
	c := newCorpus(t)
	c.write("cfn/cycle.yaml", `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${B}-a"
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref A
`)
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n")
	for i := 0; i < 10_000; i++ {
		fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${AWS::StackName}-%d\"\n", i, i)
	}
	c.write("cfn/many.yaml", b.String())
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagWarning, "cfn/cycle.yaml", 3, "circular dependency", "A -> B -> A")
	if n := len(res.Graph.Resources("AWS::S3::Bucket")); n < 10_000 {
		t.Errorf("%d buckets read of the 10,000", n)
	}
}

func TestKubernetesListOfHundredThousandItems(t *testing.T) {
	if raceEnabled {
		t.Skip("too slow under the race detector; the whole corpus runs without it")
	}
	c := newCorpus(t)
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&b, "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c%d}}\n", i)
	}
	c.write("k8s/list.yaml", b.String())
	res, o := c.scan(parser.Options{})
	noInternalErrors(t, res, o)
	if n := len(res.Graph.Resources("ConfigMap")); n != 100_000 && !res.Diagnostics.HasErrors() {
		t.Errorf("%d of 100,000 items read and no limit reported", n)
	}
}

func TestReadBudgetStopsReadingAndSaysSo(t *testing.T) {
	c := newCorpus(t)
	c.write("z/pod.yaml", goodK8s)
	res, _ := c.scan(parser.Options{Limits: parser.Limits{MaxRead: int64(len(goodCFN) + len(goodK8s))}})
	wantDiag(t, res, graph.DiagError, "z/pod.yaml", 0, "read budget")
}

// panicking is a check that fails on purpose, as a bug in a real check could.
var panicking = &check.Check{
	ID: "test-panics", Title: "Panics on purpose", Severity: check.High, Category: check.CategoryOther,
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources() {
			_ = r.Attrs.GetAttr("no-such-attribute") // cty panics on a missing attribute
		}
	},
}

func TestPanickingCheckIsAnInternalErrorAndTheOtherChecksStillReport(t *testing.T) {
	c := newCorpus(t)
	res, err := parser.Parse([]string{"."}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := checks.Run(res.Graph, append([]*check.Check{panicking}, checks.All()...))
	// The check panics in each scan unit: one error on each unit's file.
	var files []string
	for _, d := range o.Errors {
		if d.Summary == "internal error in check test-panics" {
			files = append(files, d.Range.File)
		}
	}
	if len(o.Errors) != 3 || strings.Join(files, " ") != "good/bucket.yaml good/main.tf good/pod.yaml" {
		t.Fatalf("want an internal error naming the check on each good file, have:\n%s", dump(o.Errors))
	}
	c.goodFindingsReported(res, o)
}

// writeWholeCorpus writes one instance of every hostile item into one tree.
func writeWholeCorpus(t *testing.T, c *corpus) {
	t.Helper()
	c.write("all/utf8/main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"\xff\"\n}\n")
	c.write("all/bin/blob.tf", "\x00\x01\x02binary")
	c.write("all/big/huge.yaml", goodK8s)
	if err := os.Truncate("all/big/huge.yaml", 100<<20); err != nil {
		t.Fatal(err)
	}
	c.write("all/deep/main.tf", "locals {\n  x = "+deep("[", "]", 10_000)+"\n}\n")
	c.write("all/deep/t.json", `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"X":`+deep("[", "]", 10_000)+`}}}}`)
	c.write("all/deep/p.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: "+deep("{a: ", "}", 10_000)+"\n")
	var bomb strings.Builder
	bomb.WriteString("  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		ref := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&bomb, "  l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(ref+", ", 10), ", "))
	}
	c.write("all/bomb/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: laughs\ndata:\n"+bomb.String())
	c.write("all/cycle/main.tf", "locals {\n  a = local.b\n  b = local.a\n}\nmodule \"self\" {\n  source = \"./\"\n}\n")
	c.write("all/huge/main.tf", "resource \"aws_s3_bucket\" \"m\" {\n  count = 50000000\n}\nlocals {\n  r = range(100000000000)\n  s = format(\"%999999999s\", \"x\")\n}\n")
	if err := os.Symlink(".", "all/loop"); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo("all/pipe.yaml", 0o644); err != nil {
		t.Fatal(err)
	}
	var cfn strings.Builder
	cfn.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n")
	for i := 0; i < 10_000; i++ {
		fmt.Fprintf(&cfn, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${B%d}\"\n", i, (i+1)%10_000)
	}
	c.write("all/cfn/many.yaml", cfn.String())
	var list strings.Builder
	list.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&list, "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c%d}}\n", i)
	}
	c.write("all/k8s/list.yaml", list.String())
}

func TestWholeHostileCorpusFinishesInBoundedTimeAndMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("scans the whole corpus; its time and memory bounds mean nothing under -short or -race")
	}
	c := newCorpus(t)
	writeWholeCorpus(t, c)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	res, o := c.scan(parser.Options{})
	close(stop)
	<-sampled
	noInternalErrors(t, res, o)
	if d := time.Since(start); d > 45*time.Second {
		t.Errorf("the corpus took %s", d)
	}
	if p := peak.Load(); p > 2<<30 {
		t.Errorf("heap peaked at %d MiB", p>>20)
	}
	t.Logf("scanned in %s, heap peak %d MiB, %d diagnostics", time.Since(start), peak.Load()>>20, len(res.Diagnostics))
}

func TestEvaluationStepLimitLeavesTheRestUnknownAndSaysWhere(t *testing.T) {
	c := newCorpus(t)
	var b strings.Builder
	b.WriteString("locals {\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "  l%d = \"%d\"\n", i, i)
	}
	b.WriteString("}\nresource \"aws_s3_bucket\" \"late\" {\n  acl = \"public-read\"\n}\n")
	c.write("steps/main.tf", b.String())
	res, o := c.scan(parser.Options{Limits: parser.Limits{MaxEvalSteps: 20}})
	noInternalErrors(t, res, o)
	wantDiag(t, res, graph.DiagError, "steps/main.tf", 0, "more than 20 evaluation steps", "evaluation step limit")
}
