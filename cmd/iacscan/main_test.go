package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// sshOpen is a security group with SSH open to the world: a critical finding.
	sshOpen = `resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`
	// webOnly exposes only HTTPS, the intended exposure of a web tier: nothing to report.
	webOnly = `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`
	broken = `resource "aws_security_group" "x" {
  name = "x"
`
)

// tree writes files (slash paths → content) under a fresh directory and makes it the
// working directory.
func tree(t *testing.T, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCleanTreeExitsZero(t *testing.T) {
	tree(t, map[string]string{"web/main.tf": webOnly})
	code, out, errOut := runCLI()
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "0 findings") {
		t.Errorf("summary missing from text report:\n%s", out)
	}
}

func TestFindingExitsOneAndPointsAtTheAttribute(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	code, out, _ := runCLI("scan", ".")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"admin/main.tf", "aws-ec2-sg-open-admin-port", "aws_security_group.admin", "7 |"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestSoftFailExitsZeroWithFindings(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	if code, out, _ := runCLI("--soft-fail"); code != exitOK || !strings.Contains(out, "aws-ec2-sg-open-admin-port") {
		t.Fatalf("exit %d, want 0 with the finding still reported:\n%s", code, out)
	}
}

func TestSeverityThresholdFiltersAndDecidesExitCode(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	if code, _, _ := runCLI("--severity", "critical"); code != exitFindings {
		t.Errorf("critical finding filtered out by --severity critical: exit %d", code)
	}
	// The same tree with the admin check excluded has nothing at or above critical.
	if code, out, _ := runCLI("--severity", "critical", "--exclude", "aws-ec2-sg-open-admin-port"); code != exitOK {
		t.Errorf("exit %d, want 0:\n%s", code, out)
	}
}

func TestParseErrorExitsTwoAndOtherFilesAreStillReported(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen, "broken/main.tf": broken})
	code, out, errOut := runCLI()
	if code != exitError {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut, "broken/main.tf:") || !strings.Contains(errOut, "error") {
		t.Errorf("stderr does not name the broken file and line:\n%s", errOut)
	}
	if !strings.Contains(out, "aws-ec2-sg-open-admin-port") {
		t.Errorf("finding in the good file was lost:\n%s", out)
	}
}

func TestFlagsMayFollowPaths(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen})
	code, out, errOut := runCLI("admin", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("--format json after the path did not produce JSON: %v\n%s", err, out)
	}
}

func TestOutputFileAndDeterministicSARIF(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen, "web/main.tf": webOnly})
	var reports [2][]byte
	for i := range reports {
		code, out, errOut := runCLI("--format", "sarif", "--output", "out.sarif")
		if code != exitFindings || out != "" {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		b, err := os.ReadFile("out.sarif")
		if err != nil {
			t.Fatal(err)
		}
		reports[i] = b
	}
	if !bytes.Equal(reports[0], reports[1]) {
		t.Error("two scans of the same tree gave different SARIF")
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(reports[0], &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "aws-ec2-sg-open-admin-port" {
		t.Errorf("unexpected SARIF: %+v", log)
	}
}

func TestExplicitFilesLimitTheReport(t *testing.T) {
	tree(t, map[string]string{
		"net/admin.tf": sshOpen,
		"net/web.tf":   strings.ReplaceAll(sshOpen, `"admin"`, `"other"`),
	})
	code, out, _ := runCLI("--format", "json", "net/web.tf")
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(out, "net/admin.tf") || !strings.Contains(out, "net/web.tf") {
		t.Errorf("report not limited to the file given:\n%s", out)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	tree(t, map[string]string{"web/main.tf": webOnly})
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--severity", "urgent"},
		{"--include", "no-such-check"},
		{"--no-such-flag"},
		{"does/not/exist"},
	} {
		if code, _, _ := runCLI(args...); code != exitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestConfigFileUnknownKeyNamesTheLine(t *testing.T) {
	tree(t, map[string]string{"web/main.tf": webOnly, ".iacscan.yml": "severity: high\nseverty: low\n"})
	code, _, errOut := runCLI()
	if code != exitError || !strings.Contains(errOut, "line 2") {
		t.Errorf("exit %d, stderr %q: want 2 and the line of the unknown key", code, errOut)
	}
}

func TestConfigFileSettingsApplyAndFlagsWin(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshOpen, ".iacscan.yml": "exclude: [aws-ec2-sg-open-admin-port]\n"})
	if code, _, _ := runCLI(); code != exitOK {
		t.Errorf("config exclude not applied: exit %d", code)
	}
	if code, _, _ := runCLI("--exclude", "aws-s3-public-acl"); code != exitFindings {
		t.Errorf("--exclude on the command line should replace the config's list: exit %d", code)
	}
}

func TestChecksSubcommandFormats(t *testing.T) {
	for _, f := range []string{"text", "markdown", "json"} {
		code, out, errOut := runCLI("checks", "--format", f)
		if code != exitOK || !strings.Contains(out, "aws-s3-public-acl") {
			t.Errorf("checks --format %s: exit %d, stderr %q", f, code, errOut)
		}
	}
}

func TestCloudFormationParameterFileOverridesDefault(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AdminCidr:
    Type: String
    Default: 10.0.0.0/8
Resources:
  AdminSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref AdminCidr
`
	params := `[{"ParameterKey": "AdminCidr", "ParameterValue": "0.0.0.0/0"}]`
	tree(t, map[string]string{"stack/template.yaml": tmpl, "params/prod.json": params})
	if code, out, _ := runCLI("stack"); code != exitOK {
		t.Fatalf("default 10.0.0.0/8 reported: exit %d\n%s", code, out)
	}
	code, out, errOut := runCLI("--cfn-params", "params/prod.json", "stack")
	if code != exitFindings || !strings.Contains(out, "stack/template.yaml") || !strings.Contains(out, "aws-ec2-sg-open-admin-port") {
		t.Fatalf("parameter file value not applied: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "params/prod.json") {
		t.Errorf("the parameter file is not named as the value's origin:\n%s", out)
	}
}
