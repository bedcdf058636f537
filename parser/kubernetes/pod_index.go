package kubernetes

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// podIndex holds the workloads of a scan by namespace and by pod label, so that linking
// a Service or NetworkPolicy looks only at the workloads that carry one of its selector's
// labels instead of at every workload of the scan: with thousands of manifests the
// pairwise comparison dominated the whole scan.
type podIndex struct {
	byNS    map[string][]podWorkload
	byLabel map[labelKey][]podWorkload
}

// podWorkload is a workload with its pod labels, read once.
type podWorkload struct {
	r      *graph.Resource
	labels graph.Value
}

type labelKey struct{ ns, key, value string }

func newPodIndex() *podIndex {
	return &podIndex{byNS: map[string][]podWorkload{}, byLabel: map[labelKey][]podWorkload{}}
}

// add indexes a workload; workloads keep the order they were added in under every key.
func (x *podIndex) add(r *graph.Resource) {
	w := podWorkload{r: r, labels: PodLabels(r)}
	ns := r.Meta["namespace"]
	x.byNS[ns] = append(x.byNS[ns], w)
	if !w.labels.IsObject() {
		return
	}
	for _, k := range w.labels.Keys() {
		if v, ok := w.labels.Get(k).Str(); ok {
			lk := labelKey{ns, k, v}
			x.byLabel[lk] = append(x.byLabel[lk], w)
		}
	}
}

// candidates returns, in scan order, the workloads of namespace ns that may match a
// selector whose plain label map is labels: those carrying its first label when it has
// one, every workload of the namespace otherwise. The caller still matches the whole
// selector against each.
func (x *podIndex) candidates(ns string, labels graph.Value) []podWorkload {
	if labels.IsObject() {
		if keys := labels.Keys(); len(keys) > 0 {
			if v, ok := labels.Get(keys[0]).Str(); ok {
				return x.withLabel(ns, keys[0], v)
			}
		}
	}
	return x.byNS[ns]
}

// withLabel returns, in scan order, the workloads of namespace ns whose pods carry the
// label key=value.
func (x *podIndex) withLabel(ns, key, value string) []podWorkload {
	return x.byLabel[labelKey{ns, key, value}]
}
