package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// TextOptions tune the text report.
type TextOptions struct {
	// Color adds ANSI colours; the CLI sets it for terminals unless NO_COLOR is set.
	Color bool
	// ShowUndecided lists the decisions that could not be made, with their reasons.
	ShowUndecided bool
	// OmitDiagnostics leaves the problems with scanned files out of the report, for when
	// the caller prints them elsewhere (the CLI prints them on stderr): a log that merges
	// both streams then shows each once. The summary still counts failed files.
	OmitDiagnostics bool
}

const (
	// maxColumns is how much of a source line is shown; minified JSON and long
	// comments would otherwise flood the terminal.
	maxColumns = 200
	// maxSourceLines is how many lines of a multi-line region are shown.
	maxSourceLines = 6
	// tabWidth is the tab stop used to line markers up under tab-indented source.
	tabWidth = 4
)

// ANSI SGR sequences.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiBoldRed = "\x1b[1;31m"
	ansiYellow  = "\x1b[33m"
	ansiCyan    = "\x1b[36m"
)

// Text writes the report people read: diagnostics first, then the findings grouped by
// file with the offending source lines, then a one-line summary.
func Text(w io.Writer, in *Input, o TextOptions) error {
	bw := bufio.NewWriter(w)
	// Findings an ignore accepted are not shown; the summary counts them.
	open, suppressed := splitSuppressed(in.Results)
	shown := *in
	shown.Results = open
	t := &textWriter{w: bw, in: &shown, o: o, src: newSource(in.Files), suppressed: suppressed}
	t.diagnostics()
	t.findings()
	if o.ShowUndecided {
		t.undecided()
	}
	t.summary()
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

type textWriter struct {
	w          *bufio.Writer
	in         *Input
	o          TextOptions
	src        *source
	suppressed int
}

func (t *textWriter) printf(format string, args ...any) {
	// Write errors surface once, from Flush.
	fmt.Fprintf(t.w, format, args...)
}

// paint wraps s in an ANSI style when colour is on.
func (t *textWriter) paint(style, s string) string {
	if !t.o.Color || style == "" {
		return s
	}
	return style + s + ansiReset
}

func (t *textWriter) diagnostics() {
	if t.o.OmitDiagnostics {
		return
	}
	for _, d := range t.in.Diagnostics {
		loc := d.Range.File
		if d.Range.Start.Line > 0 {
			loc = fmt.Sprintf("%s:%d", d.Range.File, d.Range.Start.Line)
		}
		sev, style := "error", ansiRed
		if d.Severity == graph.DiagWarning {
			sev, style = "warning", ansiYellow
		}
		msg := d.Summary
		// Only the first line of the detail: internal errors carry a stack trace, which
		// the JSON and SARIF reports keep.
		if detail := firstLine(d.Detail); detail != "" {
			msg += ": " + detail
		}
		t.printf("%s: %s: %s\n", clean(loc), t.paint(style, sev), clean(msg))
	}
	if len(t.in.Diagnostics) > 0 {
		t.printf("\n")
	}
}

func (t *textWriter) findings() {
	byFile := map[string][]checks.Result{}
	var files []string
	for _, r := range t.in.Results {
		if _, ok := byFile[r.Range.File]; !ok {
			files = append(files, r.Range.File)
		}
		byFile[r.Range.File] = append(byFile[r.Range.File], r)
	}
	sort.Strings(files)
	for _, f := range files {
		name := f
		if name == "" {
			name = "(no file)"
		}
		t.printf("%s\n", t.paint(ansiBold, clean(name)))
		for _, r := range byFile[f] {
			t.finding(r)
		}
	}
}

func (t *textWriter) finding(r checks.Result) {
	sev := severityOf(r)
	title := ""
	if r.Check != nil {
		title = r.Check.Title
	}
	t.printf("  %s %s  %s\n", t.paint(severityStyle(sev), fmt.Sprintf("%-8s", sev)), checkID(r.Check), clean(title))
	t.printf("    %s\n", clean(r.Message))
	t.source(r.Range)
	for _, rel := range r.Related {
		msg := rel.Message
		if msg == "" {
			msg = "related location"
		}
		loc := rel.Range.File
		if rel.Range.Start.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, rel.Range.Start.Line)
		}
		t.printf("    %s %s\n", t.paint(ansiDim, clean(loc+":")), clean(msg))
	}
	if r.Check != nil {
		if fix := firstSentence(r.Check.Remediation); fix != "" {
			t.printf("    Fix: %s\n", clean(fix))
		}
		if len(r.Check.Links) > 0 {
			t.printf("    See: %s\n", clean(r.Check.Links[0]))
		}
	}
	t.printf("\n")
}

func severityStyle(s check.Severity) string {
	switch s {
	case check.Critical:
		return ansiBoldRed
	case check.High:
		return ansiRed
	case check.Medium:
		return ansiYellow
	default:
		return ansiCyan
	}
}

