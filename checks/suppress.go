package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// SuppressionInSource is the kind of every suppression iacscan records: the decision is
// written next to the code (a comment, a Metadata entry, an annotation), as SARIF's
// "inSource" kind means.
const SuppressionInSource = "inSource"

// ignoreAnnotation is the Kubernetes annotation listing suppressed checks, and
// ignoreReasonAnnotation the one that says why. The checks package reads them from the
// graph rather than importing the Kubernetes parser.
const (
	ignoreAnnotation       = "iacscan.dev/ignore"
	ignoreReasonAnnotation = "iacscan.dev/ignore-reason"
)

// Suppression records that a result was deliberately accepted, and where and why.
type Suppression struct {
	// Kind is SuppressionInSource.
	Kind string
	// Justification is the reason written with the ignore; it may be empty.
	Justification string
	// Range is where the ignore is written.
	Range graph.Range
	// Marker is the ignore as written, e.g. "iacscan:ignore:aws-s3-public-acl" or
	// "checkov:skip=CKV_AWS_20".
	Marker string
}

// SuppressOptions tune Suppress.
type SuppressOptions struct {
	// Now decides which ignores have expired; the zero value means time.Now().
	Now time.Time
	// Ran lists the checks that ran. An ignore of a check that did not run (excluded on
	// the command line) is not reported as stale. Nil means every built-in check.
	Ran []*check.Check
}

// ignore is one entry of one ignore comment (or Metadata/annotation list), with what it
// applies to and whether it was needed.
type ignore struct {
	entry   ignoreEntry
	rng     graph.Range
	reason  string
	marker  string
	targets []string // our check IDs
	expired bool
	used    bool
}

func (ig *ignore) covers(checkID string) bool {
	for _, t := range ig.targets {
		if t == checkID {
			return true
		}
	}
	return false
}

func (ig *ignore) suppression() *Suppression {
	return &Suppression{Kind: SuppressionInSource, Justification: ig.reason, Range: ig.rng, Marker: ig.marker}
}

// lineInfo is what one source line holds in the way of ignores.
type lineInfo struct {
	ignores []*ignore
	// comment is set for a line that holds nothing but a comment: a run of such lines
	// directly above a line belongs to it.
	comment bool
}

type suppressor struct {
	now   time.Time
	lines map[string]map[int]*lineInfo
	// text holds the lines of the files that have ignores, for finding the YAML keys
	// that enclose a finding.
	text  map[string][]string
	meta  map[*graph.Resource][]*ignore
	all   []*ignore
	diags graph.Diagnostics
}

// Suppress marks the results that an ignore written in the scanned sources accepts,
// and returns warnings about the ignores themselves: expired ones, ones that suppress
// nothing (stale), unknown check IDs and unreadable markers.
//
// An ignore applies to a finding when it is written on the finding's line, in the run
// of comment lines directly above it, or likewise at an enclosing attribute or block,
// at the resource's header, or at a module call that produced the resource. For
// resources without comments (JSON templates and manifests), a CloudFormation
// resource's Metadata.iacscan.ignore list and a Kubernetes object's iacscan.dev/ignore
// annotation apply to the whole resource. A result that merges several instances of a
// resource is split when the ignore selects only some of them.
//
// Suppressed results stay in out.Results with Suppressed set; undecided decisions an
// ignore covers are dropped, as the user has already made the decision.
func Suppress(out *Output, g *graph.Graph, files map[string][]byte, opts SuppressOptions) graph.Diagnostics {
	s := &suppressor{now: opts.Now, lines: map[string]map[int]*lineInfo{}, text: map[string][]string{}, meta: map[*graph.Resource][]*ignore{}}
	if s.now.IsZero() {
		s.now = time.Now()
	}
	names := make([]string, 0, len(files))
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		s.scanFile(f, files[f])
	}
	if g != nil {
		for _, r := range g.Resources() {
			s.scanMeta(r)
		}
	}

	// A result splits only when ignores accept some of its instances: most stay one.
	var results []Result
	if len(out.Results) > 0 {
		results = make([]Result, 0, len(out.Results))
	}
	for _, r := range out.Results {
		results = s.apply(results, r)
	}
	SortResults(results)
	out.Results = results

	var undecided []UndecidedResult
	for _, u := range out.Undecided {
		if u.Resource != nil {
			if ig := s.find(u.Check.ID, u.Resource, u.Range, u.Path); ig != nil {
				ig.used = true
				continue
			}
		}
		undecided = append(undecided, u)
	}
	out.Undecided = undecided

	s.reportUnused(opts.Ran)
	sort.SliceStable(s.diags, func(i, j int) bool {
		a, b := s.diags[i], s.diags[j]
		if a.Range != b.Range {
			return rangeLess(a.Range, b.Range)
		}
		return a.Summary < b.Summary
	})
	return s.diags
}

