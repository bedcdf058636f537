package graph

import "fmt"

// Pos is a position in a source file. Line and Column are 1-based; Column counts
// characters (not bytes), as editors and SARIF do.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Range is a span of a source file. File is slash-separated and relative to the working
// directory when the file is beneath it. End is exclusive.
type Range struct {
	File  string `json:"file"`
	Start Pos    `json:"start"`
	End   Pos    `json:"end"`
}

// IsZero reports whether the range points nowhere.
func (r Range) IsZero() bool { return r.File == "" && r.Start.Line == 0 }

// String renders the range as file:line:column.
func (r Range) String() string {
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// Less orders ranges by file, then start line, then start column.
func (r Range) Less(o Range) bool {
	if r.File != o.File {
		return r.File < o.File
	}
	if r.Start.Line != o.Start.Line {
		return r.Start.Line < o.Start.Line
	}
	return r.Start.Column < o.Start.Column
}

// DiagSeverity says whether a diagnostic is an error or a notice.
type DiagSeverity int

// Diagnostic severities. An Error means a file or unit could not be (fully) analysed and
// changes the exit code; a Warning is a notice (a remote module that was not fetched, say).
const (
	DiagError DiagSeverity = iota
	DiagWarning
)

func (s DiagSeverity) String() string {
	if s == DiagWarning {
		return "warning"
	}
	return "error"
}

// Diagnostic is a problem met while reading the scanned tree: a parse error, a limit that
// was hit, a module that could not be loaded. It always names a file, and a line when one
// is known.
type Diagnostic struct {
	Severity DiagSeverity
	Summary  string
	Detail   string
	Range    Range
}

// Error renders the diagnostic in the file:line:col: summary: detail form.
func (d Diagnostic) Error() string {
	loc := d.Range.File
	if d.Range.Start.Line > 0 {
		loc = d.Range.String()
	}
	if d.Detail != "" {
		return fmt.Sprintf("%s: %s: %s", loc, d.Summary, d.Detail)
	}
	return fmt.Sprintf("%s: %s", loc, d.Summary)
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == DiagError {
			return true
		}
	}
	return false
}

// Counts tells how many files of one format were scanned, skipped and failed.
type Counts struct {
	Scanned int `json:"scanned"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
}
