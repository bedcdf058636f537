package terraform

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Without provider schemas, resource bodies are read schema-less: the native syntax keeps
// attributes and nested blocks apart, while JSON bodies only offer JustAttributes, where
// nested blocks appear as objects and arrays.

// bodyAttrs returns the arguments of body in source order.
func bodyAttrs(body hcl.Body) []*hcl.Attribute {
	if sb, ok := body.(*hclsyntax.Body); ok {
		// The attributes AsHCLAttribute would make, in one array rather than one
		// allocation each.
		backing := make([]hcl.Attribute, len(sb.Attributes))
		out := make([]*hcl.Attribute, 0, len(sb.Attributes))
		for _, a := range sb.Attributes {
			attr := &backing[len(out)]
			*attr = hcl.Attribute{Name: a.Name, Expr: a.Expr, Range: a.SrcRange, NameRange: a.NameRange}
			out = append(out, attr)
		}
		slices.SortFunc(out, func(x, y *hcl.Attribute) int {
			switch {
			case lessHCLRange(x.Range, y.Range):
				return -1
			case lessHCLRange(y.Range, x.Range):
				return 1
			}
			return 0
		})
		return out
	}
	attrs, _ := body.JustAttributes()
	// "//" keys are comments in Terraform's JSON syntax.
	delete(attrs, "//")
	return sortedAttrs(attrs)
}

// bodyBlocks returns the nested blocks of a native-syntax body in source order.
func bodyBlocks(body hcl.Body) []*hclsyntax.Block {
	if sb, ok := body.(*hclsyntax.Body); ok {
		return sb.Blocks
	}
	return nil
}

// usage is what a declaration refers to: its expressions, the traversals they make and
// every attribute name they read (also through splats and for expressions), so that
// referenced resources can be given those attributes.
type usage struct {
	exprs []hcl.Expression
	travs []hcl.Traversal
	names map[string]bool
}

func (u *usage) addExpr(e hcl.Expression, info *exprInfo) {
	if e == nil {
		return
	}
	if u.names == nil {
		u.names = map[string]bool{}
	}
	u.exprs = append(u.exprs, e)
	u.travs = append(u.travs, info.vars...)
	for _, name := range info.attrNames {
		u.names[name] = true
	}
}

// bodyUsage collects the usage of every expression in body, nested blocks included.
func (m *module) bodyUsage(body hcl.Body) usage {
	// The lists are counted first, so that they are made once at their size rather than
	// grown attribute by attribute. The traversals of JSON expressions, which are not
	// kept analysed, are not counted: analysing them twice would cost more.
	var nExprs, nTravs int
	var count func(b hcl.Body)
	count = func(b hcl.Body) {
		for _, a := range m.loadAttrs(b) {
			if a.Expr == nil {
				continue
			}
			nExprs++
			if cacheable(a.Expr) {
				nTravs += len(m.analyze(a.Expr).vars)
			}
		}
		for _, blk := range bodyBlocks(b) {
			count(blk.Body)
		}
	}
	count(body)
	var u usage
	if nExprs > 0 {
		u.exprs = make([]hcl.Expression, 0, nExprs)
	}
	if nTravs > 0 {
		u.travs = make([]hcl.Traversal, 0, nTravs)
	}
	var walk func(b hcl.Body)
	walk = func(b hcl.Body) {
		for _, a := range m.loadAttrs(b) {
			u.addExpr(a.Expr, m.analyze(a.Expr))
		}
		for _, blk := range bodyBlocks(b) {
			walk(blk.Body)
		}
	}
	walk(body)
	if u.names == nil {
		u.names = map[string]bool{}
	}
	return u
}
