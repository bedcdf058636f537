package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// actionFile is the composite action at the repository root, as far as the test runs it.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Name  string            `yaml:"name"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// runAction runs the bash steps of action.yml the way the Actions runner does, in a
// simulated GITHUB_* environment: expressions in env are evaluated from the inputs (with
// the action's defaults) and the github context, each step runs with bash -eo pipefail,
// and `uses:` steps are skipped (setup-go: the test already runs under Go). It returns
// the exit code of the last step that ran and its standard output.
//
// runnerTemp is kept between calls: once the build step has produced the binary there,
// later calls skip it, as the build is the slow part.
func runAction(t *testing.T, workspace, runnerTemp string, inputs map[string]string) (code int, stdout string, runnerEnv map[string]string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(src, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	values := map[string]string{}
	for name, in := range a.Inputs {
		values["inputs."+name] = in.Default
	}
	for name, v := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action has no input %q", name)
		}
		values["inputs."+name] = v
	}
	values["github.action_path"] = root
	values["github.action_ref"] = "v0.0.0-test"

	tmp := t.TempDir()
	built := false
	if info, err := os.Stat(filepath.Join(runnerTemp, "iacscan")); err == nil && info.Mode().IsRegular() {
		built = true
	}
	runnerEnv = map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_ACTION_PATH":  root,
		"GITHUB_WORKSPACE":    workspace,
		"RUNNER_TEMP":         runnerTemp,
		"GITHUB_STEP_SUMMARY": filepath.Join(tmp, "step_summary.md"),
		"GITHUB_OUTPUT":       filepath.Join(tmp, "output.txt"),
	}
	for _, f := range []string{"GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"} {
		if err := os.WriteFile(runnerEnv[f], nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(s string) string {
		return expression.ReplaceAllStringFunc(s, func(m string) string {
			key := expression.FindStringSubmatch(m)[1]
			v, ok := values[key]
			if !ok {
				t.Fatalf("action uses expression %q the test does not simulate", key)
			}
			return v
		})
	}
	for _, step := range a.Runs.Steps {
		if step.Uses != "" || (built && strings.Contains(step.Run, "go build")) {
			continue
		}
		if step.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", step.Name, step.Shell)
		}
		// Inputs spliced into a script's text are a shell injection; they must come
		// through env.
		if strings.Contains(step.Run, "${{") {
			t.Errorf("step %q uses an expression in its script; pass it through env", step.Name)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
		cmd.Dir = workspace
		cmd.Env = os.Environ()
		for k, v := range runnerEnv {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		for k, v := range step.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v))
		}
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code = 0
		if err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("step %q: %v", step.Name, err)
			}
			code = ee.ExitCode()
		}
		stdout = out.String()
		if code != 0 {
			if step.ID != "scan" {
				t.Fatalf("step %q failed with %d:\n%s\n%s", step.Name, code, out.String(), errOut.String())
			}
			break
		}
	}
	return code, stdout, runnerEnv
}

func TestActionWritesSARIFAnnotationsAndSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds iacscan")
	}
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "infra"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "infra", "main.tf"), []byte(sshOpen), 0o644); err != nil {
		t.Fatal(err)
	}
	runnerTemp := t.TempDir()
	code, stdout, env := runAction(t, ws, runnerTemp, nil)
	if code != exitFindings {
		t.Fatalf("scan step exit %d, want 1 (findings fail the step)\n%s", code, stdout)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	data, err := os.ReadFile(filepath.Join(ws, "iacscan.sarif"))
	if err != nil {
		t.Fatalf("the SARIF file for upload-sarif was not written: %v", err)
	}
	if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 {
		t.Fatalf("SARIF: %v\n%s", err, data)
	}
	if v := log.Runs[0].Tool.Driver.Version; v != "v0.0.0-test" {
		t.Errorf("tool version %q, want the action's ref", v)
	}
	if !strings.Contains(stdout, "::error file=infra/main.tf,line=7,") {
		t.Errorf("no PR annotation on standard output:\n%s", stdout)
	}
	summary, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
	if !strings.Contains(string(summary), "## iacscan") || !strings.Contains(string(summary), "aws-ec2-sg-open-admin-port") {
		t.Errorf("job summary not written:\n%s", summary)
	}
	outputs, _ := os.ReadFile(env["GITHUB_OUTPUT"])
	if !strings.Contains(string(outputs), "exit-code=1") {
		t.Errorf("exit-code output missing: %q", outputs)
	}

	// soft-fail keeps the step green with the same reports; a clean tree passes.
	if code, out, _ := runAction(t, ws, runnerTemp, map[string]string{"soft-fail": "true", "summary": "false", "format": "junit", "output": "junit.xml"}); code != 0 {
		t.Errorf("soft-fail: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(ws, "junit.xml")); err != nil {
		t.Errorf("junit output: %v", err)
	}
	if err := os.WriteFile(filepath.Join(ws, "infra", "main.tf"), []byte(webOnly), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runAction(t, ws, runnerTemp, nil); code != 0 {
		t.Errorf("clean tree: exit %d\n%s", code, out)
	}
}
