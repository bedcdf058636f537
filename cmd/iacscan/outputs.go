package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/report"
)

// renderFormat writes the report in one format. tty says whether w is a terminal, for the
// text report's colours.
func renderFormat(format string, o *scanOptions, in *report.Input, w io.Writer, tty bool) error {
	switch format {
	case "json":
		return report.JSON(w, in)
	case "sarif":
		return report.SARIF(w, in)
	case "github":
		return report.GitHub(w, in)
	case "junit":
		return report.JUnit(w, in)
	default:
		color := tty && !o.noColor && os.Getenv("NO_COLOR") == ""
		return report.Text(w, in, report.TextOptions{Color: color, ShowUndecided: o.showUndecided, OmitDiagnostics: true})
	}
}

// writeExtraOutputs writes the reports of --also and the config's outputs list, then the
// Markdown summary.
func writeExtraOutputs(o *scanOptions, in *report.Input, stdout io.Writer) error {
	for _, extra := range o.also {
		if err := validFormat(extra.format); err != nil {
			return err
		}
		eo := *o
		eo.format, eo.output = extra.format, extra.file
		if err := writeReport(&eo, in, stdout); err != nil {
			return err
		}
	}
	if path := summaryPath(o); path != "" {
		// The step summary file is shared by every step of a job: append, never truncate.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("summary: %w", err)
		}
		bw := bufio.NewWriter(f)
		err = report.GitHubSummary(bw, in)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("summary %s: %w", path, err)
		}
	}
	return nil
}

// summaryPath is --summary, or $GITHUB_STEP_SUMMARY when a GitHub report is written: in
// Actions the summary is then on the run's page without any extra flag.
func summaryPath(o *scanOptions) string {
	if o.summary != "" {
		return o.summary
	}
	github := o.format == "github"
	for _, extra := range o.also {
		github = github || extra.format == "github"
	}
	if github {
		return os.Getenv("GITHUB_STEP_SUMMARY")
	}
	return ""
}

// overrideSeverities returns the checks with the severities the user chose. The checks
// are copied: the built-in list is shared and must stay as declared.
// An override of an unknown check is an error, as a typo would silently change nothing.
func overrideSeverities(all, list []*check.Check, overrides map[string]string) ([]*check.Check, error) {
	if len(overrides) == 0 {
		return list, nil
	}
	known := map[string]bool{}
	for _, c := range all {
		known[c.ID] = true
	}
	ids := make([]string, 0, len(overrides))
	for id := range overrides {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	parsed := map[string]check.Severity{}
	for _, id := range ids {
		if !known[id] {
			return nil, fmt.Errorf("severity override: unknown check ID %q (see iacscan checks)", id)
		}
		sev, err := check.ParseSeverity(overrides[id])
		if err != nil {
			return nil, fmt.Errorf("severity override for %s: %w", id, err)
		}
		parsed[id] = sev
	}
	out := make([]*check.Check, len(list))
	for i, c := range list {
		sev, ok := parsed[c.ID]
		if !ok {
			out[i] = c
			continue
		}
		cp := *c
		cp.Severity = sev
		out[i] = &cp
	}
	return out, nil
}
