package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// moduleTree is a root module that passes a tfvars value through a module input to a
// security group rule: the finding is located in the module, its value comes from
// terraform.tfvars, and other/ holds an unrelated finding.
var moduleTree = map[string]string{
	"main.tf": `variable "admin_cidr" {}

module "sg" {
  source = "./modules/sg"
  cidr   = var.admin_cidr
}
`,
	"terraform.tfvars": "admin_cidr = \"0.0.0.0/0\"\n",
	"modules/sg/main.tf": `variable "cidr" {}

resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
`,
	"other/main.tf": sshOpen,
}

func TestPassedModuleFileIsJudgedWithItsCallersInputs(t *testing.T) {
	tree(t, moduleTree)
	code, out, errOut := runCLI("modules/sg/main.tf", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (the tfvars value reaches the module)\n%s\n%s", code, out, errOut)
	}
	files := resultFiles(t, out)
	if len(files) != 1 || files[0] != "modules/sg/main.tf" {
		t.Errorf("results in %v, want only modules/sg/main.tf", files)
	}
}

func TestPassedTfvarsReportsTheFindingItsValueCauses(t *testing.T) {
	tree(t, moduleTree)
	code, out, errOut := runCLI("terraform.tfvars", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if files := resultFiles(t, out); len(files) != 1 || files[0] != "modules/sg/main.tf" {
		t.Errorf("results in %v, want the module's finding whose value the tfvars sets", files)
	}
}

func TestPassedFileIgnoresProblemsInModulesNotPassed(t *testing.T) {
	files := map[string]string{"broken/main.tf": broken}
	for k, v := range moduleTree {
		files[k] = v
	}
	tree(t, files)
	if code, out, errOut := runCLI("other/main.tf"); code != exitFindings {
		t.Fatalf("exit %d, want 1: a broken module elsewhere must not fail the hook\n%s\n%s", code, out, errOut)
	}
}

// git runs git in the working directory with a fixed identity.
func git(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestChangedSinceReportsChangedLinesAndChangedOrigins(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	tree(t, moduleTree)
	git(t, "init", "-q")
	git(t, "add", ".")
	git(t, "commit", "-q", "-m", "base")

	// Nothing changed: nothing to report, although the tree has findings.
	if code, out, errOut := runCLI("--changed-since", "HEAD", "--format", "json"); code != exitOK {
		t.Fatalf("exit %d with no change, want 0\n%s\n%s", code, out, errOut)
	}

	// Changing only the tfvars value reports the unchanged module's finding; the
	// unchanged finding in other/ stays out.
	if err := os.WriteFile("terraform.tfvars", []byte("admin_cidr = \"0.0.0.0/0\" # reviewed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("--changed-since", "HEAD", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if files := resultFiles(t, out); len(files) != 1 || files[0] != "modules/sg/main.tf" {
		t.Errorf("results in %v, want only the module finding whose origin changed", files)
	}

	if code, _, errOut := runCLI("--changed-since", "no-such-ref"); code != exitError || !strings.Contains(errOut, "no-such-ref") {
		t.Errorf("unknown revision: exit %d, stderr %q; want 2 naming the revision", code, errOut)
	}
}

func TestParseUnifiedDiffReadsNewSideRanges(t *testing.T) {
	diff := `diff --git a/main.tf b/main.tf
--- a/main.tf
+++ b/main.tf
@@ -3 +3 @@ resource
-  acl = "private"
+  acl = "public-read"
@@ -10,0 +11,3 @@
+a
+b
+c
@@ -20,2 +22,0 @@
-gone
-gone
diff --git a/old.tf b/old.tf
--- a/old.tf
+++ /dev/null
@@ -1 +0,0 @@
-x
diff --git "a/sp ace\303\251.tf" "b/sp ace\303\251.tf"
--- "a/sp ace\303\251.tf"
+++ "b/sp ace\303\251.tf"
@@ -1 +1 @@
-x
+y
`
	sc, err := parseUnifiedDiff([]byte(diff))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		line int
		want bool
	}{
		{"main.tf", 3, true}, {"main.tf", 11, true}, {"main.tf", 13, true},
		{"main.tf", 2, false}, {"main.tf", 4, false}, {"main.tf", 14, false}, {"main.tf", 22, false},
		{"old.tf", 1, false}, {"sp aceé.tf", 1, true},
	} {
		rng := graph.Range{File: c.file, Start: graph.Pos{Line: c.line, Column: 1}, End: graph.Pos{Line: c.line, Column: 2}}
		if got := sc.touches(rng); got != c.want {
			t.Errorf("%s:%d changed = %v, want %v", c.file, c.line, got, c.want)
		}
	}
}

func TestBaselineReportsOnlyNewFindingsAndSurvivesMovedLines(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	if code, _, errOut := runCLI("--baseline-out", "baseline.json", "--soft-fail"); code != exitOK {
		t.Fatalf("writing the baseline: exit %d\n%s", code, errOut)
	}
	data, err := os.ReadFile("baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	var b baselineFile
	if err := json.Unmarshal(data, &b); err != nil || b.Version != 1 || len(b.Findings) != 1 {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}

	// Moving the resource down and reformatting it keeps it known.
	moved := "# moved\n\n\n" + strings.ReplaceAll(sshOpen, "    ", "      ")
	if err := os.WriteFile("admin/main.tf", []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("--baseline", "baseline.json")
	if code != exitOK || !strings.Contains(out, "0 findings") {
		t.Fatalf("known finding after a move: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "1 finding recorded in the baseline is not reported") {
		t.Errorf("stderr does not say the baseline hid a finding: %q", errOut)
	}

	// A new finding is reported and fails.
	if err := os.MkdirAll("db", 0o755); err != nil {
		t.Fatal(err)
	}
	rdp := strings.NewReplacer(`"admin"`, `"rdp"`, "22", "3389").Replace(sshOpen)
	if err := os.WriteFile("db/main.tf", []byte(rdp), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI("--baseline", "baseline.json", "--format", "json")
	if code != exitFindings {
		t.Fatalf("new finding: exit %d, want 1\n%s", code, out)
	}
	if files := resultFiles(t, out); len(files) != 1 || files[0] != "db/main.tf" {
		t.Errorf("results in %v, want only the new finding in db/main.tf", files)
	}
}

func TestConfigPathGlobsSeverityOverridesAndExtraOutputs(t *testing.T) {
	tree(t, map[string]string{
		"admin/main.tf":           sshOpen,
		"examples/demo/main.tf":   sshOpen,
		"examples/demo/broken.tf": broken,
		".iacscan.yml": `exclude-paths: [examples]
severity-overrides:
  aws-ec2-sg-open-admin-port: low
outputs:
  - format: junit
    file: out/junit.xml
  - format: sarif
    file: out/iacscan.sarif
`,
	})
	if err := os.MkdirAll("out", 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (the excluded broken file must not fail the scan)\n%s\n%s", code, out, errOut)
	}
	var rep struct {
		Results []struct {
			File     string `json:"file"`
			Severity string `json:"severity"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].File != "admin/main.tf" || rep.Results[0].Severity != "low" {
		t.Errorf("results %+v, want one low finding in admin/main.tf", rep.Results)
	}
	for _, f := range []string{"out/junit.xml", "out/iacscan.sarif"} {
		if info, err := os.Stat(f); err != nil || info.Size() == 0 {
			t.Errorf("extra output %s not written: %v", f, err)
		}
	}
	// The overridden severity is what --severity compares against.
	if code, _, _ := runCLI("--severity", "medium"); code != exitOK {
		t.Errorf("exit %d with --severity medium, want 0 once the check is low", code)
	}
}

func TestSeverityOverrideOfUnknownCheckIsAUsageError(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	if code, _, errOut := runCLI("--severity-override", "no-such-check=low"); code != exitError || !strings.Contains(errOut, "no-such-check") {
		t.Errorf("exit %d, stderr %q; want 2 naming the check", code, errOut)
	}
}

func TestInitWritesAConfigThatLoadsAndRefusesToOverwrite(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	if code, _, errOut := runCLI("init"); code != exitOK {
		t.Fatalf("init: exit %d\n%s", code, errOut)
	}
	if code, out, errOut := runCLI(); code != exitFindings {
		t.Fatalf("scan with the default config: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("init"); code != exitError || !strings.Contains(errOut, "exists") {
		t.Errorf("second init: exit %d, stderr %q; want 2", code, errOut)
	}
}

func TestGitHubFormatWritesAnnotationsAndTheStepSummary(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	t.Setenv("GITHUB_STEP_SUMMARY", "summary.md")
	if err := os.WriteFile("summary.md", []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("--format", "github")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "::error file=admin/main.tf,line=7,col=") || !strings.Contains(out, "title=aws-ec2-sg-open-admin-port (CRITICAL)::") {
		t.Errorf("annotation not as GitHub expects:\n%s", out)
	}
	summary, err := os.ReadFile("summary.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(summary), "earlier step\n## iacscan") || !strings.Contains(string(summary), "| CRITICAL |") {
		t.Errorf("summary not appended:\n%s", summary)
	}
}

func TestMatchGlob(t *testing.T) {
	for _, c := range []struct {
		pattern, file string
		want          bool
	}{
		{"examples", "examples/demo/main.tf", true},
		{"examples", "src/examples/main.tf", true},
		{"examples", "examples.tf", false},
		{"*.tfvars", "env/prod.tfvars", true},
		{"env/*.tfvars", "env/prod.tfvars", true},
		{"env/*.tfvars", "env/eu/prod.tfvars", false},
		{"env/**/*.tfvars", "env/eu/prod.tfvars", true},
		{"env/**", "env/eu/prod.tfvars", true},
		{"**/test/**", "a/b/test/c/main.tf", true},
		{"modules/legacy", "modules/legacy/main.tf", true},
		{"modules/legacy", "modules/legacy2/main.tf", false},
		{"./modules/", "modules/x.tf", true},
	} {
		if got := matchGlob(c.pattern, c.file); got != c.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", c.pattern, c.file, got, c.want)
		}
	}
}

// resultFiles returns the distinct files of a JSON report's results, in report order.
func resultFiles(t *testing.T, out string) []string {
	t.Helper()
	var rep struct {
		Results []struct {
			File string `json:"file"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var files []string
	for _, r := range rep.Results {
		if len(files) == 0 || files[len(files)-1] != r.File {
			files = append(files, r.File)
		}
	}
	return files
}

func TestDirectoryNamedBesideAFileIsReportedInFull(t *testing.T) {
	tree(t, moduleTree)
	code, out, errOut := runCLI("other", "terraform.tfvars", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if files := resultFiles(t, out); len(files) != 2 || files[0] != "modules/sg/main.tf" || files[1] != "other/main.tf" {
		t.Errorf("results in %v, want the tfvars' finding and the directory's", files)
	}
}

func TestPassedModuleFileFindsCallersAcrossTheGitRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	tree(t, moduleTree)
	git(t, "init", "-q")
	// Run from the module's own directory: the caller above it must still be found.
	t.Chdir("modules/sg")
	code, out, errOut := runCLI("main.tf", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if files := resultFiles(t, out); len(files) != 1 || !strings.HasSuffix(files[0], "modules/sg/main.tf") {
		t.Errorf("results in %v, want the module's file", files)
	}
}
