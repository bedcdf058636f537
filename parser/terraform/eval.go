package terraform

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// evaluator holds the state of one root module's evaluation: everything it produces and
// the limits it works within. Root modules are evaluated concurrently, each with its own
// evaluator; only the loader is shared.
type evaluator struct {
	st           *state
	root         string // root module directory, display path
	maxInstances int
	maxDepth     int
	// budget is how many more resource and module instances this root may make.
	budget     int
	overBudget bool
	resources  []*graph.Resource
	diags      graph.Diagnostics
	files      map[string][]byte

	// steps counts the expressions evaluated for this root, modules included; past
	// maxSteps nothing more is evaluated, so that no configuration can keep a scan busy
	// without bound.
	steps, maxSteps int
	overSteps       bool

	// workspaceRead is the first place this root, or a module it calls, reads
	// terraform.workspace (see noteWorkspace); zero when it never does.
	workspaceRead hcl.Range
}

func (ev *evaluator) diag(d graph.Diagnostic) { ev.diags = append(ev.diags, d) }

// noteWorkspace records a read of terraform.workspace at rng. The read kept is the first
// in the root module's own files, in file and position order, and only failing that the
// first in a module it calls: that is where the user of this root chose to depend on it.
func (ev *evaluator) noteWorkspace(rng hcl.Range) {
	cur := ev.workspaceRead
	if cur.Filename == "" {
		ev.workspaceRead = rng
		return
	}
	inRoot := func(r hcl.Range) bool { return path.Dir(r.Filename) == ev.root }
	if a, b := inRoot(rng), inRoot(cur); a != b {
		if a {
			ev.workspaceRead = rng
		}
		return
	}
	if toRange(rng).Less(toRange(cur)) {
		ev.workspaceRead = rng
	}
}

// reportWorkspace says, once per root module, that terraform.workspace was read and
// assumed to be "default". Values that depend on it name the assumption as an origin, but
// a decision it made safe leaves no finding to carry it: without this a clean result would
// not say that another workspace may not be clean. A warning, as it is a notice about the
// scan and must not fail it.
func (ev *evaluator) reportWorkspace() {
	if ev.st.opts.Workspace != "" || ev.workspaceRead.Filename == "" {
		return
	}
	d := graph.Diagnostic{
		Severity: graph.DiagWarning,
		Summary: fmt.Sprintf("terraform.workspace is read at %s and was assumed %q; pass --workspace NAME to scan another workspace",
			rangeString(ev.workspaceRead), defaultWorkspace),
		Range: toRange(ev.workspaceRead),
	}
	if path.Dir(ev.workspaceRead.Filename) != ev.root {
		// Read in a called module that other roots may call too: name the root, so that
		// each root keeps its own diagnostic.
		d.Detail = "in root module " + ev.root
	}
	ev.diag(d)
}

// step takes one evaluation step. Once they are spent, the expression at rng is reported
// (only the first time) and it and everything after it are left unknown.
func (ev *evaluator) step(rng hcl.Range) bool {
	if ev.steps < ev.maxSteps {
		ev.steps++
		return true
	}
	if !ev.overSteps {
		ev.overSteps = true
		ev.diag(graph.Diagnostic{
			Severity: graph.DiagError,
			Summary:  fmt.Sprintf("module %s takes more than %d evaluation steps", ev.root, ev.maxSteps),
			Detail:   "expressions from here on are left unknown (evaluation step limit per root module)",
			Range:    toRange(rng),
		})
	}
	return false
}

// spend takes one instance from the root's budget. Once it is spent, the block at rng is
// reported (only the first time) and no further instances are made.
func (ev *evaluator) spend(rng hcl.Range) bool {
	if ev.budget > 0 {
		ev.budget--
		return true
	}
	if !ev.overBudget {
		ev.overBudget = true
		ev.diag(graph.Diagnostic{
			Severity: graph.DiagError,
			Summary:  fmt.Sprintf("module %s makes more than %d resource and module instances", ev.root, ev.st.opts.MaxTotal),
			Detail:   "instances beyond the limit are not scanned (total instance limit per root module)",
			Range:    toRange(rng),
		})
	}
	return false
}

