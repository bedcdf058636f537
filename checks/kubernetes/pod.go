package kubernetes

import (
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// pod is the pod spec of one workload (a Pod, or the template of any controller).
type pod struct {
	r    *graph.Resource
	spec graph.Path
	// val is the value at spec, read once: get steps from it instead of walking down
	// from the resource again (checks read many fields of every pod).
	val graph.Value
	// sc is the pod's securityContext, read once likewise, and onWindows what windows
	// reports.
	sc        graph.Value
	onWindows bool
	// cs holds the pod's containers when pods listed them (see pod_cache.go).
	cs []container
}

// container is one container of a pod: a regular, init or ephemeral container.
type container struct {
	pod  pod
	path graph.Path
	// val is the value at path (see pod.val), sc its securityContext, which most
	// checks read.
	val graph.Value
	sc  graph.Value
	// privileged is whether securityContext.privileged is known to be true: three
	// checks ask, for every container.
	privileged bool
	name       string
	// list is the pod spec field holding it: containers, initContainers or
	// ephemeralContainers.
	list string
}

// containerLists are the pod spec fields that hold containers. Init and ephemeral
// containers run with the same privileges as the others and are checked alike.
var containerLists = []string{"initContainers", "containers", "ephemeralContainers"}

// readPods returns the pod spec of every Kubernetes workload in the graph, in graph
// order, with its containers.
func readPods(g *graph.Graph) []pod {
	var out []pod
	for _, r := range g.All() {
		if r.Format != graph.Kubernetes {
			continue
		}
		spec, ok := r.Parts["pod"]
		if !ok {
			continue
		}
		val := r.Get(spec...)
		if !val.IsObject() {
			continue
		}
		p := pod{r: r, spec: spec, val: val, sc: val.Get("securityContext")}
		os, _ := p.get("os", "name").Str()
		p.onWindows = strings.EqualFold(os, "windows")
		p.cs = p.readContainers()
		out = append(out, p)
	}
	return out
}

// at returns the path of steps below the pod spec.
func (p pod) at(steps ...any) graph.Path {
	out := make(graph.Path, 0, len(p.spec)+len(steps))
	out = append(out, p.spec...)
	return append(out, steps...)
}

func (p pod) get(steps ...any) graph.Value { return p.val.Get(steps...) }

// windows reports whether the pod declares that it runs on Windows nodes (os.name), where
// the Linux user and capability settings do not apply.
func (p pod) windows() bool { return p.onWindows }

// containers returns every container of the pod, init containers first. The slice may
// be shared: callers must not modify it.
func (p pod) containers() []container {
	if p.cs != nil {
		return p.cs
	}
	return p.readContainers()
}

func (p pod) readContainers() []container {
	var out []container
	for _, list := range containerLists {
		for _, c := range p.get(list).List() {
			if !c.IsObject() {
				continue
			}
			name, _ := c.Get("name").Str()
			sc := c.Get("securityContext")
			out = append(out, container{
				pod: p, path: c.Path(), val: c, sc: sc, privileged: isTrue(sc.Get("privileged")), name: name, list: list,
			})
		}
	}
	return out
}

func (c container) at(steps ...any) graph.Path {
	out := make(graph.Path, 0, len(c.path)+len(steps))
	out = append(out, c.path...)
	return append(out, steps...)
}

func (c container) get(steps ...any) graph.Value { return c.val.Get(steps...) }

// security is c.security(steps...).
func (c container) security(steps ...any) graph.Value { return c.sc.Get(steps...) }

// label names the container in messages: `container "app"`, `init container "setup"`.
func (c container) label() string {
	kind := "container"
	switch c.list {
	case "initContainers":
		kind = "init container"
	case "ephemeralContainers":
		kind = "ephemeral container"
	}
	if c.name == "" {
		return kind
	}
	return kind + " \"" + c.name + "\""
}

// effective returns a security context setting as Kubernetes applies it: the container's
// securityContext overrides the pod's. cv is the container's own value of it,
// c.security(field), which the caller has read already. The path is where the deciding
// value is written, or the container's securityContext when neither sets it. A value
// read, present or not, carries that path already: no other is built.
func (c container) effective(cv graph.Value, field string) (graph.Value, graph.Path) {
	if cv.Exists() {
		return cv, cv.Path()
	}
	if v := c.pod.sc.Get(field); v.Exists() {
		return v, v.Path()
	}
	return graph.Value{}, cv.Path()
}

// isTrue reports whether v is known to be true.
func isTrue(v graph.Value) bool {
	b, ok := v.Bool()
	return ok && b
}

// isFalse reports whether v is known to be false.
func isFalse(v graph.Value) bool {
	b, ok := v.Bool()
	return ok && !b
}

// quoteList renders names as "a", "b" and "c" for messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "\"" + n + "\""
	}
	return joinAnd(q)
}

// plural returns one when n is 1 and many otherwise, for verbs and nouns that agree with
// a count.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinAnd renders items as a, b and c.
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
