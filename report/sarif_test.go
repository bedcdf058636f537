package report

import (
	"bytes"
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
	if loc.URI != "dir%20with%20spaces/b%C3%BCcket.tf" || loc.URIBaseID != srcRoot {
		t.Errorf("got %+v", loc)
	}
	abs := b.artifactLocation("/outside/main.tf", false)
	if abs.URI != "file:///outside/main.tf" || abs.URIBaseID != "" {
		t.Errorf("absolute path: got %+v", abs)
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
