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
	given := `main.tf:6 terraform.workspace = "prod" (--workspace)`
	wantOrigins(t, db, []any{"storage_encrypted"}, "main.tf:6 local.env defined here", given)
	wantOrigins(t, db, []any{"steered"}, given)
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

// workspaceDiags returns the diagnostics that say terraform.workspace was assumed.
func workspaceDiags(res *Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Summary, "terraform.workspace") {
			out = append(out, d.Severity.String()+" "+d.Error())
		}
	}
	return out
}

// A decision made under the assumed workspace that comes out safe leaves no finding to
// carry the assumption, so the scan itself says once per root module that it made it.
func TestWorkspaceAssumptionIsADiagnostic(t *testing.T) {
	res := parseTree(t, map[string]string{
		// The first read in source order is evaluated after the local it refers to.
		"main.tf": `resource "aws_security_group" "known" {
  cidr = lookup(local.admin_cidr, terraform.workspace, "10.0.0.0/8")
}
`,
		"locals.tf": `locals {
  admin_cidr = { dev = "0.0.0.0/0" }
  name       = "x-${terraform.workspace}"
}
`,
	}, Options{})
	want := []string{`warning locals.tf:3:21: terraform.workspace is read at locals.tf:3 and was assumed "default"; pass --workspace NAME to scan another workspace`}
	if got := workspaceDiags(res); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
	if res.Diagnostics.HasErrors() {
		t.Errorf("the assumption must not fail the scan: %v", res.Diagnostics)
	}

	if got := workspaceDiags(parseTree(t, map[string]string{"main.tf": workspaceSrc}, Options{Workspace: "dev"})); len(got) != 0 {
		t.Errorf("with a workspace given: diagnostics %q, want none", got)
	}
	if got := workspaceDiags(parseTree(t, map[string]string{"main.tf": `resource "aws_db_instance" "db" {
  storage_encrypted = true
}
`}, Options{})); len(got) != 0 {
		t.Errorf("without a read of terraform.workspace: diagnostics %q, want none", got)
	}
}

// Each root module that reads the workspace, itself or through a module it calls, gets
// its own diagnostic, at a read in its own files when it has one.
func TestWorkspaceAssumptionPerRootModule(t *testing.T) {
	mod := `variable "env" {
  default = ""
}
resource "aws_db_instance" "db" {
  storage_encrypted = var.env == terraform.workspace
}
`
	res := parseTree(t, map[string]string{
		"a/main.tf": `module "m" {
  source = "../modules/m"
}
`,
		"b/main.tf": `module "m" {
  source = "../modules/m"
  env    = terraform.workspace
}
`,
		"c/main.tf":         `resource "aws_db_instance" "db" {}` + "\n",
		"modules/m/main.tf": mod,
	}, Options{})
	want := []string{
		`warning modules/m/main.tf:5:34: terraform.workspace is read at modules/m/main.tf:5 and was assumed "default"; pass --workspace NAME to scan another workspace: in root module a`,
		`warning b/main.tf:3:12: terraform.workspace is read at b/main.tf:3 and was assumed "default"; pass --workspace NAME to scan another workspace`,
	}
	if got := workspaceDiags(res); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
}

// With --workspace the decisions that depend on the workspace name the value given, so
// that a finding shows which workspace it is for.
func TestWorkspaceGivenIsNamed(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": workspaceSrc}, Options{Workspace: "dev"})
	given := `main.tf:6 terraform.workspace = "dev" (--workspace)`
	db := find(t, res, "aws_db_instance.db")
	wantOrigins(t, db, []any{"storage_encrypted"}, "main.tf:6 local.env defined here", given)
	wantOrigins(t, db, []any{"steered"}, given)
	wantOrigins(t, db, []any{"plain"})
	sg := find(t, res, "aws_security_group.bastion")
	wantOrigins(t, sg, []any{"cidr"}, "main.tf:3 local.admin_cidr defined here", `main.tf:10 terraform.workspace = "dev" (--workspace)`)
}

// A workspace given that a map has no entry for is named in the undecided reason, as the
// assumed one is.
func TestWorkspaceGivenWithoutEntryIsNamed(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf": workspaceSrc}, Options{Workspace: "staging"})
	u := find(t, res, "aws_security_group.bastion").UnknownOf("cidr")
	if len(u) != 1 || !strings.Contains(u[0], "Invalid index") || !strings.Contains(u[0], `with terraform.workspace = "staging" (--workspace)`) {
		t.Errorf("UnknownOf(cidr) = %q, want the index error naming the workspace given", u)
	}
}
