package cloudformation

import (
	"fmt"
	"maps"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// evaluator evaluates one resource under one set of assumptions about undecided
// conditions. It records positions, origins, unknown reasons and references on res as it
// goes.
type evaluator struct {
	t   *template
	res *graph.Resource
	// assume holds the value assumed for conditions that cannot be decided statically.
	assume map[string]bool
	// split says whether meeting a new undecided condition may lead to more variants; when
	// false, values depending on it are unknown.
	split bool
	// needed lists, in the order met, undecided conditions that have no assumption yet.
	needed []string
	// used lists the assumptions this evaluation relied on.
	used  map[string]bool
	conds map[string]*condResult
	// deps collects every resource this one refers to, for cycle detection.
	deps  map[string]bool
	depth int
	// peak is the greatest depth checked by guard, and condCalls counts the conditions
	// asked for, so that a condition's evaluation can tell what it took (see keep).
	peak      int
	condCalls int
}

func newEvaluator(t *template, assume map[string]bool, split bool) *evaluator {
	return &evaluator{
		t: t, assume: assume, split: split,
	}
}

// leftovers is what an evaluation of a resource no longer needs once it is done, for
// the next evaluation of the same resource to reuse: its condition maps, emptied, and its
// resource when that was thrown away (a variant evaluated again under assumptions, or one
// whose own condition is false), to be filled anew. A resource with undecided conditions
// is evaluated several times over, and most of those evaluations meet conditions.
type leftovers struct {
	conds map[string]*condResult
	used  map[string]bool
	res   *graph.Resource
}

// lend gives e the leftovers, which must not be used afterwards.
func (l leftovers) lend(e *evaluator) {
	if l.conds != nil {
		clear(l.conds)
		e.conds = l.conds
	}
	if l.used != nil {
		clear(l.used)
		e.used = l.used
	}
	e.res = l.res
}

// dep notes that the resource refers to resource id. (The evaluator's maps are made on
// first use: most resources meet no condition, and many refer to nothing.)
func (e *evaluator) dep(id string) {
	if e.deps == nil {
		e.deps = map[string]bool{}
	}
	e.deps[id] = true
}

// trace gathers, for one attribute, where its value came from, why it is unknown and
// which resources it refers to.
type trace struct {
	origins []graph.Related
	unknown []string
	refs    []string
}

func (tr *trace) origin(rs ...graph.Related) {
	for _, r := range rs {
		dup := false
		for _, o := range tr.origins {
			if o == r {
				dup = true
				break
			}
		}
		if !dup {
			tr.origins = append(tr.origins, r)
		}
	}
}

// originsOf adds the origins rs, a list its owner no longer changes in place. Into a
// trace that has none yet, which is most of them, rs itself is taken rather than copied
// (capped at its length, so that adding more copies it): a condition's or a parameter's
// origins are added to every value that depends on them, in every variant of a resource.
func (tr *trace) originsOf(rs []graph.Related) {
	if len(tr.origins) == 0 && len(rs) > 0 && distinct(rs) {
		tr.origins = rs[:len(rs):len(rs)]
		return
	}
	tr.origin(rs...)
}

// whyAll adds the reasons in list, shared as originsOf shares origins.
func (tr *trace) whyAll(list []string) {
	if len(tr.unknown) == 0 && len(list) > 0 && distinct(list) {
		tr.unknown = list[:len(list):len(list)]
		return
	}
	tr.why(list...)
}

// distinct reports whether no element of list is repeated, as adding them one by one
// would have found.
func distinct[T comparable](list []T) bool {
	for i := 1; i < len(list); i++ {
		for _, x := range list[:i] {
			if x == list[i] {
				return false
			}
		}
	}
	return true
}

func (tr *trace) why(reasons ...string) {
	for _, s := range reasons {
		if !contains(tr.unknown, s) {
			tr.unknown = append(tr.unknown, s)
		}
	}
}

func (tr *trace) ref(ids ...string) {
	for _, id := range ids {
		if !contains(tr.refs, id) {
			tr.refs = append(tr.refs, id)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// result is an evaluated value; none marks AWS::NoValue, which removes the property or
// list element that holds it. An unknown value may have a partial rendering (see
// graph.AttrInfo.Partial): a policy written with Fn::Sub that interpolates the bucket
// ARN is still a readable JSON document. text is that of a string, and partial that of a
// sequence or mapping; a string's is kept as text because making a cty value of it
// allocates, and most are never read.
type result struct {
	v       cty.Value
	partial cty.Value
	text    string
	none    bool
}

// hasPartial reports whether r has a partial rendering.
func (r result) hasPartial() bool { return r.text != "" || r.partial != cty.NilVal }

// partialOr returns the partial rendering of r, or its value when it has none.
func (r result) partialOr() cty.Value {
	switch {
	case r.text != "":
		return cty.StringVal(r.text)
	case r.partial != cty.NilVal:
		return r.partial
	}
	return r.v
}

func known(v cty.Value) result { return result{v: v} }

var unknownResult = result{v: cty.DynamicVal}

func (e *evaluator) need(cond string) {
	if !contains(e.needed, cond) {
		e.needed = append(e.needed, cond)
	}
}

// guard counts one evaluation step and reports whether the budgets still allow going on.
func (e *evaluator) guard(n *yaml.Node, tr *trace) bool {
	e.t.steps++
	e.peak = max(e.peak, e.depth)
	if e.t.steps > maxSteps {
		e.t.diags.add(graph.DiagError, graph.Range{File: e.t.f.path}, "evaluation limit exceeded",
			fmt.Sprintf("the template needs more than %d evaluation steps (deeply nested or aliased values); the rest is left unknown", maxSteps))
		tr.why("the evaluation limit was exceeded")
		return false
	}
	if e.depth > e.t.opts.maxDepth() {
		e.t.diags.add(graph.DiagError, e.t.f.rangeOf(n), "value nested too deeply",
			fmt.Sprintf("nesting beyond %d levels (--max-depth) is not evaluated; the value is left unknown", e.t.opts.maxDepth()))
		tr.why("the value is nested too deeply to evaluate")
		return false
	}
	return true
}

// value evaluates node n. When record is true, n is written at path of the resource's
// properties, and the positions of its literal parts are recorded beneath path; otherwise
// (function arguments, mapping values) only tr learns about origins, unknowns and
// references.
//
// The paths of n's elements are appended to path in place: path is a stack whose spare
// capacity is shared by siblings, one after the other, and nothing keeps a path beyond
// the call it is given to except record, which copies it.
func (e *evaluator) value(n *yaml.Node, path graph.Path, record bool, tr *trace) result {
	if n == nil {
		return known(cty.NullVal(cty.DynamicPseudoType))
	}
	if !e.guard(n, tr) {
		return unknownResult
	}
	e.depth++
	defer func() { e.depth-- }()

	if fn, arg, ok := e.intrinsic(n, false, tr); ok {
		if fn == "" {
			return unknownResult
		}
		return e.call(fn, arg, n, path, record, tr)
	}
	switch n.Kind {
	case yaml.AliasNode:
		e.t.aliases++
		if e.t.aliases > maxAliases {
			// One error per template, at the first alias not followed: an alias bomb has
			// thousands more, and each would say the same.
			if e.t.aliases == maxAliases+1 {
				e.t.diags.add(graph.DiagError, e.t.f.rangeOf(n), "too many YAML aliases",
					fmt.Sprintf("the template uses more than %d aliases; from this one on, aliases are not followed and their values are left unknown", maxAliases))
			}
			tr.why("too many YAML aliases")
			return unknownResult
		}
		return e.value(n.Alias, path, record, tr)
	case yaml.ScalarNode:
		return known(e.t.scalar(n))
	case yaml.SequenceNode:
		vals := make([]cty.Value, 0, len(n.Content))
		// The partial rendering, made when an element has one and the sequence is an
		// argument (of Fn::Join, Fn::ToJsonString): a recorded element keeps its own.
		var pvals []cty.Value
		var own trace // each recorded element's, declared here so that it stays on the stack
		for _, c := range n.Content {
			var p graph.Path
			if e.recording(record) {
				p = scratchChild(path, len(vals))
			}
			ct := tr
			if record {
				own = trace{}
				ct = &own
			}
			r := e.value(c, p, record, ct)
			if r.none {
				continue
			}
			if r.hasPartial() && pvals == nil && !record {
				pvals = append(make([]cty.Value, 0, len(n.Content)), vals...)
			}
			vals = append(vals, r.v)
			if pvals != nil {
				pvals = append(pvals, r.partialOr())
			}
			if record {
				e.record(p, c, c, r.text, ct)
			}
		}
		if record && e.discarded() {
			return discardedValue(n)
		}
		out := known(cty.TupleVal(vals))
		if pvals != nil {
			out.partial = cty.TupleVal(pvals)
		}
		return out
	case yaml.MappingNode:
		attrs := make(map[string]cty.Value, len(n.Content)/2)
		var pattrs map[string]cty.Value // as for sequences
		var own trace                   // as for sequences
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(k), "mapping key is not a string", "the entry is ignored")
				continue
			}
			if k.Value == "<<" {
				// A YAML merge key: CloudFormation does not support it, and its target is
				// already reachable as an alias.
				e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(k), "YAML merge keys are not supported by CloudFormation", "")
				continue
			}
			var p graph.Path
			if e.recording(record) {
				p = scratchChild(path, k.Value)
			}
			ct := tr
			if record {
				own = trace{}
				ct = &own
			}
			r := e.value(v, p, record, ct)
			if r.none {
				delete(attrs, k.Value)
				delete(pattrs, k.Value)
				if record {
					e.recordAbsent(p, ct)
				}
				continue
			}
			if r.hasPartial() && pattrs == nil && !record {
				pattrs = make(map[string]cty.Value, len(n.Content)/2)
				maps.Copy(pattrs, attrs)
			}
			attrs[k.Value] = r.v
			if pattrs != nil {
				pattrs[k.Value] = r.partialOr()
			}
			if record {
				e.record(p, k, v, r.text, ct)
			}
		}
		if record && e.discarded() {
			return discardedValue(n)
		}
		out := known(cty.ObjectVal(attrs))
		if pattrs != nil {
			out.partial = cty.ObjectVal(pattrs)
		}
		return out
	}
	return known(cty.NullVal(cty.DynamicPseudoType))
}

