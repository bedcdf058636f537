package kubernetes

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var hostNetwork = &check.Check{
	ID:       "k8s-network-host-network",
	Title:    "Pod shares the node's network namespace",
	Severity: check.High,
	Category: check.CategoryOpenNetwork,
	Description: "With hostNetwork: true the pod uses the node's network stack: it can bind any " +
		"node port, reach services listening on the node's loopback interface (the kubelet, " +
		"local agents) and sniff node traffic, and NetworkPolicies no longer isolate it. " +
		"Reported once per workload, at the hostNetwork field.",
	Remediation: "Remove `hostNetwork: true` from the pod spec and expose the application " +
		"through a Service instead.",
	Links:   []string{linkPSS},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			if isTrue(pd.get("hostNetwork")) {
				p.Reportf(pd.r, pd.at("hostNetwork"), "hostNetwork is true")
			}
		}
	},
}

var hostPort = &check.Check{
	ID:       "k8s-network-host-port",
	Title:    "Container port is bound on the node with hostPort",
	Severity: check.Medium,
	Category: check.CategoryOpenNetwork,
	Description: "A hostPort opens the port on every node the pod lands on, bypassing Services " +
		"and most NetworkPolicy implementations, and it ties the pod to nodes where the port " +
		"is free. Reported for each port that sets a non-zero hostPort.",
	Remediation: "Remove `hostPort` from the container's ports and expose the port with a " +
		"Service (ClusterIP, or a LoadBalancer restricted with loadBalancerSourceRanges).",
	Links:   []string{linkPSS},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, c := range pd.containers() {
				for _, port := range c.get("ports").List() {
					hp := port.Get("hostPort")
					if n, ok := hp.Int(); ok && n > 0 {
						p.Reportf(pd.r, hp.Path(), "%s binds hostPort %d on the node", c.label(), n)
					}
				}
			}
		}
	},
}

// internalLBAnnotations mark a LoadBalancer Service as internal to the cloud network on
// the common providers; such a load balancer is not reachable from the internet.
var internalLBAnnotations = map[string]string{
	"service.beta.kubernetes.io/aws-load-balancer-internal":       "",
	"service.beta.kubernetes.io/aws-load-balancer-scheme":         "internal",
	"service.beta.kubernetes.io/azure-load-balancer-internal":     "true",
	"networking.gke.io/load-balancer-type":                        "internal",
	"cloud.google.com/load-balancer-type":                         "internal",
	"service.beta.kubernetes.io/oci-load-balancer-internal":       "true",
	"service.kubernetes.io/oci-load-balancer-internal":            "true",
	"service.beta.kubernetes.io/openstack-internal-load-balancer": "true",
}

// isInternalLB reports whether a Service's annotations ask for an internal load balancer.
func isInternalLB(r *graph.Resource) bool {
	ann := r.Get("metadata", "annotations")
	for _, k := range ann.Keys() {
		want, ok := internalLBAnnotations[k]
		if !ok {
			continue
		}
		v, _ := ann.Get(k).Str()
		v = strings.ToLower(strings.TrimSpace(v))
		if want == "" {
			// The legacy AWS annotation takes any value except false as internal.
			if v != "false" && v != "" {
				return true
			}
			continue
		}
		if v == want {
			return true
		}
	}
	return false
}

func isAnyAddress(cidr string) bool {
	switch strings.TrimSpace(cidr) {
	case "0.0.0.0/0", "::/0", "0.0.0.0", "::", "*":
		return true
	}
	return false
}

