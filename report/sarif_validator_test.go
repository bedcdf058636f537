package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser"
)

// The SARIF output is checked with Microsoft's validator, the reference for what GitHub
// code scanning accepts: `npm ci` at the repository root installs it.

// validator is how to run sarif-multitool.
type validator struct {
	path string
	// viaShell is set for npm's bin shim, which hands its arguments to a shell: they must
	// be quoted, or the ';' of "Gh;Sarif" ends the command.
	viaShell bool
}

// findValidator locates sarif-multitool from $SARIF_MULTITOOL or the repository's
// node_modules. Without it the test is skipped, except in CI where it must be installed.
func findValidator(t *testing.T) validator {
	t.Helper()
	path := os.Getenv("SARIF_MULTITOOL")
	if path == "" {
		path = filepath.Join("..", "node_modules", ".bin", "sarif-multitool")
	}
	abs, err := filepath.Abs(path)
	if err == nil {
		path = abs
	}
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("SARIF validator not found at %s: run `npm ci` in the repository root, or set SARIF_MULTITOOL to the sarif-multitool executable", path)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	head := make([]byte, 64)
	if f, err := os.Open(path); err == nil {
		n, _ := f.Read(head)
		head = head[:n]
		_ = f.Close()
	}
	if !bytes.HasPrefix(head, []byte("#!")) || !bytes.Contains(head, []byte("node")) {
		return validator{path: path}
	}
	// npm's shim: run the native executable it wraps when it can be found.
	native := filepath.Join(filepath.Dir(filepath.Dir(path)), "@microsoft", "sarif-multitool-"+nodePlatform(), "Sarif.Multitool")
	if runtime.GOOS == "windows" {
		native += ".exe"
	}
	if _, err := os.Stat(native); err == nil {
		return validator{path: native}
	}
	return validator{path: path, viaShell: true}
}

// nodePlatform is Node's name for the operating system, which npm uses in the name of
// the validator's native package.
func nodePlatform() string {
	if runtime.GOOS == "windows" {
		return "win32"
	}
	return runtime.GOOS
}

// validate runs the validator with GitHub's and the SARIF specification's rules on log
// and fails the test on every error and warning it reports.
func (v validator) validate(t *testing.T, log []byte) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "iacscan.sarif")
	out := filepath.Join(dir, "validation.sarif")
	if err := os.WriteFile(in, log, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"validate", "--rule-kind", "Gh;Sarif", "--output", out, in}
	if v.viaShell {
		for i, a := range args {
			args[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	cmd := exec.Command(v.path, args...)
	cmd.Dir = dir
	console, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sarif-multitool validate: %v\n%s", err, console)
	}
	problems, err := validationProblems(out)
	if err != nil {
		t.Fatalf("read validation log: %v\n%s", err, console)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		t.Logf("validator output:\n%s", console)
		t.Logf("validated log:\n%s", log)
	}
}

// validationLog is the part of the validator's own SARIF output needed to list problems.
type validationLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					MessageStrings map[string]struct {
						Text string `json:"text"`
					} `json:"messageStrings"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				ID        string   `json:"id"`
				Text      string   `json:"text"`
				Arguments []string `json:"arguments"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// validationProblems lists the errors and warnings in the validator's output log. A
// result without a level has its rule's default level, and "warning" without one.
func validationProblems(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var vl validationLog
	if err := json.Unmarshal(data, &vl); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	var problems []string
	for _, run := range vl.Runs {
		for _, inv := range run.Invocations {
			for _, n := range inv.ToolExecutionNotifications {
				if n.Level == "error" {
					problems = append(problems, "validator failed: "+n.Message.Text)
				}
			}
		}
		for _, r := range run.Results {
			lvl := r.Level
			text := r.Message.Text
			if r.RuleIndex != nil && *r.RuleIndex >= 0 && *r.RuleIndex < len(run.Tool.Driver.Rules) {
				rule := run.Tool.Driver.Rules[*r.RuleIndex]
				if lvl == "" {
					lvl = rule.DefaultConfiguration.Level
				}
				if ms, ok := rule.MessageStrings[r.Message.ID]; ok && text == "" {
					text = ms.Text
					for i, a := range r.Message.Arguments {
						text = strings.ReplaceAll(text, fmt.Sprintf("{%d}", i), a)
					}
				}
			}
			if lvl == "" {
				lvl = "warning"
			}
			if lvl != "error" && lvl != "warning" {
				continue
			}
			pos := ""
			if len(r.Locations) > 0 {
				reg := r.Locations[0].PhysicalLocation.Region
				pos = fmt.Sprintf("(%d,%d) ", reg.StartLine, reg.StartColumn)
			}
			problems = append(problems, fmt.Sprintf("%s%s %s: %s", pos, lvl, r.RuleID, text))
		}
	}
	return problems, nil
}

func TestSARIFOfSyntheticScanPassesValidator(t *testing.T) {
	v := findValidator(t)
	var buf bytes.Buffer
	if err := SARIF(&buf, syntheticInput()); err != nil {
		t.Fatal(err)
	}
	v.validate(t, buf.Bytes())
}

func TestSARIFOfFixturesScanPassesValidator(t *testing.T) {
	v := findValidator(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// Scan from the repository root, as CI does, so that paths are relative to it.
	t.Chdir(root)
	res, err := parser.Parse([]string{"fixtures"}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := checks.All()
	out := checks.Run(res.Graph, all)
	in := &Input{
		Tool:        ToolInfo{Name: "iacscan", Version: "0.0.0-test", InformationURI: "https://github.com/iacscan/iacscan"},
		Checks:      all,
		Results:     out.Results,
		Undecided:   out.Undecided,
		Diagnostics: append(res.Diagnostics, out.Errors...),
		Stats:       res.Stats,
		Files:       res.Files,
		Root:        root,
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d results, %d rules, %d diagnostics", len(in.Results), len(all), len(in.Diagnostics))
	v.validate(t, buf.Bytes())
}