// discardedValue stands for the value of the mapping or sequence n of a resource that
// will be thrown away (see discarded). A recorded value is only ever read by the mapping,
// sequence or Fn::If that holds it and, at the top, by resource, which looks at no more
// than its kind; so building it element by element, the costliest part of evaluating a
// resource, would be wasted. An empty value of the same kind keeps every such reading,
// and so every problem reported, the same.
func discardedValue(n *yaml.Node) result {
	if n.Kind == yaml.SequenceNode {
		return known(cty.EmptyTupleVal)
	}
	return known(cty.EmptyObjectVal)
}

// record stores what is known about the attribute at path, written from node from to
// node to, on the resource; text is the partial rendering of an unknown string, or "".
func (e *evaluator) record(path graph.Path, from, to *yaml.Node, text string, tr *trace) {
	var kept graph.Path
	for _, id := range tr.refs {
		e.dep(id)
		if e.res != nil && !e.discarded() {
			if kept == nil {
				// The resource keeps the path of a reference; path itself is reused.
				kept = append(make(graph.Path, 0, len(path)), path...)
			}
			e.res.AddRef(id, kept)
		}
	}
	if e.res == nil || e.discarded() {
		return
	}
	partial := cty.NilVal
	if jsonDocument(text) {
		partial = cty.StringVal(text)
	}
	e.res.SetAttrInfo(path, graph.AttrInfo{Range: e.t.f.span(from, to), Origins: tr.origins, Unknown: tr.unknown, Partial: partial})
}

