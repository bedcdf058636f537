package main

import (
	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
)

// applyIgnores marks the results that ignores in the scanned sources accept, unless
// --no-ignores asks to see everything, and returns the warnings about the ignores
// (expired, stale, unknown check, unreadable).
func applyIgnores(o *scanOptions, out *checks.Output, parsed *parser.Result, ran []*check.Check) graph.Diagnostics {
	if o.noIgnores {
		return nil
	}
	return checks.Suppress(out, parsed.Graph, parsed.Files, checks.SuppressOptions{Ran: ran})
}

// failing counts the results that fail the scan: suppressed ones are accepted.
func failing(rs []checks.Result) int {
	n := 0
	for _, r := range rs {
		if r.Suppressed == nil {
			n++
		}
	}
	return n
}
