package aws

import (
	"runtime"
	"slices"
	"sync"
	"weak"

	"github.com/iacscan/iacscan/parser/graph"
)

// The open-network checks all start from the same list of ingress rules; reading it is
// most of their cost, so each graph's list is read once and shared. Entries live as long
// as their graph does: the key holds the graph weakly and a cleanup drops the entry when
// the graph is collected.
var ruleCache struct {
	mu sync.Mutex
	m  map[ruleCacheKey]*ruleCacheEntry
}

type ruleCacheKey struct {
	g    weak.Pointer[graph.Graph]
	kind netRuleKind
}

type ruleCacheEntry struct {
	once  sync.Once
	rules []ingressRule
	// panicked is what reading the rules panicked with: every check that needs them
	// fails alike rather than seeing no rules.
	panicked any
}

// sharedIngressRules returns ingressRules(g, types) for the rules of kind, reading them
// once per graph.
func sharedIngressRules(g *graph.Graph, kind netRuleKind, types []string) []ingressRule {
	k := ruleCacheKey{weak.Make(g), kind}
	ruleCache.mu.Lock()
	if ruleCache.m == nil {
		ruleCache.m = map[ruleCacheKey]*ruleCacheEntry{}
	}
	e := ruleCache.m[k]
	if e == nil {
		e = &ruleCacheEntry{}
		ruleCache.m[k] = e
		runtime.AddCleanup(g, func(k ruleCacheKey) {
			ruleCache.mu.Lock()
			delete(ruleCache.m, k)
			ruleCache.mu.Unlock()
		}, k)
	}
	ruleCache.mu.Unlock()
	e.once.Do(func() {
		defer func() { e.panicked = recover() }()
		e.rules = ingressRules(g, types)
	})
	if e.panicked != nil {
		panic(e.panicked)
	}
	// Each check gets its own copy, so that one that edits its rules (merging, trimming
	// sources) cannot change what the others see. Copying is cheap next to reading.
	out := make([]ingressRule, len(e.rules))
	for i, r := range e.rules {
		r.open = slices.Clone(r.open)
		r.unknownSources = slices.Clone(r.unknownSources)
		r.shapePaths = slices.Clone(r.shapePaths)
		r.shapeUnknown = slices.Clone(r.shapeUnknown)
		r.denied = slices.Clone(r.denied)
		out[i] = r
	}
	return out
}
