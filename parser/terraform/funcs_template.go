package terraform

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// makeTemplateFileFunc is templatefile(path, vars): the file beneath the root, rendered as
// a template with exactly vars as variables and funcs as functions.
func makeTemplateFileFunc(fa *fileAccess, opts FuncOptions, funcs map[string]function.Function) function.Function {
	lim := limits{maxStr: opts.MaxStringLen, maxColl: opts.MaxCollection}
	return function.New(&function.Spec{
		Description: "Renders a template file with the given variables.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: func(args []cty.Value) (cty.Type, error) {
			if !args[1].IsKnown() || !args[0].IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if err := checkTemplateVars(args[1]); err != nil {
				return cty.NilType, function.NewArgError(1, err)
			}
			return cty.DynamicPseudoType, nil
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			path, ok := fa.resolve(name)
			if !ok {
				return cty.DynamicVal, nil
			}
			src, err := readBounded(path, int64(lim.maxStr))
			if errors.Is(err, fs.ErrNotExist) {
				return cty.DynamicVal, nil
			}
			if err != nil {
				return cty.DynamicVal, err
			}
			return renderTemplate(src, name, args[1], lim, funcs)
		},
	})
}

// makeTemplateStringFunc is templatestring(template, vars): like templatefile, with the
// template given as a string.
func makeTemplateStringFunc(opts FuncOptions, funcs map[string]function.Function) function.Function {
	lim := limits{maxStr: opts.MaxStringLen, maxColl: opts.MaxCollection}
	return function.New(&function.Spec{
		Description: "Renders a template string with the given variables.",
		Params: []function.Parameter{
			{Name: "template", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if !args[1].IsKnown() {
				return cty.DynamicVal, nil
			}
			if err := checkTemplateVars(args[1]); err != nil {
				return cty.DynamicVal, function.NewArgError(1, err)
			}
			return renderTemplate([]byte(args[0].AsString()), "<templatestring>", args[1], lim, funcs)
		},
	})
}

func checkTemplateVars(vars cty.Value) error {
	ty := vars.Type()
	if vars.IsNull() || !(ty.IsMapType() || ty.IsObjectType()) {
		return errors.New("invalid vars value: must be a map")
	}
	return nil
}

// renderTemplate parses and evaluates a template. Templates cannot call templatefile or
// templatestring, as in Terraform, which also keeps rendering from recursing.
func renderTemplate(src []byte, name string, vars cty.Value, lim limits, funcs map[string]function.Function) (cty.Value, error) {
	if !vars.IsKnown() {
		return cty.DynamicVal, nil
	}
	if err := checkTemplateVars(vars); err != nil {
		return cty.DynamicVal, err
	}
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Errorf("parse template %s: %w", name, diags)
	}

	varMap := map[string]cty.Value{}
	for it := vars.ElementIterator(); it.Next(); {
		k, v := it.Element()
		varMap[k.AsString()] = v
	}
	var missing []string
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		if _, ok := varMap[root]; !ok {
			missing = append(missing, root)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return cty.DynamicVal, fmt.Errorf("template %s: vars map does not contain key %q", name, missing[0])
	}

	inner := make(map[string]function.Function, len(funcs))
	for k, f := range funcs {
		inner[k] = f
	}
	for _, name := range []string{"templatefile", "templatestring"} {
		inner[name] = noTemplateFunc(name)
		inner["core::"+name] = noTemplateFunc(name)
	}

	budgetTemplate(expr, lim)
	ctx := &hcl.EvalContext{Variables: varMap, Functions: inner}
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.DynamicVal, fmt.Errorf("render template %s: %w", name, diags)
	}
	if err := lim.checkResult(val); err != nil {
		return cty.DynamicVal, err
	}
	return val, nil
}

func noTemplateFunc(name string) function.Function {
	return function.New(&function.Spec{
		Description: "Not available inside a template.",
		VarParam:    &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
		Type: func(args []cty.Value) (cty.Type, error) {
			return cty.NilType, fmt.Errorf("cannot call %s from inside a template", name)
		},
	})
}

// templateBudget counts what a template builds while it is evaluated: loop iterations and
// the bytes of every part that is joined into the result. A template of a few lines can
// otherwise loop over a large collection and repeat a large string in every iteration.
type templateBudget struct {
	lim        limits
	iterations int
	bytes      int
	err        error
}

// budgetTemplate rewrites the template's for loops and parts to count against one budget.
// It collects the nodes first and rewrites them afterwards, so that the walk never sees
// a half-rewritten tree.
func budgetTemplate(expr hclsyntax.Expression, lim limits) {
	b := &templateBudget{lim: lim}
	var fors []*hclsyntax.ForExpr
	var templates []*hclsyntax.TemplateExpr
	var wraps []*hclsyntax.TemplateWrapExpr
	_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.ForExpr:
			fors = append(fors, n)
		case *hclsyntax.TemplateExpr:
			templates = append(templates, n)
		case *hclsyntax.TemplateWrapExpr:
			wraps = append(wraps, n)
		}
		return nil
	})
	for _, f := range fors {
		f.CollExpr = &countedColl{Expression: f.CollExpr, b: b}
	}
	for _, t := range templates {
		for i, p := range t.Parts {
			t.Parts[i] = &countedBytes{Expression: p, b: b}
		}
	}
	for _, w := range wraps {
		w.Wrapped = &countedBytes{Expression: w.Wrapped, b: b}
	}
}

// fail records the first exceeded budget as an error diagnostic. Later parts return unknown
// without repeating it: rendering has already failed, and one diagnostic says why.
func (b *templateBudget) fail(rng hcl.Range, err error) hcl.Diagnostics {
	if b.err != nil {
		return nil //nolint:nilerr // the first failure was already reported
	}
	b.err = err
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Template too large",
		Detail:   b.err.Error(),
		Subject:  &rng,
	}}
}

// countedColl is a for loop's collection expression that adds its length to the budget's
// iterations; nested loops add once per outer iteration, which is what they cost.
type countedColl struct {
	hclsyntax.Expression
	b *templateBudget
}

// Value evaluates the collection and charges its length to the budget.
func (c *countedColl) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if c.b.err != nil {
		return cty.DynamicVal, c.b.fail(c.Range(), c.b.err)
	}
	v, diags := c.Expression.Value(ctx)
	c.b.iterations += collLen(v)
	if c.b.iterations > c.b.lim.maxColl {
		return cty.DynamicVal, append(diags, c.b.fail(c.Range(), fmt.Errorf("template loops run more than the limit of %d iterations", c.b.lim.maxColl))...)
	}
	return v, diags
}

// countedBytes is a template part that adds the size of its value to the budget's bytes.
type countedBytes struct {
	hclsyntax.Expression
	b *templateBudget
}

// Value evaluates the part and charges its rendered size to the budget.
func (c *countedBytes) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if c.b.err != nil {
		return cty.DynamicVal, c.b.fail(c.Range(), c.b.err)
	}
	v, diags := c.Expression.Value(ctx)
	c.b.bytes += deepStrLen(v, c.b.lim.maxStr)
	if c.b.bytes > c.b.lim.maxStr {
		return cty.DynamicVal, append(diags, c.b.fail(c.Range(), fmt.Errorf("template builds more than the limit of %d bytes", c.b.lim.maxStr))...)
	}
	return v, diags
}
