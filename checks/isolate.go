package checks

import (
	"fmt"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// A check that panics over the whole graph would lose every result it has, for one odd
// resource in one file. isolate runs it again over smaller graphs, one per scan unit, keeps
// what the units that do not panic report, and names the file (and, when one resource
// alone makes the check panic, the line) of each unit that does. This only happens after
// a panic: the normal path runs each check once over the whole graph.
//
// A unit is what the graph resolves references within, so that a sub-graph means the same
// as its part of the whole graph: graph.New resolves references within a Scope only, so a
// sub-graph of whole scopes has the same edges as the full graph. Scopes are a Terraform
// root module with its module instances, or a CloudFormation template. Kubernetes shares
// one scope for every manifest of a scan, and its edges cross directories; when that
// scope panics, it is split by directory only to locate the panic, and the check's
// results for every manifest are lost.

// panicInfo is what a panicking run of a check left behind.
type panicInfo struct {
	value any
	// frames are the calls between the panic and the check's Run, innermost first.
	frames []string
}

// try runs c over g, turning a panic into a panicInfo.
func try(g *graph.Graph, c *check.Check) (o checkOutput, p *panicInfo) {
	pass := check.NewPass(g)
	defer func() {
		if r := recover(); r != nil {
			o, p = checkOutput{}, &panicInfo{value: r, frames: panicFrames()}
		}
	}()
	c.Run(pass)
	return checkOutput{findings: pass.Findings(), undecided: pass.Undecideds()}, nil
}

// maxFrames bounds the calls a diagnostic lists: the few innermost say where the check
// failed, the rest is the way there.
const maxFrames = 8

// panicFrames returns the calls of the panicking goroutine from the panic site out to
// try, the caller of the check. It is called from try's deferred function while the
// panicking frames are still on the stack.
func panicFrames() []string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(1, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var out []string
	inPanic, past := false, false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			inPanic = true
		case !inPanic:
		case !past && strings.HasPrefix(f.Function, "runtime."):
			// The runtime's own frames of a bounds check or nil dereference.
		case strings.HasSuffix(f.Function, "/checks.try"):
			return out
		default:
			past = true
			if len(out) < maxFrames {
				out = append(out, fmt.Sprintf("%s (%s:%d)", shortFunc(f.Function), path.Base(f.File), f.Line))
			}
		}
		if !more {
			return out
		}
	}
}

