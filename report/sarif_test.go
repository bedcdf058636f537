package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser/graph"
)

func TestRuleNameIsPascalCaseOfID(t *testing.T) {
	if got := pascalCase("aws-s3-public-acl"); got != "AwsS3PublicAcl" {
		t.Errorf("got %q", got)
	}
}

func TestURIsAreRelativeAndPercentEncoded(t *testing.T) {
	b := newSARIFBuilder(&Input{})
	loc := b.artifactLocation("dir with spaces/bücket.tf", false)
	if deref(loc.URI) != "dir%20with%20spaces/b%C3%BCcket.tf" || deref(loc.URIBaseId) != srcRoot {
		t.Errorf("got uri %q base %q", deref(loc.URI), deref(loc.URIBaseId))
	}
	abs := b.artifactLocation("/outside/main.tf", false)
	if deref(abs.URI) != "file:///outside/main.tf" || abs.URIBaseId != nil {
		t.Errorf("absolute path: got uri %q base %q", deref(abs.URI), deref(abs.URIBaseId))
	}
	if got := fileURI("C:/work/"); got != "file:///C:/work/" {
		t.Errorf("drive path: got %q", got)
	}
}

func TestLineHashCountsIdenticalLines(t *testing.T) {
	src := newSource(map[string][]byte{"a.tf": []byte("  acl = \"public-read\"\nx = 1\nacl = \"public-read\"   \n")})
	first, _ := lineHash(src, "a.tf", 1)
	second, _ := lineHash(src, "a.tf", 3)
	if first[len(first)-2:] != ":1" || second[len(second)-2:] != ":2" || first[:len(first)-2] != second[:len(second)-2] {
		t.Errorf("got %q and %q, want the same hash with :1 and :2", first, second)
	}
	if _, ok := lineHash(src, "missing.tf", 1); ok {
		t.Error("hash of an unknown file")
	}
}

func TestRegionWithoutEndCoversTheStartLine(t *testing.T) {
	src := newSource(map[string][]byte{"a.tf": []byte("résource {\n}\n")})
	g := src.regionOf(graph.Range{File: "a.tf", Start: graph.Pos{Line: 1}})
	if g != (region{startLine: 1, startColumn: 1, endLine: 1, endColumn: 11}) {
		t.Errorf("got %+v", g)
	}
	if s := src.snippet("a.tf", g); s != "résource {" {
		t.Errorf("snippet %q", s)
	}
}

func TestReportsDoNotPanicOnAnEmptyOrOddInput(t *testing.T) {
	odd := &Input{
		Results:   []checks.Result{{Range: graph.Range{File: "gone.tf", Start: graph.Pos{Line: 99, Column: 7}}}},
		Undecided: nil,
	}
	for _, in := range []*Input{{}, odd} {
		for _, f := range formatsUnderTest {
			var buf bytes.Buffer
			if err := f.render(&buf, in); err != nil {
				t.Errorf("%s: %v", f.name, err)
			}
		}
	}
}

// deref reads an optional string of the SARIF model, "" when absent.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestResultWithoutACheckHasNoRuleIndex(t *testing.T) {
	in := &Input{Results: []checks.Result{{Message: "m", Range: graph.Range{File: "a.tf", Start: graph.Pos{Line: 1, Column: 1}}}}}
	var buf bytes.Buffer
	if err := SARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []map[string]any `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results[0]
	if idx, ok := res["ruleIndex"]; ok {
		t.Errorf("ruleIndex %v, want none: the result has no rule", idx)
	}
	if res["ruleId"] != "unknown" {
		t.Errorf("ruleId %v", res["ruleId"])
	}
}