var publicLoadBalancer = &check.Check{
	ID:       "k8s-network-public-load-balancer",
	Title:    "LoadBalancer Service is open to the internet",
	Severity: check.Medium,
	Category: check.CategoryOpenNetwork,
	Description: "A Service of type LoadBalancer provisions a cloud load balancer that, without " +
		"loadBalancerSourceRanges (or with 0.0.0.0/0), accepts connections from any address. " +
		"Services annotated as internal load balancers (AWS, Azure, GCP, OCI, OpenStack) are " +
		"not reported; the source-ranges annotation counts like the field.",
	Remediation: "Restrict the clients with `spec.loadBalancerSourceRanges: [\"203.0.113.0/24\"]`, " +
		"or make the load balancer internal with the provider's annotation.",
	Links:   []string{linkService + "#loadbalancer"},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("Service") {
			if r.Format != graph.Kubernetes {
				continue
			}
			if t, _ := r.Get("spec", "type").Str(); t != "LoadBalancer" || isInternalLB(r) {
				continue
			}
			ranges := r.Get("spec", "loadBalancerSourceRanges")
			if !ranges.Exists() || len(ranges.List()) == 0 {
				ranges = r.Get("metadata", "annotations", "service.beta.kubernetes.io/load-balancer-source-ranges")
			}
			switch {
			case ranges.IsObject() || !ranges.Exists():
				p.Reportf(r, graph.P("spec", "type"), "type LoadBalancer without loadBalancerSourceRanges accepts any source address")
			case len(ranges.List()) > 0:
				for _, item := range ranges.List() {
					if s, ok := item.Str(); ok && isAnyAddress(s) {
						p.Reportf(r, item.Path(), "loadBalancerSourceRanges allows %s", s)
					}
				}
			default:
				// The annotation form is one comma-separated string.
				s, _ := ranges.Str()
				for _, part := range strings.Split(s, ",") {
					if isAnyAddress(part) {
						p.Reportf(r, ranges.Path(), "load-balancer-source-ranges allows %s", strings.TrimSpace(part))
						break
					}
				}
				if strings.TrimSpace(s) == "" {
					p.Reportf(r, graph.P("spec", "type"), "type LoadBalancer without loadBalancerSourceRanges accepts any source address")
				}
			}
		}
	},
}

var nodePortService = &check.Check{
	ID:       "k8s-network-node-port",
	Title:    "Service is exposed on every node with type NodePort",
	Severity: check.Low,
	Category: check.CategoryOpenNetwork,
	Description: "A NodePort Service opens a port on every node of the cluster, reachable by " +
		"anything that can reach a node, outside the control of Ingress controllers and load " +
		"balancer source ranges. Reported at the Service's type field.",
	Remediation: "Use `type: ClusterIP` behind an Ingress, or a LoadBalancer restricted with " +
		"loadBalancerSourceRanges.",
	Links:   []string{linkService + "#type-nodeport"},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("Service") {
			if r.Format != graph.Kubernetes {
				continue
			}
			if t, _ := r.Get("spec", "type").Str(); t == "NodePort" {
				p.Reportf(r, graph.P("spec", "type"), "type NodePort opens a port on every node")
			}
		}
	},
}

