package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// junitSchema lists, per element, the attributes the JUnit schema Jenkins and GitLab read
// allows (required ones marked true) and the child elements it allows.
var junitSchema = map[string]struct {
	attrs    map[string]bool
	children []string
}{
	"testsuites": {map[string]bool{"name": false, "tests": false, "failures": false, "errors": false, "time": false, "disabled": false}, []string{"testsuite"}},
	"testsuite": {map[string]bool{"name": true, "tests": true, "failures": false, "errors": false, "skipped": false, "time": false, "disabled": false,
		"timestamp": false, "hostname": false, "id": false, "package": false}, []string{"properties", "testcase", "system-out", "system-err"}},
	"testcase": {map[string]bool{"name": true, "classname": false, "time": false, "assertions": false, "status": false},
		[]string{"skipped", "error", "failure", "system-out", "system-err"}},
	"failure": {map[string]bool{"message": false, "type": false}, nil},
	"skipped": {map[string]bool{"message": false}, nil},
	"error":   {map[string]bool{"message": false, "type": false}, nil},
}

// checkJUnitSchema walks the document and fails on anything the schema does not allow.
func checkJUnitSchema(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	var stack []string
	roots := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			name := e.Name.Local
			spec, ok := junitSchema[name]
			if !ok {
				t.Errorf("element <%s> is not in the JUnit schema", name)
			}
			if len(stack) == 0 {
				roots++
				if name != "testsuites" {
					t.Errorf("root element <%s>, want <testsuites>", name)
				}
			} else {
				parent := junitSchema[stack[len(stack)-1]]
				allowed := false
				for _, c := range parent.children {
					allowed = allowed || c == name
				}
				if !allowed {
					t.Errorf("<%s> may not contain <%s>", stack[len(stack)-1], name)
				}
			}
			seen := map[string]bool{}
			for _, a := range e.Attr {
				if _, ok := spec.attrs[a.Name.Local]; !ok {
					t.Errorf("<%s> has attribute %q the schema does not allow", name, a.Name.Local)
				}
				seen[a.Name.Local] = true
				switch a.Name.Local {
				case "tests", "failures", "errors", "skipped":
					if _, err := strconv.Atoi(a.Value); err != nil {
						t.Errorf("<%s %s=%q> is not an integer", name, a.Name.Local, a.Value)
					}
				case "time":
					if _, err := strconv.ParseFloat(a.Value, 64); err != nil {
						t.Errorf("<%s time=%q> is not a decimal", name, a.Value)
					}
				}
			}
			for a, required := range spec.attrs {
				if required && !seen[a] {
					t.Errorf("<%s> lacks required attribute %q", name, a)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if roots != 1 {
		t.Errorf("%d root elements, want 1", roots)
	}
}

// junitDoc is the part of the report the tests read back.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitIsWellFormedAndMatchesTheSchema(t *testing.T) {
	in := syntheticInput()
	// Characters XML 1.0 cannot carry at all must not break the document.
	in.Results[0].Message += " \x00\x1b[31m <&>\"'"
	var b bytes.Buffer
	if err := JUnit(&b, in); err != nil {
		t.Fatal(err)
	}
	checkJUnitSchema(t, b.Bytes())
	if !strings.HasPrefix(b.String(), xml.Header) {
		t.Errorf("no XML declaration")
	}
}

func TestJUnitHasASuitePerCheckAndAFailurePerFinding(t *testing.T) {
	var b bytes.Buffer
	if err := JUnit(&b, syntheticInput()); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// Two error diagnostics (the parse error and the check's internal error), four
	// findings, and one passing case for the check without findings.
	if doc.Failures != 4 || doc.Errors != 2 || doc.Tests != 7 {
		t.Errorf("tests=%d failures=%d errors=%d, want 7, 4, 2", doc.Tests, doc.Failures, doc.Errors)
	}
	var acl bool
	for _, s := range doc.Suites {
		if s.Name != "aws-s3-public-acl" {
			continue
		}
		acl = true
		f := s.Cases[0].Failure
		if f == nil || f.Type != "CRITICAL" || !strings.HasPrefix(f.Text, "dir with spaces/bücket.tf:3:3: ") {
			t.Errorf("failure %+v, want a CRITICAL failure whose text starts with file:line:column", f)
		}
	}
	if !acl {
		t.Errorf("no suite for aws-s3-public-acl:\n%s", b.String())
	}
}

func TestJUnitIsByteIdenticalBetweenRuns(t *testing.T) {
	var a, b bytes.Buffer
	if err := JUnit(&a, syntheticInput()); err != nil {
		t.Fatal(err)
	}
	if err := JUnit(&b, syntheticInput()); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("two renderings of the same input differ")
	}
}
