package aws

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// The open-network checks all start from the same list of ingress rules; reading it is
// most of their cost, so each graph's list is read once and shared (see graphCache).
var ruleCache graphCache[netRuleKind, []ingressRule]

type ruleCacheKey = graphKey[netRuleKind]

// sharedIngressRules returns ingressRules(g, kind, types), reading them once per graph.
func sharedIngressRules(g *graph.Graph, kind netRuleKind, types []string) []ingressRule {
	rules := ruleCache.get(g, kind, func() []ingressRule { return ingressRules(g, kind, types) })
	// Each check gets its own copy, so that one that edits its rules (merging, trimming
	// sources) cannot change what the others see. The lists of all rules are copied into
	// one backing array per field, each rule's part capped so that appending to it
	// cannot run into the next rule's.
	return copyIngressRules(rules)
}

// copyIngressRules returns a deep copy of rules that shares no memory with them.
func copyIngressRules(rules []ingressRule) []ingressRule {
	var nOpen, nPaths, nDenied int
	for _, r := range rules {
		nOpen += len(r.open)
		nPaths += len(r.unknownSources) + len(r.shapePaths) + len(r.shapeUnknown)
		nDenied += len(r.denied)
	}
	open := make([]netSource, 0, nOpen)
	paths := make([]graph.Path, 0, nPaths)
	denied := make([]naclDeny, 0, nDenied)
	out := make([]ingressRule, len(rules))
	for i, r := range rules {
		r.open, open = carve(open, r.open)
		r.unknownSources, paths = carve(paths, r.unknownSources)
		r.shapePaths, paths = carve(paths, r.shapePaths)
		r.shapeUnknown, paths = carve(paths, r.shapeUnknown)
		r.denied, denied = carve(denied, r.denied)
		out[i] = r
	}
	return out
}

// carve copies src into the free capacity of buf and returns the copy, with its capacity
// capped at its length (nil for an empty src, as slices.Clone of nil gives), and the rest
// of buf.
func carve[T any](buf, src []T) (cp, rest []T) {
	if src == nil {
		return nil, buf
	}
	n := len(buf)
	buf = append(buf, src...)
	return buf[n:len(buf):len(buf)], buf
}
