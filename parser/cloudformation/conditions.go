package cloudformation

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// condResult is the value of a condition: known (decided by parameter values, or by an
// assumption) or undecided, with what decided it or why it is undecided.
type condResult struct {
	known, val bool
	// invalid marks a condition that cannot be decided because it is malformed (a cycle,
	// an undefined name): assuming a value for it would be meaningless.
	invalid bool
	origins []graph.Related
	unknown []string
}

func invalidCond(reason string) condResult {
	return condResult{invalid: true, unknown: []string{reason}}
}

// condition evaluates the named condition. A decided condition names itself and the
// values that decided it as origins. An undecided one takes the value assumed for it in
// this variant, when there is one; otherwise it is noted as needed so that the resource
// can be expanded into variants.
func (e *evaluator) condition(name string, at *yaml.Node) condResult {
	e.condCalls++
	if r, ok := e.conds[name]; ok {
		if r == nil {
			e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "condition "+name+" refers to itself",
				"a cycle of conditions cannot be decided")
			return invalidCond("condition " + name + " refers to itself")
		}
		if !r.known && !r.invalid {
			e.need(name)
		}
		return *r
	}
	def, ok := e.t.conditions[name]
	if !ok {
		e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "undefined condition "+name, "no condition is named "+name)
		return invalidCond("condition " + name + " is not defined")
	}
	if e.conds == nil {
		e.conds = map[string]*condResult{}
	}
	if d, ok := e.t.decided[def]; ok && e.replay(d) {
		e.conds[name] = &d.result // only ever read
		return d.result
	}
	e.conds[name] = nil // marks the evaluation in progress, to catch cycles
	from := e.startCost()
	tr := &trace{}
	r := e.condExpr(def.value, tr)
	byTemplate := r.known && !r.invalid // rather than by an assumption, below
	at2 := e.t.f.rangeOf(def.key)
	switch assumed, has := e.assume[name]; {
	case r.invalid:
	case r.known:
		r.origins = append([]graph.Related{{Range: at2, Message: fmt.Sprintf("condition %s is %t", name, r.val)}}, r.origins...)
	case has:
		if e.used == nil {
			e.used = map[string]bool{}
		}
		e.used[name] = true
		r = condResult{known: true, val: assumed, origins: []graph.Related{{
			Range:   at2,
			Message: fmt.Sprintf("assuming condition %s is %t (%s)", name, assumed, strings.Join(r.unknown, "; ")),
		}}}
	default:
		if e.split {
			e.need(name)
		}
	}
	e.conds[name] = &r
	e.keep(def, from, r, byTemplate)
	return r
}

// decidedCond is a condition decided by the template alone, and what deciding it cost.
type decidedCond struct {
	result condResult
	// steps and aliases are the evaluation steps and YAML aliases it took; depth is how
	// many levels below its start it went.
	steps, aliases, depth int
}

// cost is where the budgets stood when a condition's evaluation started.
type cost struct {
	steps, aliases, depth, peak, condCalls int
}

// startCost notes where the budgets stand as a condition's evaluation starts.
func (e *evaluator) startCost() cost {
	c := cost{steps: e.t.steps, aliases: e.t.aliases, depth: e.depth, peak: e.peak, condCalls: e.condCalls}
	e.peak = e.depth
	return c
}

// keep remembers condition def, decided as r, for every later evaluation of the
// template when deciding it depended on nothing but the template: it was decided without
// an assumption (byTemplate), referred to no other condition (whose value may be an
// assumption of this variant) and stayed within the budgets. Evaluating it again would
// give the same value and origins and report the same problems, which are reported once
// anyway.
func (e *evaluator) keep(def entry, from cost, r condResult, byTemplate bool) {
	d := decidedCond{result: r, steps: e.t.steps - from.steps, aliases: e.t.aliases - from.aliases, depth: e.peak - from.depth}
	pure := byTemplate && e.condCalls == from.condCalls &&
		e.t.steps <= maxSteps && e.t.aliases <= maxAliases && e.peak <= e.t.opts.maxDepth()
	e.peak = max(e.peak, from.peak)
	if !pure {
		return
	}
	if e.t.decided == nil {
		e.t.decided = map[entry]*decidedCond{}
	}
	e.t.decided[def] = &d
}

