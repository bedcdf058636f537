package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

func TestWriteJSONListMatchesWriteJSONOfTheWholeValue(t *testing.T) {
	type item struct {
		ID   string         `json:"id"`
		Text string         `json:"text"`
		Tags []string       `json:"tags"`
		More map[string]any `json:"more,omitempty"`
	}
	type frame struct {
		Before []item `json:"before"`
		Items  []item `json:"items"`
		After  string `json:"after"`
	}
	mk := func(i int) item {
		return item{ID: string(rune('a' + i%26)), Text: `<b>"x" & \ ` + "\n\t" + strings.Repeat("é", i%5), Tags: []string{}, More: map[string]any{"n": i, "e": []any{}}}
	}
	for _, n := range []int{0, 1, 2, itemChunk, itemChunk + 1, 3*itemChunk + 7} {
		items := make([]item, n)
		for i := range items {
			items[i] = mk(i)
		}
		whole := frame{Before: []item{mk(1)}, Items: items, After: "]}"}
		if n == 0 {
			whole.Items = []item{}
		}
		var want, got bytes.Buffer
		if err := writeJSON(&want, whole); err != nil {
			t.Fatal(err)
		}
		placeholder := item{ID: listPlaceholder}
		streamed := frame{Before: whole.Before, Items: []item{placeholder}, After: whole.After}
		if err := writeJSONList(&got, streamed, placeholder, n, func(i int) any { return items[i] }); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d items: got\n%s\nwant\n%s", n, got.Bytes(), want.Bytes())
		}
	}
}

func TestWriteJSONListReportsAPanickingItemAndCutsTheReportShort(t *testing.T) {
	placeholder := map[string]string{"id": listPlaceholder}
	// Three chunks; the second one panics.
	n := 3 * itemChunk
	var out bytes.Buffer
	err := writeJSONList(&out, map[string]any{"items": []any{placeholder}, "z": "end"}, placeholder, n, func(i int) any {
		if i == itemChunk+1 {
			panic("boom")
		}
		return i
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("got %v, want the panic as an error", err)
	}
	if json.Valid(out.Bytes()) || strings.Contains(out.String(), "end") {
		t.Errorf("a report whose items failed must be cut short, got %d bytes ending %q", out.Len(), out.String()[max(0, out.Len()-40):])
	}
	if strings.Contains(out.String(), strconv.Itoa(2*itemChunk+1)) {
		t.Error("items after the failed chunk were written")
	}
}
