package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render runs one report format over in.
type render func(w *bytes.Buffer, in *Input) error

var formatsUnderTest = []struct {
	name   string
	golden string
	render render
}{
	{"sarif", "synthetic.sarif.golden", func(w *bytes.Buffer, in *Input) error { return SARIF(w, in) }},
	{"json", "synthetic.json.golden", func(w *bytes.Buffer, in *Input) error { return JSON(w, in) }},
	{"text", "synthetic.txt.golden", func(w *bytes.Buffer, in *Input) error { return Text(w, in, TextOptions{}) }},
	{"text-undecided", "synthetic-undecided.txt.golden", func(w *bytes.Buffer, in *Input) error {
		return Text(w, in, TextOptions{ShowUndecided: true})
	}},
	{"text-color", "synthetic-color.txt.golden", func(w *bytes.Buffer, in *Input) error {
		return Text(w, in, TextOptions{Color: true})
	}},
}

func TestReportsMatchGoldenFiles(t *testing.T) {
	for _, f := range formatsUnderTest {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.render(&buf, syntheticInput()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", f.golden)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from %s (go test ./report -update rewrites it):\n%s", f.name, path, buf.String())
			}
		})
	}
}

func TestSameInputGivesIdenticalBytes(t *testing.T) {
	for _, f := range formatsUnderTest {
		var first, second bytes.Buffer
		if err := f.render(&first, syntheticInput()); err != nil {
			t.Fatal(err)
		}
		if err := f.render(&second, syntheticInput()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("%s: two renderings of the same input differ", f.name)
		}
	}
}
