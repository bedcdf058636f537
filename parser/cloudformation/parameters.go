package cloudformation

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// Parameters are values given for template parameters from outside the template, by
// parameter name.
type Parameters map[string]ParameterValue

// ParameterValue is one parameter value and where it is written.
type ParameterValue struct {
	Value string
	Range graph.Range
}

// ReadParameters reads a parameters file (path is its display path) in one of the shapes
// the AWS tools accept: the `aws cloudformation` list
// [{"ParameterKey": "Env", "ParameterValue": "prod"}], a list of "Env=prod" strings, or a
// CodePipeline template configuration file {"Parameters": {"Env": "prod"}}. JSON and YAML
// are both read.
func ReadParameters(path string, src []byte) (Parameters, graph.Diagnostics) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, graph.Diagnostics{syntaxError(path, src, err)}
	}
	f := newFile(path, src)
	out := Parameters{}
	var diags graph.Diagnostics
	bad := func(n *yaml.Node, detail string) {
		diags = append(diags, graph.Diagnostic{
			Severity: graph.DiagError, Summary: "invalid parameters file", Detail: detail, Range: f.rangeOf(n),
		})
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	switch root.Kind {
	case yaml.SequenceNode:
		for _, item := range root.Content {
			switch item.Kind {
			case yaml.MappingNode:
				k, v := lookup(item, "ParameterKey"), lookup(item, "ParameterValue")
				if k == nil || k.Kind != yaml.ScalarNode {
					bad(item, "an entry has no ParameterKey")
					continue
				}
				if v == nil || v.Kind != yaml.ScalarNode {
					// UsePreviousValue: the value lives in the deployed stack.
					continue
				}
				out[k.Value] = ParameterValue{Value: v.Value, Range: f.rangeOf(v)}
			case yaml.ScalarNode:
				name, value, ok := strings.Cut(item.Value, "=")
				if !ok {
					bad(item, fmt.Sprintf("%q is not Key=Value", item.Value))
					continue
				}
				out[name] = ParameterValue{Value: value, Range: f.rangeOf(item)}
			default:
				bad(item, "an entry is neither a mapping nor a Key=Value string")
			}
		}
	case yaml.MappingNode:
		params := lookup(root, "Parameters")
		if params == nil || params.Kind != yaml.MappingNode {
			bad(root, "expected a Parameters mapping or a list of ParameterKey/ParameterValue entries")
			break
		}
		eachEntry(params, func(k, v *yaml.Node) {
			if v.Kind != yaml.ScalarNode {
				bad(v, "the value of "+k.Value+" is not a string")
				return
			}
			out[k.Value] = ParameterValue{Value: v.Value, Range: f.rangeOf(v)}
		})
	default:
		bad(root, "expected a list of parameters or a Parameters mapping")
	}
	return out, diags
}

// parameter is a template parameter with the value Ref yields for it.
type parameter struct {
	name  string
	key   *yaml.Node
	typ   string
	value cty.Value
	// origins holds where the value was written (the default, or the parameters file),
	// and unknowns why the value is unknown, when it is: one element or none each, added
	// as they are to the trace of every value that refers to the parameter.
	origins  []graph.Related
	unknowns []string
}

func (t *template) newParameter(k, def *yaml.Node) *parameter {
	p := &parameter{name: k.Value, key: k}
	if tn := lookup(def, "Type"); tn != nil && tn.Kind == yaml.ScalarNode {
		p.typ = tn.Value
	}
	isList := strings.HasPrefix(p.typ, "List<") || p.typ == "CommaDelimitedList"
	if strings.HasPrefix(p.typ, "AWS::SSM::Parameter::Value<") {
		p.value = cty.DynamicVal
		p.unknowns = []string{"parameter " + p.name + " is read from SSM Parameter Store at deployment"}
		return p
	}
	if given, ok := t.opts.Parameters[p.name]; ok {
		p.value = paramValue(given.Value, isList)
		p.origins = []graph.Related{{Range: given.Range, Message: fmt.Sprintf("parameter %s = %q", p.name, given.Value)}}
		return p
	}
	d := lookup(def, "Default")
	switch {
	case d != nil && d.Kind == yaml.ScalarNode && d.Tag != "!!null":
		p.value = paramValue(d.Value, isList)
		p.origins = []graph.Related{{Range: t.f.rangeOf(d), Message: fmt.Sprintf("parameter %s default %q", p.name, d.Value)}}
	case d != nil && d.Kind == yaml.SequenceNode && isList:
		var parts []string
		for _, c := range d.Content {
			parts = append(parts, c.Value)
		}
		p.value = paramValue(strings.Join(parts, ","), true)
		p.origins = []graph.Related{{Range: t.f.rangeOf(d), Message: fmt.Sprintf("parameter %s default %q", p.name, strings.Join(parts, ","))}}
	default:
		if isList {
			p.value = cty.UnknownVal(cty.List(cty.String))
		} else {
			p.value = cty.UnknownVal(cty.String)
		}
		p.unknowns = []string{"parameter " + p.name + " has no default"}
	}
	return p
}

// paramValue is what Ref yields for a parameter value: a string, or a list of strings for
// list types. Number parameters are strings too once referenced.
func paramValue(s string, list bool) cty.Value {
	if !list {
		return cty.StringVal(s)
	}
	if s == "" {
		return cty.ListValEmpty(cty.String)
	}
	var vs []cty.Value
	for _, part := range strings.Split(s, ",") {
		vs = append(vs, cty.StringVal(strings.TrimSpace(part)))
	}
	return cty.ListVal(vs)
}
