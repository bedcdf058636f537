package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestValueAccessorsNeverPanicOnOddValues(t *testing.T) {
	odd := []cty.Value{
		cty.NilVal,
		cty.NullVal(cty.String),
		cty.NullVal(cty.DynamicPseudoType),
		cty.DynamicVal,
		cty.UnknownVal(cty.List(cty.String)),
		cty.StringVal("x").Mark("sensitive"),
		cty.NumberFloatVal(1.5),
		cty.ListValEmpty(cty.String),
		cty.MapValEmpty(cty.String),
		cty.SetVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		cty.TupleVal([]cty.Value{cty.True, cty.NullVal(cty.Number)}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.UnknownVal(cty.String).Mark("m")}),
	}
	for _, v := range odd {
		val := ValueAt(v, nil)
		for _, x := range []Value{val, val.Get("a"), val.Get(0), val.Get(5, "b"), val.Get(-1)} {
			_ = x.Exists()
			_ = x.IsKnown()
			_ = x.WhollyKnown()
			_, _ = x.Str()
			_, _ = x.Bool()
			_, _ = x.Int()
			_ = x.List()
			_ = x.Strings()
			_ = x.Keys()
			_ = x.IsObject()
		}
	}
}

func TestValueGetFollowsObjectsListsAndMaps(t *testing.T) {
	attrs := cty.ObjectVal(map[string]cty.Value{
		"ingress": cty.TupleVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"cidr_blocks": cty.ListVal([]cty.Value{cty.StringVal("10.0.0.0/8"), cty.StringVal("0.0.0.0/0")})}),
		}),
		"tags":      cty.MapVal(map[string]cty.Value{"Name": cty.StringVal("web")}),
		"encrypted": cty.StringVal("false"),
		"port":      cty.StringVal("22"),
		"acl":       cty.UnknownVal(cty.String),
	})
	r := &Resource{Attrs: attrs}
	v := r.Get("ingress", 0, "cidr_blocks", 1)
	if s, ok := v.Str(); !ok || s != "0.0.0.0/0" {
		t.Errorf("ingress[0].cidr_blocks[1] = %q, %v", s, ok)
	}
	if got := v.Path().String(); got != "ingress[0].cidr_blocks[1]" {
		t.Errorf("path = %q", got)
	}
	if s, _ := r.Get("tags", "Name").Str(); s != "web" {
		t.Errorf("tags.Name = %q", s)
	}
	if b, ok := r.Get("encrypted").Bool(); !ok || b {
		t.Errorf(`"false" as bool = %v, %v`, b, ok)
	}
	if n, ok := r.Get("port").Int(); !ok || n != 22 {
		t.Errorf(`"22" as int = %v, %v`, n, ok)
	}
	if r.Get("missing").Exists() || !r.Get("missing").IsKnown() {
		t.Error("a missing attribute must be absent and known to be absent")
	}
	if acl := r.Get("acl"); !acl.Exists() || acl.IsKnown() {
		t.Error("an unknown attribute must exist and be unknown")
	}
	if r.Get("acl", "x").IsKnown() {
		t.Error("a step into an unknown value must stay unknown")
	}
	if one := ValueAt(cty.ObjectVal(map[string]cty.Value{"a": cty.True}), nil).List(); len(one) != 1 {
		t.Error("a single object must read as a list of one block")
	}
}

func TestRangeOfFallsBackToEnclosingAttributeThenHeader(t *testing.T) {
	header := Range{File: "main.tf", Start: Pos{Line: 1, Column: 1}}
	block := Range{File: "main.tf", Start: Pos{Line: 3, Column: 3}}
	r := &Resource{DefRange: header}
	r.SetAttrInfo(P("ingress", 0), AttrInfo{Range: block})
	if got := r.RangeOf("ingress", 0, "cidr_blocks"); got != block {
		t.Errorf("missing attribute inside a block: got %v, want the block %v", got, block)
	}
	if got := r.RangeOf("acl"); got != header {
		t.Errorf("missing top-level attribute: got %v, want the header %v", got, header)
	}
	if got := r.UnknownOf("acl"); len(got) != 1 {
		t.Errorf("UnknownOf without a recorded reason must still say something: %v", got)
	}
}