// modInst is one instance of a module: its input values and the values of its locals,
// resources, module calls and outputs as they are evaluated.
type modInst struct {
	ev      *evaluator
	mod     *module
	prefix  string   // "" for the root, "module.a." or `module.a["x"].` otherwise
	keyPath []string // module call names from the root, for .terraform/modules lookups
	chain   []graph.Related
	stack   []string // directories of the calling modules, outermost first

	vars      map[string]cty.Value
	varObj    cty.Value
	varProv   map[string]*prov
	locals    map[string]cty.Value
	localProv map[string]*prov
	res       map[string]*resNode
	mods      map[string]*modNode
	outputs   map[string]cty.Value
	outProv   map[string]*prov
	// Partial renderings (see partialOf) of the variables, locals and outputs that are
	// not wholly known; nil until there is one, as most instances have none.
	varPartial   map[string]cty.Value
	localPartial map[string]cty.Value
	outPartial   map[string]cty.Value
	// varObjPartial is varObj with its own partials, partialized: the same for every
	// context of the instance, so fillPartial computes it once (NilVal until then).
	varObjPartial cty.Value
	// pathVal is the path object of the instance, built on first use (see pathObj).
	pathVal cty.Value
	// plainCtx is the context of the blocks that refer to no local, module call, data
	// source or resource, built on first use once the variables are set (see ctxFor).
	plainCtx *hcl.EvalContext
}

// input is a value given to a module variable, with where it was written.
type input struct {
	val  cty.Value
	prov *prov
	// partial is the partial rendering of val when it is not wholly known, else NilVal.
	partial cty.Value
}

func newInstance(ev *evaluator, mod *module, prefix string) *modInst {
	// The maps every module value goes into are sized up front, not grown.
	nv, nl, no := len(mod.variables), len(mod.locals), len(mod.outputs)
	mi := &modInst{
		ev: ev, mod: mod, prefix: prefix,
		vars: make(map[string]cty.Value, nv), varProv: make(map[string]*prov, nv),
		locals: make(map[string]cty.Value, nl), localProv: make(map[string]*prov, nl),
		res:  make(map[string]*resNode, len(mod.resources)),
		mods: make(map[string]*modNode, len(mod.calls)), outputs: make(map[string]cty.Value, no), outProv: make(map[string]*prov, no),
	}
	// One allocation for the nodes of all resources; they live as long as the instance.
	nodes := make([]resNode, len(mod.resources))
	for i, d := range mod.resources {
		if _, dup := mi.res[d.key()]; dup {
			continue
		}
		// attrProv gets one entry per top-level argument.
		size := 0
		if sb, ok := d.body.(*hclsyntax.Body); ok {
			size = len(sb.Attributes)
		}
		nodes[i] = resNode{decl: d, attrProv: make(map[string]*prov, size)}
		mi.res[d.key()] = &nodes[i]
	}
	for _, c := range mod.calls {
		if _, dup := mi.mods[c.name]; dup {
			continue
		}
		mi.mods[c.name] = &modNode{decl: c, outProv: map[string]*prov{}}
	}
	return mi
}

// setInputs assigns every declared variable its value: the given input, else the
// default, else unknown ("var.x has no value"), converted to the declared type.
func (mi *modInst) setInputs(in map[string]input) {
	attrs := make(map[string]cty.Value, len(mi.mod.variables))
	for _, d := range mi.mod.variables {
		v, p := mi.variableValue(d, in)
		mi.vars[d.name] = v
		mi.varProv[d.name] = p
		attrs[d.name] = v
		if given, ok := in[d.name]; ok && given.partial != cty.NilVal && !whollyKnown(v) {
			if pv, err := safeConvert(given.partial, d.typ); err == nil {
				mi.varPartial = setValue(mi.varPartial, d.name, pv)
			}
		}
	}
	mi.varObj = cty.ObjectVal(attrs)
	mi.varObjPartial = cty.NilVal
	mi.plainCtx = nil
}

