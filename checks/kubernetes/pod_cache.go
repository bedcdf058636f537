package kubernetes

import (
	"github.com/iacscan/iacscan/checks/internal/pergraph"
	"github.com/iacscan/iacscan/parser/graph"
)

// Most Kubernetes checks start from every pod of the graph and its containers; finding
// them means reading every resource of the graph, so each graph's list is read once and
// shared by the checks, which only read it.
var podCache pergraph.Cache[struct{}, []pod]

// pods returns the pod spec of every Kubernetes workload in the graph, in graph order,
// with its containers, reading them once per graph. The slice is shared: callers must not
// modify it.
func pods(g *graph.Graph) []pod {
	return podCache.Get(g, struct{}{}, func() []pod { return readPods(g) })
}
