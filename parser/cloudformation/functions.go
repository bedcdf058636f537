package cloudformation

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// pseudoParameters are the AWS:: names Ref accepts besides parameters and resources.
// AWS::Partition and AWS::URLSuffix are taken as the commercial partition's values: checks
// judge an ARN the same way in every partition, and an ARN built with ${AWS::Partition}
// stays readable for them.
var pseudoParameters = map[string]cty.Value{
	"AWS::AccountId":        cty.UnknownVal(cty.String),
	"AWS::NotificationARNs": cty.UnknownVal(cty.List(cty.String)),
	"AWS::Region":           cty.UnknownVal(cty.String),
	"AWS::StackId":          cty.UnknownVal(cty.String),
	"AWS::StackName":        cty.UnknownVal(cty.String),
	"AWS::Partition":        cty.StringVal("aws"),
	"AWS::URLSuffix":        cty.StringVal("amazonaws.com"),
}

// pseudoUnknown holds why each unknown pseudo parameter is unknown, made once rather than
// at every Ref: a template refers to AWS::StackName or AWS::Region in many of its values,
// in every variant of a resource, and each recorded attribute keeps its reasons.
var pseudoUnknown = func() map[string][]string {
	m := map[string][]string{}
	for name, v := range pseudoParameters {
		if !v.IsKnown() {
			m[name] = []string{name + " is known only at deployment"}
		}
	}
	return m
}()

// call evaluates intrinsic function fn with argument arg, written at node at.
func (e *evaluator) call(fn string, arg, at *yaml.Node, path graph.Path, record bool, tr *trace) result {
	arg = deref(arg)
	switch fn {
	case "Ref":
		return e.ref(arg, at, tr)
	case "Fn::If":
		return e.fnIf(arg, at, path, record, tr)
	case "Fn::GetAtt":
		return e.getAtt(arg, at, tr)
	case "Fn::Sub":
		return e.sub(arg, at, tr)
	case "Fn::Join":
		return e.join(arg, at, tr)
	case "Fn::Select":
		return e.selectFn(arg, at, tr)
	case "Fn::Split":
		return e.split2(arg, at, tr)
	case "Fn::FindInMap":
		return e.findInMap(arg, at, tr)
	case "Fn::Base64":
		v := e.value(e.whole(arg, at), nil, false, tr).v
		if s, ok := str(v); ok {
			return known(cty.StringVal(base64.StdEncoding.EncodeToString([]byte(s))))
		}
		return known(cty.UnknownVal(cty.String))
	case "Fn::GetAZs":
		e.value(e.whole(arg, at), nil, false, tr)
		tr.why("Fn::GetAZs is known only at deployment")
		return known(cty.UnknownVal(cty.List(cty.String)))
	case "Fn::ImportValue":
		v := e.value(e.whole(arg, at), nil, false, tr).v
		name := "a value"
		if s, ok := str(v); ok {
			name = fmt.Sprintf("%q", s)
		}
		tr.why("Fn::ImportValue of " + name + " is known only at deployment")
		return known(cty.UnknownVal(cty.String))
	case "Fn::Cidr":
		if _, ok := e.args(arg, at, fn, 3, 3); ok {
			e.value(e.whole(arg, at), nil, false, tr)
		}
		tr.why("Fn::Cidr is not evaluated")
		return known(cty.UnknownVal(cty.List(cty.String)))
	case "Fn::Transform":
		tr.why("Fn::Transform is expanded by a macro at deployment")
		return unknownResult
	case "Fn::Length":
		v := e.value(e.whole(arg, at), nil, false, tr).v
		if v.IsKnown() && !v.IsNull() && (v.Type().IsTupleType() || v.Type().IsListType()) {
			return known(cty.NumberIntVal(int64(v.LengthInt())))
		}
		return known(cty.UnknownVal(cty.Number))
	case "Fn::ToJsonString":
		r := e.value(e.whole(arg, at), nil, false, tr)
		if r.v.IsWhollyKnown() {
			if b, err := json.Marshal(toPlain(r.v)); err == nil {
				return known(cty.StringVal(string(b)))
			}
		}
		if r.v.IsKnown() && !r.v.IsNull() {
			// A policy document with an unknown ARN in it is still a readable JSON
			// string, with graph.UnknownText in place of each unknown value.
			if b, err := json.Marshal(toPlainPartial(r.partialOr())); err == nil {
				return partialString(string(b), true)
			}
		}
		return known(cty.UnknownVal(cty.String))
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
		c := e.condCall(fn, arg, at, tr)
		if c.known {
			tr.originsOf(c.origins)
			return known(cty.BoolVal(c.val))
		}
		tr.whyAll(c.unknown)
		return known(cty.UnknownVal(cty.Bool))
	}
	e.invalid(at, fn, "is not supported", tr)
	return unknownResult
}

