package checks_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser"
)

// An expectation written in a fixture: "# want: id" (or "// want:") ends the line a
// finding must point at; "# undecided: id" the line where a check must record that it
// could not decide; "# ok: id" marks a near-miss that must not be reported;
// "# suppressed: id" the line of a finding an ignore accepts; "# stale: id" and
// "# expired: id" the line of an ignore that must be reported as suppressing nothing or
// as expired.
var annotation = regexp.MustCompile(`(?:#|//)\s*(want|undecided|ok|suppressed|stale|expired):\s*([a-z0-9-]+(?:[ ,]+[a-z0-9-]+)*)\s*$`)

type expect struct {
	file string
	line int
	kind string // want | undecided | suppressed | stale | expired
	id   string
}

func (e expect) String() string { return fmt.Sprintf("%s:%d: %s %s", e.file, e.line, e.kind, e.id) }

// fixtureDirs returns fixtures/<format>/<name>: each is scanned as one unit.
func fixtureDirs(t *testing.T) []string {
	t.Helper()
	formats, err := os.ReadDir("../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, f := range formats {
		if !f.IsDir() {
			continue
		}
		subs, err := os.ReadDir(filepath.Join("../fixtures", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			if s.IsDir() {
				dirs = append(dirs, filepath.Join("../fixtures", f.Name(), s.Name()))
			}
		}
	}
	return dirs
}

// readExpectations collects the annotations of every file under dir, keyed by absolute
// path, plus the near-miss markers.
func readExpectations(t *testing.T, dir string) (wants []expect, oks []expect) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		abs, _ := filepath.Abs(path)
		if strings.HasSuffix(path, ".want") {
			target := strings.TrimSuffix(abs, ".want")
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for n, line := range strings.Split(string(src), "\n") {
				fields := strings.Fields(line)
				if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
					continue
				}
				ln, err := strconv.Atoi(fields[0])
				if err != nil || len(fields) < 2 {
					t.Errorf("%s:%d: want lines are \"<line> <check-id>\" or \"<line> <kind> <check-id>\" (kind undecided, ok, suppressed, stale or expired)", path, n+1)
					continue
				}
				kind, ids := "want", fields[1:]
				switch fields[1] {
				case "undecided", "ok", "suppressed", "stale", "expired":
					kind, ids = fields[1], fields[2:]
				}
				for _, id := range ids {
					e := expect{target, ln, kind, id}
					if kind == "ok" {
						oks = append(oks, e)
					} else {
						wants = append(wants, e)
					}
				}
			}
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
		for ln := 1; sc.Scan(); ln++ {
			// Several annotations may end a line ("# want: x # suppressed: x" where one
			// instance is reported and another suppressed): peel them off from the end.
			line := sc.Text()
			for {
				loc := annotation.FindStringSubmatchIndex(line)
				if loc == nil {
					break
				}
				kind := line[loc[2]:loc[3]]
				for _, id := range strings.FieldsFunc(line[loc[4]:loc[5]], func(r rune) bool { return r == ' ' || r == ',' }) {
					e := expect{abs, ln, kind, id}
					if kind == "ok" {
						oks = append(oks, e)
					} else {
						wants = append(wants, e)
					}
				}
				line = line[:loc[0]]
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return wants, oks
}

func absFile(f string) string {
	if filepath.IsAbs(f) {
		return f
	}
	a, _ := filepath.Abs(filepath.FromSlash(f))
	return a
}

// TestFixtures scans every fixture directory and demands exactly the annotated findings
// and undecided decisions: nothing missing, nothing extra.
func TestFixtures(t *testing.T) {
	all := checks.All()
	for _, dir := range fixtureDirs(t) {
		name := strings.TrimPrefix(filepath.ToSlash(dir), "../fixtures/")
		t.Run(name, func(t *testing.T) {
			wants, oks := readExpectations(t, dir)
			res, err := parser.Parse([]string{dir}, parser.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				if d.Severity.String() == "error" {
					t.Errorf("unexpected diagnostic: %s", d.Error())
				}
			}
			out := checks.Run(res.Graph, all)
			for _, d := range out.Errors {
				t.Errorf("check error: %s", d.Error())
			}
			var got []expect
			for _, d := range checks.Suppress(&out, res.Graph, res.Files, checks.SuppressOptions{}) {
				kind, id := ignoreWarning(d.Summary)
				if kind == "" {
					t.Errorf("unexpected ignore warning: %s", d.Error())
					continue
				}
				got = append(got, expect{absFile(d.Range.File), d.Range.Start.Line, kind, id})
			}
			for _, r := range out.Results {
				kind := "want"
				if r.Suppressed != nil {
					kind = "suppressed"
				}
				got = append(got, expect{absFile(r.Range.File), r.Range.Start.Line, kind, r.Check.ID})
			}
			for _, u := range out.Undecided {
				got = append(got, expect{absFile(u.Range.File), u.Range.Start.Line, "undecided", u.Check.ID})
			}
			compare(t, wants, got, out)
			for _, ok := range oks {
				for _, g := range got {
					if g.file == ok.file && g.line == ok.line && g.id == ok.id && g.kind == "want" {
						t.Errorf("%s: near-miss marked ok was reported", ok)
					}
				}
			}
		})
	}
}

var ignoreWarnings = regexp.MustCompile(`^ignore of ([a-z0-9-]+) (?:(suppresses nothing)|(expired) on )`)

// ignoreWarning classifies a warning of checks.Suppress as a stale or expired ignore of
// a check, or returns "" for any other warning.
func ignoreWarning(summary string) (kind, id string) {
	m := ignoreWarnings.FindStringSubmatch(summary)
	switch {
	case m == nil:
		return "", ""
	case m[2] != "":
		return "stale", m[1]
	default:
		return "expired", m[1]
	}
}

func compare(t *testing.T, wants, got []expect, out checks.Output) {
	t.Helper()
	count := func(es []expect) map[expect]int {
		m := map[expect]int{}
		for _, e := range es {
			m[e]++
		}
		return m
	}
	w, g := count(wants), count(got)
	var missing, extra []string
	for e, n := range w {
		if g[e] < n {
			missing = append(missing, e.String())
		}
	}
	for e, n := range g {
		if w[e] < n {
			detail := ""
			for _, r := range out.Results {
				if absFile(r.Range.File) == e.file && r.Range.Start.Line == e.line && r.Check.ID == e.id {
					detail = " (" + r.Message + ")"
				}
			}
			for _, u := range out.Undecided {
				if e.kind == "undecided" && absFile(u.Range.File) == e.file && u.Range.Start.Line == e.line && u.Check.ID == e.id {
					detail = " (" + strings.Join(u.Reasons, "; ") + ")"
				}
			}
			extra = append(extra, e.String()+detail)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, m := range missing {
		t.Errorf("missing: %s", m)
	}
	for _, e := range extra {
		t.Errorf("unexpected: %s", e)
	}
}

// TestEveryCheckHasFixtures demands, for every check, at least one fixture that must
// trigger it and one near-miss marked ok that must not.
func TestEveryCheckHasFixtures(t *testing.T) {
	pos, neg := map[string]bool{}, map[string]bool{}
	for _, dir := range fixtureDirs(t) {
		wants, oks := readExpectations(t, dir)
		for _, w := range wants {
			if w.kind == "want" {
				pos[w.id] = true
			}
		}
		for _, o := range oks {
			neg[o.id] = true
		}
	}
	for _, c := range checks.All() {
		if !pos[c.ID] {
			t.Errorf("%s: no fixture line annotated \"want: %s\"", c.ID, c.ID)
		}
		if !neg[c.ID] {
			t.Errorf("%s: no near-miss fixture line annotated \"ok: %s\"", c.ID, c.ID)
		}
	}
	known := map[string]bool{}
	for _, c := range checks.All() {
		known[c.ID] = true
	}
	for id := range pos {
		if !known[id] {
			t.Errorf("fixtures expect unknown check %q", id)
		}
	}
}
