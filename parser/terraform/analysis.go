package terraform

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// A module directory is loaded once but evaluated once per instance: a shared module is
// called several times from each root, with count and for_each on top. What evaluation
// needs to know about the syntax of an expression does not depend on the values it is
// evaluated with, so it is worked out once per module when the module is loaded and read
// by every instance (the module is read-only from then on, so concurrent roots share it
// without locking).

// exprInfo is the input-independent analysis of one expression.
type exprInfo struct {
	// vars is expr.Variables(): shared, never to be modified.
	vars []hcl.Traversal
	// attrNames are the attribute names every traversal of the expression reads, also
	// through splats and for expressions (see usage.names), sorted, each once.
	attrNames []string
	// branches are the conditional expressions and the three-argument lookup calls, in
	// the order the syntax tree is visited: what valueTraversals evaluates.
	branches []hclsyntax.Expression
	// indexes are the index expressions applied directly to a scope traversal (see
	// indexKeys).
	indexes []*hclsyntax.IndexExpr
	// parts are the expressions that may read part of a literal (see narrowOrigins), in
	// visit order.
	parts []hclsyntax.Expression
	// calls are the names of the functions the expression calls, sorted, each once.
	calls []string
	// reasons say why the functions the expression calls make its value unknown: those
	// we do not implement, then those whose result exists only at apply time. Set once
	// the module's function table is known.
	reasons []string
}

// analyzeExpr walks expr once and fills in everything but reasons.
func analyzeExpr(expr hcl.Expression) *exprInfo {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		info := &exprInfo{vars: expr.Variables()}
		for _, t := range info.vars {
			info.addNames(t)
		}
		info.attrNames = sortedSet(info.attrNames)
		return info
	}
	// The walker holds the info it fills: one allocation for both.
	w := &analysisWalker{}
	w.walk(se)
	w.localScopes = nil // not kept alive with the info
	w.info.attrNames = sortedSet(w.info.attrNames)
	w.info.calls = sortedSet(w.info.calls)
	return &w.info
}

// sortedSet sorts names and drops repeats, in place.
func sortedSet(names []string) []string {
	slices.Sort(names)
	return slices.Compact(names)
}

// analysisWalker gathers an exprInfo in one walk of the syntax tree. It finds the
// variables the way hclsyntax.Variables does, which would be a walk of its own: every
// scope traversal whose root is not a symbol of an enclosing for expression.
type analysisWalker struct {
	info        exprInfo
	localScopes []localScope
}

// localScope holds the symbols of a for expression: names when hclsyntax.Walk passed
// them in a ChildScope, else key and value.
type localScope struct {
	names      map[string]struct{}
	key, value string
}

// walk visits e and the expressions in it in the order hclsyntax.Walk does, entering each
// as Walk would. Walk allocates a closure per node, and a map per for expression, which
// analysing every expression of every module made add up; walk does it for the node
// types it knows and hands any other to Walk.
func (w *analysisWalker) walk(e hclsyntax.Expression) {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr, *hclsyntax.AnonSymbolExpr, *hclsyntax.ExprSyntaxError:
		w.enter(x)
	case *hclsyntax.ParenthesesExpr:
		w.enter(x)
		w.walk(x.Expression)
	case *hclsyntax.RelativeTraversalExpr:
		w.enter(x)
		w.walk(x.Source)
	case *hclsyntax.FunctionCallExpr:
		w.enter(x)
		for _, a := range x.Args {
			w.walk(a)
		}
	case *hclsyntax.ConditionalExpr:
		w.enter(x)
		w.walk(x.Condition)
		w.walk(x.TrueResult)
		w.walk(x.FalseResult)
	case *hclsyntax.IndexExpr:
		w.enter(x)
		w.walk(x.Collection)
		w.walk(x.Key)
	case *hclsyntax.TupleConsExpr:
		w.enter(x)
		for _, el := range x.Exprs {
			w.walk(el)
		}
	case *hclsyntax.ObjectConsExpr:
		w.enter(x)
		for _, item := range x.Items {
			w.walk(item.KeyExpr)
			w.walk(item.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		w.enter(x)
		// A key written as a bare name is a literal, not a reference.
		if hcl.ExprAsKeyword(x.Wrapped) == "" {
			w.walk(x.Wrapped)
		}
	case *hclsyntax.ForExpr:
		w.enter(x)
		w.walk(x.CollExpr)
		// Walk enters and leaves the same scope around each of these in turn.
		w.localScopes = append(w.localScopes, localScope{key: x.KeyVar, value: x.ValVar})
		if x.KeyExpr != nil {
			w.walk(x.KeyExpr)
		}
		w.walk(x.ValExpr)
		if x.CondExpr != nil {
			w.walk(x.CondExpr)
		}
		w.localScopes = w.localScopes[:len(w.localScopes)-1]
	case *hclsyntax.SplatExpr:
		w.enter(x)
		w.walk(x.Source)
		w.walk(x.Each)
	case *hclsyntax.BinaryOpExpr:
		w.enter(x)
		w.walk(x.LHS)
		w.walk(x.RHS)
	case *hclsyntax.UnaryOpExpr:
		w.enter(x)
		w.walk(x.Val)
	case *hclsyntax.TemplateExpr:
		w.enter(x)
		for _, part := range x.Parts {
			w.walk(part)
		}
	case *hclsyntax.TemplateJoinExpr:
		w.enter(x)
		w.walk(x.Tuple)
	case *hclsyntax.TemplateWrapExpr:
		w.enter(x)
		w.walk(x.Wrapped)
	default:
		// The walker never fails, so Walk has no diagnostics to return.
		_ = hclsyntax.Walk(x, w)
	}
}

// Enter is enter for hclsyntax.Walk; the walker never fails.
func (w *analysisWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	w.enter(n)
	return nil
}

// enter records what node n tells about the expression.
func (w *analysisWalker) enter(n hclsyntax.Node) {
	info := &w.info
	switch x := n.(type) {
	case hclsyntax.ChildScope:
		w.localScopes = append(w.localScopes, localScope{names: x.LocalNames})
	case *hclsyntax.ConditionalExpr:
		info.branches = append(info.branches, x)
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "lookup" && len(x.Args) == 3 && !x.ExpandFinal {
			info.branches = append(info.branches, x)
		}
		info.calls = append(info.calls, x.Name)
		info.parts = append(info.parts, x)
	case *hclsyntax.IndexExpr:
		if _, ok := x.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
			info.indexes = append(info.indexes, x)
		}
		info.parts = append(info.parts, x)
	case *hclsyntax.RelativeTraversalExpr:
		info.addNames(x.Traversal)
		info.parts = append(info.parts, x)
	case *hclsyntax.ScopeTraversalExpr:
		info.addNames(x.Traversal)
		info.parts = append(info.parts, x)
		if !w.isLocal(x.Traversal.RootName()) {
			info.vars = append(info.vars, x.Traversal)
		}
	}
}

