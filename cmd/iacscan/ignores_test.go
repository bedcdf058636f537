package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// sshAccepted is sshOpen with the finding accepted by an ignore comment.
const sshAccepted = `resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # iacscan:ignore:aws-ec2-sg-open-admin-port bastion, reviewed
  }
}
`

func TestSuppressedFindingDoesNotFailTheScan(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshAccepted})
	code, out, errOut := runCLI()
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "0 findings") || !strings.Contains(out, "1 suppressed") {
		t.Errorf("text summary should show 0 findings and 1 suppressed:\n%s", out)
	}
}

func TestSuppressedFindingIsInTheJSONWithItsReason(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshAccepted})
	code, out, _ := runCLI("--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d, want 0", code)
	}
	var rep struct {
		Results []struct {
			Suppressed *struct {
				Justification string `json:"justification"`
				Line          int    `json:"line"`
			} `json:"suppressed"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Suppressed == nil ||
		rep.Results[0].Suppressed.Justification != "bastion, reviewed" || rep.Results[0].Suppressed.Line != 7 {
		t.Errorf("results = %s", out)
	}
}

func TestNoIgnoresReportsEverything(t *testing.T) {
	tree(t, map[string]string{"admin/main.tf": sshAccepted})
	code, out, errOut := runCLI("--no-ignores")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "aws-ec2-sg-open-admin-port") || strings.Contains(out, "suppressed") {
		t.Errorf("--no-ignores should show the finding unsuppressed:\n%s", out)
	}
}

func TestStaleAndExpiredIgnoresAreWarnedAbout(t *testing.T) {
	tree(t, map[string]string{"web/main.tf": `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # iacscan:ignore:aws-ec2-sg-open-port
  }
}
`, "admin/main.tf": strings.Replace(sshAccepted, "open-admin-port", "open-admin-port:exp:2020-01-01", 1)})
	code, _, errOut := runCLI()
	if code != exitFindings {
		t.Errorf("exit %d, want 1: an expired ignore suppresses nothing", code)
	}
	for _, want := range []string{
		"web/main.tf:7:", "ignore of aws-ec2-sg-open-port suppresses nothing",
		"admin/main.tf:7:", "ignore of aws-ec2-sg-open-admin-port expired on 2020-01-01",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
