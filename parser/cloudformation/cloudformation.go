// Package cloudformation reads AWS CloudFormation templates (JSON or YAML, SAM included)
// into graph resources. Intrinsic functions are evaluated against parameter defaults (or a
// parameters file), mappings and conditions; what cannot be known before deployment is
// left unknown with a reason, and a resource whose properties depend on an undecided
// condition becomes one variant per assumption about that condition. Fn::ForEach loops
// (AWS::LanguageExtensions) are expanded first, as the transform does, into resources,
// conditions and properties with the logical IDs they generate; a loop over a collection
// not known statically becomes one representative instance whose identifier is unknown.
//
// Positions come from a node-level gopkg.in/yaml.v3 parse, which reads JSON as well, so
// that every property keeps the line it is written on and one bad resource does not
// hide the others. github.com/awslabs/goformation/v7 serves as the list of known resource
// types (a misspelt AWS:: type is a warning); its intrinsic processor is not used, since
// it resolves the template as a whole without positions, turns Fn::GetAtt into null and
// fails on the first bad resource.
//
// Besides Attrs, each resource carries in Meta: "condition" (its own Condition),
// "conditions" (the assumptions of this variant, e.g. "IsProd=true,UseKms=false"),
// "metadata" (its Metadata as JSON), "metadataLine", "ignore" (the check IDs of
// Metadata.iacscan.ignore, comma-separated), "dependsOn", "dependsOnLine",
// "deletionPolicy" and "updateReplacePolicy".
package cloudformation

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// Limits that keep a hostile or broken template from exhausting time or memory. Hitting
// one is a diagnostic on the template, never a crash.
const (
	// maxFileSize is well above the 1 MB CloudFormation accepts for a template body.
	maxFileSize = 4 << 20
	// yamlMaxDepth is the deepest nesting the YAML parser reads (it refuses deeper
	// documents): walks down the node tree that only locate things stop there. How deeply
	// values are evaluated is Options.MaxDepth.
	yamlMaxDepth = 10_000
	// maxSteps bounds the evaluation work for one template (YAML aliases can make a small
	// file expand enormously).
	maxSteps = 500_000
	// maxAliases bounds how many YAML aliases are followed in one template: CloudFormation
	// itself does not accept aliases, and each one can expand to a large subtree.
	maxAliases = 1_000
	// maxVariants bounds how many variants one resource is expanded into for undecided
	// conditions.
	maxVariants = 8
	// maxScanLines bounds how far the source is scanned to find where a value ends.
	maxScanLines = 10_000
)

// Options tune how a template is evaluated.
type Options struct {
	// Parameters are values for the template's parameters, as read by ReadParameters
	// (the file given to `aws cloudformation deploy --parameter-overrides`, say). They take
	// precedence over the parameters' defaults.
	Parameters Parameters
	// MaxDepth bounds how deeply nested values are evaluated (--max-depth); beyond it a
	// value is left unknown with an error. 0 means DefaultMaxDepth.
	MaxDepth int
}

// Parse reads one template (path is its display path) with parameter defaults only.
func Parse(path string, src []byte) ([]*graph.Resource, graph.Diagnostics) {
	return ParseWith(path, src, Options{})
}

// ParseWith reads one template (path is its display path) with options.
func ParseWith(path string, src []byte, opts Options) ([]*graph.Resource, graph.Diagnostics) {
	if len(src) > maxFileSize {
		return nil, graph.Diagnostics{{
			Severity: graph.DiagError,
			Summary:  "template too large",
			Detail:   "the file exceeds the size limit of 4 MiB and was not analysed",
			Range:    graph.Range{File: path},
		}}
	}
	t, diags := load(path, src, opts)
	if t == nil {
		return nil, diags
	}
	rs := t.resources()
	return rs, append(diags, t.diags.list()...)
}