func (mi *modInst) variableValue(d *variableDecl, in map[string]input) (cty.Value, *prov) {
	p := &prov{}
	v := cty.NilVal
	if given, ok := in[d.name]; ok && given.val != cty.NilVal {
		if !given.val.IsKnown() || !given.val.IsNull() || d.nullable || d.def == nil {
			v = given.val
			p.merge(given.prov)
			if given.prov != nil {
				p.shape = given.prov.shape
			}
		}
	}
	if v == cty.NilVal && d.def != nil {
		dv, diags := safeValue(d.def.Expr, nil)
		if diags.HasErrors() {
			dv = cty.DynamicVal
			p.addUnknown("default of var." + d.name + " cannot be evaluated")
		}
		v = dv
		origin := graph.Related{Range: toRange(d.def.Range), Message: "default of var." + d.name}
		p.addOrigin(origin)
		p.shape = shapeOf(d.def.Expr, origin)
	}
	if v == cty.NilVal {
		p.addUnknown("var." + d.name + " has no value")
		return cty.UnknownVal(d.typ), p
	}
	v = unmark(v)
	if d.defaults != nil {
		v = applyDefaults(d, v)
		if p.shape != nil {
			p.shape = withOptionalDefaults(p.shape, d.typeExpr, "var."+d.name)
		}
	}
	cv, err := safeConvert(v, d.typ)
	if err != nil {
		p.addUnknown(fmt.Sprintf("var.%s does not match its type: %s", d.name, err))
		return cty.UnknownVal(d.typ), p
	}
	if whollyKnown(cv) {
		p.unknown = nil
	} else if len(p.unknown) == 0 {
		p.addUnknown("var." + d.name + " is not known statically")
	}
	return cv, p
}

// applyDefaults fills optional() attribute defaults; it recovers from the panics cty may
// raise on values that do not fit the type, leaving the conversion to report them.
func applyDefaults(d *variableDecl, v cty.Value) (out cty.Value) {
	defer func() {
		if recover() != nil {
			out = v
		}
	}()
	return d.defaults.Apply(v)
}

// run evaluates locals, resources, module calls and outputs in dependency order.
func (mi *modInst) run() {
	for _, scc := range mi.mod.cycles {
		mi.reportCycle(scc)
	}
	for _, nd := range mi.mod.order {
		switch nd.kind {
		case nodeLocal:
			mi.evalLocal(nd)
		case nodeResource:
			mi.evalResource(mi.res[nd.id])
		case nodeModule:
			mi.evalCall(mi.mods[strings.TrimPrefix(nd.id, "module.")])
		case nodeOutput:
			mi.evalOutput(nd)
		}
	}
}

func (mi *modInst) evalLocal(nd *node) {
	name := strings.TrimPrefix(nd.id, "local.")
	if nd.cyclic {
		mi.locals[name] = cty.DynamicVal
		mi.localProv[name] = &prov{unknown: []string{nd.id + " is part of a reference cycle"}}
		return
	}
	ctx := mi.ctxFor(&nd.deps, nil)
	v, p := mi.eval(nd.local.attr.Expr, ctx, nil)
	lp := &prov{}
	origin := graph.Related{Range: toRange(nd.local.attr.Range), Message: nd.id + " defined here"}
	lp.addOrigin(origin)
	lp.merge(p)
	if lp.shape = shapeOf(nd.local.attr.Expr, origin); lp.shape == nil {
		lp.shape = p.shape
	}
	mi.locals[name] = v
	mi.localProv[name] = lp
	if pv := mi.partialOf(nd.local.attr.Expr, ctx, v, p, nil); pv != cty.NilVal {
		mi.localPartial = setValue(mi.localPartial, name, pv)
	}
}

