package kubernetes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestSelectorsMatchEveryLabelNotOnlyTheIndexedOne(t *testing.T) {
	var b strings.Builder
	for i, labels := range []string{"{app: web, tier: front}", "{app: web, tier: back}", "{app: api, tier: front}", "{tier: front}"} {
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d%d, namespace: shop}\nspec:\n  template:\n    metadata: {labels: %s}\n    spec: {containers: []}\n", i, labels)
	}
	b.WriteString(`---
apiVersion: v1
kind: Service
metadata: {name: web-front, namespace: shop}
spec: {selector: {app: web, tier: front}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front, namespace: shop}
spec:
  podSelector:
    matchLabels: {tier: front}
    matchExpressions: [{key: app, operator: Exists}]
`)
	rs := parseOK(t, "all.yaml", b.String())
	Link(rs)
	g := graph.New(rs)
	refs := func(addr string) string {
		var out []string
		for _, r := range rs {
			if r.Address == addr {
				for _, to := range g.References(r) {
					out = append(out, to.Meta["name"])
				}
			}
		}
		return strings.Join(out, ",")
	}
	if got := refs("v1/Service/shop/web-front"); got != "d0" {
		t.Errorf("service selects %q, want d0", got)
	}
	if got := refs("networking.k8s.io/v1/NetworkPolicy/shop/front"); got != "d0,d2" {
		t.Errorf("policy selects %q, want d0,d2", got)
	}
}
