package aws

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// A decision that reached a verdict leaves nothing undecided: the unknown parts beside a
// public statement cannot make the bucket less public.

func TestPartialPolicyUnknownStatementLeavesOthersDeciding(t *testing.T) {
	b := bucketWith(nil)
	doc := partialDoc(`{"Effect":"Allow","Principal":{"AWS":"` + u + `"},"Action":"s3:PutObject"},` +
		`{"Sid":"Pub","Effect":"Allow","Principal":"*","Action":"s3:GetObject"}`)
	p := run(s3PublicPolicy, b, partialPolicyOn(b, doc, "var.writer has no value"))
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	expectList(t, "undecided", undecidedAt(p))
	if msg := p.Findings()[0].Message; !strings.Contains(msg, `statement "Pub"`) {
		t.Errorf("message %q should name the public statement", msg)
	}
}

func TestPublicPolicyFoundLeavesNoUndecidedForTheSameBucket(t *testing.T) {
	b := bucketWith(nil)
	pub := companion(tfBucketPolicy, "pub", b, map[string]cty.Value{"policy": str(publicPolicy)})
	unknown := companion(tfBucketPolicy, "unknown", b, map[string]cty.Value{"policy": cty.UnknownVal(cty.String)})
	p := run(s3PublicPolicy, b, pub, unknown)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.pub policy")
	expectList(t, "undecided", undecidedAt(p))
}

func TestPublicPolicyMergedWithUnknownDocumentIsReportedOnly(t *testing.T) {
	b := bucketWith(nil)
	d := policyDoc("p", map[string]cty.Value{
		"actions":    strs("s3:GetObject"),
		"principals": blocks(map[string]cty.Value{"type": str("*"), "identifiers": strs("*")}),
	})
	d.Attrs = cty.ObjectVal(map[string]cty.Value{"statement": d.Attrs.GetAttr("statement"), "source_policy_documents": cty.UnknownVal(cty.List(cty.String))})
	p := run(s3PublicPolicy, b, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	expectList(t, "undecided", undecidedAt(p))
}

// combinedDoc is the terraform-aws-s3-bucket "combined" document: source_policy_documents
// is compact([deny ? data.deny[0].json : "", var.policy]), unknown as a whole.
func combinedDoc(why ...string) *graph.Resource {
	d := res(tfPolicyDocType, "module.site.data.aws_iam_policy_document.combined[0]", map[string]cty.Value{
		"source_policy_documents": cty.UnknownVal(cty.List(cty.String)),
	})
	d.BaseAddress = "module.site.data.aws_iam_policy_document.combined"
	d.SetAttrInfo(graph.P("source_policy_documents"), graph.AttrInfo{
		Unknown: why,
		Origins: []graph.Related{{Message: "module.site passes policy"}},
	})
	return d
}

func TestUndecidedPolicyDoesNotNameDocumentsOfBranchesNotTaken(t *testing.T) {
	b := bucketWith(nil)
	d := combinedDoc("data.aws_iam_policy_document.deny_insecure_transport is read at apply time", "var.policy has no value")
	p := run(s3PublicPolicy, b, d, policyFromDoc(b, d))
	expectList(t, "undecided", undecidedAt(p), "module.site.data.aws_iam_policy_document.combined[0] source_policy_documents")
	expectList(t, "reasons", p.Undecideds()[0].Reasons, "var.policy has no value")
}

func TestPolicyMergedFromDocumentsReadAndBranchesNotTakenIsDecided(t *testing.T) {
	b := bucketWith(nil)
	private := policyDoc("private", map[string]cty.Value{
		"actions":    strs("s3:GetObject"),
		"principals": blocks(map[string]cty.Value{"type": str("AWS"), "identifiers": strs("arn:aws:iam::111122223333:root")}),
	})
	d := combinedDoc("data.aws_iam_policy_document.deny_insecure_transport is read at apply time",
		"data.aws_iam_policy_document.private is read at apply time")
	d.AddRef(private.Address, graph.P("source_policy_documents"))
	p := run(s3PublicPolicy, b, private, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestDocumentOfTheSameModuleInstanceIsNotABranchNotTaken(t *testing.T) {
	b := bucketWith(nil)
	deny := res(tfPolicyDocType, "module.site.data.aws_iam_policy_document.extra[0]", map[string]cty.Value{})
	deny.BaseAddress = "module.site.data.aws_iam_policy_document.extra"
	d := combinedDoc("data.aws_iam_policy_document.extra is read at apply time")
	p := run(s3PublicPolicy, b, deny, d, policyFromDoc(b, d))
	// extra exists but the list does not refer to it: its statements may be hidden.
	expectList(t, "reasons", p.Undecideds()[0].Reasons, "data.aws_iam_policy_document.extra is read at apply time")
}

func TestReferenceInReadsTheResourceOfAParserReason(t *testing.T) {
	tests := []struct{ why, typ, ref string }{
		{"data.aws_iam_policy_document.deny is read at apply time", "aws_iam_policy_document", "data.aws_iam_policy_document.deny"},
		{"aws_s3_bucket.b.arn is known only after apply", "aws_s3_bucket", "aws_s3_bucket.b"},
		{"data.aws_caller_identity.me.account_id is known only after apply", "aws_caller_identity", "data.aws_caller_identity.me"},
		{"var.policy has no value", "", ""},
		{"function provider::aws::arn_parse is known only after apply", "", ""},
		{"count of aws_s3_bucket.b is not known", "", ""},
	}
	for _, tt := range tests {
		typ, ref, ok := referenceIn(tt.why)
		if typ != tt.typ || ref != tt.ref || ok != (tt.ref != "") {
			t.Errorf("referenceIn(%q) = %q, %q, %v; want %q, %q", tt.why, typ, ref, ok, tt.typ, tt.ref)
		}
	}
}

func TestPartialPolicyReasonsLeaveOutResourcesOfBranchesNotTaken(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":{"AWS":"`+u+`"},"Action":"s3:GetObject"}`),
		"aws_iam_role.legacy.arn is known only after apply", "var.reader has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "reasons", p.Undecideds()[0].Reasons, "Principal of statement 1 is not known statically", "var.reader has no value")
}

func TestPublicACLFoundLeavesNoUndecidedForTheSameBucket(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": str("public-read"), "grant": cty.UnknownVal(cty.List(cty.DynamicPseudoType))})
	p := run(s3PublicACL, b)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket.b acl")
	expectList(t, "undecided", undecidedAt(p))
}