// replay takes a decided condition's value when evaluating it here would stay within the
// budgets as well, and counts what evaluating it would have cost.
func (e *evaluator) replay(d *decidedCond) bool {
	if e.t.steps+d.steps > maxSteps || e.t.aliases+d.aliases > maxAliases || e.depth+d.depth > e.t.opts.maxDepth() {
		return false
	}
	e.t.steps += d.steps
	e.t.aliases += d.aliases
	e.peak = max(e.peak, e.depth+d.depth)
	return true
}

// condExpr evaluates a condition expression: Fn::Equals, Fn::And, Fn::Or, Fn::Not or a
// reference to another condition.
func (e *evaluator) condExpr(n *yaml.Node, tr *trace) condResult {
	n = deref(n)
	if n == nil {
		return invalidCond("empty condition")
	}
	if !e.guard(n, tr) {
		return condResult{invalid: true, unknown: tr.unknown}
	}
	e.depth++
	defer func() { e.depth-- }()
	fn, arg, ok := e.intrinsic(n, true, tr)
	if !ok || fn == "" {
		if !ok {
			e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(n), "invalid condition",
				"a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
		}
		return invalidCond("invalid condition")
	}
	return e.condCall(fn, deref(arg), n, tr)
}

// condCall applies one condition function.
func (e *evaluator) condCall(fn string, arg, at *yaml.Node, tr *trace) condResult {
	switch fn {
	case "Condition":
		if arg == nil || arg.Kind != yaml.ScalarNode {
			e.invalid(at, "Condition", "expects a condition name", tr)
			return invalidCond("invalid Condition")
		}
		return e.condition(arg.Value, arg)
	case "Fn::Equals":
		list, ok := e.args(arg, at, fn, 2, 2)
		if !ok {
			return invalidCond("invalid Fn::Equals")
		}
		vt := &trace{}
		a := e.value(list[0], nil, false, vt).v
		b := e.value(list[1], nil, false, vt).v
		tr.ref(vt.refs...)
		if !a.IsWhollyKnown() || !b.IsWhollyKnown() {
			return condResult{unknown: vt.unknown}
		}
		sa, okA := str(a)
		sb, okB := str(b)
		eq := okA && okB && sa == sb
		if !okA || !okB {
			eq = a.Equals(b).True()
		}
		return condResult{known: true, val: eq, origins: vt.origins}
	case "Fn::Not":
		list, ok := e.args(arg, at, fn, 1, 1)
		if !ok {
			return invalidCond("invalid Fn::Not")
		}
		r := e.condExpr(list[0], tr)
		r.val = !r.val
		return r
	case "Fn::And", "Fn::Or":
		list, ok := e.args(arg, at, fn, 2, 10)
		if !ok {
			return invalidCond("invalid " + fn)
		}
		// And is decided by any false operand, Or by any true one; otherwise every
		// operand must be known.
		decisive := fn == "Fn::Or"
		out := condResult{known: true, val: !decisive}
		for _, c := range list {
			r := e.condExpr(c, tr)
			if r.known && r.val == decisive {
				return condResult{known: true, val: decisive, origins: r.origins}
			}
			if !r.known {
				out.known = false
				out.invalid = out.invalid || r.invalid
				out.unknown = append(out.unknown, r.unknown...)
				continue
			}
			out.origins = append(out.origins, r.origins...)
		}
		if !out.known {
			out.origins = nil
		}
		return out
	}
	e.invalid(at, fn, "is not a condition function", tr)
	return invalidCond(fn + " is not a condition function")
}
