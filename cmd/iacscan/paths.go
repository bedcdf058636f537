package main

import (
	"fmt"
	"path"
	"strings"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/parser/graph"
)

// pathFilter decides which files findings may be reported in, from --include-path and
// --exclude-path globs matched against display paths (slash-separated, relative to the
// working directory).
type pathFilter struct {
	include, exclude []string
}

func newPathFilter(include, exclude []string) (*pathFilter, error) {
	for _, g := range append(append([]string{}, include...), exclude...) {
		// path.Match reports a malformed pattern only when it gets that far; try it on
		// its own text to catch it up front.
		if _, err := path.Match(g, g); err != nil {
			return nil, fmt.Errorf("bad path glob %q: %w", g, err)
		}
	}
	return &pathFilter{include: include, exclude: exclude}, nil
}

// allows reports whether findings in file may be reported.
func (f *pathFilter) allows(file string) bool {
	if f == nil {
		return true
	}
	for _, g := range f.exclude {
		if matchGlob(g, file) {
			return false
		}
	}
	if len(f.include) == 0 {
		return true
	}
	for _, g := range f.include {
		if matchGlob(g, file) {
			return true
		}
	}
	return false
}

// matchGlob matches a slash path against a glob in which * and ? stay inside one path
// segment and ** matches any number of segments. A pattern without a slash matches the
// file's base name or any directory on its path (`*.tfvars`, `examples`), and a pattern
// that matches a directory matches everything beneath it (`modules/legacy`), as users
// expect from .gitignore.
func matchGlob(pattern, file string) bool {
	pattern = strings.TrimPrefix(strings.TrimSuffix(pattern, "/"), "./")
	file = strings.TrimPrefix(file, "./")
	segs := strings.Split(file, "/")
	if !strings.Contains(pattern, "/") && pattern != "**" {
		for _, s := range segs {
			if ok, _ := path.Match(pattern, s); ok {
				return true
			}
		}
		return false
	}
	pat := strings.Split(pattern, "/")
	// A directory pattern covers what lies beneath: try every prefix of the path.
	for n := 1; n <= len(segs); n++ {
		if matchSegments(pat, segs[:n]) {
			return true
		}
	}
	return false
}

func matchSegments(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchSegments(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// resultRanges returns the ranges a result concerns: where it points and every related
// location (the value's origin, the module call, the other resource).
func resultRanges(r checks.Result) []graph.Range {
	out := []graph.Range{r.Range}
	for _, rel := range r.Related {
		out = append(out, rel.Range)
	}
	return out
}

// filterPaths drops results and undecided decisions located in files the path globs
// exclude, and diagnostics about such files, so that an excluded broken file does not
// fail the scan either.
func filterPaths(f *pathFilter, rs []checks.Result, us []checks.UndecidedResult, ds graph.Diagnostics) ([]checks.Result, []checks.UndecidedResult, graph.Diagnostics) {
	outR := keep(rs, func(r *checks.Result) bool { return f.allows(r.Range.File) })
	outU := keep(us, func(u *checks.UndecidedResult) bool { return f.allows(u.Range.File) })
	outD := keep(ds, func(d *graph.Diagnostic) bool {
		// Diagnostics without a real file (an internal error in a check) always stay.
		return d.Range.File == "" || strings.HasPrefix(d.Range.File, "<") || f.allows(d.Range.File)
	})
	return outR, outU, outD
}