// scanFile indexes the ignore comments of one file.
func (s *suppressor) scanFile(name string, src []byte) {
	// Most files have no ignore at all; looking for the markers' common parts first
	// keeps large scans from splitting every file into lines.
	if !bytes.Contains(src, []byte("ignore:")) && !bytes.Contains(src, []byte("skip=")) {
		return
	}
	idx := map[int]*lineInfo{}
	lines := strings.Split(string(src), "\n")
	for n, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		text, at, whole, ok := commentText(line)
		if !ok {
			continue
		}
		info := &lineInfo{comment: whole}
		idx[n+1] = info
		c, ok := parseIgnoreComment(text)
		if !ok {
			continue
		}
		rng := graph.Range{
			File:  name,
			Start: graph.Pos{Line: n + 1, Column: utf8.RuneCountInString(line[:at]) + 1},
			End:   graph.Pos{Line: n + 1, Column: utf8.RuneCountInString(line) + 1},
		}
		for _, p := range c.Problems {
			s.warn(rng, "unreadable ignore", p)
		}
		for _, e := range c.Entries {
			if ig := s.newIgnore(e, rng, c.Reason, markerText(e)); ig != nil {
				info.ignores = append(info.ignores, ig)
			}
		}
	}
	s.lines[name] = idx
	s.text[name] = lines
}

// scanMeta reads the ignores a resource carries outside comments.
func (s *suppressor) scanMeta(r *graph.Resource) {
	list := r.Meta["ignore"]
	if list == "" {
		return
	}
	var rng graph.Range
	var reason, where string
	switch r.Format {
	case graph.CloudFormation:
		where = "Metadata.iacscan.ignore"
		rng = r.DefRange
		if n, err := strconv.Atoi(r.Meta["metadataLine"]); err == nil && n > 0 {
			rng = graph.Range{File: r.Range.File, Start: graph.Pos{Line: n, Column: 1}, End: graph.Pos{Line: n, Column: 1}}
		}
		var md struct {
			Iacscan struct {
				Reason string `json:"reason"`
			} `json:"iacscan"`
		}
		if json.Unmarshal([]byte(r.Meta["metadata"]), &md) == nil {
			reason = md.Iacscan.Reason
		}
	case graph.Kubernetes:
		where = "annotation " + ignoreAnnotation
		rng = r.RangeOf("metadata", "annotations", ignoreAnnotation)
		reason, _ = r.Get("metadata", "annotations", ignoreReasonAnnotation).Str()
	default:
		where = "ignore list"
		rng = r.DefRange
	}
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		es, err := parseEntry(ToolIacscan, id)
		if err != nil {
			s.warn(rng, "unreadable ignore", fmt.Sprintf("%s %q: %v", where, id, err))
			continue
		}
		for _, e := range es {
			if ig := s.newIgnore(e, rng, reason, where+": "+id); ig != nil {
				s.meta[r] = append(s.meta[r], ig)
			}
		}
	}
}

// newIgnore resolves an entry to our checks. A foreign ID we have no counterpart for
// is dropped quietly: it belongs to the other tool.
func (s *suppressor) newIgnore(e ignoreEntry, rng graph.Range, reason, marker string) *ignore {
	ig := &ignore{entry: e, rng: rng, reason: reason, marker: marker, expired: e.expired(s.now)}
	if e.Tool == ToolIacscan {
		if ByID(e.ID) == nil {
			s.warn(rng, fmt.Sprintf("ignore names unknown check %q", e.ID), "see iacscan checks for the check IDs")
			return nil
		}
		ig.targets = []string{e.ID}
	} else {
		ig.targets = CompatChecks(e.ID)
		if len(ig.targets) == 0 {
			return nil
		}
	}
	if ig.expired {
		s.warn(rng, fmt.Sprintf("ignore of %s expired on %s", e.ID, e.Expires.Format("2006-01-02")),
			"it no longer suppresses anything: fix the finding or set a later :exp: date")
	}
	s.all = append(s.all, ig)
	return ig
}

