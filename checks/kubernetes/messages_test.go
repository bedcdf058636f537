package kubernetes

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
	k8s "github.com/iacscan/iacscan/parser/kubernetes"
	"github.com/zclconf/go-cty/cty"
)

// run parses one manifest, links it and returns the messages c reports on it.
func run(t *testing.T, c *check.Check, manifest string) []string {
	t.Helper()
	rs, diags := k8s.Parse("m.yaml", []byte(manifest))
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	k8s.Link(rs)
	p := check.NewPass(graph.New(rs))
	c.Run(p)
	var out []string
	for _, f := range p.Findings() {
		out = append(out, f.Message)
	}
	return out
}

const oneDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend}
spec:
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers: [{name: web, image: web:1.0}]
`

func TestNoPolicyMessageAgreesWithTheNumberOfWorkloads(t *testing.T) {
	got := run(t, noNetworkPolicy, oneDeployment)
	want := `namespace default has no NetworkPolicy: "Deployment/frontend" accepts traffic from any pod`
	if len(got) != 1 || got[0] != want {
		t.Errorf("one workload: got %q, want %q", got, want)
	}
	two := oneDeployment + "---\n" + strings.ReplaceAll(oneDeployment, "frontend", "backend")
	got = run(t, noNetworkPolicy, two)
	want = `namespace default has no NetworkPolicy: "Deployment/frontend" and "Deployment/backend" accept traffic from any pod`
	if len(got) != 1 || got[0] != want {
		t.Errorf("two workloads: got %q, want %q", got, want)
	}
}

func TestSensitiveHostPathMessageNamesWhatTheParentHolds(t *testing.T) {
	got := run(t, sensitiveHostPath, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: c:1}]
  volumes: [{name: v, hostPath: {path: /var/lib}}]
`)
	want := `volume "v" mounts sensitive host path /var/lib, which holds /var/lib/kubelet`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIngressTLSMessagesNameTheHostsTheEntriesCover(t *testing.T) {
	got := run(t, ingressWithoutTLS, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec:
  tls: [{hosts: [a.example.com, b.example.com], secretName: s}]
  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules:
  - host: a.example.com
  - http: {paths: [{path: /admin, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}
  - host: ""
`)
	want := []string{
		`rule without a host serves every host name over plain HTTP; the tls entries cover only "a.example.com" and "b.example.com"`,
		`rule with an empty host serves every host name over plain HTTP; the tls entries cover only "a.example.com" and "b.example.com"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNoPolicyMessagesNameTheEgressOnlyPolicies(t *testing.T) {
	egress := `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-only}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
`
	got := run(t, noNetworkPolicy, egress+oneDeployment)
	want := `namespace default has only egress NetworkPolicies ("dns-only"): "Deployment/frontend" accepts traffic from any pod`
	if len(got) != 1 || got[0] != want {
		t.Errorf("egress-only namespace: got %q, want %q", got, want)
	}
	other := `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend-in}
spec:
  podSelector: {matchLabels: {app: backend}}
---
`
	got = run(t, noNetworkPolicy, egress+other+oneDeployment)
	want = `only egress NetworkPolicies ("dns-only") select its pods: no NetworkPolicy in namespace default restricts their ingress`
	if len(got) != 1 || got[0] != want {
		t.Errorf("egress-only selection: got %q, want %q", got, want)
	}
}

func TestIngressTLSLeavesUnknownRulesUndecided(t *testing.T) {
	str := cty.StringVal
	ing := &graph.Resource{
		Format: graph.Kubernetes, Type: "Ingress", Address: "Ingress/default/i", Scope: "m.yaml",
		Attrs: cty.ObjectVal(map[string]cty.Value{
			"spec": cty.ObjectVal(map[string]cty.Value{
				"tls": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
					"hosts": cty.TupleVal([]cty.Value{str("a.example.com")}),
				})}),
				"rules": cty.TupleVal([]cty.Value{
					cty.UnknownVal(cty.DynamicPseudoType),
					cty.ObjectVal(map[string]cty.Value{"host": str("a.example.com")}),
					cty.ObjectVal(map[string]cty.Value{"host": str("b.example.com")}),
				}),
			}),
		}),
	}
	p := check.NewPass(graph.New([]*graph.Resource{ing}))
	ingressWithoutTLS.Run(p)
	var got []string
	for _, f := range p.Findings() {
		got = append(got, f.Path.String()+": "+f.Message)
	}
	for _, u := range p.Undecideds() {
		got = append(got, "undecided "+u.Path.String())
	}
	want := []string{
		"spec.rules[2].host: host b.example.com is not covered by any tls entry",
		"undecided spec.rules[0]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
