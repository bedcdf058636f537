package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/iacscan/iacscan/checks"
)

// baselineVersion is the version of the baseline file format. A file of another version
// is refused rather than misread.
const baselineVersion = 1

// baselineFile is the baseline written by --baseline-out and read by --baseline. Findings
// are matched by key alone: check ID, resource address and attribute path, which do not
// change when lines move or a file is reformatted. The check, file, line and message are
// there for the people reviewing the file.
type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Key     string `json:"key"`
	Check   string `json:"check"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// resultKey is the fingerprint of a result, falling back to its parts when a result
// carries no key.
func resultKey(r checks.Result) string {
	if r.Key != "" {
		return r.Key
	}
	id, addr := "", ""
	if r.Check != nil {
		id = r.Check.ID
	}
	if len(r.Resources) > 0 && r.Resources[0] != nil {
		addr = r.Resources[0].Address
	}
	return id + "|" + addr + "|" + r.Path.String()
}

// writeBaseline records the open results of rs in file, sorted by key so that the file diffs well.
func writeBaseline(file string, rs []checks.Result) error {
	b := baselineFile{Version: baselineVersion, Tool: "iacscan", Findings: []baselineEntry{}}
	seen := map[string]bool{}
	for _, r := range rs {
		k := resultKey(r)
		// A suppressed finding is accepted in the source already; recording it too
		// would keep it accepted after the ignore comment is removed.
		if seen[k] || r.Suppressed != nil {
			continue
		}
		seen[k] = true
		id := ""
		if r.Check != nil {
			id = r.Check.ID
		}
		b.Findings = append(b.Findings, baselineEntry{Key: k, Check: id, File: r.Range.File, Line: r.Range.Start.Line, Message: r.Message})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Key < b.Findings[j].Key })
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	data = append(data, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(file), ".iacscan-baseline-*")
	if err != nil {
		return fmt.Errorf("write baseline %s: %w", file, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write baseline %s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write baseline %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("write baseline %s: %w", file, err)
	}
	return nil
}

// readBaseline returns the keys recorded in file.
func readBaseline(file string) (map[string]bool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var b baselineFile
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", file, err)
	}
	if b.Version != baselineVersion {
		return nil, fmt.Errorf("baseline %s: version %d, want %d", file, b.Version, baselineVersion)
	}
	keys := map[string]bool{}
	for _, e := range b.Findings {
		keys[e.Key] = true
	}
	return keys, nil
}

// newSinceBaseline drops the results whose key the baseline records.
func newSinceBaseline(rs []checks.Result, known map[string]bool) []checks.Result {
	var out []checks.Result
	for _, r := range rs {
		if !known[resultKey(r)] {
			out = append(out, r)
		}
	}
	return out
}
