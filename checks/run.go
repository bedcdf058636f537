// Package checks runs checks over a resource graph and turns what they report into
// results: positioned, merged across module instances, sorted.
package checks

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// Result is one finding as reports show it: the check, where, what, and which resource
// instances it concerns. Identical findings of several instances of the same code (a
// module called twice, count) are one result naming every instance.
type Result struct {
	Check    *check.Check
	Severity check.Severity
	Range    graph.Range
	// Message names the resource instance(s) and the offending value.
	Message string
	// Detail is the check's message without the resource address.
	Detail    string
	Resources []*graph.Resource
	Path      graph.Path
	// Related holds where the value came from, the module call chain, and any
	// locations the check added.
	Related []graph.Related
	// Key identifies the finding independently of line numbers: check ID, resource
	// address and attribute path.
	Key string
	// Suppressed is set when an ignore in the source accepts the finding (see Suppress);
	// reports keep such results but they do not fail the scan.
	Suppressed *Suppression
}

// UndecidedResult is a decision a check could not make because a value is unknown.
type UndecidedResult struct {
	Check    *check.Check
	Range    graph.Range
	Resource *graph.Resource
	Path     graph.Path
	Reasons  []string
}

// Output is everything a run of the checks produced.
type Output struct {
	Results   []Result
	Undecided []UndecidedResult
	// Errors are internal errors: a check that panicked, on the file of each part of the
	// graph it panics on. The scan still completes, with the check's results elsewhere.
	Errors graph.Diagnostics
}

type checkOutput struct {
	findings  []check.Finding
	undecided []check.Undecided
	errs      graph.Diagnostics
}

// Run runs every check over g concurrently and returns results in a deterministic order.
func Run(g *graph.Graph, list []*check.Check) Output {
	outs := make([]checkOutput, len(list))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(list) {
		workers = len(list)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				outs[i] = runOne(g, list[i])
			}
		}()
	}
	for i := range list {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	var out Output
	// Every finding is at most one result: reserve room for all of them at once rather
	// than growing the list check by check.
	findings, undecided := 0, 0
	for _, o := range outs {
		findings += len(o.findings)
		undecided += len(o.undecided)
	}
	if findings > 0 {
		out.Results = make([]Result, 0, findings)
	}
	if undecided > 0 {
		out.Undecided = make([]UndecidedResult, 0, undecided)
	}
	for i, c := range list {
		o := outs[i]
		out.Errors = append(out.Errors, o.errs...)
		out.Results = merge(out.Results, c, o.findings)
		for _, u := range o.undecided {
			if u.Resource == nil {
				continue
			}
			out.Undecided = append(out.Undecided, UndecidedResult{
				Check: c, Resource: u.Resource, Path: u.Path,
				Range: u.Resource.RangeOf(u.Path...), Reasons: u.Reasons,
			})
		}
	}
	SortResults(out.Results)
	slices.SortStableFunc(out.Undecided, func(a, b UndecidedResult) int {
		if a.Range != b.Range {
			return rangeCompare(a.Range, b.Range)
		}
		if a.Check.ID != b.Check.ID {
			return strings.Compare(a.Check.ID, b.Check.ID)
		}
		return strings.Compare(a.Resource.Address, b.Resource.Address)
	})
	out.Undecided = dedupUndecided(out.Undecided)
	return out
}

// runOne runs c over the whole graph. A check that panics there is run again over the
// parts of the graph (see isolate), so that the panic costs only the part that causes it.
func runOne(g *graph.Graph, c *check.Check) checkOutput {
	o, p := try(g, c)
	if p != nil {
		return isolate(g, c, p)
	}
	return o
}

// merge positions findings and folds identical ones (same range and message) of several
// resource instances into one result, appended to dst.
func merge(dst []Result, c *check.Check, fs []check.Finding) []Result {
	type key struct {
		rng graph.Range
		msg string
	}
	idx := make(map[key]int, len(fs))
	start := len(dst)
	out := dst
	// Most results concern one resource: their lists share one array, each capped at
	// its one entry so that a later merge appends into a new array of its own.
	one := make([]*graph.Resource, len(fs))
	for _, f := range fs {
		if f.Resource == nil {
			continue
		}
		rng, moved := primaryRange(f)
		k := key{rng, f.Message}
		if i, ok := idx[k]; ok {
			r := &out[i]
			if !containsResource(r.Resources, f.Resource) {
				r.Resources = append(r.Resources, f.Resource)
				r.Related = appendRelated(r.Related, f.Resource.CallChain...)
				r.Related = appendRelated(r.Related, f.Resource.OriginsOf(f.Path...)...)
				r.Related = appendRelated(r.Related, f.Related...)
			}
			continue
		}
		idx[k] = len(out)
		n := len(out) - start
		one[n] = f.Resource
		var rel []graph.Related
		rel = appendRelated(rel, moved...)
		rel = appendRelated(rel, f.Resource.OriginsOf(f.Path...)...)
		rel = appendRelated(rel, f.Resource.CallChain...)
		rel = appendRelated(rel, f.Related...)
		out = append(out, Result{
			Check: c, Severity: c.Severity, Range: rng, Detail: f.Message,
			Resources: one[n : n+1 : n+1], Path: f.Path, Related: rel,
		})
	}
	for i := start; i < len(out); i++ {
		r := &out[i]
		slices.SortStableFunc(r.Resources, func(a, b *graph.Resource) int { return strings.Compare(a.Address, b.Address) })
		// A related location that is the result's own place says nothing new.
		kept := r.Related[:0]
		for _, rel := range r.Related {
			if rel.Range != r.Range {
				kept = append(kept, rel)
			}
		}
		r.Related = kept
		slices.SortStableFunc(r.Related, func(x, y graph.Related) int {
			if x.Range != y.Range {
				return rangeCompare(x.Range, y.Range)
			}
			return strings.Compare(x.Message, y.Message)
		})
		r.Message, r.Key = messageAndKey(c, r.Resources, r.Detail, r.Path)
	}
	return out
}

