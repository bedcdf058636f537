package aws

import (
	"runtime"
	"sync"
	"weak"

	"github.com/iacscan/iacscan/parser/graph"
)

// graphCache keeps a value per graph (and key) that several checks start from, read once
// and shared. Entries live as long as their graph does: the key holds the graph weakly
// and a cleanup drops the entry when the graph is collected.
type graphCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[graphKey[K]]*graphCacheEntry[V]
}

type graphKey[K comparable] struct {
	g weak.Pointer[graph.Graph]
	k K
}

type graphCacheEntry[V any] struct {
	once sync.Once
	v    V
	// panicked is what reading the value panicked with: every check that needs it
	// fails alike rather than seeing an empty value.
	panicked any
}

// get returns the value for g and k, calling read the first time it is asked for.
func (c *graphCache[K, V]) get(g *graph.Graph, k K, read func() V) V {
	key := graphKey[K]{weak.Make(g), k}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[graphKey[K]]*graphCacheEntry[V]{}
	}
	e := c.m[key]
	if e == nil {
		e = &graphCacheEntry[V]{}
		c.m[key] = e
		runtime.AddCleanup(g, func(key graphKey[K]) {
			c.mu.Lock()
			delete(c.m, key)
			c.mu.Unlock()
		}, key)
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