func TestGraphResolvesReferencesWithinScopeToEveryInstance(t *testing.T) {
	b0 := &Resource{Type: "aws_s3_bucket", Address: "aws_s3_bucket.b[0]", BaseAddress: "aws_s3_bucket.b", Scope: "a"}
	b1 := &Resource{Type: "aws_s3_bucket", Address: "aws_s3_bucket.b[1]", BaseAddress: "aws_s3_bucket.b", Scope: "a"}
	other := &Resource{Type: "aws_s3_bucket", Address: "aws_s3_bucket.b", Scope: "b"}
	pab := &Resource{Type: "aws_s3_bucket_public_access_block", Address: "aws_s3_bucket_public_access_block.p", Scope: "a"}
	pab.AddRef("aws_s3_bucket.b", P("bucket"))
	pab.AddRef("aws_s3_bucket.b", P("bucket")) // recorded twice, one edge per target
	g := New([]*Resource{pab, b1, other, b0})

	if got := g.ReferencedVia(b0, "bucket", "aws_s3_bucket_public_access_block"); len(got) != 1 || got[0] != pab {
		t.Errorf("b[0] not protected by the block: %v", got)
	}
	if got := g.ReferencedVia(b1, "bucket"); len(got) != 1 {
		t.Errorf("a reference without index must reach every instance: %v", got)
	}
	if got := g.ReferencedBy(other); len(got) != 0 {
		t.Errorf("references must not cross scopes: %v", got)
	}
	if got := g.ReferencedVia(b0, "policy"); len(got) != 0 {
		t.Errorf("a reference through another attribute matched: %v", got)
	}
	if n := len(g.Out(pab)); n != 2 {
		t.Errorf("want one edge per instance, got %d", n)
	}
	if got := g.Resources("aws_s3_bucket"); len(got) != 3 {
		t.Errorf("by type: %d", len(got))
	}
}

func TestPathRendering(t *testing.T) {
	if got := P("a", 0, "b", 12).String(); got != "a[0].b[12]" {
		t.Errorf("got %q", got)
	}
	p := P("a")
	c := p.Child("b")
	if p.String() != "a" || c.String() != "a.b" || c.Parent().String() != "a" {
		t.Error("Child must not modify its receiver")
	}
}

func TestAttrInfoIsReplacedAndKeyedByRendering(t *testing.T) {
	r := &Resource{}
	first := Range{File: "main.tf", Start: Pos{Line: 2, Column: 3}, End: Pos{Line: 2, Column: 9}}
	r.SetAttrInfo(P("tags", "Name"), AttrInfo{Range: first, Origins: []Related{{Range: first, Message: "set here"}}, Unknown: []string{"var.x has no value"}, Partial: cty.StringVal("p")})
	// A name with a dot renders like two steps, so it is the same key.
	if info := r.AttrInfo(P("tags.Name")); info == nil || info.Range != first || len(info.Origins) != 1 || len(info.Unknown) != 1 {
		t.Fatalf("tags.Name: %+v", info)
	}
	// A later record replaces the whole earlier one, side record included.
	other := Range{File: "other.tf", Start: Pos{Line: 7, Column: 1}, End: Pos{Line: 7, Column: 4}}
	r.SetAttrInfo(P("tags", "Name"), AttrInfo{Range: other})
	if info := r.AttrInfo(P("tags", "Name")); info == nil || info.Range != other || info.Origins != nil || info.Unknown != nil || info.Partial != cty.NilVal {
		t.Fatalf("replaced record: %+v", info)
	}
	if _, ok := r.PartialOf("tags", "Name"); ok {
		t.Error("a replaced partial value is still found")
	}
	// Positions too large for the compact form are kept whole.
	wide := Range{File: "big.tf", Start: Pos{Line: 1 << 40, Column: 1}, End: Pos{Line: 1 << 40, Column: -1 << 35}}
	r.SetAttrInfo(P("big"), AttrInfo{Range: wide})
	if got := r.RangeOf("big", "deeper"); got != wide {
		t.Errorf("wide range: %v", got)
	}
	// Many records: every one is still found, and the copy returned is the caller's.
	for i := 0; i < 1000; i++ {
		r.SetAttrInfo(P("list", i), AttrInfo{Range: Range{File: "main.tf", Start: Pos{Line: i, Column: 1}}, Unknown: []string{"u"}})
	}
	for i := 0; i < 1000; i++ {
		info := r.AttrInfo(P("list", i))
		if info == nil || info.Range.Start.Line != i || len(r.UnknownOf("list", i, "x")) != 1 || r.UnknownOf("list", i)[0] != "u" {
			t.Fatalf("list[%d]: %+v", i, info)
		}
		info.Range.Start.Line = -1
	}
	if r.AttrInfo(P("list", 3)).Range.Start.Line != 3 {
		t.Error("changing the returned copy changed the index")
	}
	if r.AttrInfo(P("list")) != nil || r.AttrInfo(P("list", 1000)) != nil {
		t.Error("a path never recorded was found")
	}
}

