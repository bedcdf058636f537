package parser

import (
	"os"
	"testing"

	"github.com/iacscan/iacscan/internal/corpus"
)

// BenchmarkParseCorpus parses a generated 1,000-file corpus of every format (or the tree
// named by IACSCAN_BENCH_CORPUS) into one graph, as a scan does before running checks.
func BenchmarkParseCorpus(b *testing.B) {
	dir := os.Getenv("IACSCAN_BENCH_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		if _, err := corpus.Generate(dir, corpus.Options{Files: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.Chdir(dir)
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse([]string{"."}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Graph.All()) == 0 {
			b.Fatal("no resources")
		}
	}
}
