package main

import (
	"strings"
	"testing"
)

const workspaceSSH = `locals {
  admin_cidr = {
    dev  = "0.0.0.0/0"
    prod = "10.20.0.0/16"
  }
}
resource "aws_security_group" "bastion" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [local.admin_cidr[terraform.workspace]]
  }
}
`

func TestWorkspaceFlagAndConfig(t *testing.T) {
	tree(t, map[string]string{"net/main.tf": workspaceSSH})
	code, out, _ := runCLI("--show-undecided", "--no-color")
	if code != exitOK || !strings.Contains(out, `Invalid index, with terraform.workspace assumed "default"; pass --workspace NAME`) {
		t.Errorf("without --workspace: exit %d, want 0 and an undecided reason naming the workspace:\n%s", code, out)
	}
	if code, out, _ := runCLI("--workspace", "dev"); code != exitFindings || !strings.Contains(out, "aws-ec2-sg-open-admin-port") {
		t.Errorf("--workspace dev: exit %d, want the open SSH port:\n%s", code, out)
	}
	if code, _, _ := runCLI("--workspace", "prod"); code != exitOK {
		t.Errorf("--workspace prod: exit %d, want 0", code)
	}

	tree(t, map[string]string{"net/main.tf": workspaceSSH, ".iacscan.yml": "workspace: dev\n"})
	if code, _, _ := runCLI(); code != exitFindings {
		t.Errorf("workspace: dev in the config: exit %d, want findings", code)
	}
	if code, _, _ := runCLI("--workspace", "prod"); code != exitOK {
		t.Errorf("--workspace should override the config: exit %d", code)
	}
}
