// Command iacbench measures iacscan against a parse-only floor on a generated corpus.
//
//	go run ./cmd/iacbench -files 10000
//
// In one run it (a) reads and parses every file of the corpus with the format's parser
// library and nothing else, and (b) runs a full `iacscan scan --format sarif --output
// FILE` on the same tree, each as a child process so that its peak RSS is measured, and
// prints wall time, CPU time, files/s, peak RSS and the ratio (b)/(a). The corpus is
// generated with cmd/gencorpus's generator (same seed, same tree) unless -dir names an
// existing tree.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/iacscan/iacscan/internal/corpus"
)

func main() {
	files := flag.Int("files", 10000, "size of the generated corpus, in files")
	seed := flag.Uint64("seed", 1, "corpus seed")
	dir := flag.String("dir", "", "corpus directory: generated there when it does not hold a complete corpus (default: a directory under the system temp dir named for -files and -seed)")
	runs := flag.Int("runs", 3, "measured runs of each side; the median is reported")
	bin := flag.String("bin", "", "iacscan binary to measure (default: build ./cmd/iacscan)")
	floor := flag.String("floor", "", "internal: run the parse-only floor on this directory and exit")
	flag.Parse()

	if *floor != "" {
		if err := runFloor(*floor, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "iacbench: floor: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if err := bench(*files, *seed, *dir, *runs, *bin); err != nil {
		fmt.Fprintf(os.Stderr, "iacbench: %v\n", err)
		os.Exit(1)
	}
}

// measurement is one child process run.
type measurement struct {
	wall, cpu time.Duration
	rss       int64 // peak resident set size, bytes
}

func bench(files int, seed uint64, dir string, runs int, bin string) error {
	if runs < 1 {
		runs = 1
	}
	if dir == "" {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("iacscan-corpus-%d-s%d", files, seed))
	}
	if err := ensureCorpus(dir, files, seed); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "iacbench-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "iacscan")
		build := exec.Command("go", "build", "-o", bin, "github.com/iacscan/iacscan/cmd/iacscan")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build iacscan: %w", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate iacbench: %w", err)
	}
	sarif := filepath.Join(work, "out.sarif")

	var fr floorResult
	floorCmd := func() *exec.Cmd { return exec.Command(self, "-floor", ".") }
	scanCmd := func() *exec.Cmd {
		return exec.Command(bin, "scan", "--format", "sarif", "--output", sarif, "--soft-fail", ".")
	}
	// One unmeasured floor run first, so that every measured run finds the files in the
	// page cache.
	if _, _, err := run(floorCmd(), dir); err != nil {
		return err
	}
	var floors, scans []measurement
	for i := 0; i < runs; i++ {
		// Alternate the two sides so that a burst of load from elsewhere on the machine
		// weighs on both.
		m, out, err := run(floorCmd(), dir)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(out, &fr); err != nil {
			return fmt.Errorf("floor output %q: %w", out, err)
		}
		floors = append(floors, m)
		m, _, err = run(scanCmd(), dir)
		if err != nil {
			return err
		}
		scans = append(scans, m)
	}
	info, err := os.Stat(sarif)
	if err != nil {
		return fmt.Errorf("scan wrote no report: %w", err)
	}

	f, s := median(floors), median(scans)
	fmt.Printf("corpus: %s, %d IaC files, %.1f MiB (seed %d); GOMAXPROCS %d, %d CPUs; median of %d runs\n",
		dir, fr.Files, float64(fr.Bytes)/(1<<20), seed, runtime.GOMAXPROCS(0), runtime.NumCPU(), runs)
	if fr.Errors > 0 {
		fmt.Printf("warning: %d files did not parse in the floor\n", fr.Errors)
	}
	fmt.Printf("%-22s %10s %10s %10s %12s\n", "", "wall", "cpu", "files/s", "peak RSS")
	row := func(name string, m measurement) {
		fmt.Printf("%-22s %9.2fs %9.2fs %10.0f %8.0f MiB\n", name, m.wall.Seconds(), m.cpu.Seconds(),
			float64(fr.Files)/m.wall.Seconds(), float64(m.rss)/(1<<20))
	}
	row("(a) parse-only floor", f)
	row("(b) iacscan scan", s)
	fmt.Printf("%-22s %9.2fx %9.2fx %10s %8.2fx\n", "ratio (b)/(a)",
		s.wall.Seconds()/f.wall.Seconds(), s.cpu.Seconds()/f.cpu.Seconds(), "",
		float64(s.rss)/float64(f.rss))
	fmt.Printf("per-run wall ratios:")
	for i := range scans {
		fmt.Printf(" %.2f", scans[i].wall.Seconds()/floors[i].wall.Seconds())
	}
	fmt.Printf("\nSARIF report: %.1f MiB\n", float64(info.Size())/(1<<20))
	return nil
}

// ensureCorpus generates the corpus into dir unless a marker says a complete one with the
// same size and seed is already there.
func ensureCorpus(dir string, files int, seed uint64) error {
	marker := filepath.Join(dir, ".iacbench-corpus")
	want := fmt.Sprintf("files=%d seed=%d\n", files, seed)
	if b, err := os.ReadFile(marker); err == nil {
		if string(b) == want {
			return nil
		}
		return fmt.Errorf("%s holds another corpus (%s); remove it or pick another -dir", dir, bytes.TrimSpace(b))
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty and holds no generated corpus", dir)
	}
	start := time.Now()
	st, err := corpus.Generate(dir, corpus.Options{Files: files, Seed: seed})
	if err != nil {
		return fmt.Errorf("generate corpus: %w", err)
	}
	fmt.Fprintf(os.Stderr, "generated %d files in %s in %s\n", st.Total(), dir, time.Since(start).Round(time.Millisecond))
	if err := os.WriteFile(marker, []byte(want), 0o644); err != nil {
		return fmt.Errorf("write corpus marker: %w", err)
	}
	return nil
}

// run runs cmd in dir and measures it. Exit status 1 (findings) is success for a scan;
// anything else is an error, with the child's stderr.
func run(cmd *exec.Cmd, dir string) (measurement, []byte, error) {
	var stdout, stderr bytes.Buffer
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		return measurement{}, nil, fmt.Errorf("%s: %w\n%s", cmd, err, tail(stderr.Bytes()))
	}
	m := measurement{wall: wall}
	if ps := cmd.ProcessState; ps != nil {
		m.cpu = ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			m.rss = int64(ru.Maxrss) * 1024 //nolint:unconvert // kilobytes; int32 on 32-bit Linux
		}
	}
	return m, stdout.Bytes(), nil
}

func tail(b []byte) []byte {
	const most = 2000
	if len(b) > most {
		return b[len(b)-most:]
	}
	return b
}

// median takes the median of each measure separately.
func median(ms []measurement) measurement {
	pick := func(f func(measurement) int64) int64 {
		xs := make([]int64, len(ms))
		for i, m := range ms {
			xs[i] = f(m)
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	return measurement{
		wall: time.Duration(pick(func(m measurement) int64 { return int64(m.wall) })),
		cpu:  time.Duration(pick(func(m measurement) int64 { return int64(m.cpu) })),
		rss:  pick(func(m measurement) int64 { return m.rss }),
	}
}
