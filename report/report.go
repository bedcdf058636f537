// Package report turns the results of a scan into bytes: SARIF for code-scanning
// platforms, JSON for scripts, and text for people. It makes no policy decisions: what to
// report was decided by the checks and the CLI; a report only renders it, deterministically.
package report

import (
	"sort"
	"time"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// ToolInfo names the tool in reports.
type ToolInfo struct {
	// Name is the tool's name, "iacscan".
	Name string
	// Version is the release version, e.g. "1.2.0" (or "dev").
	Version string
	// InformationURI is the tool's home page.
	InformationURI string
}

// Input is everything a report may show about one scan.
type Input struct {
	Tool ToolInfo
	// Checks are every check that ran, sorted by ID; they become the SARIF rules.
	Checks []*check.Check
	// Results come from checks.Run, already sorted.
	Results   []checks.Result
	Undecided []checks.UndecidedResult
	// Diagnostics are parse failures, limits hit, internal errors and notices.
	Diagnostics graph.Diagnostics
	// Stats counts the files of each format that were scanned, skipped and failed.
	Stats map[graph.Format]*graph.Counts
	// Files holds file contents by display path, for snippets and source lines.
	Files map[string][]byte
	// Duration is shown in the text summary only; JSON and SARIF stay byte-identical
	// between runs.
	Duration time.Duration
	// Root is the directory display paths are relative to; SARIF records it as the
	// %SRCROOT% base URI when set.
	Root string
}

// knownFormats lists the formats in the order reports show them; any other format in
// Stats follows, sorted by name.
var knownFormats = []graph.Format{graph.Terraform, graph.CloudFormation, graph.Kubernetes}

// formats returns the formats of stats in display order: the known formats always (a
// zero count is information too), then any others sorted.
func formats(stats map[graph.Format]*graph.Counts) []graph.Format {
	out := append([]graph.Format(nil), knownFormats...)
	var extra []graph.Format
	for f := range stats {
		known := false
		for _, k := range knownFormats {
			if f == k {
				known = true
				break
			}
		}
		if !known {
			extra = append(extra, f)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	return append(out, extra...)
}

// counts returns the counts of format f, zero when absent.
func counts(stats map[graph.Format]*graph.Counts, f graph.Format) graph.Counts {
	if c := stats[f]; c != nil {
		return *c
	}
	return graph.Counts{}
}

// severityCounts counts results per severity.
type severityCounts struct{ Critical, High, Medium, Low int }

func countSeverities(rs []checks.Result) severityCounts {
	var c severityCounts
	for _, r := range rs {
		switch severityOf(r) {
		case check.Critical:
			c.Critical++
		case check.High:
			c.High++
		case check.Medium:
			c.Medium++
		default:
			c.Low++
		}
	}
	return c
}

// severityOf is the result's severity, falling back to its check's when the result
// carries none.
func severityOf(r checks.Result) check.Severity {
	if r.Severity != 0 {
		return r.Severity
	}
	if r.Check != nil {
		return r.Check.Severity
	}
	return check.Low
}

// checkID returns the ID of c, tolerating a nil check: a report must render whatever it
// is given.
func checkID(c *check.Check) string {
	if c == nil {
		return "unknown"
	}
	return c.ID
}

// sortedChecks returns the checks that ran plus any check a result or undecided decision
// names that is missing from that list, sorted by ID and without duplicates.
func sortedChecks(in *Input) []*check.Check {
	seen := map[string]bool{}
	var out []*check.Check
	add := func(c *check.Check) {
		if c == nil || seen[c.ID] {
			return
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	for _, c := range in.Checks {
		add(c)
	}
	for _, r := range in.Results {
		add(r.Check)
	}
	for _, u := range in.Undecided {
		add(u.Check)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
