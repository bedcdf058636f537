package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser"
)

// suppressionScan scans the suppression fixtures from the repository root and applies
// their ignores, as the CLI does.
func suppressionScan(t *testing.T) *Input {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	paths, _ := filepath.Glob("fixtures/*/suppressions-*")
	res, err := parser.Parse(paths, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := checks.All()
	out := checks.Run(res.Graph, all)
	warns := checks.Suppress(&out, res.Graph, res.Files, checks.SuppressOptions{Ran: all})
	return &Input{
		Tool:        ToolInfo{Name: "iacscan", Version: "0.0.0-test", InformationURI: "https://github.com/iacscan/iacscan"},
		Checks:      all,
		Results:     out.Results,
		Undecided:   out.Undecided,
		Diagnostics: append(append(res.Diagnostics, out.Errors...), warns...),
		Stats:       res.Stats,
		Files:       res.Files,
		Root:        root,
	}
}

func TestSARIFKeepsSuppressedResultsWithTheirJustification(t *testing.T) {
	in := suppressionScan(t)
	var buf bytes.Buffer
	if err := SARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Suppressions []struct {
					Kind          string `json:"kind"`
					Status        string `json:"status"`
					Justification string `json:"justification"`
					GUID          string `json:"guid"`
					Location      struct {
						PhysicalLocation struct {
							Region struct {
								StartLine int `json:"startLine"`
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"location"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	suppressed, justified := 0, false
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, r := range log.Runs[0].Results {
		for _, s := range r.Suppressions {
			suppressed++
			if s.Kind != "inSource" || s.Status != "accepted" || s.Location.PhysicalLocation.Region.StartLine == 0 || !guid.MatchString(s.GUID) {
				t.Errorf("suppression = %+v", s)
			}
			if s.Justification == "static website" {
				justified = true
			}
		}
	}
	if suppressed == 0 || !justified {
		t.Errorf("%d suppressions, reason found: %v", suppressed, justified)
	}
	if len(log.Runs[0].Results) != len(in.Results) {
		t.Errorf("%d SARIF results for %d results: suppressed results must be kept", len(log.Runs[0].Results), len(in.Results))
	}
}

func TestSARIFWithSuppressionsPassesValidator(t *testing.T) {
	v := findValidator(t)
	in := suppressionScan(t)
	var buf bytes.Buffer
	if err := SARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	v.validate(t, buf.Bytes())
}

func TestJSONMarksSuppressedResults(t *testing.T) {
	in := suppressionScan(t)
	var buf bytes.Buffer
	if err := JSON(&buf, in); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Results []struct {
			CheckID    string `json:"check_id"`
			Suppressed *struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
				File          string `json:"file"`
				Line          int    `json:"line"`
				Marker        string `json:"marker"`
			} `json:"suppressed"`
		} `json:"results"`
		Summary struct {
			Findings   int `json:"findings"`
			Suppressed int `json:"suppressed"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	open, sup := 0, 0
	for _, r := range rep.Results {
		if r.Suppressed == nil {
			open++
			continue
		}
		sup++
		if r.Suppressed.Kind != "inSource" || r.Suppressed.File == "" || r.Suppressed.Line == 0 || r.Suppressed.Marker == "" {
			t.Errorf("%s: suppressed = %+v", r.CheckID, *r.Suppressed)
		}
	}
	if sup == 0 || rep.Summary.Suppressed != sup || rep.Summary.Findings != open {
		t.Errorf("summary %+v for %d open and %d suppressed results", rep.Summary, open, sup)
	}
}

func TestTextHidesSuppressedResultsAndCountsThem(t *testing.T) {
	in := suppressionScan(t)
	var buf bytes.Buffer
	if err := Text(&buf, in, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "aws_s3_bucket.same_line") {
		t.Error("a suppressed result is shown")
	}
	if !strings.Contains(out, "aws_s3_bucket.expired") {
		t.Error("a result whose ignore expired is not shown")
	}
	if !regexp.MustCompile(`\b[1-9][0-9]* suppressed\b`).MatchString(out) {
		t.Errorf("summary does not count suppressed results:\n%s", out)
	}
}

func TestJUnitSkipsSuppressedResults(t *testing.T) {
	in := suppressionScan(t)
	var buf bytes.Buffer
	if err := JUnit(&buf, in); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, `<skipped message="suppressed by iacscan:ignore:aws-s3-public-acl: static website">`) {
		t.Errorf("no skipped test case for a suppressed result:\n%s", out)
	}
	if strings.Contains(out, `skipped="0"`) && !regexp.MustCompile(`skipped="[1-9]`).MatchString(out) {
		t.Error("suites do not count skipped test cases")
	}
}