// jsonDocument reports whether text is the partial rendering of a JSON object or
// array. Those are the only partial renderings read in CloudFormation (a policy
// written as a string, which the template could have written as an object), while
// names and ARNs built with Fn::Sub around AWS::StackName or a resource are in nearly
// every template: keeping the rendering of each would cost a record per value.
func jsonDocument(text string) bool {
	s := strings.TrimLeft(text, " \t\r\n")
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// recordAbsent records why the property at path is absent: an Fn::If whose chosen
// branch is AWS::NoValue names its condition, for a finding about the missing property
// to name it too. The record has no position, so the property's position stays that of
// the mapping that lacks it.
func (e *evaluator) recordAbsent(path graph.Path, tr *trace) {
	if len(tr.origins) == 0 || e.res == nil || e.discarded() {
		return
	}
	e.res.SetAttrInfo(path, graph.AttrInfo{Origins: tr.origins})
}

// discarded reports whether the resource being built will be thrown away: once an
// undecided condition is met while variants may still be made, the resource is evaluated
// again under each assumption about it. The rest of the evaluation still takes place,
// since it reports problems and finds the references between resources, but positions
// are no longer worth recording.
func (e *evaluator) discarded() bool {
	return e.split && len(e.needed) > 0
}

// scalar converts a YAML or JSON scalar by its resolved tag: numbers and booleans keep
// their type (checks compare them like Terraform's), everything else is a string.
// Parsing a number into a big.Float allocates several times, and a template repeats
// its numbers (ports, sizes, every variant of a resource), so each one is parsed once;
// cty values are immutable and can be shared.
func (t *template) scalar(n *yaml.Node) cty.Value {
	switch n.Tag {
	case "!!null":
		return cty.NullVal(cty.DynamicPseudoType)
	case "!!bool":
		return cty.BoolVal(strings.EqualFold(n.Value, "true"))
	case "!!int", "!!float":
		if v, ok := t.numbers[n.Value]; ok {
			return v
		}
		if v, err := cty.ParseNumberVal(n.Value); err == nil {
			if t.numbers == nil {
				t.numbers = map[string]cty.Value{}
			}
			t.numbers[n.Value] = v
			return v
		}
	}
	return cty.StringVal(n.Value)
}

// shortForms maps YAML short-form tags to the intrinsic function they stand for.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub",
	"!Join": "Fn::Join", "!Select": "Fn::Select", "!Split": "Fn::Split",
	"!FindInMap": "Fn::FindInMap", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
	"!And": "Fn::And", "!Or": "Fn::Or", "!If": "Fn::If", "!Base64": "Fn::Base64",
	"!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs", "!Cidr": "Fn::Cidr",
	"!Transform": "Fn::Transform", "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

// longForms holds the "Fn::" names of shortForms, looked up for every call written as a
// mapping (every call of a JSON template).
var longForms = func() map[string]bool {
	m := make(map[string]bool, len(shortForms))
	for _, fn := range shortForms {
		if strings.HasPrefix(fn, "Fn::") {
			m[fn] = true
		}
	}
	return m
}()

// intrinsic recognizes a function call: a short-form tag, or a mapping with the single
// key Ref, Fn::* (or Condition, inside conditions). It returns the function name and its
// argument; a call to an unknown function returns ok with an empty name after reporting
// it.
func (e *evaluator) intrinsic(n *yaml.Node, inCondition bool, tr *trace) (string, *yaml.Node, bool) {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		fn, ok := shortForms[n.Tag]
		if !ok {
			e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(n), "unknown intrinsic function "+n.Tag, "its value is left unknown")
			tr.why("unknown intrinsic function " + n.Tag)
			return "", nil, true
		}
		// The argument is n itself: the functions read its kind, value and elements, and
		// those that evaluate it as a whole take it untagged (see evaluator.whole).
		return fn, n, true
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", nil, false
	}
	k := n.Content[0].Value
	switch {
	case k == "Ref", inCondition && k == "Condition":
		return k, n.Content[1], true
	case strings.HasPrefix(k, "Fn::"):
		if longForms[k] {
			return k, n.Content[1], true
		}
		e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(n.Content[0]), "unknown intrinsic function "+k, "its value is left unknown")
		tr.why("unknown intrinsic function " + k)
		return "", nil, true
	}
	return "", nil, false
}

