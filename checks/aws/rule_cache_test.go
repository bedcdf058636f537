package aws

import (
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

func TestSharedIngressRulesAreReadOnceUnchangedAndForgottenWithTheirGraph(t *testing.T) {
	keys := checkSharedRules(t)
	// The graph is unreachable now: its entries must go once it is collected.
	for i := 0; i < 50; i++ {
		runtime.GC()
		held := false
		for _, k := range keys {
			if ruleCache.Holds(k.g, k.kind) {
				held = true
			}
		}
		if !held {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the cache still holds the rules of a collected graph")
}

// checkSharedRules builds a graph whose rules every network check reports or judges (a
// security group open on several ports, network ACL entries that are merged into one
// finding, an entry behind a deny, a rule with unknown ports), checks that each kind's
// list is read once and is the same list for every caller, runs every AWS check over the
// graph twice and checks that the lists are exactly as they were, and returns the
// graph's cache keys.
// ruleKey names one cache entry: a graph and a rule kind.
type ruleKey struct {
	g    weak.Pointer[graph.Graph]
	kind netRuleKind
}

func checkSharedRules(t *testing.T) []ruleKey {
	sg := netSG(
		netSGBlock("tcp", 22, 22, "0.0.0.0/0"),
		netSGBlock("tcp", 3306, 3306, "0.0.0.0/0"),
		netSGBlock("-1", 0, 0, "0.0.0.0/0"),
		netSGBlock("tcp", 8000, 9000, "0.0.0.0/0"),
		cty.ObjectVal(map[string]cty.Value{
			"protocol": cty.StringVal("tcp"), "from_port": cty.UnknownVal(cty.Number), "to_port": cty.NumberIntVal(22),
			"cidr_blocks": netStrs("0.0.0.0/0"), "ipv6_cidr_blocks": cty.NullVal(cty.List(cty.String)),
		}),
	)
	entry := func(no int64, action, proto string, from, to int64, cidr string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{
			"rule_no": cty.NumberIntVal(no), "action": cty.StringVal(action),
			"protocol": cty.StringVal(proto), "from_port": cty.NumberIntVal(from), "to_port": cty.NumberIntVal(to),
			"cidr_block": cty.StringVal(cidr),
		})
	}
	acl := netRes("aws_network_acl", map[string]cty.Value{"ingress": cty.TupleVal([]cty.Value{
		entry(90, "deny", "tcp", 23, 23, "0.0.0.0/0"),
		entry(100, "allow", "tcp", 20, 23, "0.0.0.0/0"),
		entry(101, "allow", "tcp", 20, 23, "::/0"),
		entry(110, "allow", "-1", 0, 0, "0.0.0.0/0"),
		entry(111, "allow", "-1", 0, 0, "::/0"),
	})})
	g := graph.New([]*graph.Resource{sg, acl})

	kinds := []netRuleKind{securityGroupRule, networkACLRule}
	var keys []ruleKey
	var before [][]ingressRule
	for _, k := range kinds {
		a := sharedIngressRules(g, k)
		b := sharedIngressRules(g, k)
		if len(a) == 0 {
			t.Fatalf("no rules of kind %v", k)
		}
		if unsafe.SliceData(a) != unsafe.SliceData(b) || len(a) != len(b) {
			t.Errorf("kind %v: the rules were read twice", k)
		}
		if !atCapacity(a) {
			t.Errorf("kind %v: a shared list has spare room an append would write into", k)
		}
		before = append(before, deepCopyRules(a))
		keys = append(keys, ruleKey{g: weak.Make(g), kind: k})
	}

	// Every check runs twice, all at once, as checks.Run runs them: under the race
	// detector a check writing to the shared rules while another reads them fails here.
	var reported atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		for _, c := range Checks() {
			wg.Go(func() {
				p := check.NewPass(g)
				c.Run(p)
				reported.Add(int64(len(p.Findings())))
			})
		}
	}
	wg.Wait()
	if reported.Load() == 0 {
		t.Fatal("the checks reported nothing: the graph does not exercise them")
	}
	for i, k := range kinds {
		if got := sharedIngressRules(g, k); !reflect.DeepEqual(got, before[i]) {
			t.Errorf("kind %v: a check changed the shared rules:\n got %+v\nwant %+v", k, got, before[i])
		}
	}
	return keys
}

// deepCopyRules returns a copy of rules that shares no slice with them.
func deepCopyRules(rules []ingressRule) []ingressRule {
	if rules == nil {
		return nil
	}
	out := make([]ingressRule, len(rules))
	for i, r := range rules {
		r.path = slices.Clone(r.path)
		r.open = slices.Clone(r.open)
		for j := range r.open {
			r.open[j].path = slices.Clone(r.open[j].path)
		}
		r.unknownSources = clonePaths(r.unknownSources)
		r.shapePaths = clonePaths(r.shapePaths)
		r.shapeUnknown = clonePaths(r.shapeUnknown)
		r.gateUnknown = slices.Clone(r.gateUnknown)
		r.denied = slices.Clone(r.denied)
		r.merged = deepCopyRules(r.merged)
		out[i] = r
	}
	return out
}

func clonePaths(ps []graph.Path) []graph.Path {
	if ps == nil {
		return nil
	}
	out := make([]graph.Path, len(ps))
	for i, p := range ps {
		out[i] = slices.Clone(p)
	}
	return out
}

// atCapacity reports whether rules and every list in them are capped at their length.
func atCapacity(rules []ingressRule) bool {
	if cap(rules) != len(rules) {
		return false
	}
	for _, r := range rules {
		if cap(r.path) != len(r.path) || cap(r.open) != len(r.open) ||
			cap(r.unknownSources) != len(r.unknownSources) || cap(r.shapePaths) != len(r.shapePaths) ||
			cap(r.shapeUnknown) != len(r.shapeUnknown) || cap(r.gateUnknown) != len(r.gateUnknown) ||
			cap(r.denied) != len(r.denied) || !atCapacity(r.merged) {
			return false
		}
	}
	return true
}
