package kubernetes

import (
	"runtime"
	"sync"
	"weak"

	"github.com/iacscan/iacscan/parser/graph"
)

// Most Kubernetes checks start from every pod of the graph and its containers; finding
// them means reading every resource of the graph, so each graph's list is read once and
// shared by the checks, which only read it. An entry lives as long as its graph: the key
// holds the graph weakly and a cleanup drops the entry when the graph is collected.
var podCache struct {
	mu sync.Mutex
	m  map[weak.Pointer[graph.Graph]]*podCacheEntry
}

type podCacheEntry struct {
	once sync.Once
	pods []pod
	// panicked is what reading the pods panicked with: every check that needs them fails
	// alike rather than seeing no pods.
	panicked any
}

// pods returns the pod spec of every Kubernetes workload in the graph, in graph order,
// with its containers, reading them once per graph. The slice is shared: callers must not
// modify it.
func pods(g *graph.Graph) []pod {
	k := weak.Make(g)
	podCache.mu.Lock()
	if podCache.m == nil {
		podCache.m = map[weak.Pointer[graph.Graph]]*podCacheEntry{}
	}
	e := podCache.m[k]
	if e == nil {
		e = &podCacheEntry{}
		podCache.m[k] = e
		runtime.AddCleanup(g, func(k weak.Pointer[graph.Graph]) {
			podCache.mu.Lock()
			delete(podCache.m, k)
			podCache.mu.Unlock()
		}, k)
	}
	podCache.mu.Unlock()
	e.once.Do(func() {
		defer func() { e.panicked = recover() }()
		e.pods = readPods(g)
	})
	if e.panicked != nil {
		panic(e.panicked)
	}
	return e.pods
}
