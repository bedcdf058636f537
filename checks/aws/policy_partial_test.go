package aws

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// u is the stand-in for an unknown piece in a partial rendering.
const u = graph.UnknownText

// partialPolicyOn returns an aws_s3_bucket_policy of b whose policy is unknown, with the
// partial rendering doc and the parser's unknown reasons why.
func partialPolicyOn(b *graph.Resource, doc string, why ...string) *graph.Resource {
	pol := companion(tfBucketPolicy, "b", b, map[string]cty.Value{"policy": cty.UnknownVal(cty.String)})
	pol.SetAttrInfo(graph.P("policy"), graph.AttrInfo{Partial: cty.StringVal(doc), Unknown: why})
	return pol
}

const arnWhy = "aws_s3_bucket.b.arn is known only after apply"

func partialDoc(statement string) string {
	return `{"Version":"2012-10-17","Statement":[` + statement + `]}`
}

func TestPartialPolicyWithUnknownResourceAndPublicPrincipalIsReported(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Sid":"Pub","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"`+u+`/*"}`), arnWhy)
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	expectList(t, "undecided", undecidedAt(p))
}

func TestPartialPolicyWithUnknownActionToEveryoneIsReported(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:`+u+`","Resource":"*"}`), "var.action has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	if msg := p.Findings()[0].Message; strings.Contains(msg, u) || !strings.Contains(msg, "s3:"+unknownShown) {
		t.Errorf("message %q should show the unknown action readably", msg)
	}
}