// messageAndKey renders a result's Message (the instances it concerns and the check's
// message) and Key (check ID, first instance's address, attribute path). Both live as
// long as the result, so they are cut from one string: one allocation instead of two.
func messageAndKey(c *check.Check, rs []*graph.Resource, detail string, path graph.Path) (msg, key string) {
	names := NameResources(rs)
	s := names + ": " + detail + c.ID + "|" + rs[0].Address + "|" + path.String()
	n := len(names) + len(": ") + len(detail)
	return s[:n], s[n:]
}

// NameResources renders the instances a result concerns: every address up to three,
// then a count.
func NameResources(rs []*graph.Resource) string {
	const most = 3
	var addrs []string
	seen := map[string]bool{}
	for _, r := range rs {
		// Variants of one resource (CloudFormation conditions) share an address.
		if !seen[r.Address] {
			seen[r.Address] = true
			addrs = append(addrs, r.Address)
		}
	}
	if len(addrs) > most {
		return strings.Join(addrs[:most], ", ") + fmt.Sprintf(" and %d more", len(addrs)-most)
	}
	return strings.Join(addrs, ", ")
}

func containsResource(rs []*graph.Resource, r *graph.Resource) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func appendRelated(dst []graph.Related, add ...graph.Related) []graph.Related {
	for _, a := range add {
		dup := false
		for _, d := range dst {
			if d == a {
				dup = true
				break
			}
		}
		if !dup && !a.Range.IsZero() {
			dst = append(dst, a)
		}
	}
	return dst
}

// SortResults orders results by file, line, column, check ID and message; results equal
// in all of these keep their order.
func SortResults(rs []Result) {
	// Results are large: sorting their indexes and then moving each result once, along
	// the cycles of the permutation, costs far fewer copies than a stable sort's swaps.
	// Ties are broken by index, which makes the order the stable one.
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		if c := compareResults(&rs[i], &rs[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	// The result at position k is the one at idx[k]; a visited position is marked -1.
	for start := range idx {
		if idx[start] < 0 {
			continue
		}
		first := rs[start]
		k := start
		for {
			from := idx[k]
			idx[k] = -1
			if from == start {
				rs[k] = first
				break
			}
			rs[k] = rs[from]
			k = from
		}
	}
}

// compareResults is the order of SortResults, without the tie-break.
func compareResults(a, b *Result) int {
	if a.Range != b.Range {
		return rangeCompare(a.Range, b.Range)
	}
	if a.Check.ID != b.Check.ID {
		return strings.Compare(a.Check.ID, b.Check.ID)
	}
	return strings.Compare(a.Message, b.Message)
}

func dedupUndecided(us []UndecidedResult) []UndecidedResult {
	var out []UndecidedResult
	for i, u := range us {
		if i > 0 {
			p := us[i-1]
			// Variants of one resource (CloudFormation conditions) share scope and address:
			// an undecided decision about them is one decision.
			if p.Check == u.Check && p.Resource.Scope == u.Resource.Scope &&
				p.Resource.Address == u.Resource.Address && p.Path.String() == u.Path.String() {
				continue
			}
		}
		out = append(out, u)
	}
	return out
}

func sortChecks(cs []*check.Check) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
}

// rangeCompare is rangeLess as a comparison for slices.SortStableFunc: -1, 0 or +1.
func rangeCompare(a, b graph.Range) int {
	switch {
	case rangeLess(a, b):
		return -1
	case rangeLess(b, a):
		return 1
	}
	return 0
}

// rangeLess is a total order on ranges: start, then end.
func rangeLess(a, b graph.Range) bool {
	if a.File != b.File || a.Start != b.Start {
		return a.Less(b)
	}
	if a.End.Line != b.End.Line {
		return a.End.Line < b.End.Line
	}
	return a.End.Column < b.End.Column
}

// primaryRange decides where a finding is shown. Normally that is the attribute itself. A
// module that terraform init downloaded lives under .terraform/, which is not part of the
// repository: code scanning cannot show a line there and nobody edits it. The finding then
// goes to the first place in the user's own files that explains it — the module argument
// that passed the value, else the outermost module call — and the attribute inside the
// downloaded module becomes a related location.
func primaryRange(f check.Finding) (graph.Range, []graph.Related) {
	rng := f.Resource.RangeOf(f.Path...)
	if !downloaded(rng.File) {
		return rng, nil
	}
	inModule := []graph.Related{{Range: rng, Message: "the attribute in the downloaded module's source"}}
	for _, o := range f.Resource.OriginsOf(f.Path...) {
		if !downloaded(o.Range.File) && !o.Range.IsZero() {
			return o.Range, inModule
		}
	}
	for _, c := range f.Resource.CallChain {
		if !downloaded(c.Range.File) && !c.Range.IsZero() {
			return c.Range, inModule
		}
	}
	return rng, nil
}

// downloaded reports whether a file lies in Terraform's module cache.
func downloaded(file string) bool {
	return strings.HasPrefix(file, ".terraform/") || strings.Contains(file, "/.terraform/")
}
