package checks

import (
	"os"
	"testing"

	"github.com/iacscan/iacscan/internal/corpus"
	"github.com/iacscan/iacscan/parser"
)

// BenchmarkRunLargeGraph runs every check over the graph of a generated 2,000-file corpus
// (or the tree named by IACSCAN_BENCH_CORPUS); parsing is outside the measured loop.
func BenchmarkRunLargeGraph(b *testing.B) {
	dir := os.Getenv("IACSCAN_BENCH_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		if _, err := corpus.Generate(dir, corpus.Options{Files: 2000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.Chdir(dir)
	res, err := parser.Parse([]string{"."}, parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	all := All()
	b.ReportAllocs()
	for b.Loop() {
		if out := Run(res.Graph, all); len(out.Results) == 0 {
			b.Fatal("no results")
		}
	}
	b.ReportMetric(float64(len(res.Graph.All())), "resources")
}
