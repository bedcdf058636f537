package terraform

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// Some data sources read nothing remote: their result is a pure function of their
// arguments, which Terraform computes at plan time. Evaluating them here keeps what
// depends on them decided instead of "read at apply time".

// renderTemplateFile gives a data "template_file" instance (hashicorp/template provider)
// its rendered attribute: template rendered with vars, exactly as templatestring renders
// it, so that a policy built this way is judged like one built with templatefile(). When
// vars are not wholly known, the partial rendering renders the partial vars, as for
// templatefile(). attrs are the instance's evaluated arguments; rendered is added to them.
func (mi *modInst) renderTemplateFile(n *resNode, b *bodyEval, attrs map[string]cty.Value, body hcl.Body, in *resInst) {
	if _, set := attrs["rendered"]; set {
		return
	}
	f, ok := mi.mod.funcs["templatestring"]
	if !ok {
		return
	}
	tmpl, ok := attrs["template"]
	if !ok {
		return
	}
	vars, ok := attrs["vars"]
	if !ok {
		vars = cty.EmptyObjectVal
	}
	p := &prov{}
	name := n.decl.key()
	var tmplRange hcl.Range
	for _, a := range mi.mod.attrs(body) {
		switch a.Name {
		case "template":
			tmplRange = a.Range
		}
	}
	p.addOrigin(graph.Related{Range: toRange(tmplRange), Message: name + " renders this template"})
	for _, a := range []string{"template", "vars"} {
		if ap := n.attrProv[a]; ap != nil {
			p.merge(ap)
		}
	}
	rendered, err := render(f.Call, tmpl, vars)
	var partial cty.Value
	switch {
	case err != nil:
		p.addUnknown("cannot render " + name + ": " + err.Error())
	case rendered.IsWhollyKnown():
		p.unknown = nil
	default:
		if len(p.unknown) == 0 {
			p.addUnknown(name + ".rendered is not known statically")
		}
		ptmpl, pvars := b.partialAttr("template", tmpl), b.partialAttr("vars", vars)
		if pv, err := render(f.Call, ptmpl, pvars); err == nil && pv.IsWhollyKnown() {
			partial = pv
		}
	}
	attrs["rendered"] = rendered
	b.r.SetAttrInfo(graph.P("rendered"), graph.AttrInfo{Range: toRange(tmplRange), Origins: p.origins, Unknown: p.unknown, Partial: partial})
	if in.partial == nil && partial != cty.NilVal {
		in.partial = map[string]cty.Value{"rendered": partial}
	}
	if old := n.attrProv["rendered"]; old != nil {
		old.merge(p)
	} else {
		n.attrProv["rendered"] = p
	}
}

// partialAttr is the partial rendering recorded for the top-level argument name of the
// block, or v with its unknown text replaced when none was recorded.
func (b *bodyEval) partialAttr(name string, v cty.Value) cty.Value {
	if info := b.r.AttrInfo(graph.P(name)); info != nil && info.Partial != cty.NilVal {
		return info.Partial
	}
	return partialize(v)
}

// render calls templatestring(tmpl, vars). The result is an unknown string when the
// template or vars are unknown, and an error (with an unknown string) when the template
// cannot be rendered, a missing variable for one: Terraform would fail there too.
func render(call func([]cty.Value) (cty.Value, error), tmpl, vars cty.Value) (out cty.Value, err error) {
	out = cty.UnknownVal(cty.String)
	tmpl, vars = unmark(tmpl), unmark(vars)
	if !tmpl.IsKnown() || !vars.IsKnown() {
		return out, nil
	}
	if tmpl.IsNull() {
		return out, errors.New("template is null")
	}
	s, err := safeConvert(tmpl, cty.String)
	if err != nil {
		return out, fmt.Errorf("template: %w", err)
	}
	defer func() {
		// cty and the template engine may panic on values of unexpected shapes.
		if r := recover(); r != nil {
			out, err = cty.UnknownVal(cty.String), fmt.Errorf("template: %v", r)
		}
	}()
	v, err := call([]cty.Value{s, vars})
	if err != nil {
		return out, err
	}
	v = unmark(v)
	if v.Type() != cty.String {
		if v.IsKnown() {
			return out, errors.New("template did not render to a string")
		}
		return out, nil
	}
	return v, nil
}
