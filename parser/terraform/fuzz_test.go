package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxSeeds bounds the fixture files that seed FuzzParse.
const maxSeeds = 24

// FuzzParse checks that no configuration makes loading or module evaluation panic or hang.
// Each input is main.tf of a root module that also holds a small local module, so that
// module calls, for_each and functions are reachable from mutated seeds. Only a sample of
// the fixtures seeds it: every seed is run once, instrumented, before any mutation, and
// a bounded CI run should spend its time mutating.
func FuzzParse(f *testing.F) {
	seeds := 0
	_ = filepath.WalkDir("../../fixtures/terraform", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") && seeds < maxSeeds {
			seeds++
			if src, err := os.ReadFile(p); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	f.Add([]byte(`module "m" {
  source   = "./mod"
  for_each = toset([for i in range(3) : tostring(i)])
  acl      = each.key == "1" ? "public-read" : local.acl
}
locals {
  acl = format("%s-%s", "public", "read")
  a   = local.b
  b   = local.a
}
variable "n" { default = 2 }
resource "aws_s3_bucket" "b" {
  count  = var.n
  bucket = "b-${count.index}"
  acl    = join("", [for s in split(",", "public,-,read") : s if s != "-"])
  dynamic "grant" {
    for_each = { x = 1 }
    content { id = grant.key }
  }
}
`))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "mod"), 0o755); err != nil {
			t.Fatal(err)
		}
		mod := "variable \"acl\" {}\nresource \"aws_s3_bucket\" \"m\" { acl = var.acl }\noutput \"id\" { value = aws_s3_bucket.m.id }\n"
		if err := os.WriteFile(filepath.Join(dir, "mod", "main.tf"), []byte(mod), 0o644); err != nil {
			t.Fatal(err)
		}
		res := Parse([]string{dir}, Options{})
		for _, d := range res.Diagnostics {
			if strings.HasPrefix(d.Summary, "internal error") {
				t.Fatalf("recovered panic: %s: %s", d.Summary, d.Detail)
			}
		}
	})
}
