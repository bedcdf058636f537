// Package corpus writes synthetic but realistic infrastructure-as-code trees for
// benchmarks: Terraform root modules that call shared local modules, CloudFormation
// templates and multi-document Kubernetes manifests. The same seed and size always give
// byte-identical trees, so that measurements taken on different days compare.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Options say what to generate.
type Options struct {
	// Files is the exact number of files written.
	Files int
	// Seed makes the tree reproducible.
	Seed uint64
}

// Stats counts what was written.
type Stats struct {
	Terraform, CloudFormation, Kubernetes int
}

// Total is the number of files written.
func (s Stats) Total() int { return s.Terraform + s.CloudFormation + s.Kubernetes }

// Shares of the corpus per format: half Terraform (the format with the most evaluation
// work), a quarter each CloudFormation and Kubernetes, which is roughly the mix of a
// platform monorepo.
const (
	rootsPerTeam = 20
	// rootFiles is the number of files one Terraform root module has.
	rootFiles = 10
	// moduleFiles is the number of files the shared modules of one team have.
	moduleFiles = 9
)

// writer writes files beneath a directory and counts them.
type writer struct {
	dir   string
	rng   *rand.Rand
	stats Stats
	err   error
}

func (w *writer) write(rel string, counter *int, content string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.err = fmt.Errorf("create directory for %s: %w", rel, err)
		return
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.err = fmt.Errorf("write %s: %w", rel, err)
		return
	}
	*counter++
}

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// chance is true with probability p.
func (w *writer) chance(p float64) bool { return w.rng.Float64() < p }

// Generate writes a tree of exactly opts.Files files into dir, which is created when
// missing. Files already in dir are left alone but may be overwritten.
func Generate(dir string, opts Options) (Stats, error) {
	if opts.Files < 0 {
		return Stats{}, fmt.Errorf("negative file count %d", opts.Files)
	}
	w := &writer{dir: dir, rng: rand.New(rand.NewPCG(opts.Seed, 0x1acca5))}
	tfBudget := opts.Files / 2
	cfnBudget := opts.Files / 4

	team, roots := -1, rootsPerTeam
	for {
		left := tfBudget - w.stats.Terraform
		if roots == rootsPerTeam {
			if left < moduleFiles+rootFiles {
				break
			}
			team++
			roots = 0
			w.terraformModules(team)
			continue
		}
		if left < rootFiles {
			break
		}
		w.terraformRoot(team, roots)
		roots++
	}
	for i := 0; w.stats.CloudFormation < cfnBudget; i++ {
		w.cloudFormation(i)
	}
	// Kubernetes takes whatever is left, so that the total is exact whatever the budget
	// rounding of the other formats.
	for i := 0; w.stats.Total() < opts.Files; i++ {
		w.kubernetes(i)
	}
	return w.stats, w.err
}