// shortFunc drops the import path from a function name: aws.checkBucket, not
// github.com/iacscan/iacscan/checks/aws.checkBucket.
func shortFunc(fn string) string {
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// unit is a part of the graph a check can be run over alone.
type unit struct {
	name string
	rs   []*graph.Resource
}

// splitBy groups resources by key, in the order each key first appears: the graph's order,
// so that the outcome is deterministic.
func splitBy(rs []*graph.Resource, key func(*graph.Resource) string) []unit {
	idx := map[string]int{}
	var us []unit
	for _, r := range rs {
		k := key(r)
		i, ok := idx[k]
		if !ok {
			i = len(us)
			idx[k] = i
			us = append(us, unit{name: k})
		}
		us[i].rs = append(us[i].rs, r)
	}
	return us
}

func scopeOf(r *graph.Resource) string { return r.Scope }
func fileOf(r *graph.Resource) string  { return r.Range.File }
func dirOf(r *graph.Resource) string   { return path.Dir(r.Range.File) }

// maxLocated bounds the panics of one check that are located and reported each on its
// own: a check that fails on every resource of a large tree would otherwise print an
// error for every unit. The units beyond are named in one more error.
const maxLocated = 10

// isolation is the state of isolating one check.
type isolation struct {
	c   *check.Check
	out checkOutput
	// unlocated names the panicking units beyond maxLocated, and first is where the
	// first of them starts.
	unlocated []string
	first     graph.Range
}

// isolate is what runOne returns for a check that panicked over the whole graph with p.
func isolate(g *graph.Graph, c *check.Check, p *panicInfo) checkOutput {
	iso := &isolation{c: c}
	iso.narrow(unit{name: "", rs: g.All()}, p, 0)
	if n := len(iso.unlocated); n > 0 {
		const most = 5
		names := iso.unlocated[:min(n, most)]
		detail := fmt.Sprintf("%v; the check reports nothing for %s", p.value, strings.Join(names, ", "))
		if n > most {
			detail += fmt.Sprintf(" and %d more", n-most)
		}
		iso.out.errs = append(iso.out.errs, graph.Diagnostic{
			Severity: graph.DiagError,
			Summary:  fmt.Sprintf("internal error in check %s, in %d more %s of the scan", c.ID, n, plural(n, "part", "parts")),
			Detail:   detail,
			Range:    iso.first,
		})
	}
	return iso.out
}

// narrow adds what the check reports over the parts of u, a unit that panicked with p,
// and a diagnostic for each smallest part that still panics. level is how far u is split
// already: 0 the whole graph, 1 a scope.
func (iso *isolation) narrow(u unit, p *panicInfo, level int) {
	if level == 0 {
		parts := splitBy(u.rs, scopeOf)
		if len(parts) > 1 {
			for _, part := range parts {
				out, pp := try(graph.New(part.rs), iso.c)
				if pp == nil {
					iso.out.findings = append(iso.out.findings, out.findings...)
					iso.out.undecided = append(iso.out.undecided, out.undecided...)
					continue
				}
				iso.narrow(part, pp, 1)
			}
			return
		}
		if len(parts) == 1 {
			u.name = parts[0].name
		}
	}
	if allKubernetes(u.rs) {
		iso.locateDirs(u, p)
		return
	}
	iso.report(u, p, "")
}

// allManifests names what a panic on the Kubernetes scope costs.
const allManifests = "every Kubernetes manifest"

// locateDirs reports where in u, the Kubernetes scope, the check panics. The scope is
// split by directory only to find the manifests that make it panic: a directory apart
// from the rest misses the edges that cross into it (a NetworkPolicy in one directory
// selecting the pods of another), so what the check reports over it can be false and is
// not kept. The check's results for every manifest are lost, and each diagnostic says so.
func (iso *isolation) locateDirs(u unit, p *panicInfo) {
	dirs := splitBy(u.rs, dirOf)
	if len(dirs) == 1 {
		u.name = dirs[0].name
		iso.report(u, p, allManifests)
		return
	}
	found := false
	for _, d := range dirs {
		if _, pp := try(graph.New(d.rs), iso.c); pp != nil {
			iso.report(d, pp, allManifests)
			found = true
		}
	}
	if !found {
		// Only the manifests of several directories together make the check panic.
		u.name = ""
		iso.report(u, p, allManifests)
	}
}

// report adds the diagnostic of u, a smallest unit that makes the check panic with p,
// or names u among the unlocated ones once maxLocated diagnostics are made. lost names
// what the panic costs when that is more than u.
func (iso *isolation) report(u unit, p *panicInfo, lost string) {
	if len(iso.out.errs) < maxLocated {
		iso.out.errs = append(iso.out.errs, locate(iso.c, u, p, lost))
		return
	}
	label := lost
	if label == "" {
		label = unitLabel(u, u.rs[0].Range.File)
	}
	if slices.Contains(iso.unlocated, label) {
		return
	}
	if len(iso.unlocated) == 0 {
		iso.first = graph.Range{File: u.rs[0].Range.File}
	}
	iso.unlocated = append(iso.unlocated, label)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func allKubernetes(rs []*graph.Resource) bool {
	for _, r := range rs {
		if r.Format != graph.Kubernetes {
			return false
		}
	}
	return true
}

// locate makes the diagnostic of a smallest unit u that makes c panic with p. It names
// the file of the unit that makes the check panic on its own and, when one resource of it
// does, that resource's line. What these runs report is not kept: a file or resource
// apart from the rest of its unit misses the references that reach it. lost, when not
// empty, names what the panic costs in place of u.
func locate(c *check.Check, u unit, p *panicInfo, lost string) graph.Diagnostic {
	where := graph.Range{File: u.name}
	if u.name == "" || u.name == "." {
		where.File = u.rs[0].Range.File
	}
	var culprit *graph.Resource
	files := splitBy(u.rs, fileOf)
	if len(files) == 1 {
		where.File = files[0].name
	}
	for _, f := range files {
		if len(files) > 1 {
			_, pp := try(graph.New(f.rs), c)
			if pp == nil {
				continue
			}
			where.File, p = f.name, pp
		}
		for _, r := range f.rs {
			if len(f.rs) == 1 {
				culprit = r
				break
			}
			if _, pp := try(graph.New([]*graph.Resource{r}), c); pp != nil {
				culprit, p = r, pp
				break
			}
		}
		if len(files) > 1 || culprit != nil {
			break
		}
	}
	var detail strings.Builder
	fmt.Fprintf(&detail, "%v", p.value)
	if len(p.frames) > 0 {
		fmt.Fprintf(&detail, " in %s", p.frames[0])
	}
	if culprit != nil {
		pos := culprit.DefRange
		if pos.IsZero() {
			pos = culprit.Range
		}
		where.Start, where.End = pos.Start, pos.Start
		fmt.Fprintf(&detail, " while checking %s", culprit.Address)
	}
	if lost == "" {
		lost = unitLabel(u, where.File)
	}
	fmt.Fprintf(&detail, "; the check reports nothing for %s", lost)
	if len(p.frames) > 1 {
		detail.WriteString("\ncalled from:")
		for _, f := range p.frames[1:] {
			detail.WriteString("\n  " + f)
		}
	}
	return graph.Diagnostic{
		Severity: graph.DiagError,
		Summary:  fmt.Sprintf("internal error in check %s", c.ID),
		Detail:   detail.String(),
		Range:    where,
	}
}

// unitLabel names the part of the scan whose results a panic cost.
func unitLabel(u unit, file string) string {
	if u.name != "" && u.name != file {
		return u.name
	}
	return file
}
