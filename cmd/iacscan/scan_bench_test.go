package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/iacscan/iacscan/internal/corpus"
)

// BenchmarkScanCorpus runs a whole scan with a SARIF report, as the CLI does, on a
// generated corpus: 1000 files, or the tree named by IACSCAN_BENCH_CORPUS (for profiling
// on a larger one: go test ./cmd/iacscan -run '^$' -bench ScanCorpus -benchtime 1x
// -cpuprofile cpu.prof).
func BenchmarkScanCorpus(b *testing.B) {
	dir := os.Getenv("IACSCAN_BENCH_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		if _, err := corpus.Generate(dir, corpus.Options{Files: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	out := filepath.Join(b.TempDir(), "out.sarif")
	b.Chdir(dir)
	b.ReportAllocs()
	for b.Loop() {
		if code := runScan([]string{"--format", "sarif", "--output", out, "--soft-fail", "."}, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit code %d", code)
		}
	}
}
