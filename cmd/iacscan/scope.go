package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser"
	"github.com/iacscan/iacscan/parser/graph"
)

// span is an inclusive range of lines.
type span struct{ from, to int }

// scope is the set of lines findings may be reported on: the files pre-commit passed
// (whole files) or the lines changed since a git revision. A finding is in scope when it
// points at such a line or when one of its related locations does: a changed tfvars value
// that makes an unchanged bucket public is reported.
type scope map[string][]span

// Keys are absolute slash paths: the same file may be displayed relative to the working
// directory or, when the parser reached it from a module above, as an absolute path.
func (s scope) addFile(file string) { k := absKey(file); s[k] = append(s[k], span{1, math.MaxInt}) }

func (s scope) addLines(file string, from, to int) {
	k := absKey(file)
	s[k] = append(s[k], span{from, to})
}

// addDir puts every file beneath dir (a display path) in scope. Directory keys end in a
// slash, which no file key does.
func (s scope) addDir(dir string) { s[strings.TrimSuffix(absKey(dir), "/")+"/"] = nil }

// inDir reports whether the file with key k lies beneath a directory in scope.
func (s scope) inDir(k string) bool {
	for d := range s {
		if strings.HasSuffix(d, "/") && strings.HasPrefix(k, d) {
			return true
		}
	}
	return false
}

// absKey turns a display path into a scope key.
func absKey(p string) string {
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return p
	}
	return filepath.ToSlash(abs)
}

// touches reports whether r overlaps a line in scope. A range without a line (a whole
// file) touches the file if any of it is in scope.
func (s scope) touches(r graph.Range) bool {
	k := absKey(r.File)
	if s.inDir(k) {
		return true
	}
	spans, ok := s[k]
	if !ok {
		return false
	}
	from, to := r.Start.Line, r.End.Line
	if from < 1 {
		return len(spans) > 0
	}
	if to < from {
		to = from
	}
	for _, sp := range spans {
		if from <= sp.to && sp.from <= to {
			return true
		}
	}
	return false
}

// narrow keeps the results and undecided decisions in scope.
func (s scope) narrow(rs []checks.Result, us []checks.UndecidedResult) ([]checks.Result, []checks.UndecidedResult) {
	var outR []checks.Result
	for _, r := range rs {
		for _, rng := range resultRanges(r) {
			if s.touches(rng) {
				outR = append(outR, r)
				break
			}
		}
	}
	var outU []checks.UndecidedResult
	for _, u := range us {
		if s.touches(u.Range) {
			outU = append(outU, u)
		}
	}
	return outR, outU
}

// isTerraformPath reports whether a file belongs to a Terraform module (configuration or
// variable values).
func isTerraformPath(p string) bool {
	name := strings.ToLower(p)
	for _, ext := range []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// expandExplicit turns the files named on the command line into what must be parsed to
// judge them, and the scope to report on. A Terraform file is only meaningful with the
// module it belongs to and with the modules that call it, so when a Terraform file is
// named, every Terraform directory of its repository is loaded (one .tf file of each
// stands for its directory, so that YAML and JSON elsewhere are not read). ok is false
// when no path is a file, and the paths are parsed as given.
func expandExplicit(paths []string) (parse []string, sc scope, ok bool, err error) {
	sc = scope{}
	terraform := false
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, false, fmt.Errorf("scan %s: %w", p, err)
		}
		if info.IsDir() {
			// Named beside files, a directory is reported on in full.
			parse = append(parse, p)
			sc.addDir(parser.DisplayPath(p))
			continue
		}
		ok = true
		sc.addFile(parser.DisplayPath(p))
		if isTerraformPath(p) {
			terraform = true
			continue
		}
		parse = append(parse, p)
	}
	if !terraform {
		return parse, sc, ok, nil
	}
	// The modules that may call a file's module live in the same repository: walk the
	// repository (see moduleSearchRoot).
	roots := map[string]bool{}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && !info.IsDir() && isTerraformPath(p) {
			roots[moduleSearchRoot(filepath.Dir(p))] = true
		}
	}
	var dirs []string
	for _, root := range slices.Sorted(maps.Keys(roots)) {
		found, err := terraformDirs(root)
		if err != nil {
			return nil, nil, false, err
		}
		dirs = append(dirs, found...)
	}
	return append(parse, dirs...), sc, ok, nil
}

