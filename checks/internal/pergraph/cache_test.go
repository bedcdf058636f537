package pergraph

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestCacheReadsOncePerGraphAndKey(t *testing.T) {
	var c Cache[string, int]
	g1, g2 := graph.New(nil), graph.New(nil)
	var reads atomic.Int32
	read := func(v int) func() int { return func() int { reads.Add(1); return v } }
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := c.Get(g1, "a", read(1)); got != 1 {
				t.Errorf("g1/a: got %d, want 1", got)
			}
		})
	}
	wg.Wait()
	if got := c.Get(g1, "b", read(2)); got != 2 {
		t.Errorf("g1/b: got %d, want 2", got)
	}
	if got := c.Get(g2, "a", read(3)); got != 3 {
		t.Errorf("g2/a: got %d, want 3", got)
	}
	if n := reads.Load(); n != 3 {
		t.Errorf("read %d times, want once per graph and key (3)", n)
	}
	runtime.KeepAlive(g1)
	runtime.KeepAlive(g2)
}

func TestCacheRepeatsAPanicToEveryCaller(t *testing.T) {
	var c Cache[int, int]
	g := graph.New(nil)
	for i := range 2 {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("call %d: recovered %v, want the read's panic", i, r)
				}
			}()
			c.Get(g, 0, func() int { panic("boom") })
		}()
	}
}

func TestCacheForgetsAGraphOnceItIsCollected(t *testing.T) {
	var c Cache[int, []int]
	w := func() weak.Pointer[graph.Graph] {
		g := graph.New(nil)
		c.Get(g, 1, func() []int { return make([]int, 1000) })
		return weak.Make(g)
	}()
	for range 50 {
		runtime.GC()
		if !c.Holds(w, 1) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the cache still holds the value of a collected graph")
}
