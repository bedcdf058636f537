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
	var b strings.Builder
	complete := true
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		name = strings.TrimSpace(name)
		v := e.subVar(name, vars, at, tr)
		part, ok := str(v)
		if !ok {
			complete = false
			continue
		}
		b.WriteString(part)
	}
	if !complete {
		return known(cty.UnknownVal(cty.String))
	}
	return known(cty.StringVal(b.String()))
}

// subVar resolves one ${name} of Fn::Sub.
func (e *evaluator) subVar(name string, vars, at *yaml.Node, tr *trace) cty.Value {
	if v := lookup(vars, name); v != nil {
		r := e.value(v, nil, false, tr)
		if r.none {
			return cty.StringVal("")
		}
		return r.v
	}
	if res, attr, ok := strings.Cut(name, "."); ok {
		if _, isRes := e.t.entries[res]; isRes {
			tr.ref(res)
			tr.why(res + "." + attr + " is known only after deployment")
			return cty.UnknownVal(cty.String)
		}
	}
	if _, ok := pseudoParameters[name]; ok || e.t.params[name] != nil || e.t.entries[name].key != nil {
		return e.ref(&yaml.Node{Kind: yaml.ScalarNode, Value: name}, at, tr).v
	}
	e.t.diags.add(graph.DiagWarning, e.t.f.rangeOf(at), "Fn::Sub of undefined ${"+name+"}",
		"no variable, parameter or resource is named "+name)
	tr.why(name + " is not defined")
	return cty.UnknownVal(cty.String)
}
