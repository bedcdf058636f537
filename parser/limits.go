package parser

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/iacscan/iacscan/parser/cloudformation"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/parser/internal/fileio"
	"github.com/iacscan/iacscan/parser/kubernetes"
	"github.com/iacscan/iacscan/parser/nesting"
	"github.com/iacscan/iacscan/parser/terraform"
)

// limitDiag is the error diagnostic of a file that hit a limit and was not fully analysed.
func limitDiag(path string, line int, summary, detail string) graph.Diagnostic {
	r := graph.Range{File: path}
	if line > 0 {
		r.Start = graph.Pos{Line: line, Column: 1}
		r.End = r.Start
	}
	return graph.Diagnostic{Severity: graph.DiagError, Summary: summary, Detail: detail, Range: r}
}

// readLimited reads one YAML or JSON file within the limits: only regular files (a FIFO
// would block the read forever), no larger than MaxFileSize (checked before reading and
// again while reading, as a file may grow), without NUL bytes, nested no deeper than
// MaxDepth. A refused file that looks like IaC from its first bytes becomes a diagnostic
// naming the limit, with the format it claims; any other refused file is skipped quietly,
// as YAML and JSON that is not IaC always is (a large lock file is no parse failure).
// st is the file's stat, taken once for the read budget and for this.
func readLimited(path string, st fileStat, lim Limits) (src []byte, claim graph.Format, diag *graph.Diagnostic) {
	fail := func(d graph.Diagnostic) ([]byte, graph.Format, *graph.Diagnostic) { return nil, "", &d }
	// The stat comes before opening: opening a FIFO for reading blocks until a writer
	// comes.
	if st.err != nil {
		return fail(limitDiag(path, 0, "cannot read file", st.err.Error()))
	}
	if !st.regular {
		return fail(limitDiag(path, 0, "cannot read file", "not a regular file; the file is not read"))
	}
	f, err := os.Open(filepath.FromSlash(path))
	if err != nil {
		return fail(limitDiag(path, 0, "cannot read file", err.Error()))
	}
	defer f.Close()
	// refuse shares the result shape of readLimited, whose other outcomes return bytes.
	refuse := func(head []byte, d graph.Diagnostic) ([]byte, graph.Format, *graph.Diagnostic) { //nolint:unparam
		if len(head) > sniffSize {
			head = head[:sniffSize]
		}
		switch {
		case cloudformation.Detect(path, head):
			return nil, graph.CloudFormation, &d
		case kubernetes.Detect(path, head):
			return nil, graph.Kubernetes, &d
		}
		return nil, "", nil
	}
	tooLarge := func(head []byte, n int64) ([]byte, graph.Format, *graph.Diagnostic) {
		return refuse(head, limitDiag(path, 0, "file too large",
			fmt.Sprintf("%d bytes exceeds the file size limit of %d bytes (--max-file-size); the file is not analysed", n, lim.MaxFileSize)))
	}
	if st.size > lim.MaxFileSize {
		head, _ := io.ReadAll(io.LimitReader(f, sniffSize))
		return tooLarge(head, st.size)
	}
	src, err = fileio.ReadSized(io.LimitReader(f, lim.MaxFileSize+1), st.size)
	if err != nil {
		return fail(limitDiag(path, 0, "cannot read file", err.Error()))
	}
	if int64(len(src)) > lim.MaxFileSize {
		return tooLarge(src, int64(len(src)))
	}
	if bytes.IndexByte(src, 0) >= 0 {
		return refuse(src, limitDiag(path, 0, "binary file", "the file holds NUL bytes and is neither YAML nor JSON; it is not analysed"))
	}
	if line, over := nesting.Exceeds(src, lim.MaxDepth, false); over {
		return refuse(src, limitDiag(path, line, "nesting too deep",
			fmt.Sprintf("brackets nest deeper than the limit of %d levels (--max-depth); the file is not analysed", lim.MaxDepth)))
	}
	return src, "", nil
}

// sniffSize is how much of a refused file is read to tell whether it claims to be IaC.
const sniffSize = 64 << 10

// fileStat is what readLimited and the read budget need of a file's stat.
type fileStat struct {
	size    int64
	regular bool
	err     error
}

func statFile(path string) fileStat {
	info, err := os.Stat(filepath.FromSlash(path))
	if err != nil {
		return fileStat{err: err}
	}
	return fileStat{size: info.Size(), regular: info.Mode().IsRegular()}
}

// overBudget marks the files, in path order, that would take the bytes read past
// MaxRead. Sizes come from the stats taken before any file is read, so the choice is the
// same on every run whatever order the workers read in.
func overBudget(stats []fileStat, lim Limits) []bool {
	over := make([]bool, len(stats))
	var total int64
	for i, st := range stats {
		if st.err != nil || !st.regular || st.size > lim.MaxFileSize {
			continue // reported by readLimited
		}
		if total+st.size > lim.MaxRead {
			over[i] = true
			continue
		}
		total += st.size
	}
	return over
}

// parseTerraform runs the Terraform parser; a panic that escapes it costs the Terraform
// part of the scan, reported as an internal error on the first directory and naming
// every directory, and the YAML and JSON files are still scanned.
func parseTerraform(dirs []string, opts terraform.Options) (res *terraform.Result) {
	defer func() {
		if r := recover(); r != nil {
			res = &terraform.Result{Files: map[string][]byte{}, Diagnostics: graph.Diagnostics{{
				Severity: graph.DiagError, Summary: "internal error parsing Terraform",
				Detail: fmt.Sprintf("%v; the Terraform files of %s are not analysed", r, listDirs(dirs)),
				Range:  graph.Range{File: dirs[0]},
			}}}
		}
	}()
	return terraformParse(dirs, opts)
}

// terraformParse is terraform.Parse; tests replace it to make the Terraform part panic.
// Tests that do so do not run in parallel and restore it when done.
var terraformParse = terraform.Parse

// listDirs names the directories a diagnostic is about: all of a few, else the first
// ones and a count.
func listDirs(dirs []string) string {
	const most = 5
	if len(dirs) == 1 {
		return "directory " + dirs[0]
	}
	if len(dirs) <= most {
		return "directories " + strings.Join(dirs, ", ")
	}
	return fmt.Sprintf("directories %s and %d more", strings.Join(dirs[:most], ", "), len(dirs)-most)
}