func markerText(e ignoreEntry) string {
	var b strings.Builder
	if e.Tool == ToolCheckov {
		return "checkov:skip=" + e.ID
	}
	b.WriteString(string(e.Tool) + ":ignore:" + e.ID)
	if e.Selector != "" {
		b.WriteString("[" + e.Selector + "]")
	}
	if !e.Expires.IsZero() {
		b.WriteString(":exp:" + e.Expires.Format("2006-01-02"))
	}
	return b.String()
}

func (s *suppressor) warn(rng graph.Range, summary, detail string) {
	s.diags = append(s.diags, graph.Diagnostic{Severity: graph.DiagWarning, Summary: summary, Detail: detail, Range: rng})
}

// apply suppresses r, or the instances of r that an ignore selects.
func (s *suppressor) apply(dst []Result, r Result) []Result {
	if r.Suppressed != nil || len(r.Resources) == 0 {
		return append(dst, r)
	}
	var open []*graph.Resource
	var order []*ignore
	by := map[*ignore][]*graph.Resource{}
	for i, res := range r.Resources {
		ig := s.find(r.Check.ID, res, r.Range, r.Path)
		if ig == nil {
			// The open instances are listed only once an ignore is found: most results
			// have none and stay as they are.
			if len(order) > 0 {
				open = append(open, res)
			}
			continue
		}
		if len(order) == 0 {
			open = append(open, r.Resources[:i]...)
		}
		ig.used = true
		if by[ig] == nil {
			order = append(order, ig)
		}
		by[ig] = append(by[ig], res)
	}
	if len(order) == 0 {
		return append(dst, r)
	}
	if len(open) > 0 {
		dst = append(dst, withResources(r, open))
	}
	for _, ig := range order {
		part := withResources(r, by[ig])
		part.Suppressed = ig.suppression()
		dst = append(dst, part)
	}
	return dst
}

// withResources is r narrowed to some of its instances.
func withResources(r Result, rs []*graph.Resource) Result {
	if len(rs) == len(r.Resources) {
		return r
	}
	r.Resources = rs
	r.Message, r.Key = messageAndKey(r.Check, rs, r.Detail, r.Path)
	return r
}

// anchor is a line where an ignore may stand for a finding, and which module call (if
// any) the line is, for matching an instance selector.
type anchor struct {
	file   string
	line   int
	module int // -1: the resource itself; i: CallChain[i]
}

// find returns the first live ignore of checkID that applies to res for a finding at
// rng on path, or nil.
func (s *suppressor) find(checkID string, res *graph.Resource, rng graph.Range, path graph.Path) *ignore {
	for _, ig := range s.meta[res] {
		if !ig.expired && ig.covers(checkID) && selects(ig.entry.Selector, res, -1) {
			return ig
		}
	}
	if len(s.lines) == 0 {
		return nil
	}
	anchors := []anchor{{rng.File, rng.Start.Line, -1}}
	for k := len(path) - 1; k >= 1; k-- {
		er := res.RangeOf(path[:k]...)
		anchors = append(anchors, anchor{er.File, er.Start.Line, -1})
	}
	for _, l := range s.enclosingKeys(rng.File, rng.Start.Line, res.Range.Start.Line) {
		anchors = append(anchors, anchor{rng.File, l, -1})
	}
	anchors = append(anchors, anchor{res.DefRange.File, res.DefRange.Start.Line, -1}, anchor{res.Range.File, res.Range.Start.Line, -1})
	for i := len(res.CallChain) - 1; i >= 0; i-- {
		c := res.CallChain[i].Range
		anchors = append(anchors, anchor{c.File, c.Start.Line, i})
	}
	for _, a := range anchors {
		for _, ig := range s.at(a.file, a.line) {
			if !ig.expired && ig.covers(checkID) && selects(ig.entry.Selector, res, a.module) {
				return ig
			}
		}
	}
	// Checkov's convention puts its skip comment anywhere inside the resource block.
	if idx := s.lines[res.Range.File]; idx != nil {
		for l := res.Range.Start.Line; l <= res.Range.End.Line; l++ {
			if info := idx[l]; info != nil {
				for _, ig := range info.ignores {
					if ig.entry.Tool == ToolCheckov && !ig.expired && ig.covers(checkID) {
						return ig
					}
				}
			}
		}
	}
	return nil
}