// whole returns argument arg of the call written at node at, for evaluating it as a
// whole value. A short-form call's argument is the call's own node (see intrinsic), whose
// tag would call the function again: it is evaluated as the untagged copy made by
// argument.
func (e *evaluator) whole(arg, at *yaml.Node) *yaml.Node {
	if arg == at {
		return e.t.argument(at)
	}
	return arg
}

// invalid reports a malformed call and marks the value unknown.
func (e *evaluator) invalid(at *yaml.Node, fn, detail string, tr *trace) {
	e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "invalid "+fn, fn+" "+detail)
	tr.why("invalid " + fn)
}

// args returns the elements of a list argument when it has between min and max of them.
func (e *evaluator) args(arg, at *yaml.Node, fn string, min, max int) ([]*yaml.Node, bool) {
	if arg == nil || arg.Kind != yaml.SequenceNode || len(arg.Content) < min || len(arg.Content) > max {
		want := fmt.Sprintf("%d", min)
		if max != min {
			want = fmt.Sprintf("%d to %d", min, max)
		}
		e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "invalid "+fn, fn+" expects a list of "+want+" values")
		return nil, false
	}
	return arg.Content, true
}

// str returns a known primitive value as CloudFormation renders it in a string.
func str(v cty.Value) (string, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

func (e *evaluator) ref(arg, at *yaml.Node, tr *trace) result {
	if arg == nil || arg.Kind != yaml.ScalarNode {
		e.invalid(at, "Ref", "expects the name of a parameter or resource", tr)
		return unknownResult
	}
	name := arg.Value
	if name == "AWS::NoValue" {
		return result{none: true}
	}
	if v, ok := pseudoParameters[name]; ok {
		if !v.IsKnown() {
			tr.whyAll(pseudoUnknown[name])
		}
		return known(v)
	}
	if p, ok := e.t.params[name]; ok {
		tr.originsOf(p.origins)
		tr.whyAll(p.unknowns)
		return known(p.value)
	}
	if _, ok := e.t.entries[name]; ok {
		tr.ref(name)
		tr.why("Ref " + name + " is known only after deployment")
		return known(cty.UnknownVal(cty.String))
	}
	e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "Ref to undefined "+name, "no parameter or resource is named "+name)
	tr.why(name + " is not defined")
	return unknownResult
}

func (e *evaluator) getAtt(arg, at *yaml.Node, tr *trace) result {
	var res, attr string
	switch {
	case arg != nil && arg.Kind == yaml.ScalarNode:
		var ok bool
		res, attr, ok = strings.Cut(arg.Value, ".")
		if !ok {
			e.invalid(at, "Fn::GetAtt", "expects LogicalID.Attribute", tr)
			return unknownResult
		}
	default:
		list, ok := e.args(arg, at, "Fn::GetAtt", 2, 2)
		if !ok {
			tr.why("invalid Fn::GetAtt")
			return unknownResult
		}
		res = deref(list[0]).Value
		if s, ok := str(e.value(list[1], nil, false, tr).v); ok {
			attr = s
		} else {
			attr = "<unknown attribute>"
		}
	}
	if _, ok := e.t.entries[res]; !ok {
		e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "Fn::GetAtt of undefined resource "+res, "no resource is named "+res)
		tr.why(res + " is not defined")
		return unknownResult
	}
	tr.ref(res)
	tr.why(res + "." + attr + " is known only after deployment")
	return unknownResult
}

