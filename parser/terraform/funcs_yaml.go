package terraform

import (
	"errors"
	"fmt"

	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"gopkg.in/yaml.v3"
)

// yamlEncodeFunc is Terraform's yamlencode.
var yamlEncodeFunc = ctyyaml.YAMLEncodeFunc

// yamlDecodeFunc is Terraform's yamldecode, refusing documents whose aliases would expand
// beyond the collection budget. A few lines of anchors and aliases can describe billions of
// nodes, and the decoder expands every alias into a copy.
func (l limits) yamlDecodeFunc() function.Function {
	return l.guard(ctyyaml.YAMLDecodeFunc, func(args []cty.Value) error {
		if len(args) != 1 || !args[0].IsKnown() || args[0].IsNull() {
			return nil
		}
		s, _ := args[0].Unmark()
		return l.checkYAMLExpansion(s.AsString())
	})
}

// checkYAMLExpansion counts the nodes src holds once every alias is expanded, from a parse
// that keeps aliases as references, and allows aliases to add at most the collection budget
// to the nodes written out in the text (which the string budget already bounds). A document
// this parse refuses (invalid, or nested beyond its depth limit) is refused here too.
func (l limits) checkYAMLExpansion(src string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return fmt.Errorf("invalid YAML: %w", err)
	}
	written := 0
	var count func(n *yaml.Node)
	count = func(n *yaml.Node) {
		written++
		for _, c := range n.Content {
			count(c)
		}
	}
	count(&doc)
	limit := l.maxColl + written
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) (int, error)
	size = func(n *yaml.Node, depth int) (int, error) {
		if n == nil {
			return 0, nil
		}
		if depth > 10_000 {
			return 0, errors.New("yaml nesting is too deep")
		}
		if s, ok := sizes[n]; ok {
			return s, nil
		}
		sizes[n] = 0 // An alias cycle counts as nothing more rather than recursing forever.
		total := 1
		if n.Kind == yaml.AliasNode {
			s, err := size(n.Alias, depth+1)
			if err != nil {
				return 0, err
			}
			total = s
		}
		for _, c := range n.Content {
			s, err := size(c, depth+1)
			if err != nil {
				return 0, err
			}
			total += s
			if total > limit {
				return 0, fmt.Errorf("yaml expands to more than the limit of %d nodes", limit)
			}
		}
		sizes[n] = total
		return total, nil
	}
	n, err := size(&doc, 0)
	if err != nil {
		return err
	}
	if n > limit {
		return fmt.Errorf("yaml expands to more than the limit of %d nodes", limit)
	}
	return nil
}
