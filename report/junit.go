package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser/graph"
)

// JUnit writes the results as a JUnit XML test report, the format Jenkins, GitLab, Azure
// Pipelines and CircleCI show as test results. Each check that ran is a test suite, so
// that the report reads like a test run of the policy: a check without findings is one
// passing test case, and each finding is a failing test case named after the resource
// and its location. Files that could not be parsed are errors in an "iacscan" suite. The
// elements and attributes used are those of the common schema Jenkins validates against.
// Durations are zero so that the output stays byte-identical between runs.
func JUnit(w io.Writer, in *Input) error {
	byCheck := map[string][]checks.Result{}
	for _, r := range in.Results {
		id := checkID(r.Check)
		byCheck[id] = append(byCheck[id], r)
	}
	root := junitSuites{Name: "iacscan"}
	if errs := junitErrors(in.Diagnostics); len(errs.Cases) > 0 {
		root.add(errs)
	}
	for _, c := range sortedChecks(in) {
		s := junitSuite{Name: c.ID}
		rs := byCheck[c.ID]
		if len(rs) == 0 {
			s.Cases = append(s.Cases, junitCase{Name: "no findings", Classname: c.ID, Time: "0"})
		}
		for _, r := range rs {
			if r.Suppressed != nil {
				// An accepted finding is a skipped test: visible, with its reason, but
				// not a failure.
				s.Cases = append(s.Cases, junitCase{
					Name:      fmt.Sprintf("%s (%s)", checks.NameResources(r.Resources), location(r.Range)),
					Classname: c.ID, Time: "0",
					Skipped: &junitSkipped{Message: suppressedBecause(r.Suppressed)},
				})
				continue
			}
			s.Cases = append(s.Cases, junitCase{
				Name:      fmt.Sprintf("%s (%s)", checks.NameResources(r.Resources), location(r.Range)),
				Classname: c.ID,
				Time:      "0",
				Failure: &junitProblem{
					Message: r.Message,
					Type:    severityOf(r).String(),
					Text:    junitDetail(r),
				},
			})
		}
		root.add(s)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	fmt.Fprintln(bw)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

// junitErrors turns error diagnostics into failed test cases of an "iacscan" suite: a file
// that could not be parsed is a scan that did not happen.
func junitErrors(ds graph.Diagnostics) junitSuite {
	s := junitSuite{Name: "iacscan"}
	for _, d := range ds {
		if d.Severity != graph.DiagError {
			continue
		}
		s.Cases = append(s.Cases, junitCase{
			Name:      fmt.Sprintf("scan %s", location(d.Range)),
			Classname: "iacscan",
			Time:      "0",
			Error:     &junitProblem{Message: d.Summary, Type: "error", Text: strings.TrimSpace(location(d.Range) + ": " + d.Summary + "\n" + d.Detail)},
		})
	}
	return s
}

// junitDetail is the body of a failure: the location first, as CI systems show it as is,
// then where the value came from and how to fix it.
func junitDetail(r checks.Result) string {
	var b strings.Builder
	loc := location(r.Range)
	if r.Range.Start.Column > 0 {
		loc = fmt.Sprintf("%s:%d", loc, r.Range.Start.Column)
	}
	fmt.Fprintf(&b, "%s: %s", loc, r.Message)
	writeExplanation(&b, r)
	return b.String()
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

func (s *junitSuites) add(suite junitSuite) {
	suite.Time = "0"
	for _, c := range suite.Cases {
		suite.Tests++
		if c.Failure != nil {
			suite.Failures++
		}
		if c.Error != nil {
			suite.Errors++
		}
		if c.Skipped != nil {
			suite.Skipped++
		}
	}
	s.Tests += suite.Tests
	s.Failures += suite.Failures
	s.Errors += suite.Errors
	s.Time = "0"
	s.Suites = append(s.Suites, suite)
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}