func (e *evaluator) fnIf(arg, at *yaml.Node, path graph.Path, record bool, tr *trace) result {
	list, ok := e.args(arg, at, "Fn::If", 3, 3)
	if !ok {
		tr.why("invalid Fn::If")
		return unknownResult
	}
	name := deref(list[0])
	if name.Kind != yaml.ScalarNode {
		e.invalid(at, "Fn::If", "expects a condition name first", tr)
		return unknownResult
	}
	c := e.condition(name.Value, name)
	if c.known {
		tr.originsOf(c.origins)
		chosen, other := list[1], list[2]
		if !c.val {
			chosen, other = other, chosen
		}
		r := e.value(chosen, path, record, tr)
		if record && !r.none {
			e.carry(path, r.v, other, c.origins)
		}
		return r
	}
	// Neither branch can be ruled out and no assumption is allowed: the value is unknown,
	// but both branches still make references.
	both := &trace{}
	e.value(list[1], nil, false, both)
	e.value(list[2], nil, false, both)
	tr.ref(both.refs...)
	tr.why(fmt.Sprintf("condition %s is undecided (%s)", name.Value, strings.Join(c.unknown, "; ")))
	return unknownResult
}

// carry gives the attributes beneath path, which an Fn::If chose as a whole (the whole
// Properties, or a whole nested object), the origins of its condition: the attribute
// itself is recorded with them by whoever holds it, but what lies beneath keeps only its
// own. Each attribute beneath v that names its own origins gets the condition's too (the
// others find them on an enclosing attribute); so does each direct child, since
// Properties as a whole has no record to find them on. An attribute that the branch not
// taken, other, sets and the chosen one lacks is absent because of the condition, so
// its absence is recorded with the condition's origins, without a position, for a
// finding about the missing attribute to name them.
func (e *evaluator) carry(path graph.Path, v cty.Value, other *yaml.Node, origins []graph.Related) {
	if len(origins) == 0 || e.res == nil || e.discarded() || !v.IsKnown() || v.IsNull() {
		return
	}
	if ty := v.Type(); !ty.IsObjectType() && !ty.IsTupleType() {
		// A scalar has nothing beneath it: the common Fn::If of a single value.
		return
	}
	// The paths beneath are built on one stack, as value builds them.
	stack := append(make(graph.Path, 0, len(path)+8), path...)
	e.carryPresent(stack, v, origins, true)
	e.carryAbsent(stack, v, other, origins)
}

// carryPresent adds origins to the records beneath path, whose value is v.
func (e *evaluator) carryPresent(path graph.Path, v cty.Value, origins []graph.Related, direct bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return
	}
	ty := v.Type()
	if !ty.IsObjectType() && !ty.IsTupleType() {
		return
	}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		var step any
		if ty.IsObjectType() {
			step = k.AsString()
		} else {
			i, _ := k.AsBigFloat().Int64()
			step = int(i)
		}
		p := scratchChild(path, step)
		if info := e.res.AttrInfo(p); info != nil && (direct || len(info.Origins) > 0) {
			info.Origins = withOrigins(origins, info.Origins)
			e.res.SetAttrInfo(p, *info)
		}
		e.carryPresent(p, ev, origins, false)
	}
}

// carryAbsent records, beneath path, the absence of the properties that the mapping
// other sets and the object v lacks, following mappings that both have.
func (e *evaluator) carryAbsent(path graph.Path, v cty.Value, other *yaml.Node, origins []graph.Related) {
	other = deref(other)
	if other == nil || other.Kind != yaml.MappingNode || v == cty.NilVal || !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() {
		return
	}
	if callsFunction(other) {
		return
	}
	for i := 0; i+1 < len(other.Content); i += 2 {
		k := other.Content[i]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if removes(other.Content[i+1]) {
			// The other branch does not set it either.
			continue
		}
		p := scratchChild(path, k.Value)
		if !v.Type().HasAttribute(k.Value) {
			info := e.res.AttrInfo(p)
			if info == nil {
				info = &graph.AttrInfo{}
			}
			info.Origins = withOrigins(origins, info.Origins)
			e.res.SetAttrInfo(p, *info)
			continue
		}
		e.carryAbsent(p, v.GetAttr(k.Value), other.Content[i+1], origins)
	}
}

// callsFunction reports whether n is an intrinsic function call rather than a literal
// mapping, without the diagnostics that evaluating it reports.
func callsFunction(n *yaml.Node) bool {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return true
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return false
	}
	k := n.Content[0].Value
	return k == "Ref" || strings.HasPrefix(k, "Fn::")
}

