package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHookFailsOnABadFileAndPassesOnAGoodOne drives the real pre-commit client:
// `pre-commit try-repo` builds the hook from this repository (language: golang, with the
// working tree's changes) and runs it in a throwaway git repository, as a developer's
// commit would.
func TestPreCommitHookFailsOnABadFileAndPassesOnAGoodOne(t *testing.T) {
	ci := os.Getenv("CI") == "true"
	for _, tool := range []string{"pre-commit", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			if ci {
				t.Fatalf("%s is not installed; CI must install it (.ci/run)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	// Building the hook compiles iacscan again in pre-commit's own environment, which
	// takes minutes on a small machine: CI always runs it, a developer on request.
	if !ci && os.Getenv("IACSCAN_TEST_PRECOMMIT") != "1" {
		t.Skip("set IACSCAN_TEST_PRECOMMIT=1 to build and run the hook with pre-commit")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	files := map[string]string{
		"bad/main.tf":  sshOpen,
		"good/main.tf": webOnly,
		// A module input set in tfvars: the changed tfvars alone must fail the hook.
		"env/main.tf": `variable "cidr" {}

module "sg" {
  source = "../modules/sg"
  cidr   = var.cidr
}
`,
		"env/terraform.tfvars": "cidr = \"0.0.0.0/0\"\n",
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
	}
	for name, content := range files {
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitEnv := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "commit.gpgsign=false", "commit", "-q", "-m", "fixture"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), gitEnv...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}

	// pre-commit gives the hook a GOPATH of its own; sharing the module cache keeps it
	// from downloading every dependency again, and GOTOOLCHAIN=local from fetching Go.
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	env := append(os.Environ(), gitEnv...)
	env = append(env,
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit"),
		"GOMODCACHE="+strings.TrimSpace(string(modCache)),
		"GOTOOLCHAIN=local",
		"NO_COLOR=1",
	)
	tryRepo := func(files ...string) (int, string) {
		args := []string{"try-repo", root, "iacscan", "--color", "never"}
		// try-repo takes the working tree's changes to tracked files but not untracked
		// files; IACSCAN_PRECOMMIT_REF tests a commit instead.
		if ref := os.Getenv("IACSCAN_PRECOMMIT_REF"); ref != "" {
			args = append(args, "--ref", ref)
		}
		args = append(append(args, "--files"), files...)
		cmd := exec.Command("pre-commit", args...)
		cmd.Dir = repo
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("pre-commit: %v\n%s", err, out)
			}
			return ee.ExitCode(), string(out)
		}
		return 0, string(out)
	}

	code, out := tryRepo("bad/main.tf")
	if code != 1 || !strings.Contains(out, "Failed") || !strings.Contains(out, "aws-ec2-sg-open-admin-port") {
		t.Fatalf("bad file: exit %d, want the hook to fail naming the check\n%s", code, out)
	}
	if code, out := tryRepo("good/main.tf"); code != 0 || !strings.Contains(out, "Passed") {
		t.Errorf("good file: exit %d, want the hook to pass\n%s", code, out)
	}
	// The other files of the repository (bad/) are loaded but not reported.
	if code, out := tryRepo("good/main.tf", "modules/sg/main.tf"); code != 1 || strings.Contains(out, "bad/main.tf") || !strings.Contains(out, "modules/sg/main.tf") {
		t.Errorf("module file: exit %d, want a failure on the module's rule only\n%s", code, out)
	}
	if code, out := tryRepo("env/terraform.tfvars"); code != 1 || !strings.Contains(out, "env/terraform.tfvars:1") {
		t.Errorf("tfvars: exit %d, want a failure whose value comes from the tfvars\n%s", code, out)
	}
}
