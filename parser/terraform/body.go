package terraform

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Without provider schemas, resource bodies are read schema-less: the native syntax keeps
// attributes and nested blocks apart, while JSON bodies only offer JustAttributes, where
// nested blocks appear as objects and arrays.

// bodyAttrs returns the arguments of body in source order.
func bodyAttrs(body hcl.Body) []*hcl.Attribute {
	if sb, ok := body.(*hclsyntax.Body); ok {
		out := make([]*hcl.Attribute, 0, len(sb.Attributes))
		for _, a := range sb.Attributes {
			out = append(out, a.AsHCLAttribute())
		}
		sort.Slice(out, func(i, j int) bool { return lessHCLRange(out[i].Range, out[j].Range) })
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
	var u usage
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