// enclosingKeys returns the lines of the YAML keys (and list items) that enclose line,
// innermost first, down to line top: each is the nearest line above that is indented
// less. The parsers record positions only for the attributes they evaluate, so a block
// like CloudFormation's Properties is found from the text. HCL files are left out:
// their blocks are recorded.
func (s *suppressor) enclosingKeys(file string, line, top int) []int {
	lines := s.text[file]
	if lines == nil || strings.HasSuffix(file, ".tf") || line > len(lines) {
		return nil
	}
	var out []int
	indent := indentOf(lines[line-1])
	for l := line - 1; l >= top && l >= 1 && indent > 0; l-- {
		t := strings.TrimSpace(lines[l-1])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if in := indentOf(lines[l-1]); in < indent {
			out = append(out, l)
			indent = in
		}
	}
	return out
}

// indentOf counts the leading white space of a line. A list item ("- name: x") is
// indented to its dash, so it encloses its own keys.
func indentOf(line string) int {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return n
}

// at returns the ignores written for a line: on it, and in the run of comment lines
// directly above it.
func (s *suppressor) at(file string, line int) []*ignore {
	idx := s.lines[file]
	if idx == nil || line <= 0 {
		return nil
	}
	var out []*ignore
	if info := idx[line]; info != nil {
		out = append(out, info.ignores...)
	}
	for l := line - 1; l > 0; l-- {
		info := idx[l]
		if info == nil || !info.comment {
			break
		}
		out = append(out, info.ignores...)
	}
	return out
}

// selects reports whether an instance selector picks res. At a module call (module >=
// 0) the selector is that call's instance key; elsewhere it is the resource's own
// instance key. A full resource address selects that resource anywhere.
func selects(sel string, res *graph.Resource, module int) bool {
	if sel == "" || sel == res.Address {
		return true
	}
	var key string
	if module < 0 {
		if res.BaseAddress != "" && strings.HasPrefix(res.Address, res.BaseAddress) {
			key = strings.TrimPrefix(res.Address, res.BaseAddress)
		}
	} else if keys := moduleKeys(res.Address); module < len(keys) {
		key = keys[module]
	}
	key = strings.TrimSuffix(strings.TrimPrefix(key, "["), "]")
	return key != "" && unquoteKey(key) == unquoteKey(sel)
}

// moduleKeys returns the instance key ("[0]", `["a"]` or "") of each module call in a
// Terraform address, outermost first.
func moduleKeys(addr string) []string {
	var keys []string
	for strings.HasPrefix(addr, "module.") {
		addr = addr[len("module."):]
		i := strings.IndexAny(addr, ".[")
		if i < 0 {
			break
		}
		addr = addr[i:]
		key := ""
		if addr[0] == '[' {
			end := closingBracket(addr)
			if end < 0 {
				break
			}
			key = addr[:end+1]
			addr = addr[end+1:]
		}
		keys = append(keys, key)
		addr = strings.TrimPrefix(addr, ".")
	}
	return keys
}

func unquoteKey(k string) string {
	k = strings.TrimSpace(k)
	if u, err := strconv.Unquote(k); err == nil {
		return u
	}
	return k
}

// reportUnused warns about our own ignores that suppressed nothing. Ignores written for
// other tools are left alone: those tools may still be in use.
func (s *suppressor) reportUnused(ran []*check.Check) {
	active := map[string]bool{}
	if ran == nil {
		ran = All()
	}
	for _, c := range ran {
		active[c.ID] = true
	}
	for _, ig := range s.all {
		if ig.used || ig.expired || ig.entry.Tool != ToolIacscan || !active[ig.entry.ID] {
			continue
		}
		s.warn(ig.rng, fmt.Sprintf("ignore of %s suppresses nothing", ig.entry.ID),
			"no finding of this check is reported where it stands; remove the stale ignore")
	}
}