func (mi *modInst) evalOutput(nd *node) {
	o := nd.output
	if o.attr == nil {
		mi.outputs[o.name] = cty.NullVal(cty.DynamicPseudoType)
		mi.outProv[o.name] = &prov{}
		return
	}
	ctx := mi.ctxFor(&nd.deps, nil)
	v, p := mi.eval(o.attr.Expr, ctx, nil)
	mi.outputs[o.name] = v
	mi.outProv[o.name] = p
	if pv := mi.partialOf(o.attr.Expr, ctx, v, p, nil); pv != cty.NilVal {
		mi.outPartial = setValue(mi.outPartial, o.name, pv)
	}
}

// eval evaluates expr and tells where its value came from. It never fails: a value that
// cannot be computed is unknown, with the reason.
func (mi *modInst) eval(expr hcl.Expression, ctx *hcl.EvalContext, sc *iter) (cty.Value, *prov) {
	if !mi.ev.step(expr.Range()) {
		p := &prov{}
		p.addUnknown("the evaluation step limit was reached before " + rangeString(expr.Range()))
		return cty.DynamicVal, p
	}
	v, diags := safeValue(expr, ctx)
	info := mi.mod.info(expr)
	p := mi.exprProv(info, ctx, sc, indexKeys(info, ctx))
	mi.passShape(p, expr)
	mi.narrowOrigins(p, info, ctx, sc)
	if sc != nil && sc.prov != nil {
		// An instance that exists because of an assumption (count =
		// terraform.workspace == "prod" ? 1 : 0) rests on it in every value.
		for _, a := range sc.prov.assumed {
			p.addAssumed(a)
		}
	}
	for _, a := range p.assumed {
		p.addOrigin(a)
	}
	if diags.HasErrors() {
		v = cty.DynamicVal
		mi.reportLimits(diags, expr)
		if len(p.unknown) == 0 {
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					msg := "cannot evaluate " + rangeString(expr.Range()) + ": " + d.Summary
					if len(p.assumed) > 0 {
						// The error is most likely the assumption's (a map keyed by
						// workspace names has no "default"): say so, not just the error.
						msg += ", with " + p.assumed[0].Message
					}
					p.addUnknown(msg)
					break
				}
			}
		}
	}
	marked, known := inspect(v)
	if marked {
		v, _ = v.UnmarkDeep()
	}
	if known {
		p.unknown = nil
		return v, p
	}
	for _, u := range info.reasons {
		p.addUnknown(u)
	}
	if len(p.unknown) == 0 {
		p.addUnknown(rangeString(expr.Range()) + " is not known statically")
	}
	return v, p
}

// reportLimits turns a function budget hit (a string, collection or template limit,
// whose errors all say "the limit of") into an error diagnostic: other evaluation errors
// only leave the value unknown, but a limit means the module was not fully analysed.
func (mi *modInst) reportLimits(diags hcl.Diagnostics, expr hcl.Expression) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError || !strings.Contains(d.Detail, "the limit of") {
			continue
		}
		rng := expr.Range()
		if d.Subject != nil {
			rng = *d.Subject
		}
		mi.ev.diag(graph.Diagnostic{
			Severity: graph.DiagError, Summary: "evaluation limit reached",
			Detail: strings.TrimSuffix(d.Detail, ".") + "; the value is left unknown", Range: toRange(rng),
		})
		return
	}
}

// safeValue evaluates expr, turning a panic in a function or conversion into an error.
func safeValue(expr hcl.Expression, ctx *hcl.EvalContext) (v cty.Value, diags hcl.Diagnostics) {
	defer func() {
		if r := recover(); r != nil {
			v = cty.DynamicVal
			diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("evaluation failed: %v", r)}}
		}
	}()
	v, diags = expr.Value(ctx)
	if v == cty.NilVal {
		v = cty.DynamicVal
	}
	return v, diags
}

func unmark(v cty.Value) cty.Value {
	if containsMarked(v) {
		v, _ = v.UnmarkDeep()
	}
	return v
}

