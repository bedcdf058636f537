package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// sampleValues are values with unknowns of every kind at several depths.
func sampleValues() []cty.Value {
	inner := cty.ObjectVal(map[string]cty.Value{
		"id":   cty.UnknownVal(cty.String),
		"port": cty.UnknownVal(cty.Number),
		"name": cty.StringVal("n"),
		"tags": cty.MapVal(map[string]cty.Value{"a": cty.UnknownVal(cty.String), "b": cty.StringVal("b")}),
		"list": cty.ListVal([]cty.Value{cty.StringVal("x"), cty.UnknownVal(cty.String)}),
		"set":  cty.SetVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")}),
		"dyn":  cty.DynamicVal,
		"tup":  cty.TupleVal([]cty.Value{cty.DynamicVal, cty.True, cty.NullVal(cty.String)}),
	})
	return []cty.Value{
		cty.StringVal("known"),
		cty.UnknownVal(cty.String),
		cty.UnknownVal(cty.Bool),
		cty.NullVal(cty.DynamicPseudoType),
		cty.EmptyObjectVal,
		inner,
		cty.ObjectVal(map[string]cty.Value{"a": inner, "b": cty.TupleVal([]cty.Value{inner, inner})}),
		cty.ListVal([]cty.Value{cty.UnknownVal(cty.Map(cty.String)), cty.MapValEmpty(cty.String)}),
		cty.StringVal("marked").Mark("m"),
		cty.ObjectVal(map[string]cty.Value{"m": cty.StringVal("x").Mark("m")}),
	}
}

// The allocation-free walks answer as cty does.
func TestWhollyKnownAndContainsMarkedMatchCty(t *testing.T) {
	for _, v := range sampleValues() {
		if got, want := whollyKnown(v), v.IsWhollyKnown(); got != want {
			t.Errorf("whollyKnown(%#v) = %v, want %v", v, got, want)
		}
		if got, want := containsMarked(v), v.ContainsMarked(); got != want {
			t.Errorf("containsMarked(%#v) = %v, want %v", v, got, want)
		}
		if marked, known := inspect(v); marked != v.ContainsMarked() || known != v.IsWhollyKnown() {
			t.Errorf("inspect(%#v) = %v, %v, want %v, %v", v, marked, known, v.ContainsMarked(), v.IsWhollyKnown())
		}
	}
}

// partialize leaves wholly known values as they are and replaces unknown text only.
func TestPartializeReplacesOnlyUnknownText(t *testing.T) {
	in := sampleValues()[5]
	got := partialize(in)
	unknown := cty.StringVal(graph.UnknownText)
	for name, want := range map[string]cty.Value{
		"id":   unknown,
		"port": cty.UnknownVal(cty.Number),
		"name": cty.StringVal("n"),
		"tags": cty.MapVal(map[string]cty.Value{"a": unknown, "b": cty.StringVal("b")}),
		"list": cty.ListVal([]cty.Value{cty.StringVal("x"), unknown}),
		"set":  cty.SetVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")}),
		"dyn":  unknown,
		"tup":  cty.TupleVal([]cty.Value{unknown, cty.True, cty.NullVal(cty.String)}),
	} {
		if a := got.GetAttr(name); !a.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", name, a, want)
		}
	}
	for _, v := range sampleValues() {
		if whollyKnown(v) && !partialize(v).RawEquals(v) {
			t.Errorf("partialize changed the wholly known %#v", v)
		}
	}
}

// partializeAlong renders the part a traversal reaches as partialize does, and leaves the
// rest alone.
func TestPartializeAlongRendersTheTraversedPart(t *testing.T) {
	root := sampleValues()[6]
	steps := hcl.Traversal{hcl.TraverseAttr{Name: "a"}, hcl.TraverseAttr{Name: "tags"}}
	got := partializeAlong(root, steps)
	if want := partialize(root).GetAttr("a").GetAttr("tags"); !got.GetAttr("a").GetAttr("tags").RawEquals(want) {
		t.Errorf("a.tags = %#v, want %#v", got.GetAttr("a").GetAttr("tags"), want)
	}
	if !got.GetAttr("a").GetAttr("id").RawEquals(root.GetAttr("a").GetAttr("id")) {
		t.Errorf("a.id was rendered though not traversed")
	}
	if !got.GetAttr("b").RawEquals(root.GetAttr("b")) {
		t.Errorf("b was rendered though not traversed")
	}
	// An index step ends the path: what lies beneath is rendered whole.
	got = partializeAlong(root, hcl.Traversal{hcl.TraverseAttr{Name: "b"}, hcl.TraverseIndex{Key: cty.NumberIntVal(0)}})
	if want := partialize(root.GetAttr("b")); !got.GetAttr("b").RawEquals(want) {
		t.Errorf("b = %#v, want %#v", got.GetAttr("b"), want)
	}
	// Rendering again along another path keeps what was rendered.
	again := partializeAlong(got, steps)
	if !again.GetAttr("b").RawEquals(got.GetAttr("b")) || !again.GetAttr("a").GetAttr("tags").RawEquals(partialize(root).GetAttr("a").GetAttr("tags")) {
		t.Errorf("rendering along a second path lost the first")
	}
}