// removes reports whether n is a Ref to AWS::NoValue, which removes what holds it.
func removes(n *yaml.Node) bool {
	n = deref(n)
	if n == nil {
		return false
	}
	if n.Tag == "!Ref" {
		return n.Kind == yaml.ScalarNode && n.Value == "AWS::NoValue"
	}
	return n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref" && deref(n.Content[1]) != nil && deref(n.Content[1]).Value == "AWS::NoValue"
}

// withOrigins returns first followed by those of rest it lacks, in a new list: the lists
// a record holds may be shared (see originsOf).
func withOrigins(first, rest []graph.Related) []graph.Related {
	out := make([]graph.Related, 0, len(first)+len(rest))
	out = append(out, first...)
	for _, o := range rest {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

func (e *evaluator) join(arg, at *yaml.Node, tr *trace) result {
	list, ok := e.args(arg, at, "Fn::Join", 2, 2)
	if !ok {
		tr.why("invalid Fn::Join")
		return unknownResult
	}
	sep, okSep := str(e.value(list[0], nil, false, tr).v)
	ir := e.value(list[1], nil, false, tr)
	items := ir.v
	if !okSep || !items.IsKnown() || items.IsNull() {
		return known(cty.UnknownVal(cty.String))
	}
	if !items.Type().IsTupleType() && !items.Type().IsListType() {
		e.invalid(at, "Fn::Join", "expects a list of values to join", tr)
		return unknownResult
	}
	// An unknown item leaves the result unknown, but the known items and the partial
	// renderings of the others still make its partial rendering (see result).
	var partials []cty.Value
	if ir.partial != cty.NilVal && ir.partial.IsKnown() && !ir.partial.IsNull() &&
		(ir.partial.Type().IsTupleType() || ir.partial.Type().IsListType()) && ir.partial.LengthInt() == items.LengthInt() {
		partials = ir.partial.AsValueSlice()
	}
	// AsValueSlice rather than an element iterator, which makes a cty number of each
	// index; one builder rather than a list of parts and then their join.
	vals := items.AsValueSlice()
	var b strings.Builder
	complete, someKnown, n := true, false, 0
	for i, v := range vals {
		var part string
		switch {
		case !v.IsKnown():
			complete = false
			part = graph.UnknownText
			if partials != nil {
				if p, ok := str(partials[i]); ok {
					part, someKnown = p, true
				}
			}
		default:
			var ok bool
			if part, ok = str(v); !ok {
				if v.IsNull() {
					continue
				}
				e.invalid(at, "Fn::Join", "can only join strings", tr)
				return unknownResult
			}
			someKnown = someKnown || part != ""
		}
		if n > 0 {
			b.WriteString(sep)
		}
		b.WriteString(part)
		n++
	}
	if !complete {
		return partialString(b.String(), someKnown || (sep != "" && n > 1))
	}
	return known(cty.StringVal(b.String()))
}

func (e *evaluator) selectFn(arg, at *yaml.Node, tr *trace) result {
	list, ok := e.args(arg, at, "Fn::Select", 2, 2)
	if !ok {
		tr.why("invalid Fn::Select")
		return unknownResult
	}
	idx, okIdx := graph.ValueAt(e.value(list[0], nil, false, tr).v, nil).Int()
	items := e.value(list[1], nil, false, tr).v
	if !okIdx || !items.IsKnown() || items.IsNull() {
		return unknownResult
	}
	if !items.Type().IsTupleType() && !items.Type().IsListType() {
		e.invalid(at, "Fn::Select", "expects a list to select from", tr)
		return unknownResult
	}
	if idx < 0 || idx >= int64(items.LengthInt()) {
		e.invalid(at, "Fn::Select", fmt.Sprintf("index %d is out of range", idx), tr)
		return unknownResult
	}
	return known(items.Index(cty.NumberIntVal(idx)))
}

func (e *evaluator) split2(arg, at *yaml.Node, tr *trace) result {
	list, ok := e.args(arg, at, "Fn::Split", 2, 2)
	if !ok {
		tr.why("invalid Fn::Split")
		return unknownResult
	}
	sep, okSep := str(e.value(list[0], nil, false, tr).v)
	s, okStr := str(e.value(list[1], nil, false, tr).v)
	if !okSep || !okStr {
		return known(cty.UnknownVal(cty.List(cty.String)))
	}
	if sep == "" {
		e.invalid(at, "Fn::Split", "needs a non-empty delimiter", tr)
		return unknownResult
	}
	var vals []cty.Value
	for _, p := range strings.Split(s, sep) {
		vals = append(vals, cty.StringVal(p))
	}
	return known(cty.TupleVal(vals))
}

func (e *evaluator) findInMap(arg, at *yaml.Node, tr *trace) result {
	list, ok := e.args(arg, at, "Fn::FindInMap", 3, 4)
	if !ok {
		tr.why("invalid Fn::FindInMap")
		return unknownResult
	}
	var keys [3]string
	var okKeys [3]bool
	kt := &trace{}
	for i := 0; i < 3; i++ {
		keys[i], okKeys[i] = str(e.value(list[i], nil, false, kt).v)
	}
	tr.originsOf(kt.origins)
	tr.ref(kt.refs...)
	var def *yaml.Node
	if len(list) == 4 {
		def = lookup(deref(list[3]), "DefaultValue")
	}
	if !okKeys[0] || !okKeys[2] {
		tr.why(kt.unknown...)
		return unknownResult
	}
	top := lookup(e.t.mappings, keys[0])
	if top == nil && def != nil {
		// AWS::LanguageExtensions: the default also stands in for a missing mapping.
		return e.value(def, nil, false, tr)
	}
	if top == nil {
		e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "Fn::FindInMap of undefined mapping "+keys[0], "")
		tr.why("mapping " + keys[0] + " is not defined")
		return unknownResult
	}
	if !okKeys[1] {
		// The key is unknown (often AWS::Region), but when every entry holds the same
		// value the lookup is decided anyway.
		var same *yaml.Node
		var sameKey *yaml.Node
		agree := top.Kind == yaml.MappingNode && len(top.Content) > 0
		eachEntry(top, func(_, v *yaml.Node) {
			k2, v2 := lookupKey(deref(v), keys[2])
			switch {
			case v2 == nil || v2.Kind != yaml.ScalarNode:
				agree = false
			case same == nil:
				same, sameKey = v2, k2
			case same.Value != v2.Value:
				agree = false
			}
		})
		if !agree {
			tr.why(kt.unknown...)
			return unknownResult
		}
		tr.origin(graph.Related{Range: e.t.f.span(sameKey, same),
			Message: fmt.Sprintf("Mappings %s.*.%s (the same for every key)", keys[0], keys[2])})
		return known(e.t.scalar(same))
	}
	k, v := lookupKey(deref(lookup(top, keys[1])), keys[2])
	if v == nil {
		if def != nil {
			return e.value(def, nil, false, tr)
		}
		e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "Fn::FindInMap finds nothing",
			fmt.Sprintf("mapping %s has no %s.%s", keys[0], keys[1], keys[2]))
		tr.why(fmt.Sprintf("mapping %s has no %s.%s", keys[0], keys[1], keys[2]))
		return unknownResult
	}
	tr.origin(graph.Related{Range: e.t.f.span(k, v), Message: fmt.Sprintf("Mappings %s.%s.%s", keys[0], keys[1], keys[2])})
	return e.value(v, nil, false, tr)
}

// toPlain converts a wholly known value into what encoding/json renders; unknown parts
// become null.
func toPlain(v cty.Value) any { return plain(v, nil) }

// toPlainPartial is toPlain for a partial rendering: unknown parts become
// graph.UnknownText.
func toPlainPartial(v cty.Value) any { return plain(v, graph.UnknownText) }

// plain is toPlain with unknown parts rendered as unknown.
func plain(v cty.Value, unknown any) any {
	if v == cty.NilVal || !v.IsKnown() {
		return unknown
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		if i, acc := v.AsBigFloat().Int64(); acc == 0 {
			return i
		}
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsObjectType() || ty.IsMapType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			out[k.AsString()] = plain(ev, unknown)
		}
		return out
	case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			out = append(out, plain(ev, unknown))
		}
		return out
	}
	return nil
}
