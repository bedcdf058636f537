package aws

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// The open-network checks all start from the same list of ingress rules; reading it is
// most of their cost, so each graph's list is read once and shared (see graphCache).
var ruleCache graphCache[netRuleKind, []ingressRule]

type ruleCacheKey = graphKey[netRuleKind]

// sharedIngressRules returns ingressRules(g, kind, types), reading them once per graph.
// The list and everything it holds are shared by every check that asks: callers must not
// modify them. A check that needs a rule changed (merging the sources of a network ACL's
// entries) changes a copy of the rule and gives its changed fields new backing arrays.
func sharedIngressRules(g *graph.Graph, kind netRuleKind, types []string) []ingressRule {
	return ruleCache.get(g, kind, func() []ingressRule { return ingressRules(g, kind, types) })
}
