package terraform

import "github.com/zclconf/go-cty/cty"

// cty's deep walks allocate: iterating an object lists and sorts its attribute names, and
// ContainsMarked first collects every nested value into a slice. Evaluation asks these
// questions of every value it computes, so they are answered here by reading an object's
// attributes straight from its type, in no particular order, which the answers do not
// depend on.

// whollyKnown is v.IsWhollyKnown().
func whollyKnown(v cty.Value) bool {
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	if !v.IsKnown() {
		return false
	}
	if v.IsNull() {
		return true
	}
	ty := v.Type()
	if ty.IsObjectType() {
		for name := range ty.AttributeTypes() {
			if !whollyKnown(v.GetAttr(name)) {
				return false
			}
		}
		return true
	}
	if v.CanIterateElements() {
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); !whollyKnown(e) {
				return false
			}
		}
	}
	return true
}

// containsMarked is v.ContainsMarked().
func containsMarked(v cty.Value) bool {
	if v.IsMarked() {
		return true
	}
	if !v.IsKnown() || v.IsNull() {
		return false
	}
	ty := v.Type()
	if ty.IsObjectType() {
		for name := range ty.AttributeTypes() {
			if containsMarked(v.GetAttr(name)) {
				return true
			}
		}
		return false
	}
	if v.CanIterateElements() {
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); containsMarked(e) {
				return true
			}
		}
	}
	return false
}

// inspect is containsMarked(v) and whollyKnown(v) in one walk of v.
func inspect(v cty.Value) (marked, known bool) {
	if v.IsMarked() {
		marked = true
		v, _ = v.Unmark()
	}
	if !v.IsKnown() {
		return marked, false
	}
	known = true
	if v.IsNull() {
		return marked, known
	}
	// Both answers are final once a mark and an unknown are found.
	ty := v.Type()
	if ty.IsObjectType() {
		for name := range ty.AttributeTypes() {
			m, k := inspect(v.GetAttr(name))
			marked, known = marked || m, known && k
			if marked && !known {
				break
			}
		}
		return marked, known
	}
	if v.CanIterateElements() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			m, k := inspect(e)
			marked, known = marked || m, known && k
			if marked && !known {
				break
			}
		}
	}
	return marked, known
}
