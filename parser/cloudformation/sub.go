package cloudformation

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// sub evaluates Fn::Sub in both forms: a string, or [string, {Name: value}].
// ${Name} is a variable, a parameter, a pseudo parameter or a resource (Ref);
// ${Res.Attr} is Fn::GetAtt; ${!Literal} writes ${Literal}.
func (e *evaluator) sub(arg, at *yaml.Node, tr *trace) result {
	var tmpl *yaml.Node
	var vars *yaml.Node
	switch {
	case arg != nil && arg.Kind == yaml.ScalarNode:
		tmpl = arg
	default:
		list, ok := e.args(arg, at, "Fn::Sub", 1, 2)
		if !ok {
			tr.why("invalid Fn::Sub")
			return unknownResult
		}
		tmpl = deref(list[0])
		if len(list) == 2 {
			vars = deref(list[1])
			if vars.Kind != yaml.MappingNode {
				e.invalid(at, "Fn::Sub", "expects a mapping of variables", tr)
				return unknownResult
			}
		}
	}
	if tmpl == nil || tmpl.Kind != yaml.ScalarNode {
		e.invalid(at, "Fn::Sub", "expects a string", tr)
		return unknownResult
	}
	s := tmpl.Value
	// b is the rendering, with graph.UnknownText for each part that is not known; the
	// result is known when no part was unknown, and b is its partial rendering otherwise.
	var b strings.Builder
	complete, someKnown := true, false
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			someKnown = someKnown || s != ""
			break
		}
		b.WriteString(s[:i])
		someKnown = someKnown || i > 0
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s[i:])
			someKnown = true
			break
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			someKnown = true
			continue
		}
		name = strings.TrimSpace(name)
		r := e.subVar(name, vars, at, tr)
		if part, ok := str(r.v); ok {
			b.WriteString(part)
			someKnown = someKnown || part != ""
			continue
		}
		complete = false
		if part := r.text; part != "" {
			b.WriteString(part)
			someKnown = true
			continue
		}
		b.WriteString(graph.UnknownText)
	}
	if !complete {
		return partialString(b.String(), someKnown)
	}
	return known(cty.StringVal(b.String()))
}

// partialString is an unknown string whose partial rendering is s, kept only when some
// of its text is known: a rendering that is nothing but unknown parts tells nothing.
func partialString(s string, someKnown bool) result {
	r := known(cty.UnknownVal(cty.String))
	if someKnown {
		r.text = s
	}
	return r
}

// subVar resolves one ${name} of Fn::Sub.
func (e *evaluator) subVar(name string, vars, at *yaml.Node, tr *trace) result {
	if v := lookup(vars, name); v != nil {
		r := e.value(v, nil, false, tr)
		if r.none {
			return known(cty.StringVal(""))
		}
		return r
	}
	if res, attr, ok := strings.Cut(name, "."); ok {
		if _, isRes := e.t.entries[res]; isRes {
			tr.ref(res)
			tr.why(res + "." + attr + " is known only after deployment")
			return known(cty.UnknownVal(cty.String))
		}
	}
	if _, ok := pseudoParameters[name]; ok || e.t.params[name] != nil || e.t.entries[name].key != nil {
		return e.ref(&yaml.Node{Kind: yaml.ScalarNode, Value: name}, at, tr)
	}
	e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "Fn::Sub of undefined ${"+name+"}",
		"no variable, parameter or resource is named "+name)
	tr.why(name + " is not defined")
	return known(cty.UnknownVal(cty.String))
}