// moduleSearchRoot returns the top of the git repository holding dir; outside any
// repository, the working directory when dir lies beneath it, or else dir itself.
func moduleSearchRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return wd
		}
	}
	return abs
}

// terraformDirs returns one .tf file from every directory under root that holds any,
// skipping the directories the parser skips.
func terraformDirs(root string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".terraform", "node_modules", ".terragrunt-cache", "vendor":
				if p != root {
					return fs.SkipDir
				}
			}
			return nil
		}
		name := strings.ToLower(d.Name())
		dir := filepath.Dir(p)
		if d.Type().IsRegular() && (strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")) && !seen[dir] {
			seen[dir] = true
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find Terraform modules: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

// changedLines asks git which lines changed between ref and the working tree. Paths are
// made relative to the working directory (--relative), like the display paths of
// findings. Files git does not track yet are new: every line of them counts as changed
// when they are scanned.
func changedLines(ref string) (scope, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("--changed-since %q: not a revision", ref)
	}
	cmd := exec.Command("git", "-c", "core.quotePath=false", "diff", "--unified=0", "--no-color",
		"--no-ext-diff", "--no-renames", "--relative", ref, "--")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("--changed-since %s: git diff: %w: %s", ref, err, strings.TrimSpace(stderr.String()))
	}
	sc, err := parseUnifiedDiff(out)
	if err != nil {
		return nil, fmt.Errorf("--changed-since %s: %w", ref, err)
	}
	untracked := exec.Command("git", "-c", "core.quotePath=false", "ls-files", "--others", "--exclude-standard", "-z")
	if list, err := untracked.Output(); err == nil {
		for _, f := range strings.Split(string(list), "\x00") {
			if f != "" {
				sc.addFile(filepath.ToSlash(f))
			}
		}
	}
	return sc, nil
}

// parseUnifiedDiff reads the new-side line ranges of every hunk of a unified diff made
// with --unified=0.
func parseUnifiedDiff(diff []byte) (scope, error) {
	sc := scope{}
	file := ""
	sc0 := bufio.NewScanner(bytes.NewReader(diff))
	sc0.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc0.Scan() {
		line := sc0.Text()
		switch {
		case strings.HasPrefix(line, "+++ "):
			name := strings.TrimPrefix(line, "+++ ")
			file = ""
			if name == "/dev/null" {
				continue
			}
			if strings.HasPrefix(name, `"`) {
				unq, err := strconv.Unquote(name)
				if err != nil {
					return nil, fmt.Errorf("diff file name %s: %w", name, err)
				}
				name = unq
			}
			file = strings.TrimPrefix(name, "b/")
		case strings.HasPrefix(line, "@@ ") && file != "":
			from, count, err := hunkNewSide(line)
			if err != nil {
				return nil, err
			}
			if count > 0 {
				sc.addLines(file, from, from+count-1)
			}
		}
	}
	if err := sc0.Err(); err != nil {
		return nil, fmt.Errorf("read diff: %w", err)
	}
	return sc, nil
}

// hunkNewSide reads "+c,d" from a hunk header "@@ -a,b +c,d @@"; d defaults to 1.
func hunkNewSide(header string) (from, count int, err error) {
	fields := strings.Fields(header)
	if len(fields) < 3 || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, fmt.Errorf("bad hunk header %q", header)
	}
	start, n, hasCount := strings.Cut(strings.TrimPrefix(fields[2], "+"), ",")
	from, err = strconv.Atoi(start)
	if err != nil {
		return 0, 0, fmt.Errorf("bad hunk header %q: %w", header, err)
	}
	count = 1
	if hasCount {
		if count, err = strconv.Atoi(n); err != nil {
			return 0, 0, fmt.Errorf("bad hunk header %q: %w", header, err)
		}
	}
	return from, count, nil
}
