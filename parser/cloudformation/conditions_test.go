package cloudformation

import (
	"strings"
	"testing"
)

func TestUndecidedConditionExpandsIntoOneVariantPerAssumption(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	if n := count(rs, "AclBucket"); n != 2 {
		t.Fatalf("AclBucket has %d variants, want 2", n)
	}
	yes := resource(t, rs, "AclBucket", "HasAcl=true")
	wantUnknown(t, yes, "parameter BucketAcl has no default", "AccessControl")
	wantOrigin(t, yes, "assuming condition HasAcl is true (parameter BucketAcl has no default)", 20, "AccessControl")
	no := resource(t, rs, "AclBucket", "HasAcl=false")
	wantStr(t, no, "Private", "AccessControl")
	wantOrigin(t, no, "assuming condition HasAcl is false (parameter BucketAcl has no default)", 20, "AccessControl")
	if yes.Address != no.Address || yes.Range != no.Range {
		t.Error("variants differ in address or range")
	}
}

func TestAssumptionIsMadeOnTheUndecidedInnerCondition(t *testing.T) {
	rs := parseTestdata(t, "conditions.yaml", Options{})
	prod := resource(t, rs, "Nested", "IsProd=true")
	wantStr(t, prod, "Private", "AccessControl")
	wantOrigin(t, prod, "condition IsProdEu is true", 11, "AccessControl")
	wantOrigin(t, prod, `parameter Region default "eu-west-1"`, 7, "AccessControl")
	wantStr(t, resource(t, rs, "Nested", "IsProd=false"), "PublicRead", "AccessControl")
}

func TestResourceConditionUndecidedKeepsOnlyTheCreatedVariants(t *testing.T) {
	rs := parseTestdata(t, "conditions.yaml", Options{})
	if n := count(rs, "Guarded"); n != 2 {
		t.Fatalf("Guarded has %d variants, want 2", n)
	}
	r := resource(t, rs, "Guarded", "IsProd=true,IsUs=true")
	if r.Meta["condition"] != "IsProd" {
		t.Errorf("Meta[condition] = %q", r.Meta["condition"])
	}
	wantStr(t, r, "Private", "AccessControl")
	wantStr(t, resource(t, rs, "Guarded", "IsProd=true,IsUs=false"), "PublicRead", "AccessControl")
}

func TestVariantsAreBoundedAndTheRestIsUnknown(t *testing.T) {
	rs := parseTestdata(t, "conditions.yaml", Options{})
	if n := count(rs, "Many"); n != maxVariants {
		t.Fatalf("Many has %d variants, want %d", n, maxVariants)
	}
	r := resource(t, rs, "Many", "A=false,B=true,C=false")
	if n, ok := r.Get("B").Int(); !ok || n != 1 {
		t.Errorf("B = %d (%v), want 1", n, ok)
	}
	v := r.Get("D")
	if v.IsKnown() {
		t.Fatalf("D is known beyond the variant budget")
	}
	if got := strings.Join(r.UnknownOf("D"), "|"); !strings.Contains(got, "condition D is undecided") {
		t.Errorf("D unknown because %q", got)
	}
}

func TestConditionCycleIsDiagnosedAndUnknown(t *testing.T) {
	path := "testdata/conditions.yaml"
	src := mustRead(t, path)
	rs, diags := Parse(path, src)
	wantDiag(t, diags, "refers to itself", 18)
	if n := count(rs, "Looping"); n != 1 {
		t.Fatalf("Looping has %d variants, want 1", n)
	}
	if resource(t, rs, "Looping", "").Get("TopicName").IsKnown() {
		t.Error("TopicName is known despite a cyclic condition")
	}
}