func (w *analysisWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(hclsyntax.ChildScope); ok {
		w.localScopes = w.localScopes[:len(w.localScopes)-1]
	}
	return nil
}

func (w *analysisWalker) isLocal(name string) bool {
	for _, sc := range w.localScopes {
		if sc.names != nil {
			if _, ok := sc.names[name]; ok {
				return true
			}
		} else if name != "" && (name == sc.key || name == sc.value) {
			return true
		}
	}
	return false
}

// addNames adds the attribute names t reads to info.attrNames (repeats are dropped at
// the end of the walk).
func (info *exprInfo) addNames(t hcl.Traversal) {
	for _, s := range t {
		if a, ok := s.(hcl.TraverseAttr); ok {
			info.attrNames = append(info.attrNames, a.Name)
		}
	}
}

// setReasons fills in info.reasons from the module's unsupported functions (info.calls
// is sorted, so each kind of reason comes in name order).
func (info *exprInfo) setReasons(unsupported map[string]bool) {
	var bad, applyTime []string
	for _, name := range info.calls {
		switch {
		case unsupported[name]:
			bad = append(bad, name)
		case applyTimeFunctions[name]:
			applyTime = append(applyTime, name)
		}
	}
	info.reasons = nil
	for _, name := range bad {
		info.reasons = append(info.reasons, fmt.Sprintf("function %s is not supported", name))
	}
	for _, name := range applyTime {
		info.reasons = append(info.reasons, fmt.Sprintf("function %s is known only after apply", name))
	}
}

// cacheable reports whether expr can key the module's analysis cache: native syntax
// expressions are pointers (hclsyntax.Expression has unexported methods, so no other
// package implements it) that live as long as the module. JSON expressions are made anew
// by every JustAttributes call and are analysed where they are used.
func cacheable(expr hcl.Expression) bool {
	_, ok := expr.(hclsyntax.Expression)
	return ok
}

// analyze returns the analysis of expr, computing and keeping it on first use. Only for
// use while the module is being loaded.
func (m *module) analyze(expr hcl.Expression) *exprInfo {
	if info := m.exprs[expr]; info != nil {
		return info
	}
	info := analyzeExpr(expr)
	if cacheable(expr) {
		m.exprs[expr] = info
	}
	return info
}

// info returns the analysis of expr: the one made at load, or a fresh one for an
// expression the load did not see. Safe for concurrent use.
func (m *module) info(expr hcl.Expression) *exprInfo {
	if cacheable(expr) {
		if info := m.exprs[expr]; info != nil {
			return info
		}
	}
	info := analyzeExpr(expr)
	info.setReasons(m.unsupported)
	return info
}

// attrs returns the arguments of body in source order (see bodyAttrs), kept per native
// syntax body from the load on: the sorted list is read by every instance.
func (m *module) attrs(body hcl.Body) []*hcl.Attribute {
	if sb, ok := body.(*hclsyntax.Body); ok {
		if attrs, ok := m.bodyAttrs[sb]; ok {
			return attrs
		}
	}
	return bodyAttrs(body)
}

// loadAttrs is attrs while the module is being loaded: it keeps what it computes.
func (m *module) loadAttrs(body hcl.Body) []*hcl.Attribute {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return bodyAttrs(body)
	}
	if attrs, ok := m.bodyAttrs[sb]; ok {
		return attrs
	}
	attrs := bodyAttrs(body)
	m.bodyAttrs[sb] = attrs
	return attrs
}
