package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/parser/terraform"
)

// setTerraformParse replaces terraformParse, package state every Parse reads, for the
// rest of the test and restores it afterwards. t.Setenv makes a test that replaces it
// fail if it runs in parallel, where another test's Parse would call the replacement.
func setTerraformParse(t *testing.T, f func([]string, terraform.Options) *terraform.Result) {
	t.Helper()
	t.Setenv("IACSCAN_TEST_HOOK", "set")
	saved := terraformParse
	t.Cleanup(func() { terraformParse = saved })
	terraformParse = f
}

// TestTerraformParserPanicCostsOnlyTerraform: a panic that escapes the Terraform parser
// is an error naming the Terraform directories, and the YAML files are still scanned.
func TestTerraformParserPanicCostsOnlyTerraform(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"net/main.tf":   "resource \"aws_vpc\" \"v\" {}\n",
		"store/main.tf": "resource \"aws_s3_bucket\" \"b\" {}\n",
		"k8s/pod.yaml":  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n",
		"cfn/t.yaml":    "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	setTerraformParse(t, func([]string, terraform.Options) *terraform.Result {
		panic("loader bug")
	})

	res, err := Parse([]string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var internal []graph.Diagnostic
	for _, d := range res.Diagnostics {
		if d.Summary == "internal error parsing Terraform" {
			internal = append(internal, d)
		} else if d.Severity == graph.DiagError {
			t.Errorf("unexpected error %s", d.Error())
		}
	}
	if len(internal) != 1 {
		t.Fatalf("diagnostics %v: want one internal error parsing Terraform", res.Diagnostics)
	}
	d := internal[0]
	if d.Severity != graph.DiagError || d.Range.File != "net" ||
		!strings.Contains(d.Detail, "loader bug") || !strings.Contains(d.Detail, "directories net, store") {
		t.Errorf("diagnostic %s: want an error on net naming the panic and both directories", d.Error())
	}
	var got []string
	for _, r := range res.Graph.All() {
		got = append(got, string(r.Format)+" "+r.Range.File)
	}
	if want := "cloudformation cfn/t.yaml,kubernetes k8s/pod.yaml"; strings.Join(got, ",") != want {
		t.Errorf("resources %v, want %s", got, want)
	}
}
