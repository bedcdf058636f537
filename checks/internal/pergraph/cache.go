// Package pergraph keeps values that several checks derive from one graph — every pod and
// its containers, the ingress rules of every security group — so that each is read once
// per graph and shared by the checks, which run concurrently and only read it.
package pergraph

import (
	"runtime"
	"sync"
	"weak"

	"github.com/iacscan/iacscan/parser/graph"
)

// Cache keeps a value per graph and key K. Entries live as long as their graph does: the
// key holds the graph weakly and a cleanup drops the entry when the graph is collected.
// The zero Cache is ready to use.
type Cache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[key[K]]*entry[V]
}

type key[K comparable] struct {
	g weak.Pointer[graph.Graph]
	k K
}

type entry[V any] struct {
	once sync.Once
	v    V
	// panicked is what reading the value panicked with: every check that needs it
	// fails alike rather than seeing an empty value.
	panicked any
}

// Get returns the value for g and k, calling read the first time it is asked for; other
// callers asking meanwhile wait for it. The value is shared: callers must not modify it.
func (c *Cache[K, V]) Get(g *graph.Graph, k K, read func() V) V {
	ck := key[K]{weak.Make(g), k}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[key[K]]*entry[V]{}
	}
	e := c.m[ck]
	if e == nil {
		e = &entry[V]{}
		c.m[ck] = e
		runtime.AddCleanup(g, func(ck key[K]) {
			c.mu.Lock()
			delete(c.m, ck)
			c.mu.Unlock()
		}, ck)
	}
	c.mu.Unlock()
	e.once.Do(func() {
		defer func() { e.panicked = recover() }()
		e.v = read()
	})
	if e.panicked != nil {
		panic(e.panicked)
	}
	return e.v
}

// Holds reports whether the cache still has an entry for the graph g points to and k.
// Tests use it to see entries go with their graph.
func (c *Cache[K, V]) Holds(g weak.Pointer[graph.Graph], k K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[key[K]{g, k}]
	return ok
}
