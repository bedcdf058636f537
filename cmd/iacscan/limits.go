package main

import (
	"flag"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/terraform"
)

// limitOptions are the budgets of one scan (--max-*). Zero keeps the parser's default.
type limitOptions struct {
	maxFileSize    sizeFlag
	maxDepth       int
	maxExpansion   int
	maxModuleDepth int
	maxInstances   int
	maxEvalSteps   int
	maxMemory      sizeFlag
}

func addLimitFlags(fs *flag.FlagSet, l *limitOptions) {
	fs.Var(&l.maxFileSize, "max-file-size", fmt.Sprintf("largest file read, `SIZE` in bytes or with KiB, MiB, GiB (default %d MiB)", parser.DefaultMaxFileSize>>20))
	fs.IntVar(&l.maxDepth, "max-depth", 0, fmt.Sprintf("deepest nesting a file may have and a CloudFormation value is evaluated to, in `LEVELS` (default %d)", parser.DefaultMaxDepth))
	fs.IntVar(&l.maxExpansion, "max-expansion", 0, fmt.Sprintf("most instances one count, for_each or dynamic block makes (default %d)", terraform.DefaultMaxInstances))
	fs.IntVar(&l.maxModuleDepth, "max-module-depth", 0, fmt.Sprintf("deepest nesting of Terraform module calls (default %d)", terraform.DefaultMaxModuleDepth))
	fs.IntVar(&l.maxInstances, "max-instances", 0, fmt.Sprintf("most resource and module instances one Terraform root module makes in all (default %d)", terraform.DefaultMaxTotal))
	fs.IntVar(&l.maxEvalSteps, "max-eval-steps", 0, fmt.Sprintf("most expressions evaluated for one Terraform root module and its modules (default %d)", terraform.DefaultMaxEvalSteps))
	fs.Var(&l.maxMemory, "max-memory", "memory budget of the scan, `SIZE` in bytes or with KiB, MiB, GiB: the Go heap limit, and a quarter of it for YAML and JSON read (default no heap limit, 1 GiB read)")
}

// apply sets the process's soft memory limit when a budget was given and returns the
// parser limits. The heap limit makes the collector work harder near the budget rather
// than let the heap grow past it; the read budget keeps the input itself within it.
func (l limitOptions) apply() parser.Limits {
	lim := parser.Limits{
		MaxFileSize: int64(l.maxFileSize), MaxDepth: l.maxDepth, MaxExpansion: l.maxExpansion,
		MaxModuleDepth: l.maxModuleDepth, MaxInstances: l.maxInstances, MaxEvalSteps: l.maxEvalSteps,
	}
	if l.maxMemory > 0 {
		debug.SetMemoryLimit(int64(l.maxMemory))
		lim.MaxRead = int64(l.maxMemory) / 4
	}
	return lim
}

// sizeFlag is a byte count written as a number with an optional KiB, MiB or GiB unit
// (KB, MB, GB, K, M and G mean the same).
type sizeFlag int64

func (s *sizeFlag) String() string { return strconv.FormatInt(int64(*s), 10) }

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

func parseSize(v string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q (want bytes, or a number with KiB, MiB or GiB)", v)
	}
	return n * mult, nil
}
