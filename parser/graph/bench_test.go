package graph

import (
	"strconv"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// buildIndexed records positions the way the parsers do: a workload-like tree of nested
// blocks, lists and scalar attributes, each step recorded as it is indexed, with the
// look-ups a parser makes of what it has already recorded.
func buildIndexed(r *Resource) {
	file := "apps/team-a/web/deployment.yaml"
	line := 0
	rng := func() Range {
		line++
		return Range{File: file, Start: Pos{Line: line, Column: 3}, End: Pos{Line: line, Column: 20}}
	}
	for _, top := range []string{"metadata", "spec"} {
		tp := P(top)
		for i := 0; i < 4; i++ {
			c := tp.Child("field" + strconv.Itoa(i))
			r.SetAttrInfo(c, AttrInfo{Range: rng()})
		}
		containers := tp.Child("template").Child("spec").Child("containers")
		for i := 0; i < 3; i++ {
			item := containers.Child(i)
			for _, k := range []string{"name", "image", "imagePullPolicy", "securityContext"} {
				r.SetAttrInfo(item.Child(k), AttrInfo{Range: rng()})
			}
			sc := item.Child("securityContext")
			for _, k := range []string{"privileged", "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation"} {
				r.SetAttrInfo(sc.Child(k), AttrInfo{Range: rng()})
			}
			ports := item.Child("ports")
			for j := 0; j < 3; j++ {
				pp := ports.Child(j)
				r.SetAttrInfo(pp.Child("containerPort"), AttrInfo{Range: rng()})
				r.SetAttrInfo(pp.Child("protocol"), AttrInfo{Range: rng()})
				r.SetAttrInfo(pp, AttrInfo{Range: r.AttrInfo(pp.Child("containerPort")).Range})
			}
			r.SetAttrInfo(ports, AttrInfo{Range: rng()})
			if info := r.AttrInfo(item.Child("name")); info != nil {
				info.Origins = append(info.Origins, Related{Range: rng(), Message: "set here"})
				r.SetAttrInfo(item.Child("name"), *info)
			}
			r.SetAttrInfo(item, AttrInfo{Range: rng(), Unknown: []string{"var.x has no value"}})
		}
		r.SetAttrInfo(containers, AttrInfo{Range: rng()})
		r.SetAttrInfo(tp, AttrInfo{Range: rng()})
	}
}

// lookups are the positions checks and the report ask for: written attributes, missing
// ones that fall back to their enclosing block, and the origins and unknown reasons of each.
var lookups = [][]any{
	{"spec", "template", "spec", "containers", 1, "securityContext", "privileged"},
	{"spec", "template", "spec", "containers", 2, "securityContext", "capabilities", "add", 0},
	{"spec", "template", "spec", "containers", 0, "ports", 2, "hostPort"},
	{"spec", "template", "spec", "containers", 0, "name"},
	{"metadata", "annotations", "example.com/ignore"},
	{"spec", "field3"},
	{"missing"},
}

func BenchmarkAttrIndex(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		r := &Resource{DefRange: Range{File: "x.yaml", Start: Pos{Line: 1, Column: 1}}}
		buildIndexed(r)
		for _, p := range lookups {
			_ = r.RangeOf(p...)
			_ = r.OriginsOf(p...)
			_ = r.UnknownOf(p...)
			_, _ = r.PartialOf(p...)
		}
	}
}

// BenchmarkAttrIndexSmall records the positions of a typical small resource, a Terraform
// bucket or queue with a handful of arguments and one nested block, as most resources of
// a scan are, and looks one of them up.
func BenchmarkAttrIndexSmall(b *testing.B) {
	names := []string{"bucket", "acl", "force_destroy", "tags", "tags.Name", "versioning", "versioning[0].enabled", "policy"}
	paths := make([]Path, len(names))
	for i, n := range names {
		paths[i] = P(n)
	}
	b.ReportAllocs()
	for b.Loop() {
		for k := 0; k < 100; k++ {
			r := &Resource{}
			for i, p := range paths {
				r.SetAttrInfo(p, AttrInfo{Range: Range{File: "modules/bucket/main.tf", Start: Pos{Line: i + 2, Column: 3}, End: Pos{Line: i + 2, Column: 30}}})
			}
			_ = r.RangeOf("versioning", 0, "mfa_delete")
		}
	}
}

func BenchmarkValueGet(b *testing.B) {
	port := cty.ObjectVal(map[string]cty.Value{"containerPort": cty.NumberIntVal(80), "protocol": cty.StringVal("TCP")})
	container := cty.ObjectVal(map[string]cty.Value{
		"name":            cty.StringVal("web"),
		"securityContext": cty.ObjectVal(map[string]cty.Value{"privileged": cty.True}),
		"ports":           cty.TupleVal([]cty.Value{port, port, port}),
	})
	r := &Resource{Attrs: cty.ObjectVal(map[string]cty.Value{
		"spec": cty.ObjectVal(map[string]cty.Value{"template": cty.ObjectVal(map[string]cty.Value{"spec": cty.ObjectVal(map[string]cty.Value{
			"containers": cty.TupleVal([]cty.Value{container, container}),
		})})}),
	})}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range r.Get("spec", "template", "spec", "containers").List() {
			_, _ = c.Get("securityContext", "privileged").Bool()
			for _, p := range c.Get("ports").List() {
				_, _ = p.Get("containerPort").Int()
			}
			_ = c.Get("missing", "deeper").Exists()
		}
	}
}

// BenchmarkNew builds a graph of buckets, each with a policy and an access block that
// refer to it, and instances made by count that refer to one another.
func BenchmarkNew(b *testing.B) {
	var rs []*Resource
	for i := 0; i < 500; i++ {
		file := "mod" + strconv.Itoa(i/20) + "/main.tf"
		bucket := "aws_s3_bucket.b" + strconv.Itoa(i)
		rs = append(rs, &Resource{Type: "aws_s3_bucket", Address: bucket, Scope: file, Range: Range{File: file, Start: Pos{Line: i + 1}}})
		pol := &Resource{Type: "aws_s3_bucket_policy", Address: "aws_s3_bucket_policy.p" + strconv.Itoa(i), Scope: file, Range: Range{File: file, Start: Pos{Line: i + 2}}}
		pol.AddRef(bucket, P("bucket"))
		pol.AddRef(bucket, P("policy", "Statement", 0, "Resource"))
		pab := &Resource{Type: "aws_s3_bucket_public_access_block", Address: "aws_s3_bucket_public_access_block.a" + strconv.Itoa(i), Scope: file, Range: Range{File: file, Start: Pos{Line: i + 3}}}
		pab.AddRef(bucket, P("bucket"))
		for n := 0; n < 2; n++ {
			inst := &Resource{Type: "aws_instance", Address: "aws_instance.w" + strconv.Itoa(i) + "[" + strconv.Itoa(n) + "]", BaseAddress: "aws_instance.w" + strconv.Itoa(i), Scope: file, Range: Range{File: file, Start: Pos{Line: i + 4}}}
			inst.AddRef(bucket, P("user_data"))
			rs = append(rs, inst)
		}
		rs = append(rs, pol, pab)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = New(rs)
	}
}
