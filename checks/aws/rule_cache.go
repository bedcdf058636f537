package aws

import (
	"github.com/iacscan/iacscan/checks/internal/pergraph"
	"github.com/iacscan/iacscan/parser/graph"
)

// The open-network checks all start from the same list of ingress rules; reading it is
// most of their cost, so each graph's list is read once and shared (see pergraph.Cache).
var ruleCache pergraph.Cache[netRuleKind, []ingressRule]

// sharedIngressRules returns the ingress rules of kind that may be open to the world, read
// once per graph from the resource types that hold that kind of rule. The list and
// everything it holds are shared by every check that asks, and the checks run
// concurrently: callers must not write to a rule, to an element of its lists, or sort or
// trim them in place. Every list is capped at its length (ingressRule.clipped), so an
// append gets a new array; a check that needs a rule changed (merging the sources of a
// network ACL's entries, mergeSameExposure) works on a copy of the rule and builds the
// changed lists anew. TestSharedIngressRulesAreReadOnceUnchangedAndForgottenWithTheirGraph
// runs every check at once, under the race detector in CI, and fails on any such write.
func sharedIngressRules(g *graph.Graph, kind netRuleKind) []ingressRule {
	return ruleCache.Get(g, kind, func() []ingressRule { return ingressRules(g, kind, ruleTypes(kind)) })
}

// ruleTypes names the resource types that hold rules of kind.
func ruleTypes(kind netRuleKind) []string {
	if kind == networkACLRule {
		return networkACLTypes
	}
	return securityGroupTypes
}