// argument returns the argument of the short-form call written at n as a whole value: a
// copy of n tagged as the plain value its kind makes, so that evaluating it does not call
// the function again. Each node's copy is made once and shared by every evaluation of the
// template (a resource is evaluated once per variant); evaluation never modifies nodes.
func (t *template) argument(n *yaml.Node) *yaml.Node {
	if a, ok := t.args[n]; ok {
		return a
	}
	if len(t.argSlab) == 0 {
		// Copies are carved out of blocks: one allocation serves many calls.
		t.argSlab = make([]yaml.Node, 32)
	}
	a := &t.argSlab[0]
	t.argSlab = t.argSlab[1:]
	*a = *n
	switch n.Kind {
	case yaml.ScalarNode:
		a.Tag = "!!str"
	case yaml.SequenceNode:
		a.Tag = "!!seq"
	case yaml.MappingNode:
		a.Tag = "!!map"
	}
	if t.args == nil {
		t.args = map[*yaml.Node]*yaml.Node{}
	}
	t.args[n] = a
	return a
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < yamlMaxDepth; i++ {
		n = n.Alias
	}
	return n
}

// recording reports whether the paths of the elements of a value being evaluated will be
// read, record telling whether the value is recorded. Only record keeps paths, and only
// while the resource is not to be discarded (which, once so, stays so for the rest of the
// evaluation); otherwise the elements are given a nil path. Making a path step of a key
// boxes the string, one allocation per entry, and the values that are not recorded
// (function arguments, conditions, Metadata, every variant that is evaluated again under
// assumptions) are much of what is evaluated.
func (e *evaluator) recording(record bool) bool {
	return record && !e.discarded()
}

// scratchChild returns path with step appended, in path's spare capacity when it has
// some: the walk builds every child's path in one buffer instead of copying the parent's
// for each. The result is only valid until the next sibling's path is built, so nothing
// may keep it: SetAttrInfo and AttrInfo render it to a key at once, and whatever keeps a
// path (AddRef, a trace's origin) must keep a copy.
func scratchChild(path graph.Path, step any) graph.Path {
	return append(path, step)
}
