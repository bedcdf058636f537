package report

import "github.com/iacscan/iacscan/checks"

// jsonSuppressed says which ignore accepted a result, and why.
type jsonSuppressed struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
	File          string `json:"file"`
	Line          int    `json:"line"`
	Column        int    `json:"column"`
	Marker        string `json:"marker"`
}

func jsonSuppressedOf(s *checks.Suppression) *jsonSuppressed {
	if s == nil {
		return nil
	}
	return &jsonSuppressed{
		Kind: s.Kind, Justification: s.Justification, Marker: s.Marker,
		File: s.Range.File, Line: s.Range.Start.Line, Column: s.Range.Start.Column,
	}
}

// splitSuppressed returns the results no ignore accepted, and how many were accepted:
// summaries count only the former as findings.
func splitSuppressed(rs []checks.Result) (open []checks.Result, suppressed int) {
	for _, r := range rs {
		if r.Suppressed != nil {
			suppressed++
			continue
		}
		open = append(open, r)
	}
	return open, suppressed
}

// suppressedBecause says in one line which ignore accepted a result and why.
func suppressedBecause(s *checks.Suppression) string {
	if s.Justification == "" {
		return "suppressed by " + s.Marker
	}
	return "suppressed by " + s.Marker + ": " + s.Justification
}