// source prints the lines of rng with their numbers, and a ^^^ marker under the range
// when it lies on one line.
func (t *textWriter) source(rng graph.Range) {
	if !t.src.has(rng.File) {
		return
	}
	g := t.src.regionOf(rng)
	lines := t.src.fileLines(rng.File)
	if g.startLine > len(lines) {
		return
	}
	last := min(g.endLine, len(lines))
	// A region that ends at column 1 does not include anything of its last line.
	if last > g.startLine && g.endColumn <= 1 {
		last--
	}
	nums := []int{}
	for n := g.startLine; n <= last; n++ {
		nums = append(nums, n)
	}
	skipped := false
	if len(nums) > maxSourceLines {
		nums = append(nums[:maxSourceLines-1], last)
		skipped = true
	}
	width := len(fmt.Sprint(last))
	gutter := strings.Repeat(" ", width)
	for i, n := range nums {
		if skipped && i == len(nums)-1 {
			t.printf("    %s %s\n", gutter, t.paint(ansiDim, ":"))
		}
		if len(nums) == 1 {
			text, from, to := displayLine(lines[n-1], g.startColumn, g.endColumn)
			t.printf("    %*d %s %s\n", width, n, t.paint(ansiDim, "|"), text)
			marker := strings.Repeat(" ", from) + t.paint(ansiRed, strings.Repeat("^", max(1, to-from)))
			t.printf("    %s %s %s\n", gutter, t.paint(ansiDim, "|"), marker)
			continue
		}
		text, _, _ := displayLine(lines[n-1], 1, 1)
		t.printf("    %*d %s %s\n", width, n, t.paint(ansiDim, "|"), text)
	}
}

// displayLine renders a source line for the terminal: tabs expanded, control characters
// made visible, and cut to maxColumns around the region [startCol, endCol) (1-based
// characters). It returns the text and the region's display columns (0-based) in it.
func displayLine(line string, startCol, endCol int) (text string, from, to int) {
	var cells []rune
	col := make([]int, 0, len(line)+1) // display column of each character
	for _, r := range line {
		col = append(col, len(cells))
		if r == '\t' {
			for n := tabWidth - len(cells)%tabWidth; n > 0; n-- {
				cells = append(cells, ' ')
			}
			continue
		}
		cells = append(cells, visible(r))
	}
	col = append(col, len(cells))
	at := func(c int) int { return col[clamp(c-1, 0, len(col)-1)] }
	from, to = at(startCol), at(endCol)
	if to < from {
		to = from
	}

	// Show the window of maxColumns that holds the start of the region.
	off := 0
	if from > maxColumns-20 {
		off = from - 20
	}
	end := min(len(cells), off+maxColumns)
	var b strings.Builder
	shift := -off
	if off > 0 {
		b.WriteString("…")
		shift++
	}
	b.WriteString(string(cells[off:end]))
	if end < len(cells) {
		b.WriteString("…")
	}
	from, to = from+shift, min(to, end)+shift
	if to < from {
		to = from
	}
	return b.String(), from, to
}

// visible replaces characters that would move the cursor or restyle the terminal:
// scanned files are untrusted input.
func visible(r rune) rune {
	if r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\t') {
		return '\uFFFD'
	}
	return r
}

// clean makes a message safe to print on a terminal: control characters other than tab
// become U+FFFD, and line breaks spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r':
			return ' '
		case r == '\t':
			return r
		case unicode.IsControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// firstSentence returns text up to the first period that ends a sentence, skipping the
// periods of abbreviations such as "e.g." and of file names or versions. It stops before
// a code block or a blank line, since a one-line "Fix:" cannot show an example.
func firstSentence(text string) string {
	if i := strings.Index(text, "```"); i >= 0 {
		text = text[:i]
	}
	if i := strings.Index(text, "\n\n"); i >= 0 {
		text = text[:i]
	}
	text = strings.Join(strings.Fields(text), " ")
	if strings.HasSuffix(text, ":") {
		// "...use Session Manager instead:" introduced the example that was cut.
		text = strings.TrimSuffix(text, ":") + "."
	}
	for i := 0; i < len(text); i++ {
		if text[i] != '.' {
			continue
		}
		if i+1 < len(text) && text[i+1] != ' ' {
			continue // a file name, a version, an abbreviation's inner period
		}
		word := text[:i]
		if j := strings.LastIndexAny(word, " \n("); j >= 0 {
			word = word[j+1:]
		}
		switch strings.ToLower(word) {
		case "e.g", "i.e", "etc", "vs", "eg", "ie", "cf":
			continue
		}
		return text[:i+1]
	}
	return text
}

func (t *textWriter) undecided() {
	if len(t.in.Undecided) == 0 {
		return
	}
	t.printf("%s\n", t.paint(ansiBold, "Undecided (values not known statically)"))
	for _, u := range t.in.Undecided {
		what := ""
		if u.Resource != nil {
			what = u.Resource.Address
		}
		if p := u.Path.String(); p != "" {
			what += " " + p
		}
		t.printf("  %s:%d: %s %s: %s\n", clean(u.Range.File), u.Range.Start.Line, checkID(u.Check),
			clean(strings.TrimSpace(what)), clean(strings.Join(u.Reasons, "; ")))
	}
	t.printf("\n")
}

func (t *textWriter) summary() {
	sev := countSeverities(t.in.Results)
	noun := "findings"
	if len(t.in.Results) == 1 {
		noun = "finding"
	}
	scanned, failed := 0, 0
	var perFormat []string
	for _, f := range formats(t.in.Stats) {
		c := counts(t.in.Stats, f)
		scanned += c.Scanned
		failed += c.Failed
		perFormat = append(perFormat, fmt.Sprintf("%s %d", f, c.Scanned))
	}
	undecided := fmt.Sprintf("%d undecided", len(t.in.Undecided))
	if t.suppressed > 0 {
		undecided += fmt.Sprintf(", %d suppressed", t.suppressed)
	}
	t.printf("%d %s (%d critical, %d high, %d medium, %d low), %s, %d files scanned (%s), %d failed",
		len(t.in.Results), noun, sev.Critical, sev.High, sev.Medium, sev.Low,
		undecided, scanned, strings.Join(perFormat, ", "), failed)
	if t.in.Duration > 0 {
		t.printf(" — in %.2fs", t.in.Duration.Seconds())
	}
	t.printf("\n")
}
