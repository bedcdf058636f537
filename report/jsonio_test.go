package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// stdIndented is what json.Encoder writes with two-space indentation and no HTML
// escaping: the output writeJSON must reproduce byte for byte.
func stdIndented(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteJSONMatchesEncoderIndentation(t *testing.T) {
	values := map[string]any{
		"empty object":     map[string]any{},
		"empty array":      []any{},
		"nested empties":   map[string]any{"a": map[string]any{}, "b": []any{}, "c": []any{[]any{}, map[string]any{}}},
		"scalars":          []any{1, 2.5, -3e20, true, false, nil, "x"},
		"string specials":  []string{`a "quoted" word`, `back\slash`, "tab\tnew\nline", `{[,:]}`, "<b>&amp;</b>", "ünïcødé ✓", `\"`, `ends with \`, ""},
		"keys with quotes": map[string]any{`k"1`: `v:1,`, `{`: []any{`}`, map[string]any{"]": "["}}},
		"deep":             map[string]any{"a": []any{map[string]any{"b": []any{1, []any{2, map[string]any{"c": nil}}}}}},
		"raw message":      json.RawMessage(`{ "spaced" : [ 1 , 2 ] , "s" : " in string " }`),
		"top-level string": "plain",
		"top-level number": 42,
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := writeJSON(&got, v); err != nil {
				t.Fatal(err)
			}
			if want := stdIndented(t, v); !bytes.Equal(got.Bytes(), want) {
				t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want)
			}
		})
	}
}

func TestWriteJSONMatchesEncoderOnStoredReports(t *testing.T) {
	jsonFiles, _ := filepath.Glob(filepath.Join("testdata", "*.json.golden"))
	sarifFiles, _ := filepath.Glob(filepath.Join("testdata", "*.sarif.golden"))
	files := append(append([]string{}, jsonFiles...), sarifFiles...)
	if len(files) == 0 {
		t.Skip("no stored JSON reports")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(src, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var got bytes.Buffer
		if err := writeJSON(&got, v); err != nil {
			t.Fatal(err)
		}
		if want := stdIndented(t, v); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: output differs from json.Encoder's", f)
		}
	}
}
