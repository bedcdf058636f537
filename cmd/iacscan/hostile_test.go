package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	publicBucket = "resource \"aws_s3_bucket\" \"b\" {\n  acl = \"public-read\"\n}\n"
	deepPod      = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {a: {a: {a: {a: {a: {a: 1}}}}}}\n"
)

// sarifLog is the part of a SARIF log these tests read.
type sarifLog struct {
	Runs []struct {
		Results []struct {
			RuleID string `json:"ruleId"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

func TestLimitFlagsReportTheFileAsNotAnalysedAndExitTwo(t *testing.T) {
	tree(t, map[string]string{"good/main.tf": publicBucket, "bad/pod.yaml": deepPod})
	code, out, errOut := runCLI("scan", "--format", "sarif", "--max-depth", "4", "--max-file-size", "1MiB", "--max-memory", "2GiB", ".")
	if code != exitError {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "bad/pod.yaml:5:1: error: nesting too deep: brackets nest deeper than the limit of 4 levels (--max-depth)") {
		t.Errorf("stderr does not name the file, line and limit:\n%s", errOut)
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("not one SARIF run with an invocation (%v):\n%s", err, out)
	}
	run := log.Runs[0]
	found := false
	for _, n := range run.Invocations[0].ToolExecutionNotifications {
		found = found || (n.Level == "error" && strings.Contains(n.Message.Text, "--max-depth"))
	}
	if !found {
		t.Errorf("no error notification names the depth limit:\n%s", out)
	}
	if len(run.Results) != 1 || run.Results[0].RuleID != "aws-s3-public-acl" {
		t.Errorf("the good file's finding is missing: %+v", run.Results)
	}
}

func TestInvalidLimitIsAUsageError(t *testing.T) {
	tree(t, map[string]string{"good/main.tf": publicBucket})
	code, _, errOut := runCLI("scan", "--max-file-size", "lots", ".")
	if code != exitError || !strings.Contains(errOut, "invalid size") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestSizesAcceptUnits(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "512": 512, "4KiB": 4 << 10, "16MiB": 16 << 20, "2GiB": 2 << 30, "3m": 3 << 20, "1 G": 1 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1TiB", "9999999999999G", "x"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}

// TestScanWithoutNetworkIsIdentical runs the built binary in a network namespace with no
// interfaces (unshare -n) and compares its report byte for byte with a normal run: the
// scan never needs the network, and a module source or template URL in the tree is never
// fetched.
func TestScanWithoutNetworkIsIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare not installed")
	}
	if err := exec.Command(unshare, "-n", "true").Run(); err != nil {
		t.Skipf("cannot create a network namespace here (needs root or user namespaces): %v", err)
	}
	bin := filepath.Join(t.TempDir(), "iacscan")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	tree(t, map[string]string{
		"good/main.tf": publicBucket,
		"remote/main.tf": `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
module "git" {
  source = "git::https://example.com/network.git?ref=v1"
}
data "http" "x" {
  url = "https://example.com/policy.json"
}
`,
		"stack.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.com/nested.yaml\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n",
	})
	scan := func(prefix ...string) ([]byte, int) {
		args := append(append([]string{}, prefix...), bin, "scan", "--format", "sarif", ".")
		cmd := exec.Command(args[0], args[1:]...)
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.Bytes(), code
	}
	normal, codeNormal := scan()
	isolated, codeIsolated := scan(unshare, "-n")
	if codeNormal != codeIsolated || !bytes.Equal(normal, isolated) {
		t.Errorf("exit %d vs %d without network; reports equal: %v", codeNormal, codeIsolated, bytes.Equal(normal, isolated))
	}
	if codeNormal != exitFindings {
		t.Errorf("exit %d, want 1 (findings, no parse failure)", codeNormal)
	}
	// Nothing is written beside the scanned files.
	ents, _ := os.ReadDir(".")
	if len(ents) != 3 {
		t.Errorf("the scan wrote into the tree: %v", ents)
	}
}
