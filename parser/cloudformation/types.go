package cloudformation

import (
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/iacscan/iacscan/parser/graph"
)

// knownTypes is the set of AWS resource types in goformation's typed model, generated from
// the CloudFormation resource specification. It is built once, on first use.
var knownTypes = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for name := range cloudformation.AllResources() {
		out[name] = true
	}
	return out
})

// checkType warns about an AWS:: resource type that is not in the resource specification,
// usually a typo that would also make checks for the intended type miss the resource.
// SAM types, modules and third-party (non-AWS) registry types are not judged.
func (t *template) checkType(typ string, at graph.Range) {
	if !strings.HasPrefix(typ, "AWS::") || strings.HasPrefix(typ, "AWS::Serverless::") || strings.HasSuffix(typ, "::MODULE") {
		return
	}
	if !knownTypes()[typ] {
		t.diags.add(graph.DiagWarning, at, "unknown resource type "+typ,
			"the type is not in the CloudFormation resource specification iacscan knows; checks for other types do not apply to it")
	}
}
