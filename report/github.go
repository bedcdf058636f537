package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// GitHub writes GitHub Actions workflow commands, one per finding and per parse problem,
// so that they show as annotations on the pull request's diff without code scanning:
//
//	::error file=main.tf,line=7,col=5,endLine=7,endColumn=33,title=aws-ec2-sg-open-admin-port (CRITICAL)::…
//
// Critical and high findings are errors, medium ones warnings and low ones notices, so
// that the annotation's colour matches how urgent the finding is.
func GitHub(w io.Writer, in *Input) error {
	bw := bufio.NewWriter(w)
	for _, d := range in.Diagnostics {
		level := "error"
		if d.Severity == graph.DiagWarning {
			level = "warning"
		}
		msg := d.Summary
		if detail := firstLine(d.Detail); detail != "" {
			msg += ": " + detail
		}
		writeCommand(bw, level, d.Range, "iacscan: "+d.Summary, msg)
	}
	// Accepted (suppressed) findings are not annotated: the ignore comment is the
	// reviewed decision, and the summary counts them.
	open, _ := splitSuppressed(in.Results)
	for _, r := range open {
		writeCommand(bw, githubLevel(severityOf(r)), r.Range, githubTitle(r), githubMessage(r))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write github report: %w", err)
	}
	return nil
}

func githubLevel(s check.Severity) string {
	switch s {
	case check.Critical, check.High:
		return "error"
	case check.Medium:
		return "warning"
	}
	return "notice"
}

func githubTitle(r checks.Result) string {
	return fmt.Sprintf("%s (%s)", checkID(r.Check), severityOf(r))
}

// githubMessage is the annotation's body: the finding, where its value came from, and the
// fix. Line breaks are kept; they are escaped as the runner expects.
func githubMessage(r checks.Result) string {
	var b strings.Builder
	if r.Check != nil && r.Check.Title != "" {
		b.WriteString(r.Check.Title + "\n")
	}
	b.WriteString(r.Message)
	writeExplanation(&b, r)
	return b.String()
}

// writeExplanation appends what a one-message report (an annotation, a JUnit failure) adds
// to the finding, one item a line: where the value came from, the first sentence of the fix,
// and the first link.
func writeExplanation(b *strings.Builder, r checks.Result) {
	for _, rel := range r.Related {
		msg := rel.Message
		if msg == "" {
			msg = "related location"
		}
		fmt.Fprintf(b, "\n%s: %s", location(rel.Range), msg)
	}
	if r.Check != nil {
		if fix := firstSentence(r.Check.Remediation); fix != "" {
			b.WriteString("\nFix: " + fix)
		}
		if len(r.Check.Links) > 0 {
			b.WriteString("\nSee: " + r.Check.Links[0])
		}
	}
}

func location(r graph.Range) string {
	if r.Start.Line > 0 {
		return fmt.Sprintf("%s:%d", r.File, r.Start.Line)
	}
	return r.File
}

// writeCommand writes one workflow command. Properties are only written when known: an
// annotation without a line is shown on the file, one without a file on the run.
func writeCommand(w io.Writer, level string, rng graph.Range, title, msg string) {
	var props []string
	if rng.File != "" && !strings.HasPrefix(rng.File, "<") {
		props = append(props, "file="+escapeProperty(rng.File))
		if rng.Start.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", rng.Start.Line))
			if rng.Start.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", rng.Start.Column))
			}
			if rng.End.Line >= rng.Start.Line {
				props = append(props, fmt.Sprintf("endLine=%d", rng.End.Line))
				// GitHub takes an end column only on a single-line annotation.
				if rng.End.Line == rng.Start.Line && rng.End.Column > rng.Start.Column {
					props = append(props, fmt.Sprintf("endColumn=%d", rng.End.Column))
				}
			}
		}
	}
	props = append(props, "title="+escapeProperty(title))
	fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg))
}

// escapeData escapes a workflow command's message the way the Actions runner unescapes
// it: % first, then carriage return and line feed.
func escapeData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// escapeProperty escapes a property value, where ':' and ',' are separators too.
func escapeProperty(s string) string {
	s = escapeData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}

// GitHubSummary writes a Markdown summary of the scan for $GITHUB_STEP_SUMMARY: the
// counts per severity, then a table of the findings, then the files that could not be
// scanned. Table cells are escaped, as file content and messages are untrusted.
func GitHubSummary(w io.Writer, in *Input) error {
	bw := bufio.NewWriter(w)
	open, suppressed := splitSuppressed(in.Results)
	sev := countSeverities(open)
	scanned := 0
	for _, f := range formats(in.Stats) {
		scanned += counts(in.Stats, f).Scanned
	}
	fmt.Fprintf(bw, "## iacscan\n\n")
	noun := "findings"
	if len(open) == 1 {
		noun = "finding"
	}
	fmt.Fprintf(bw, "**%d %s** in %d files scanned: %d critical, %d high, %d medium, %d low; %d suppressed, %d undecided.\n\n",
		len(open), noun, scanned, sev.Critical, sev.High, sev.Medium, sev.Low, suppressed, len(in.Undecided))
	if len(open) > 0 {
		fmt.Fprintf(bw, "| Severity | Check | Location | Finding |\n|---|---|---|---|\n")
		const most = 200
		for i, r := range open {
			if i == most {
				fmt.Fprintf(bw, "\n%d more findings are in the full report.\n", len(open)-most)
				break
			}
			id := markdownCell(checkID(r.Check))
			if r.Check != nil && len(r.Check.Links) > 0 && strings.HasPrefix(r.Check.Links[0], "https://") {
				id = "[" + id + "](" + strings.ReplaceAll(r.Check.Links[0], ")", "%29") + ")"
			}
			fmt.Fprintf(bw, "| %s | %s | `%s` | %s |\n", severityOf(r), id,
				codeCell(location(r.Range)), markdownCell(r.Message))
		}
		fmt.Fprintln(bw)
	}
	var errs []graph.Diagnostic
	for _, d := range in.Diagnostics {
		if d.Severity == graph.DiagError {
			errs = append(errs, d)
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(bw, "### Not fully scanned\n\n")
		for _, d := range errs {
			fmt.Fprintf(bw, "- %s: %s\n", markdownCell(location(d.Range)), markdownCell(d.Summary))
		}
		fmt.Fprintln(bw)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// markdownCell makes text safe inside a Markdown table cell: one line, pipes and markup
// characters escaped, HTML tags inert.
func markdownCell(s string) string {
	var b strings.Builder
	for _, r := range clean(s) {
		switch r {
		case '|', '\\', '*', '_', '[', ']', '<', '>', '#', '!':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// codeCell makes text safe inside a code span in a table cell, where backslash escapes
// other than a pipe's are shown literally.
func codeCell(s string) string {
	s = strings.ReplaceAll(clean(s), "`", "'")
	return strings.ReplaceAll(s, "|", "\\|")
}
