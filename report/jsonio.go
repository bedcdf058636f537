package report

import (
	"encoding/json"
	"io"
)

// writeJSON writes v as 2-space indented JSON with a final newline. HTML characters are
// kept as they are: the output is read by tools and people, never embedded in a page.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
