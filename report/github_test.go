package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// command is a workflow command as the Actions runner reads it.
type command struct {
	name  string
	props map[string]string
	msg   string
}

// parseCommand reads one line the way the runner does: "::name k=v,k=v::message", with
// the property separators and the message unescaped afterwards.
func parseCommand(t *testing.T, line string) command {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "::")
	if !ok {
		t.Fatalf("not a workflow command: %q", line)
	}
	head, msg, ok := strings.Cut(rest, "::")
	if !ok {
		t.Fatalf("no message separator: %q", line)
	}
	name, propText, _ := strings.Cut(head, " ")
	c := command{name: name, props: map[string]string{}, msg: unescape(msg)}
	for _, p := range strings.Split(propText, ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			t.Fatalf("property without '=' in %q", line)
		}
		c.props[k] = unescape(v)
	}
	return c
}

func unescape(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func TestGitHubAnnotationsEscapeSeparatorsAndLineBreaks(t *testing.T) {
	tricky := "a%b,c:d\r\ne::f"
	r := checks.Result{
		Check:    &check.Check{ID: "x-y-z", Title: "T", Severity: check.Medium},
		Severity: check.Medium,
		Range:    graph.Range{File: "dir,1/a:b%.tf", Start: graph.Pos{Line: 3, Column: 5}, End: graph.Pos{Line: 3, Column: 9}},
		Message:  tricky,
	}
	var b bytes.Buffer
	if err := GitHub(&b, &Input{Results: []checks.Result{r}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("a message with line breaks must stay one command line:\n%s", b.String())
	}
	c := parseCommand(t, lines[0])
	want := map[string]string{"file": "dir,1/a:b%.tf", "line": "3", "col": "5", "endLine": "3", "endColumn": "9", "title": "x-y-z (MEDIUM)"}
	if c.name != "warning" {
		t.Errorf("medium finding is %q, want warning", c.name)
	}
	for k, v := range want {
		if c.props[k] != v {
			t.Errorf("property %s = %q, want %q", k, c.props[k], v)
		}
	}
	if !strings.Contains(c.msg, tricky) {
		t.Errorf("message did not survive escaping: %q", c.msg)
	}
}

func TestGitHubLevelsFollowSeverityAndDiagnosticsAreAnnotated(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, syntheticInput()); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		c := parseCommand(t, l)
		names = append(names, c.name)
		if strings.HasPrefix(c.props["file"], "<") {
			t.Errorf("pseudo file %q given to GitHub", c.props["file"])
		}
	}
	// Three diagnostics (error, warning, internal error), then the results in report
	// order: critical, low, high, medium.
	want := "error warning error error notice error warning"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("levels %q, want %q\n%s", got, want, b.String())
	}
}

func TestGitHubSummaryIsAMarkdownTableWithEscapedCells(t *testing.T) {
	in := syntheticInput()
	in.Results[0].Message = "evil | <img src=x> *bold*"
	var b bytes.Buffer
	if err := GitHubSummary(&b, in); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"## iacscan", "**4 findings**", "1 critical, 1 high, 1 medium, 1 low", "| Severity | Check | Location | Finding |", `evil \| \<img src=x\> \*bold\*`, "### Not fully scanned"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "| ") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 5 {
			t.Errorf("table row with a stray cell separator: %q", l)
		}
	}
}

func TestGitHubLeavesSuppressedFindingsOutOfAnnotationsAndCountsThem(t *testing.T) {
	in := syntheticInput()
	in.Diagnostics = nil
	in.Results[0].Suppressed = &checks.Suppression{Kind: checks.SuppressionInSource, Justification: "static site", Marker: "iacscan:ignore:aws-s3-public-acl"}
	var ann, sum bytes.Buffer
	if err := GitHub(&ann, in); err != nil {
		t.Fatal(err)
	}
	if err := GitHubSummary(&sum, in); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(ann.String(), "\n"); n != 3 || strings.Contains(ann.String(), "aws-s3-public-acl") {
		t.Errorf("%d annotations, want the 3 open findings only:\n%s", n, ann.String())
	}
	if !strings.Contains(sum.String(), "**3 findings**") || !strings.Contains(sum.String(), "1 suppressed") {
		t.Errorf("summary does not count the suppressed finding apart:\n%s", sum.String())
	}
}
