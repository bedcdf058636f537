package cloudformation

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

// annotation matches the lines where a finding or an undecided decision must point; ok
// lines may be anywhere (a resource that is never created, say).
var annotation = regexp.MustCompile(`#\s*(want|undecided):`)

// TestExampleAnnotationsPointAtAttributes keeps the example templates honest: they parse
// cleanly, and every line where a finding is wanted is where some resource's attribute
// starts, so a check reporting that attribute lands on the annotated line.
func TestExampleAnnotationsPointAtAttributes(t *testing.T) {
	files, _ := filepath.Glob("testdata/examples/*")
	for _, path := range files {
		if strings.HasSuffix(path, ".want") {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			rs := parseTestdata(t, filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), Options{})
			starts := map[int]bool{}
			for _, r := range rs {
				starts[r.DefRange.Start.Line] = true
				walkAttrs(r, r.Get(), func(p graph.Path) { starts[r.RangeOf(p...).Start.Line] = true })
			}
			for _, line := range annotatedLines(t, path) {
				if !starts[line] {
					t.Errorf("line %d is annotated but no attribute starts there", line)
				}
			}
		})
	}
}

func walkAttrs(r *graph.Resource, v graph.Value, fn func(graph.Path)) {
	if len(v.Path()) > 0 {
		fn(v.Path())
	}
	if v.IsObject() {
		for _, k := range v.Keys() {
			walkAttrs(r, v.Get(k), fn)
		}
		return
	}
	raw := v.Raw()
	if raw != cty.NilVal && raw.IsKnown() && !raw.IsNull() && (raw.Type().IsTupleType() || raw.Type().IsListType()) {
		for _, e := range v.List() {
			walkAttrs(r, e, fn)
		}
	}
}

func annotatedLines(t *testing.T, path string) []int {
	var lines []int
	if b, err := os.ReadFile(path + ".want"); err == nil {
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			fields := strings.Fields(l)
			if len(fields) > 1 && fields[1] == "ok" {
				continue
			}
			n, err := strconv.Atoi(fields[0])
			if err != nil {
				t.Fatalf("%s.want: %q", path, l)
			}
			lines = append(lines, n)
		}
		return lines
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		if annotation.MatchString(s.Text()) {
			lines = append(lines, n)
		}
	}
	return lines
}