// ctxFor builds the evaluation context for expressions with usage u: every variable, and
// only the locals, resources, data sources and module calls they refer to.
func (mi *modInst) ctxFor(u *usage, it *iter) *hcl.EvalContext {
	// Most blocks refer to a few names of one or two kinds; the maps of the others stay
	// nil and their objects empty. Resources and data sources are listed, then sorted
	// by type so that each type's map is made at its size (see refsByType).
	var locals, mods map[string]cty.Value
	var resBuf, dataBuf [8]ctxRef
	res, data := resBuf[:0], dataBuf[:0]
	for _, t := range u.travs {
		root, name := t.RootName(), stepName(t, 1)
		switch root {
		case "var", "path", "terraform", "count", "each", "self":
		case "local":
			if v, ok := mi.locals[name]; ok {
				locals = setValue(locals, name, v)
			} else if mi.hasLocal(name) {
				locals = setValue(locals, name, cty.DynamicVal)
			}
		case "module":
			// A block often reads several outputs of one module call: its value, the
			// same each time, is built once.
			if _, seen := mods[name]; seen {
				continue
			}
			if n := mi.mods[name]; n != nil {
				mods = setValue(mods, name, n.value())
			}
		case "data":
			if n := mi.res["data."+name+"."+stepName(t, 2)]; n != nil {
				data = append(data, ctxRef{typ: name, name: n.decl.name, node: n, attr: n.readAttr(t, 3)})
			}
		default:
			if n := mi.res[root+"."+name]; n != nil {
				res = append(res, ctxRef{typ: root, name: name, node: n, attr: n.readAttr(t, 2)})
			}
		}
	}
	if locals == nil && mods == nil && len(data) == 0 && len(res) == 0 {
		// Only variables, path and terraform: the same context for every such block,
		// with the iterator of an instance added.
		if mi.plainCtx == nil {
			mi.plainCtx = mi.newCtx(nil, nil, nil, nil, nil)
		}
		return instanceCtx(mi.plainCtx, it)
	}
	return mi.newCtx(locals, mods, refsByType(data, u.names), refsByType(res, u.names), it)
}

// ctxRef is a resource or data source an expression refers to: its type, its name, its
// node, the attribute of an instance the reference reads ("" when it may see more, see
// readAttr) and, once refsByType has built it, its value.
type ctxRef struct {
	typ, name string
	node      *resNode
	attr      string
	val       cty.Value
}