// TestAttrIndexAgreesWithAMapOfRenderings records and replaces many paths that share
// prefixes, are prefixes of one another, are long or empty, and checks every one against
// a plain map keyed by Path.String after each step.
func TestAttrIndexAgreesWithAMapOfRenderings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"", "a", "ab", "spec", "containers", "tags.Name", strings.Repeat("long", 40), "x[1]"}
	randomPath := func() Path {
		p := Path{}
		for n := rng.IntN(6); n > 0; n-- {
			if rng.IntN(3) == 0 {
				p = append(p, rng.IntN(12)-1)
			} else {
				p = append(p, names[rng.IntN(len(names))])
			}
		}
		return p
	}
	r := &Resource{}
	want := map[string]AttrInfo{}
	for step := 0; step < 3000; step++ {
		p := randomPath()
		line := rng.IntN(1 << uint(rng.IntN(40)))
		info := AttrInfo{Range: Range{File: names[rng.IntN(3)], Start: Pos{Line: line, Column: rng.IntN(300)}, End: Pos{Line: line + rng.IntN(70000), Column: rng.IntN(5)}}}
		// Side values differ in length and name the step that wrote them, so that an
		// entry pointing at another entry's side list, or at a stale one, is caught.
		if rng.IntN(4) == 0 {
			for k := rng.IntN(4); k >= 0; k-- {
				info.Unknown = append(info.Unknown, fmt.Sprintf("%d/%d %s", step, k, p))
			}
		}
		if rng.IntN(5) == 0 {
			for k := rng.IntN(4); k >= 0; k-- {
				info.Origins = append(info.Origins, Related{Range: Range{File: "o", Start: Pos{Line: step, Column: k}}, Message: p.String()})
			}
		}
		if rng.IntN(10) == 0 {
			info.Partial = cty.StringVal(fmt.Sprintf("%d %s", step, p))
		}
		r.SetAttrInfo(p, info)
		want[p.String()] = info
		if step%100 != 0 {
			continue
		}
		for i := 0; i < 200; i++ {
			q := randomPath()
			// The key comparison is reached only on a hash match, so try it on its own.
			key := []byte(q.String())
			for k := 0; k < 5; k++ {
				e := rng.IntN(len(r.attrs.entries))
				stored := r.attrs.appendKeyOf(nil, e)
				if r.attrs.keyIs(e, key) != (string(stored) == string(key)) || !r.attrs.keyIs(e, stored) {
					t.Fatalf("step %d: entry %d is %q; keyIs(%q) is wrong", step, e, stored, key)
				}
				if got, want := r.attrs.commonPrefix(e, key), commonLen(stored, key); got != want {
					t.Fatalf("step %d: entry %d is %q; commonPrefix(%q) is %d, want %d", step, e, stored, key, got, want)
				}
			}
			got := r.AttrInfo(q)
			w, ok := want[q.String()]
			if !ok {
				if got != nil {
					t.Fatalf("step %d: %q was never recorded but is found: %+v", step, q.String(), got)
				}
				continue
			}
			if got == nil || got.Range != w.Range || !slices.Equal(got.Unknown, w.Unknown) || !slices.Equal(got.Origins, w.Origins) || !samePartial(got.Partial, w.Partial) {
				t.Fatalf("step %d: %q: got %+v, want %+v", step, q.String(), got, w)
			}
		}
	}
}

func samePartial(a, b cty.Value) bool {
	if a == cty.NilVal || b == cty.NilVal {
		return a == cty.NilVal && b == cty.NilVal
	}
	return a.RawEquals(b)
}

