// Command gencorpus writes a synthetic infrastructure-as-code tree (Terraform,
// CloudFormation, Kubernetes) of a given number of files, the same for the same seed, for
// benchmarking iacscan on monorepo-sized inputs.
//
//	go run ./cmd/gencorpus -files 10000 -out /tmp/corpus-10k
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/iacscan/iacscan/internal/corpus"
)

func main() {
	files := flag.Int("files", 1000, "number of files to write")
	out := flag.String("out", "", "directory to write into (required; created when missing)")
	seed := flag.Uint64("seed", 1, "random seed; the same seed and size give the same tree")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -out DIR [-files N] [-seed S]")
		os.Exit(2)
	}
	st, err := corpus.Generate(*out, corpus.Options{Files: *files, Seed: *seed})
	if err != nil {
		fmt.Fprintf(os.Stderr, "gencorpus: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d files to %s (terraform %d, cloudformation %d, kubernetes %d)\n",
		st.Total(), *out, st.Terraform, st.CloudFormation, st.Kubernetes)
}