// refsByType sorts refs by type and name, merges the references to each resource into
// one and gives it its value: with the attributes names when a reference may see more
// of it than an attribute, else with just the attributes read. A block often reads
// several attributes of one resource, whose value is built once.
func refsByType(refs []ctxRef, names map[string]bool) []ctxRef {
	slices.SortFunc(refs, func(a, b ctxRef) int {
		if c := strings.Compare(a.typ, b.typ); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	out := refs[:0]
	for len(refs) > 0 {
		n := 1
		for n < len(refs) && refs[n].typ == refs[0].typ && refs[n].name == refs[0].name {
			n++
		}
		var buf [8]string
		only := buf[:0]
		for _, r := range refs[:n] {
			if r.attr == "" {
				only = nil
				break
			}
			if !slices.Contains(only, r.attr) {
				only = append(only, r.attr)
			}
		}
		r := refs[0]
		r.val = r.node.value(names, only)
		out = append(out, r)
		refs = refs[n:]
	}
	return out
}

// eachType calls f with each resource type of refs, which refsByType sorted, and the
// object of its resources by name.
func eachType(refs []ctxRef, f func(typ string, obj cty.Value)) {
	for len(refs) > 0 {
		n := 1
		for n < len(refs) && refs[n].typ == refs[0].typ {
			n++
		}
		m := make(map[string]cty.Value, n)
		for _, r := range refs[:n] {
			m[r.name] = r.val
		}
		f(refs[0].typ, cty.ObjectVal(m))
		refs = refs[n:]
	}
}

// newCtx makes an evaluation context with the variables of the instance, the given
// locals, module calls, data sources and resources (see refsByType), and the iterator it
// when not nil.
func (mi *modInst) newCtx(locals, mods map[string]cty.Value, data, res []ctxRef, it *iter) *hcl.EvalContext {
	// var, path, terraform, local, module, data, a name per resource type, count and
	// each: the map is made at its size, neither grown nor larger than it needs (a hint
	// of more than 8 entries makes a larger map than 8 need).
	size := 6 + it.names()
	for i := range res {
		if i == 0 || res[i].typ != res[i-1].typ {
			size++
		}
	}
	vars := make(map[string]cty.Value, size)
	vars["var"] = mi.varObj
	vars["path"] = mi.pathObj()
	vars["terraform"] = mi.ev.st.terraformObj
	vars["local"] = objectOf(locals)
	vars["module"] = objectOf(mods)
	vars["data"] = cty.EmptyObjectVal
	if len(data) > 0 {
		dataObj := map[string]cty.Value{}
		eachType(data, func(typ string, obj cty.Value) { dataObj[typ] = obj })
		vars["data"] = cty.ObjectVal(dataObj)
	}
	eachType(res, func(typ string, obj cty.Value) { vars[typ] = obj })
	if it != nil {
		if it.count != cty.NilVal {
			vars["count"] = it.count
		}
		if it.each != cty.NilVal {
			vars["each"] = it.each
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: mi.mod.funcs}
}

// setValue sets m[k] = v, making m on first use.
func setValue(m map[string]cty.Value, k string, v cty.Value) map[string]cty.Value {
	if m == nil {
		m = map[string]cty.Value{}
	}
	m[k] = v
	return m
}

// objectOf is cty.ObjectVal(m), sharing the one empty object when m is empty.
func objectOf(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// defaultWorkspace is the workspace Terraform uses when none is selected.
const defaultWorkspace = "default"

// workspaceAssumed is the message of the origin every value that depends on
// terraform.workspace gets when no workspace was chosen: repositories built on
// workspaces rarely deploy "default", so a decision made for it says so.
const workspaceAssumed = `terraform.workspace assumed "default"; pass --workspace NAME`

// instanceCtx is base, the context ctxFor(u, nil) built for the expansion of a block, with
// the iterator of one instance: the dependencies are not looked up and built again for
// every instance. Callers use it only when the block does not refer to itself (see
// selfDependent), so that nothing base holds can change between instances.
func instanceCtx(base *hcl.EvalContext, it *iter) *hcl.EvalContext {
	if it == nil || (it.count == cty.NilVal && it.each == cty.NilVal) {
		return base
	}
	// Made at its size: a hint of more than 8 entries makes a larger map than 8 need.
	vars := make(map[string]cty.Value, len(base.Variables)+it.names())
	maps.Copy(vars, base.Variables)
	if it.count != cty.NilVal {
		vars["count"] = it.count
	}
	if it.each != cty.NilVal {
		vars["each"] = it.each
	}
	return &hcl.EvalContext{Variables: vars, Functions: base.Functions}
}

// selfDependent reports whether expressions with usage u refer to the block with the
// dependency id key (its own value changes as its instances are evaluated).
func selfDependent(u *usage, key string) bool {
	var buf [64]byte
	for _, t := range u.travs {
		if string(appendDepID(buf[:0], t)) == key {
			return true
		}
	}
	return false
}

func (mi *modInst) hasLocal(name string) bool {
	for _, l := range mi.mod.locals {
		if l.name == name {
			return true
		}
	}
	return false
}

func (mi *modInst) pathObj() cty.Value {
	if mi.pathVal == cty.NilVal {
		mi.pathVal = cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(mi.mod.dir),
			"root":   cty.StringVal(mi.ev.root),
			"cwd":    cty.StringVal("."),
		})
	}
	return mi.pathVal
}

// safeConvert converts v to ty, turning a panic into an error.
func safeConvert(v cty.Value, ty cty.Type) (out cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = cty.DynamicVal, errPanic{r}
		}
	}()
	// A whole number becomes the string cty would make, without its decimal conversion of
	// a big.Float (see intText): variables typed string are often given numbers.
	if ty == cty.String {
		if s, ok := intText(v); ok {
			return cty.StringVal(s), nil
		}
	}
	return convert.Convert(v, ty)
}

type errPanic struct{ v any }

func (e errPanic) Error() string { return "conversion failed" }
