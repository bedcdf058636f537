package kubernetes

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// Link records the references between Kubernetes objects of a whole scan, which may be
// written in different files: a Service to the workloads its selector matches, a
// NetworkPolicy to the workloads its podSelector matches, a RoleBinding or
// ClusterRoleBinding to the Role or ClusterRole it grants. Call it once with every
// resource of the scan (others than Kubernetes are ignored) before building the graph.
// Kustomize must have built the scan's kustomizations first, so that addresses, links and
// per-namespace checks see the objects as they are deployed.
func Link(resources []*graph.Resource) {
	var (
		workloads = newPodIndex()
		roles     = map[string]*graph.Resource{} // kind/namespace/name
	)
	for _, r := range resources {
		if r.Format != graph.Kubernetes {
			continue
		}
		if r.Parts["pod"] != nil {
			workloads.add(r)
		}
		switch r.Type {
		case "Role", "ClusterRole":
			if group(r.Meta["apiVersion"]) == "rbac.authorization.k8s.io" {
				roles[r.Type+"/"+r.Meta["namespace"]+"/"+r.Meta["name"]] = r
			}
		}
	}
	for _, r := range resources {
		if r.Format != graph.Kubernetes {
			continue
		}
		switch r.Type {
		case "Service":
			linkService(r, workloads)
		case "NetworkPolicy":
			// Calico's projectcalico.org NetworkPolicy shares the kind but not the schema.
			if group(r.Meta["apiVersion"]) == "networking.k8s.io" {
				linkNetworkPolicy(r, workloads)
			}
		case "RoleBinding", "ClusterRoleBinding":
			linkBinding(r, roles)
		}
	}
}

// PodLabels returns the labels of the pods a workload runs (its pod template's labels).
func PodLabels(r *graph.Resource) graph.Value {
	meta, ok := r.Parts["podMetadata"]
	if !ok {
		return graph.Value{}
	}
	return r.Get(meta...).Get("labels")
}

// linkService links a Service to the workloads of its namespace whose pods carry every
// label of its selector. A Service without a selector selects nothing: its endpoints are
// managed by hand.
func linkService(svc *graph.Resource, workloads *podIndex) {
	sel := svc.Get("spec", "selector")
	if !sel.IsObject() {
		return
	}
	want := readLabelMap(sel)
	if !want.ok || len(want.keys) == 0 {
		// Empty, or with a value no label can equal: it selects nothing.
		return
	}
	for _, w := range workloads.withLabel(svc.Meta["namespace"], want.keys[0], want.values[0]) {
		if want.matches(w.labels) {
			svc.AddRef(w.r.Address, graph.P("spec", "selector"))
		}
	}
}

// linkNetworkPolicy links a NetworkPolicy to the workloads of its namespace whose pods its
// podSelector matches; an empty podSelector selects every pod of the namespace.
func linkNetworkPolicy(np *graph.Resource, workloads *podIndex) {
	sel := np.Get("spec", "podSelector")
	if !sel.Exists() {
		// podSelector is required; without it the policy is invalid and selects nothing.
		return
	}
	var ml graph.Value
	if sel.IsObject() {
		ml = sel.Get("matchLabels")
	}
	for _, w := range workloads.candidates(np.Meta["namespace"], ml) {
		if MatchSelector(sel, w.labels) {
			np.AddRef(w.r.Address, graph.P("spec", "podSelector"))
		}
	}
}

// linkBinding links a RoleBinding or ClusterRoleBinding to the role named by its roleRef.
// A RoleBinding may grant a ClusterRole within its namespace.
func linkBinding(b *graph.Resource, roles map[string]*graph.Resource) {
	kind, _ := b.Get("roleRef", "kind").Str()
	name, _ := b.Get("roleRef", "name").Str()
	ns := ""
	switch {
	case kind == "Role" && b.Type == "RoleBinding":
		ns = b.Meta["namespace"]
	case kind == "ClusterRole":
	default:
		return
	}
	if role := roles[kind+"/"+ns+"/"+name]; role != nil {
		b.AddRef(role.Address, graph.P("roleRef"))
	}
}