// TestPositionLookupsDoNotAllocate guards what checks rely on when they report: looking a
// position up, in a small resource or a large one, allocates nothing, up to the bounds
// of the stack buffers, and finds what was recorded beyond them.
func TestPositionLookupsDoNotAllocate(t *testing.T) {
	for _, n := range []int{3, 200} {
		r := &Resource{DefRange: Range{File: "main.tf", Start: Pos{Line: 1, Column: 1}}}
		for i := 0; i < n; i++ {
			r.SetAttrInfo(P("ingress", i, "cidr_blocks"), AttrInfo{
				Range:   Range{File: "main.tf", Start: Pos{Line: i + 2, Column: 3}},
				Origins: []Related{{Message: "set here"}},
				Unknown: []string{"var.x has no value"},
				Partial: cty.StringVal("p"),
			})
		}
		allocs := testing.AllocsPerRun(100, func() {
			_ = r.RangeOf("ingress", n-1, "cidr_blocks", 0)
			_ = r.RangeOf("egress")
			_ = r.OriginsOf("ingress", 0, "cidr_blocks")
			_ = r.UnknownOf("ingress", 1, "cidr_blocks", 2)
			_, _ = r.PartialOf("ingress", 2, "cidr_blocks")
		})
		if allocs != 0 {
			t.Errorf("%d attributes: %v allocations per look-up round", n, allocs)
		}
	}

	// The look-ups render keys in stack buffers: a key of up to maxStackKey bytes and a
	// path of up to maxStackDepth steps is looked up without allocating, and a longer or
	// deeper one still finds what was recorded.
	deep := func(n int) Path {
		p := Path{}
		for len(p) < n {
			p = append(p, "a")
			if len(p) < n {
				p = append(p, 0)
			}
		}
		return p
	}
	for _, tc := range []struct {
		name string
		// path is recorded; lookup, which path encloses, is looked up.
		path, lookup Path
		noAllocs     bool
	}{
		{"key at the bound", P("metadata", "annotations", strings.Repeat("k", maxStackKey-len("metadata.annotations."))), nil, true},
		{"key past the bound", P("metadata", "annotations", strings.Repeat("k", 3*maxStackKey)), nil, false},
		{"path at the bound", deep(maxStackDepth - 2), deep(maxStackDepth), true},
		{"path past the bound", deep(3 * maxStackDepth), deep(3*maxStackDepth + 5), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := tc.lookup
			if lookup == nil {
				lookup = tc.path
			}
			r := &Resource{DefRange: Range{File: "main.tf", Start: Pos{Line: 1, Column: 1}}}
			// Enough other entries that the index has a hash table, whose growth
			// rebuilds every key.
			for i := 0; i < 2*scanEntries; i++ {
				r.SetAttrInfo(P("other", i), AttrInfo{Range: Range{File: "main.tf", Start: Pos{Line: 100 + i, Column: 1}}})
			}
			want := AttrInfo{
				Range:   Range{File: "main.tf", Start: Pos{Line: 7, Column: 3}},
				Origins: []Related{{Message: "set here"}},
				Unknown: []string{"var.x has no value"},
				Partial: cty.StringVal("p"),
			}
			r.SetAttrInfo(tc.path, want)
			for i := 0; i < 2*scanEntries; i++ {
				r.SetAttrInfo(P("more", i), AttrInfo{Range: Range{File: "main.tf", Start: Pos{Line: 200 + i, Column: 1}}})
			}
			if got := r.AttrInfo(tc.path); got == nil || got.Range != want.Range || !slices.Equal(got.Origins, want.Origins) || !slices.Equal(got.Unknown, want.Unknown) {
				t.Fatalf("AttrInfo: got %+v, want %+v", got, want)
			}
			if v, ok := r.PartialOf(tc.path...); !ok {
				t.Fatalf("PartialOf: nothing found")
			} else if s, _ := v.Str(); s != "p" {
				t.Fatalf("PartialOf: got %q", s)
			}
			if got := r.RangeOf(lookup...); got != want.Range {
				t.Fatalf("RangeOf: got %v, want %v", got, want.Range)
			}
			if got := r.OriginsOf(lookup...); !slices.Equal(got, want.Origins) {
				t.Fatalf("OriginsOf: got %v", got)
			}
			if got := r.UnknownOf(lookup...); !slices.Equal(got, want.Unknown) {
				t.Fatalf("UnknownOf: got %v", got)
			}
			if !tc.noAllocs {
				return
			}
			allocs := testing.AllocsPerRun(100, func() {
				_ = r.RangeOf(lookup...)
				_ = r.OriginsOf(lookup...)
				_ = r.UnknownOf(lookup...)
				_, _ = r.PartialOf(tc.path...)
			})
			if allocs != 0 {
				t.Errorf("%v allocations per look-up round", allocs)
			}
		})
	}
}
