package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// workflow holds what the developer-workflow settings decided before the scan: the
// checks with their severities, what to parse, and which findings to keep afterwards.
type workflow struct {
	checks   []*check.Check
	parse    []string
	describe string // for the progress line

	paths    *pathFilter
	explicit scope // files named on the command line; nil when only directories were
	changed  scope // lines changed since --changed-since; nil without it
	baseline map[string]bool

	// known counts the findings the baseline accepted, for the note on stderr.
	known int
}

// prepareWorkflow reads everything the settings need before parsing, so that a bad
// setting (an unknown revision, a missing baseline) fails fast.
func prepareWorkflow(o *scanOptions, paths []string, selected []*check.Check) (*workflow, error) {
	w := &workflow{}
	var err error
	if w.checks, err = overrideSeverities(checks.All(), selected, o.severityOverrides); err != nil {
		return nil, err
	}
	if w.paths, err = newPathFilter(o.includePaths, o.excludePaths); err != nil {
		return nil, err
	}
	parse, explicit, isExplicit, err := expandExplicit(paths)
	if err != nil {
		return nil, err
	}
	w.parse = parse
	if isExplicit {
		w.explicit = explicit
	}
	if o.changedSince != "" {
		if w.changed, err = changedLines(o.changedSince); err != nil {
			return nil, err
		}
	}
	if o.baseline != "" {
		if w.baseline, err = readBaseline(o.baseline); err != nil {
			return nil, err
		}
	}
	w.describe = strings.Join(paths, " ")
	if len(w.describe) > 60 {
		w.describe = fmt.Sprintf("%d paths", len(paths))
	}
	return w, nil
}

// narrow applies the path globs, the explicit files, the changed lines and the baseline,
// in that order, and writes --baseline-out from what is left before the baseline is
// applied (so that rerunning with both flags refreshes the baseline).
func (w *workflow) narrow(o *scanOptions, rs []checks.Result, us []checks.UndecidedResult, ds graph.Diagnostics) ([]checks.Result, []checks.UndecidedResult, graph.Diagnostics, error) {
	rs, us, ds = filterPaths(w.paths, rs, us, ds)
	if w.explicit != nil {
		rs, us = w.explicit.narrow(rs, us)
		// Problems in files nobody asked about (the other modules loaded to resolve
		// calls) must not fail a pre-commit hook on an unrelated commit.
		var kept graph.Diagnostics
		for _, d := range ds {
			if d.Range.File == "" || strings.HasPrefix(d.Range.File, "<") || w.explicit.touches(graph.Range{File: d.Range.File}) {
				kept = append(kept, d)
			}
		}
		ds = kept
	}
	if w.changed != nil {
		rs, us = w.changed.narrow(rs, us)
	}
	if o.baselineOut != "" {
		if err := writeBaseline(o.baselineOut, rs); err != nil {
			return nil, nil, nil, err
		}
	}
	if w.baseline != nil {
		kept := newSinceBaseline(rs, w.baseline)
		w.known = len(rs) - len(kept)
		rs = kept
	}
	return rs, us, ds, nil
}

// note tells on stderr what the baseline left out, so that a clean report on a legacy
// repository is not mistaken for a clean repository.
func (w *workflow) note(stderr io.Writer) {
	switch {
	case w.known == 1:
		fmt.Fprintln(stderr, "iacscan: 1 finding recorded in the baseline is not reported")
	case w.known > 1:
		fmt.Fprintf(stderr, "iacscan: %d findings recorded in the baseline are not reported\n", w.known)
	}
}
