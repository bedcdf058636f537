package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBenchTree writes a tree of roots × files configuration files: each root calls a
// shared local module twice (once with for_each) and declares buckets, security groups
// with dynamic blocks and locals.
func writeBenchTree(b *testing.B, roots, files int) []string {
	b.Helper()
	dir := b.TempDir()
	b.Chdir(dir)
	write := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("modules/bucket/main.tf", communityStyleModule)
	dirs := []string{"modules/bucket"}
	for r := 0; r < roots; r++ {
		root := fmt.Sprintf("envs/e%02d", r)
		dirs = append(dirs, root)
		write(root+"/variables.tf", `variable "env" { default = "dev" }
variable "ports" { default = [22, 80, 443] }
`)
		write(root+"/modules.tf", `module "logs" {
  source = "../../modules/bucket"
  bucket = "logs-${var.env}"
}
module "many" {
  source   = "../../modules/bucket"
  for_each = toset(["a", "b", "c"])
  bucket   = "many-${each.key}"
}
`)
		for f := 0; f < files-3; f++ {
			write(fmt.Sprintf("%s/f%02d.tf", root, f), fmt.Sprintf(`locals {
  name_%[1]d = "${var.env}-%[1]d"
}

resource "aws_s3_bucket" "b%[1]d" {
  bucket = local.name_%[1]d
  tags   = { Name = local.name_%[1]d }
}

resource "aws_s3_bucket_public_access_block" "b%[1]d" {
  bucket            = aws_s3_bucket.b%[1]d.id
  block_public_acls = true
}

resource "aws_security_group" "sg%[1]d" {
  name = "sg-%[1]d"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
`, f))
		}
	}
	return dirs
}

func BenchmarkParse200Files(b *testing.B) {
	dirs := writeBenchTree(b, 10, 20)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Parse(dirs, Options{})
		if len(res.Resources) == 0 {
			b.Fatal("no resources")
		}
	}
}

func BenchmarkParseOneLargeModule(b *testing.B) {
	dirs := writeBenchTree(b, 1, 200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Parse(dirs[1:], Options{})
	}
}

// BenchmarkParseCorpus loads and evaluates every Terraform directory of the tree named by
// IACSCAN_BENCH_CORPUS (a generated corpus, see cmd/gencorpus), as a scan of it does:
// the Terraform share of BenchmarkScanCorpus, measured on its own.
func BenchmarkParseCorpus(b *testing.B) {
	root := os.Getenv("IACSCAN_BENCH_CORPUS")
	if root == "" {
		b.Skip("IACSCAN_BENCH_CORPUS is not set")
	}
	b.Chdir(root)
	seen := map[string]bool{}
	var dirs []string
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return err
		}
		if dir := filepath.ToSlash(filepath.Dir(p)); !seen[dir] {
			seen[dir] = true
			dirs = append(dirs, dir)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := Parse(dirs, Options{}); len(res.Resources) == 0 {
			b.Fatal("no resources")
		}
	}
}