var noNetworkPolicy = &check.Check{
	ID:       "k8s-network-no-policy",
	Title:    "Workload is not isolated for ingress by any NetworkPolicy",
	Severity: check.Low,
	Category: check.CategoryOpenNetwork,
	Description: "Pods that no NetworkPolicy selects accept traffic from every pod in the cluster, " +
		"so one compromised pod can reach them all. To avoid a flood, a namespace for which " +
		"the scan holds no NetworkPolicy at all is reported once, at its first workload, " +
		"naming every workload in it; in a namespace that has policies, each workload that " +
		"none of them isolates for ingress is reported at its kind line. Only a policy with " +
		"Ingress among its policyTypes isolates the pods it selects for ingress (without " +
		"policyTypes, every policy does): egress-only policies do not count, and a namespace " +
		"that has nothing else is reported like one without policies. A policyTypes that is " +
		"not written out (a template or placeholder) counts as isolating, and so does a " +
		"policy whose rule allows every source (ingress: [{}]): it opens the pods on purpose, " +
		"where review sees it. Calico and Cilium policies are " +
		"taken to protect their namespace (or the cluster) since their selectors are not " +
		"evaluated. Pods with hostNetwork: true are left out: NetworkPolicy does not apply " +
		"to them, and k8s-network-host-network reports them.",
	Remediation: "Add a default-deny policy to the namespace (`kind: NetworkPolicy`, " +
		"`spec: {podSelector: {}, policyTypes: [Ingress]}`) and allow the traffic each " +
		"workload needs with narrower policies.",
	Links:   []string{linkNetworkPolicy},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		// Namespaces with Kubernetes NetworkPolicies: their workloads are judged one by
		// one through the policies' selectors (graph edges).
		hasPolicy := map[string]bool{}
		// Namespaces with a Kubernetes NetworkPolicy that isolates pods for ingress (or
		// may: its policyTypes is not known), and the egress-only policies of each
		// namespace, named in the message.
		ingressPolicy := map[string]bool{}
		egressOnly := map[string][]string{}
		// Namespaces (or, with "*", the whole cluster) with CNI-specific policies whose
		// selectors are not evaluated here: not knowing what they select, the check
		// assumes they protect the namespace rather than guess.
		covered := map[string]bool{}
		for _, r := range p.Graph.All() {
			if r.Format != graph.Kubernetes {
				continue
			}
			switch policyKind(r) {
			case "kubernetes":
				ns := r.Meta["namespace"]
				hasPolicy[ns] = true
				if policyIsolatesIngress(r) {
					ingressPolicy[ns] = true
				} else {
					egressOnly[ns] = append(egressOnly[ns], r.Meta["name"])
				}
			case "namespaced":
				covered[r.Meta["namespace"]] = true
			case "cluster":
				covered["*"] = true
			}
		}
		if covered["*"] {
			return
		}
		type nsGroup struct {
			first *graph.Resource
			names []string
			rest  []*graph.Resource
		}
		groups := map[string]*nsGroup{}
		var order []string
		for _, pd := range pods(p.Graph) {
			ns := pd.r.Meta["namespace"]
			// A PodTemplate runs nothing by itself. NetworkPolicy does not apply to pods on
			// the host network, so adding one would not help them; they are reported by
			// k8s-network-host-network.
			if pd.r.Type == "PodTemplate" || covered[ns] || isTrue(pd.get("hostNetwork")) {
				continue
			}
			if !ingressPolicy[ns] {
				g := groups[ns]
				if g == nil {
					g = &nsGroup{first: pd.r}
					groups[ns] = g
					order = append(order, ns)
				} else {
					g.rest = append(g.rest, pd.r)
				}
				g.names = append(g.names, pd.r.Type+"/"+pd.r.Meta["name"])
				continue
			}
			selected := p.Graph.ReferencedBy(pd.r, "NetworkPolicy")
			var egress []string
			isolated := false
			for _, np := range selected {
				if policyIsolatesIngress(np) {
					isolated = true
					break
				}
				egress = append(egress, np.Meta["name"])
			}
			switch {
			case isolated:
			case len(egress) > 0:
				p.Reportf(pd.r, graph.P("kind"), "only egress NetworkPolicies (%s) select its pods: no NetworkPolicy in namespace %s restricts their ingress",
					quoteList(egress), ns)
			default:
				p.Reportf(pd.r, graph.P("kind"), "no NetworkPolicy in namespace %s selects its pods", ns)
			}
		}
		for _, ns := range order {
			g := groups[ns]
			what := "has no NetworkPolicy"
			if hasPolicy[ns] {
				what = fmt.Sprintf("has only egress NetworkPolicies (%s)", quoteList(egressOnly[ns]))
			}
			f := check.Finding{
				Resource: g.first,
				Path:     graph.P("kind"),
				Message: fmt.Sprintf("namespace %s %s: %s %s traffic from any pod",
					ns, what, quoteList(g.names), plural(len(g.names), "accepts", "accept")),
			}
			for _, r := range g.rest {
				f.Related = append(f.Related, graph.Related{Range: r.DefRange, Message: "also unprotected: " + r.Address})
			}
			p.Report(f)
		}
	},
}

// policyIsolatesIngress reports whether a Kubernetes NetworkPolicy isolates the pods it
// selects for ingress, that is whether Ingress is among its effective policyTypes. The
// API server fills in an absent or empty policyTypes with Ingress always (and Egress when
// the policy has egress rules), so only a list without Ingress leaves ingress open. A
// policyTypes that is not a list of known strings (a template, a placeholder) counts as
// isolating: as with the selectors of CNI policies, the check assumes protection rather
// than guess.
func policyIsolatesIngress(np *graph.Resource) bool {
	types := np.Get("spec", "policyTypes")
	items := types.List()
	if !types.WhollyKnown() || len(items) == 0 {
		// Absent, empty, unknown, or not a list at all.
		return true
	}
	for _, t := range items {
		s, ok := t.Str()
		if !ok || s == "Ingress" || isPlaceholder(s) {
			return true
		}
	}
	return false
}

// policyKind classifies network policy objects: "kubernetes" for a
// networking.k8s.io NetworkPolicy, "namespaced" and "cluster" for the policies of
// Calico and Cilium, "" for anything else.
func policyKind(r *graph.Resource) string {
	api := r.Meta["apiVersion"]
	switch {
	case r.Type == "NetworkPolicy" && strings.HasPrefix(api, "networking.k8s.io/"):
		return "kubernetes"
	case r.Type == "NetworkPolicy" && (strings.HasPrefix(api, "projectcalico.org/") || strings.HasPrefix(api, "crd.projectcalico.org/")),
		r.Type == "CiliumNetworkPolicy":
		return "namespaced"
	case r.Type == "GlobalNetworkPolicy", r.Type == "CiliumClusterwideNetworkPolicy":
		return "cluster"
	}
	return ""
}
