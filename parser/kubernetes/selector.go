package kubernetes

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// matchLabels reports whether labels carry every key=value of a plain selector map (a
// Service selector, or a LabelSelector's matchLabels).
func matchLabels(sel, labels graph.Value) bool {
	for _, k := range sel.Keys() {
		want, ok := sel.Get(k).Str()
		if !ok {
			return false
		}
		got, ok := labels.Get(k).Str()
		if !ok || got != want {
			return false
		}
	}
	return true
}

// labelMap is a plain selector map read once, so that matching it against many
// workloads does not read it again for each: its keys in sorted order and their values.
type labelMap struct {
	keys, values []string
	// ok is false when a value is not a string, number or bool: such a selector matches
	// nothing, as matchLabels finds.
	ok bool
}

func readLabelMap(sel graph.Value) labelMap {
	m := labelMap{ok: true}
	for _, k := range sel.Keys() {
		v, ok := sel.Get(k).Str()
		if !ok {
			return labelMap{}
		}
		m.keys = append(m.keys, k)
		m.values = append(m.values, v)
	}
	return m
}

// matches is matchLabels with the selector already read.
func (m labelMap) matches(labels graph.Value) bool {
	if !m.ok {
		return false
	}
	for i, k := range m.keys {
		got, ok := labels.Get(k).Str()
		if !ok || got != m.values[i] {
			return false
		}
	}
	return true
}

// MatchSelector reports whether a metav1.LabelSelector (matchLabels and matchExpressions)
// selects an object with the given labels. An empty selector selects everything.
func MatchSelector(sel, labels graph.Value) bool {
	if !sel.IsObject() {
		// "podSelector: {}" may decode as an empty object; null is treated the same.
		return !sel.Exists() || len(sel.Keys()) == 0
	}
	if ml := sel.Get("matchLabels"); ml.Exists() && !matchLabels(ml, labels) {
		return false
	}
	for _, e := range sel.Get("matchExpressions").List() {
		key, _ := e.Get("key").Str()
		op, _ := e.Get("operator").Str()
		values := e.Get("values").Strings()
		got, has := labels.Get(key).Str()
		switch op {
		case "In":
			if !has || !contains(values, got) {
				return false
			}
		case "NotIn":
			if has && contains(values, got) {
				return false
			}
		case "Exists":
			if !has {
				return false
			}
		case "DoesNotExist":
			if has {
				return false
			}
		default:
			// An unknown operator is rejected by the API server: the selector matches
			// nothing.
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
