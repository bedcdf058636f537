package terraform

import (
	"strings"
	"testing"
)

const workspaceSrc = `locals {
  admin_cidr = {
    dev  = "0.0.0.0/0"
    prod = "10.20.0.0/16"
  }
  env = terraform.workspace
}

resource "aws_security_group" "bastion" {
  cidr = local.admin_cidr[terraform.workspace]
}

resource "aws_db_instance" "db" {
  storage_encrypted = local.env == "prod"
  steered           = local.env == "prod" ? "a" : "b"
  plain             = "x"
}
`

func TestWorkspaceAssumedDefaultIsNamed(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": workspaceSrc}, Options{})
	db := find(t, res, "aws_db_instance.db")
	if b, ok := db.Get("storage_encrypted").Bool(); !ok || b {
		t.Errorf("storage_encrypted = %v (known %v), want false for workspace default", b, ok)
	}
	assumed := `main.tf:6 terraform.workspace assumed "default"; pass --workspace NAME`
	wantOrigins(t, db, []any{"storage_encrypted"}, "main.tf:6 local.env defined here", assumed)
	// A condition gives no origin of its own, but the decision still rests on the
	// assumption.
	wantOrigins(t, db, []any{"steered"}, assumed)
	wantOrigins(t, db, []any{"plain"})

	sg := find(t, res, "aws_security_group.bastion")
	u := sg.UnknownOf("cidr")
	if len(u) != 1 || !strings.Contains(u[0], "Invalid index") || !strings.Contains(u[0], `terraform.workspace assumed "default"; pass --workspace NAME`) {
		t.Errorf("UnknownOf(cidr) = %q, want the index error naming terraform.workspace", u)
	}
}

func TestWorkspaceOption(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": workspaceSrc}, Options{Workspace: "prod"})
	db := find(t, res, "aws_db_instance.db")
	if b, ok := db.Get("storage_encrypted").Bool(); !ok || !b {
		t.Errorf("storage_encrypted = %v (known %v), want true for workspace prod", b, ok)
	}
	wantOrigins(t, db, []any{"storage_encrypted"}, "main.tf:6 local.env defined here")
	wantOrigins(t, db, []any{"steered"})
	sg := find(t, res, "aws_security_group.bastion")
	if got, _ := sg.Get("cidr").Str(); got != "10.20.0.0/16" {
		t.Errorf("cidr = %q, want the prod entry", got)
	}
}

func TestWorkspaceAssumptionCrossesModules(t *testing.T) {
	res := parseTree(t, map[string]string{
		"main.tf": `module "m" {
  source = "./m"
  env    = terraform.workspace
}
`,
		"m/main.tf": `variable "env" {}
resource "aws_db_instance" "db" {
  storage_encrypted = var.env == "prod"
}
`,
	}, Options{})
	db := find(t, res, "module.m.aws_db_instance.db")
	found := false
	for _, o := range origins(db, "storage_encrypted") {
		found = found || o == `main.tf:3 terraform.workspace assumed "default"; pass --workspace NAME`
	}
	if !found {
		t.Errorf("origins %q do not name the workspace assumption of the caller", origins(db, "storage_encrypted"))
	}
}

func TestWorkspaceAssumptionOfAnInstanceCount(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": `resource "aws_db_instance" "db" {
  count             = terraform.workspace == "default" ? 1 : 0
  storage_encrypted = false
}
`}, Options{})
	db := find(t, res, "aws_db_instance.db[0]")
	wantOrigins(t, db, []any{"storage_encrypted"}, `main.tf:2 terraform.workspace assumed "default"; pass --workspace NAME`)
	if res := parseTree(t, map[string]string{"main.tf": `resource "aws_db_instance" "db" {
  count = terraform.workspace == "default" ? 1 : 0
}
`}, Options{Workspace: "prod"}); len(res.Resources) != 0 {
		t.Errorf("workspace prod: resources %v, want none", addresses(res))
	}
}
