package checks

import (
	"os"
	"testing"

	"github.com/iacscan/iacscan/internal/corpus"
	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
)

// benchGraph parses a generated 2,000-file corpus (or the tree named by
// IACSCAN_BENCH_CORPUS) into one graph.
func benchGraph(b *testing.B) *graph.Graph {
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
	return res.Graph
}

// BenchmarkRunLargeGraph runs every check over the graph of a generated 2,000-file corpus
// (or the tree named by IACSCAN_BENCH_CORPUS); parsing is outside the measured loop. The
// graph is the same in every iteration, so what the checks share per graph (rule and pod
// lists) is read only in the first.
func BenchmarkRunLargeGraph(b *testing.B) {
	g := benchGraph(b)
	all := All()
	b.ReportAllocs()
	for b.Loop() {
		if out := Run(g, all); len(out.Results) == 0 {
			b.Fatal("no results")
		}
	}
	b.ReportMetric(float64(len(g.All())), "resources")
}

// BenchmarkRunLargeGraphCold is BenchmarkRunLargeGraph on a new graph of the same
// resources in every iteration, as a scan sees it: the shared per-graph lists are read
// each time. Building the graph is outside the measured time.
func BenchmarkRunLargeGraphCold(b *testing.B) {
	g := benchGraph(b)
	all := All()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fresh := graph.New(g.All())
		b.StartTimer()
		if out := Run(fresh, all); len(out.Results) == 0 {
			b.Fatal("no results")
		}
	}
	b.ReportMetric(float64(len(g.All())), "resources")
}
