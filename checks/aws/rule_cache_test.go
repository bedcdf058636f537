package aws

import (
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestSharedIngressRulesAreCopiesForgottenWithTheirGraph(t *testing.T) {
	k := checkSharedRules(t)
	// The graph is unreachable now: its entry must go once it is collected.
	for i := 0; i < 50; i++ {
		runtime.GC()
		ruleCache.mu.Lock()
		_, held := ruleCache.m[k]
		ruleCache.mu.Unlock()
		if !held {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the cache still holds the rules of a collected graph")
}

// checkSharedRules reads the rules of a one-group graph twice, checks that the two reads
// do not share memory, and returns the graph's cache key.
func checkSharedRules(t *testing.T) ruleCacheKey {
	sg := &graph.Resource{
		Format: graph.Terraform, Type: "aws_security_group", Address: "aws_security_group.web",
		Attrs: cty.ObjectVal(map[string]cty.Value{
			"ingress": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"protocol": cty.StringVal("tcp"), "from_port": cty.NumberIntVal(22), "to_port": cty.NumberIntVal(22),
				"cidr_blocks": cty.TupleVal([]cty.Value{cty.StringVal("0.0.0.0/0")}),
			})}),
		}),
	}
	g := graph.New([]*graph.Resource{sg})
	a := sharedIngressRules(g, securityGroupRule, securityGroupTypes)
	b := sharedIngressRules(g, securityGroupRule, securityGroupTypes)
	if len(a) != 1 || len(a[0].open) != 1 {
		t.Fatalf("rules = %+v, want one world-open rule", a)
	}
	a[0].open[0].cidr = "changed"
	if b[0].open[0].cidr != "0.0.0.0/0" {
		t.Error("a change to one check's rules was seen by another")
	}
	return ruleCacheKey{weak.Make(g), securityGroupRule}
}
