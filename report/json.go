package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser/graph"
)

// jsonVersion is the version of the JSON schema documented in docs/json-schema.md. It
// changes only when a field is removed or changes meaning; new fields may appear.
const jsonVersion = 1

type jsonReport struct {
	Version     int              `json:"version"`
	Tool        jsonTool         `json:"tool"`
	Results     []jsonResult     `json:"results"`
	Undecided   []jsonUndecided  `json:"undecided"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     jsonSummary      `json:"summary"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"information_uri"`
}

type jsonResult struct {
	CheckID     string         `json:"check_id"`
	Title       string         `json:"title"`
	Severity    string         `json:"severity"`
	Category    string         `json:"category"`
	Message     string         `json:"message"`
	File        string         `json:"file"`
	StartLine   int            `json:"start_line"`
	StartColumn int            `json:"start_column"`
	EndLine     int            `json:"end_line"`
	EndColumn   int            `json:"end_column"`
	Resources   []jsonResource `json:"resources"`
	Attribute   string         `json:"attribute"`
	Related     []jsonRelated  `json:"related"`
	Fingerprint string         `json:"fingerprint"`
	Remediation string         `json:"remediation"`
	Links       []string       `json:"links"`
	// Suppressed is present only on a result an ignore in the source accepts.
	Suppressed *jsonSuppressed `json:"suppressed,omitempty"`
}

type jsonResource struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Format  string `json:"format"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonUndecided struct {
	CheckID     string       `json:"check_id"`
	Title       string       `json:"title"`
	File        string       `json:"file"`
	StartLine   int          `json:"start_line"`
	StartColumn int          `json:"start_column"`
	EndLine     int          `json:"end_line"`
	EndColumn   int          `json:"end_column"`
	Resource    jsonResource `json:"resource"`
	Attribute   string       `json:"attribute"`
	Reasons     []string     `json:"reasons"`
}

type jsonDiagnostic struct {
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}

type jsonSummary struct {
	Findings   int                     `json:"findings"`
	Suppressed int                     `json:"suppressed"`
	Critical   int                     `json:"critical"`
	High       int                     `json:"high"`
	Medium     int                     `json:"medium"`
	Low        int                     `json:"low"`
	Undecided  int                     `json:"undecided"`
	Errors     int                     `json:"errors"`
	Warnings   int                     `json:"warnings"`
	Files      map[string]graph.Counts `json:"files"`
}

// JSON writes in in the stable schema of docs/json-schema.md: 2-space indented, arrays
// never null, no timestamps or durations, results in the order checks.Run sorted them.
func JSON(w io.Writer, in *Input) error {
	src := newSource(in.Files)
	// The results are streamed into the place of a placeholder (see writeJSONList).
	placeholder := jsonResult{CheckID: listPlaceholder}
	rep := jsonReport{
		Version: jsonVersion,
		Tool:    jsonTool{Name: in.Tool.Name, Version: in.Tool.Version, InformationURI: in.Tool.InformationURI},
		Results: []jsonResult{placeholder}, Undecided: []jsonUndecided{}, Diagnostics: []jsonDiagnostic{},
	}
	for _, u := range in.Undecided {
		g := src.regionOf(u.Range)
		ju := jsonUndecided{
			CheckID: checkID(u.Check), File: u.Range.File,
			StartLine: g.startLine, StartColumn: g.startColumn, EndLine: g.endLine, EndColumn: g.endColumn,
			Resource: jsonResourceOf(u.Resource), Attribute: u.Path.String(),
			Reasons: append([]string{}, u.Reasons...),
		}
		if u.Check != nil {
			ju.Title = u.Check.Title
		}
		rep.Undecided = append(rep.Undecided, ju)
	}
	for _, d := range in.Diagnostics {
		rep.Diagnostics = append(rep.Diagnostics, jsonDiagnostic{
			Severity: d.Severity.String(), File: d.Range.File,
			Line: d.Range.Start.Line, Column: d.Range.Start.Column,
			Summary: d.Summary, Detail: d.Detail,
		})
		if d.Severity == graph.DiagWarning {
			rep.Summary.Warnings++
		} else {
			rep.Summary.Errors++
		}
	}
	open, suppressed := splitSuppressed(in.Results)
	sev := countSeverities(open)
	rep.Summary.Findings, rep.Summary.Suppressed = len(open), suppressed
	rep.Summary.Critical, rep.Summary.High, rep.Summary.Medium, rep.Summary.Low = sev.Critical, sev.High, sev.Medium, sev.Low
	rep.Summary.Undecided = len(in.Undecided)
	rep.Summary.Files = map[string]graph.Counts{}
	for _, f := range formats(in.Stats) {
		rep.Summary.Files[string(f)] = counts(in.Stats, f)
	}
	err := writeJSONList(w, rep, placeholder, len(in.Results), func(i int) any { return jsonResultOf(src, in.Results[i]) })
	if err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func jsonResultOf(src *source, r checks.Result) jsonResult {
	g := src.regionOf(r.Range)
	jr := jsonResult{
		CheckID:  checkID(r.Check),
		Severity: strings.ToLower(severityOf(r).String()),
		Message:  r.Message, File: r.Range.File,
		StartLine: g.startLine, StartColumn: g.startColumn, EndLine: g.endLine, EndColumn: g.endColumn,
		Resources: []jsonResource{}, Attribute: r.Path.String(), Related: []jsonRelated{},
		Fingerprint: fingerprint(r), Links: []string{},
	}
	if c := r.Check; c != nil {
		jr.Title, jr.Category, jr.Remediation = c.Title, c.Category, c.Remediation
		jr.Links = append(jr.Links, c.Links...)
	}
	for _, x := range r.Resources {
		if x != nil {
			jr.Resources = append(jr.Resources, jsonResourceOf(x))
		}
	}
	for _, rel := range r.Related {
		jr.Related = append(jr.Related, jsonRelated{
			File: rel.Range.File, Line: rel.Range.Start.Line, Column: rel.Range.Start.Column, Message: rel.Message,
		})
	}
	jr.Suppressed = jsonSuppressedOf(r.Suppressed)
	return jr
}

func jsonResourceOf(r *graph.Resource) jsonResource {
	if r == nil {
		return jsonResource{}
	}
	return jsonResource{Address: r.Address, Type: r.Type, Format: string(r.Format)}
}
