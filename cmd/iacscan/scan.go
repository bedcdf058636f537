package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/report"
)

func runScan(args []string, stdout, stderr io.Writer) int {
	fs, o := newScanFlags(stderr)
	fs.Usage = func() { usage(stderr) }
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if err := loadConfig(o); err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	if err := validFormat(o.format); err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	minSev, err := check.ParseSeverity(o.severity)
	if err != nil {
		fmt.Fprintf(stderr, "iacscan: --severity: %v\n", err)
		return exitError
	}
	selected, err := selectChecks(checks.All(), o.include, o.exclude)
	if err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	w, err := prepareWorkflow(o, paths, selected)
	if err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	selected = w.checks

	start := time.Now()
	prog := startProgress(stderr, isTerminal(stderr), w.describe)
	parsed, err := parser.Parse(w.parse, parser.Options{VarFiles: o.varFiles, Workspace: o.workspace, CFNParamFiles: o.cfnParams, Limits: o.limits.apply()})
	if err != nil {
		prog.stop()
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	out := checks.Run(parsed.Graph, selected)
	ignoreWarnings := applyIgnores(o, &out, parsed, selected)
	prog.stop()
	diags := append(append(append(graph.Diagnostics{}, parsed.Diagnostics...), out.Errors...), ignoreWarnings...)
	results := filterResults(out.Results, minSev)
	undecided := filterUndecided(out.Undecided, minSev)
	results, undecided, diags, err = w.narrow(o, results, undecided, diags)
	if err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	w.note(stderr)

	// Problems with the scanned files go to stderr, whatever the report format; the text
	// report then leaves them out, so that a log merging both streams shows each once.
	// Buffered: a broken tree can have thousands, and stderr is unbuffered.
	ew := bufio.NewWriter(stderr)
	for _, d := range diags {
		fmt.Fprintf(ew, "%s: %s: %s\n", location(d.Range), d.Severity, message(d))
	}
	_ = ew.Flush()

	in := &report.Input{
		Tool:        report.ToolInfo{Name: "iacscan", Version: version(), InformationURI: "https://github.com/iacscan/iacscan"},
		Checks:      selected,
		Results:     results,
		Undecided:   undecided,
		Diagnostics: diags,
		Stats:       parsed.Stats,
		Files:       parsed.Files,
		Duration:    time.Since(start),
	}
	if err := writeReport(o, in, stdout); err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}
	if err := writeExtraOutputs(o, in, stdout); err != nil {
		fmt.Fprintf(stderr, "iacscan: %v\n", err)
		return exitError
	}

	switch {
	case diags.HasErrors():
		return exitError
	case failing(results) > 0 && !o.softFail:
		return exitFindings
	}
	return exitOK
}

func location(r graph.Range) string {
	if r.Start.Line > 0 {
		return r.String()
	}
	return r.File
}

func message(d graph.Diagnostic) string {
	if d.Detail != "" {
		return d.Summary + ": " + d.Detail
	}
	return d.Summary
}

// selectChecks applies --include and --exclude; an unknown ID is a usage error, so that a
// typo does not silently run everything.
func selectChecks(all []*check.Check, include, exclude []string) ([]*check.Check, error) {
	known := map[string]bool{}
	for _, c := range all {
		known[c.ID] = true
	}
	for _, id := range append(append([]string{}, include...), exclude...) {
		if !known[id] {
			return nil, fmt.Errorf("unknown check ID %q (see iacscan checks)", id)
		}
	}
	inc := toSet(include)
	exc := toSet(exclude)
	var out []*check.Check
	for _, c := range all {
		if len(inc) > 0 && !inc[c.ID] {
			continue
		}
		if exc[c.ID] {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

func toSet(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// filterResults keeps results at or above the threshold. Which files and lines to report
// on is decided afterwards, by the workflow settings (workflow.narrow).
func filterResults(rs []checks.Result, min check.Severity) []checks.Result {
	return keep(rs, func(r *checks.Result) bool { return r.Severity >= min })
}

func filterUndecided(us []checks.UndecidedResult, min check.Severity) []checks.UndecidedResult {
	return keep(us, func(u *checks.UndecidedResult) bool { return u.Check.Severity >= min })
}

// keep returns the elements of s that ok accepts, in order, and nil when it accepts none.
// Most filters of a scan accept everything: then s itself is returned, as copying tens of
// thousands of results (each a few hundred bytes) into a growing slice cost more than
// the filtering. The result may therefore share its array with s: neither may be written
// to afterwards.
func keep[T any](s []T, ok func(*T) bool) []T {
	for i := range s {
		if ok(&s[i]) {
			continue
		}
		out := append(make([]T, 0, len(s)-1), s[:i]...)
		for j := i + 1; j < len(s); j++ {
			if ok(&s[j]) {
				out = append(out, s[j])
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	if len(s) == 0 {
		return nil
	}
	return s
}

// writeReport renders the report to --output or stdout. A file is written to a temporary
// name beside it and renamed, so that a failed run never leaves half a report.
func writeReport(o *scanOptions, in *report.Input, stdout io.Writer) error {
	if o.output == "" {
		bw := bufio.NewWriter(stdout)
		if err := render(o, in, bw, isTerminal(stdout)); err != nil {
			return err
		}
		return bw.Flush()
	}
	dir := filepath.Dir(o.output)
	tmp, err := os.CreateTemp(dir, ".iacscan-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := render(o, in, bw, false); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	if err := os.Rename(tmp.Name(), o.output); err != nil {
		return fmt.Errorf("write %s: %w", o.output, err)
	}
	return nil
}

func render(o *scanOptions, in *report.Input, w io.Writer, tty bool) error {
	return renderFormat(o.format, o, in, w, tty)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