func TestPartialPolicyWithUnknownPrincipalIsUndecidedAtThePolicy(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":{"AWS":"`+u+`"},"Action":"s3:GetObject","Resource":"`+u+`/*"}`),
		"var.reader has no value", arnWhy)
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_policy.b policy")
	if r := p.Undecideds()[0].Reasons; len(r) == 0 || !strings.Contains(r[0], "Principal of statement 1") {
		t.Errorf("reasons %q should name the unknown part and its statement", r)
	}
}

func TestPartialPolicyPrincipalBuiltFromAResourceIsNamed(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":{"AWS":"`+u+`"},"Action":"s3:GetObject","Resource":"`+u+`/*"}`),
		"aws_iam_role.reader.arn is known only after apply", arnWhy)
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestPartialPolicyPrincipalARNWithUnknownAccountIsNamed(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+u+`:root"},"Action":"s3:GetObject"}`), "var.account has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestPartialPolicyWithKnownRestrictingConditionIsNotReported(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"`+u+`/*",`+
		`"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c"}}}`), arnWhy)
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestPartialPolicyConditionOnAResourceARNRestricts(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject"},`+
		`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"`+u+`/*","Condition":{"StringEquals":{"aws:SourceArn":"`+u+`"}}}`),
		arnWhy, "aws_cloudfront_distribution.cdn.arn is known only after apply")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestPartialPolicyConditionFromAVariableWithoutValueIsUndecided(t *testing.T) {
	// StringLike, ArnEquals and StringEqualsIfExists may be given "*" or pass without
	// the key.
	for _, op := range []string{"StringLike", "ArnEquals", "StringEqualsIfExists", "ForAllValues:StringEquals"} {
		b := bucketWith(nil)
		pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"`+op+`":{"aws:SourceVpce":"`+u+`"}}}`),
			"var.vpce has no value")
		p := run(s3PublicPolicy, b, pol)
		expectList(t, op+" findings", findingsAt(p))
		expectList(t, op+" undecided", undecidedAt(p), "aws_s3_bucket_policy.b policy")
	}
}

func TestPartialPolicyExactMatchOnAVariableWithoutValueRestricts(t *testing.T) {
	// StringEquals has no wildcards: whatever var.vpce is, only that endpoint matches.
	for _, op := range []string{"StringEquals", "StringEqualsIgnoreCase", "ForAnyValue:StringEquals"} {
		b := bucketWith(nil)
		pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"`+op+`":{"aws:SourceVpce":"`+u+`"}}}`),
			"var.vpce has no value")
		p := run(s3PublicPolicy, b, pol)
		expectList(t, op+" findings", findingsAt(p))
		expectList(t, op+" undecided", undecidedAt(p))
	}
	// A key that does not identify the caller restricts nothing, and an open value
	// written next to the unknown one still opens the condition.
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"aws:Referer":"`+u+`"}}}`),
		"var.referer has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "non-restricting key findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	pol = partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":["`+u+`","0.0.0.0/0"]}}}`),
		"var.cidr has no value")
	p = run(s3PublicPolicy, b, pol)
	expectList(t, "IpAddress undecided", undecidedAt(p), "aws_s3_bucket_policy.b policy")
}

func TestPartialPolicyWholeConditionUnknownIsUndecided(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":"`+u+`"}`), "var.condition has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_policy.b policy")
}

func TestPartialPolicyUnknownNonRestrictingConditionDoesNotMatter(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":"`+u+`"}}}`),
		"var.tls has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
}

func TestPartialPolicyThatIsNotJSONIsUndecided(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, `{"Statement": `+u+`}`, "var.statements has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_policy.b policy")
}

func TestPartialPolicyWithUnknownEffectIsUndecided(t *testing.T) {
	b := bucketWith(nil)
	pol := partialPolicyOn(b, partialDoc(`{"Effect":"`+u+`","Principal":"*","Action":"s3:GetObject"}`), "var.effect has no value")
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_policy.b policy")
}

func TestPartialDocumentListElementIsRead(t *testing.T) {
	d := res(tfPolicyDocType, "data.aws_iam_policy_document.c", map[string]cty.Value{
		"source_policy_documents": cty.UnknownVal(cty.List(cty.String)),
	})
	d.Meta = map[string]string{"mode": "data"}
	d.SetAttrInfo(graph.P("source_policy_documents"), graph.AttrInfo{
		Partial: cty.TupleVal([]cty.Value{str(partialDoc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"` + u + `"}`))}),
		Unknown: []string{arnWhy},
	})
	b := bucketWith(nil)
	p := run(s3PublicPolicy, b, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	expectList(t, "undecided", undecidedAt(p))
}

func TestStackValueIdentifiersAreConcreteAndDataIsNot(t *testing.T) {
	refs := []struct {
		typ  string
		want bool
	}{
		{"AWS::S3::Bucket", true},
		{"AWS::SSM::Parameter", true}, // Ref is the parameter's name
		{"AWS::CloudFormation::CustomResource", false},
		{"AWS::CloudFormation::Stack", false},
		{"AWS::Route53::RecordSet", false},
		{"Custom::Lookup", false},
		{"Acme::Principal::Lookup", false},
		{"Acme::Org::Bucket::MODULE", false},
		{"", false},
	}
	for _, c := range refs {
		if got := namingRef(c.typ); got != c.want {
			t.Errorf("namingRef(%q) = %v, want %v", c.typ, got, c.want)
		}
	}
	attrs := []struct {
		typ, attr string
		want      bool
	}{
		{"AWS::IAM::Role", "Arn", true},
		{"AWS::IAM::Role", "RoleId", true},
		{"AWS::S3::Bucket", "Arn", true},
		{"AWS::S3::Bucket", "DomainName", true},
		{"AWS::S3::Bucket", "WebsiteURL", true},
		{"AWS::RDS::DBInstance", "Endpoint.Address", true},
		{"AWS::CloudFront::CloudFrontOriginAccessIdentity", "S3CanonicalUserId", true},
		{"AWS::SSM::Parameter", "Value", false},
		{"AWS::SSM::Parameter", "Type", false},
		{"AWS::CloudFormation::WaitCondition", "Data", false},
		{"AWS::CloudFormation::Stack", "Outputs.BucketArn", false},
		{"AWS::CloudFormation::CustomResource", "Arn", false},
		{"Custom::Lookup", "Arn", false},
		{"Acme::Principal::Lookup", "Arn", false},
		{"AWS::S3::Bucket", "<unknown attribute>", false},
	}
	for _, c := range attrs {
		if got := identifierAttr(c.typ, c.attr); got != c.want {
			t.Errorf("identifierAttr(%q, %q) = %v, want %v", c.typ, c.attr, got, c.want)
		}
	}
}
