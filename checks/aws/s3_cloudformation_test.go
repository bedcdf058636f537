package aws

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

// cfn builds a CloudFormation resource by hand; the fixtures under
// fixtures/cloudformation/aws-s3-* test the same decisions through the parser.
func cfn(typ, id string, props map[string]cty.Value) *graph.Resource {
	r := res(typ, id, props)
	r.Format = graph.CloudFormation
	r.Scope = "template.yaml"
	r.Meta = map[string]string{}
	return r
}

func obj(attrs map[string]cty.Value) cty.Value { return cty.ObjectVal(attrs) }

func allBlocked() cty.Value {
	return obj(map[string]cty.Value{
		"BlockPublicAcls": cty.True, "BlockPublicPolicy": cty.True,
		"IgnorePublicAcls": cty.True, "RestrictPublicBuckets": cty.True,
	})
}

func policyFor(id, bucket string, statements ...cty.Value) *graph.Resource {
	r := cfn(cfnBucketPolicy, id, map[string]cty.Value{
		"Bucket":         cty.UnknownVal(cty.String),
		"PolicyDocument": obj(map[string]cty.Value{"Statement": cty.TupleVal(statements)}),
	})
	r.AddRef(bucket, graph.P("Bucket"))
	return r
}

func TestCloudFormationPublicAccessControlIsReportedLikeTerraform(t *testing.T) {
	b := cfn(cfnBucket, "Site", map[string]cty.Value{"AccessControl": str("PublicReadWrite")})
	p := run(s3PublicACL, b)
	expectList(t, "findings", findingsAt(p), "Site AccessControl")
	if msg := p.Findings()[0].Message; !strings.HasPrefix(msg, `AccessControl "PublicReadWrite" lets anyone on the internet`) {
		t.Errorf("message %q does not have the Terraform shape", msg)
	}
}

func TestCloudFormationOwnershipEnforcedOrIgnoredACLsAreNotReported(t *testing.T) {
	enforced := cfn(cfnBucket, "Enforced", map[string]cty.Value{
		"AccessControl": str("PublicRead"),
		"OwnershipControls": obj(map[string]cty.Value{"Rules": cty.TupleVal([]cty.Value{
			obj(map[string]cty.Value{"ObjectOwnership": str("BucketOwnerEnforced")}),
		})}),
	})
	ignored := cfn(cfnBucket, "Ignored", map[string]cty.Value{
		"AccessControl":                  str("AuthenticatedRead"),
		"PublicAccessBlockConfiguration": allBlocked(),
	})
	expectList(t, "findings", findingsAt(run(s3PublicACL, enforced, ignored)))
}

func TestCloudFormationPolicyIsReportedAtTheWildcardPrincipal(t *testing.T) {
	b := cfn(cfnBucket, "Site", nil)
	pol := policyFor("SitePolicy", "Site", obj(map[string]cty.Value{
		"Effect":    str("Allow"),
		"Principal": obj(map[string]cty.Value{"AWS": strs("arn:aws:iam::111122223333:root", "*")}),
		"Action":    str("s3:GetObject"),
	}))
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p), "SitePolicy PolicyDocument.Statement[0].Principal.AWS[1]")
	expectList(t, "missing block", findingsAt(run(s3NoPublicAccessBlock, b, pol)))
}

func TestCloudFormationRestrictPublicBucketsNeutralizesPolicy(t *testing.T) {
	b := cfn(cfnBucket, "Site", map[string]cty.Value{"PublicAccessBlockConfiguration": allBlocked()})
	pol := policyFor("SitePolicy", "Site", obj(map[string]cty.Value{
		"Effect": str("Allow"), "Principal": str("*"), "Action": str("s3:GetObject"),
	}))
	expectList(t, "findings", findingsAt(run(s3PublicPolicy, b, pol)))
}

func TestCloudFormationPolicyVariantOnlyMeetsBucketVariantOfTheSameAssumption(t *testing.T) {
	// The bucket restricts public policies when Strict holds; the public policy exists
	// only when Strict does not: the two never meet, so the policy is judged against
	// the unrestricted variant only.
	strict := cfn(cfnBucket, "Site", map[string]cty.Value{"PublicAccessBlockConfiguration": allBlocked()})
	strict.Meta["conditions"] = "Strict=true"
	loose := cfn(cfnBucket, "Site", nil)
	loose.Meta["conditions"] = "Strict=false"
	public := policyFor("SitePolicy", "Site", obj(map[string]cty.Value{
		"Effect": str("Allow"), "Principal": str("*"), "Action": str("s3:GetObject"),
	}))
	public.Meta["conditions"] = "Strict=false"
	private := policyFor("SitePolicy", "Site", obj(map[string]cty.Value{
		"Effect": str("Deny"), "Principal": str("*"), "Action": str("s3:*"),
	}))
	private.Meta["conditions"] = "Strict=true"
	p := run(s3PublicPolicy, strict, loose, public, private)
	expectList(t, "findings", findingsAt(p), "SitePolicy PolicyDocument.Statement[0].Principal")
	if got := len(p.Findings()); got != 1 {
		t.Fatalf("got %d findings, want 1", got)
	}
	if p.Findings()[0].Resource != public {
		t.Error("the finding is not on the public variant")
	}
}

func TestCloudFormationValuesFromStackResourcesAreConcrete(t *testing.T) {
	b := cfn(cfnBucket, "Site", nil)
	pol := policyFor("SitePolicy", "Site",
		obj(map[string]cty.Value{
			"Effect": str("Allow"), "Principal": str("*"), "Action": str("s3:GetObject"),
			// StringLike: under StringEquals any value restricts (unknownRestricts).
			"Condition": obj(map[string]cty.Value{"StringLike": obj(map[string]cty.Value{
				"aws:SourceVpce": cty.UnknownVal(cty.String),
			})}),
		}),
		obj(map[string]cty.Value{
			"Effect":    str("Allow"),
			"Principal": obj(map[string]cty.Value{"AWS": cty.UnknownVal(cty.String)}),
			"Action":    str("s3:*"),
		}),
	)
	cond := graph.P("PolicyDocument", "Statement", 0, "Condition", "StringLike", "aws:SourceVpce")
	principal := graph.P("PolicyDocument", "Statement", 1, "Principal", "AWS")
	pol.SetAttrInfo(cond, graph.AttrInfo{Unknown: []string{"Ref Endpoint is known only after deployment"}})
	pol.SetAttrInfo(principal, graph.AttrInfo{Unknown: []string{"AWS::AccountId is known only at deployment"}})
	pol.AddRef("Endpoint", cond)
	endpoint := cfn("AWS::EC2::VPCEndpoint", "Endpoint", nil)
	p := run(s3PublicPolicy, b, pol, endpoint)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))

	// A custom resource returns whatever its code returns.
	endpoint.Type = "Custom::EndpointLookup"
	p = run(s3PublicPolicy, b, pol, endpoint)
	expectList(t, "undecided", undecidedAt(p), "SitePolicy "+cond.String())
	endpoint.Type = "AWS::EC2::VPCEndpoint"

	// The same values from a parameter without a default may be anything.
	pol.SetAttrInfo(cond, graph.AttrInfo{Unknown: []string{"parameter Endpoint has no default"}})
	pol.SetAttrInfo(principal, graph.AttrInfo{Unknown: []string{"Fn::ImportValue of shared is known only at deployment"}})
	p = run(s3PublicPolicy, b, pol, endpoint)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "SitePolicy "+cond.String(), "SitePolicy "+principal.String())
}

func TestTerraformPolicyWrittenAsObjectIsNotRead(t *testing.T) {
	// Terraform's policy arguments are strings; an object there is a type error that
	// Terraform rejects, and reading it would change what Terraform scans report.
	b := bucketWith(map[string]cty.Value{"policy": obj(map[string]cty.Value{
		"Statement": obj(map[string]cty.Value{"Effect": str("Allow"), "Principal": str("*")}),
	})})
	pol := PolicyAt(graph.New([]*graph.Resource{b}), b, graph.P("policy"))
	if len(pol.Statements) != 0 {
		t.Errorf("got %d statements from an object policy in Terraform", len(pol.Statements))
	}
	doc := res(tfPolicyDocType, "data.aws_iam_policy_document.d", map[string]cty.Value{
		"source_policy_documents": cty.TupleVal([]cty.Value{obj(map[string]cty.Value{"Statement": cty.EmptyTupleVal})}),
	})
	pol = Policy{}
	readPolicyDocument(graph.New([]*graph.Resource{doc}), doc, 0, map[*graph.Resource]bool{}, &pol)
	if len(pol.Statements) != 0 {
		t.Errorf("got %d statements from a list of object documents in Terraform", len(pol.Statements))
	}
}

func TestCloudFormationBlockFlagsLeftOutAreReportedAtTheConfiguration(t *testing.T) {
	b := cfn(cfnBucket, "Site", map[string]cty.Value{
		"PublicAccessBlockConfiguration": obj(map[string]cty.Value{
			"BlockPublicAcls": cty.True, "IgnorePublicAcls": str("false"),
		}),
	})
	p := run(s3PublicAccessBlockDisabled, b)
	expectList(t, "findings", findingsAt(p),
		"Site PublicAccessBlockConfiguration.IgnorePublicAcls",
		"Site PublicAccessBlockConfiguration.BlockPublicPolicy")
	if msg := p.Findings()[1].Message; !strings.HasPrefix(msg, "BlockPublicPolicy, RestrictPublicBuckets are not set") {
		t.Errorf("message %q does not name the missing flags as CloudFormation spells them", msg)
	}
	expectList(t, "missing block", findingsAt(run(s3NoPublicAccessBlock, b)))
}

func TestCloudFormationBucketWithoutBlockIsReportedAtTheMissingProperty(t *testing.T) {
	b := cfn(cfnBucket, "Site", nil)
	expectList(t, "findings", findingsAt(run(s3NoPublicAccessBlock, b)), "Site PublicAccessBlockConfiguration")
	expectList(t, "weak block", findingsAt(run(s3PublicAccessBlockDisabled, b)))
}

func TestCloudFormationUnblockedSSECIsReported(t *testing.T) {
	rule := func(types ...string) cty.Value {
		return obj(map[string]cty.Value{"BucketEncryption": obj(map[string]cty.Value{
			"ServerSideEncryptionConfiguration": cty.TupleVal([]cty.Value{obj(map[string]cty.Value{
				"BlockedEncryptionTypes": obj(map[string]cty.Value{"EncryptionType": strs(types...)}),
			})}),
		})})
	}
	open := cfn(cfnBucket, "Open", nil)
	open.Attrs = rule("NONE")
	closed := cfn(cfnBucket, "Closed", nil)
	closed.Attrs = rule("SSE-C")
	p := run(s3SSECAllowed, open, closed)
	expectList(t, "findings", findingsAt(p),
		"Open BucketEncryption.ServerSideEncryptionConfiguration[0].BlockedEncryptionTypes.EncryptionType")
	if msg := p.Findings()[0].Message; !strings.HasPrefix(msg, "BlockedEncryptionTypes.EncryptionType: [NONE] allows") {
		t.Errorf("message %q does not name the property", msg)
	}
}

func TestCloudFormationS3ChecksNeverPanicOnOddValues(t *testing.T) {
	odd := []cty.Value{
		cty.NullVal(cty.DynamicPseudoType), cty.DynamicVal, cty.NumberIntVal(3), cty.True,
		str("x"), strs("a", "b"), cty.EmptyObjectVal, cty.EmptyTupleVal,
		cty.TupleVal([]cty.Value{cty.DynamicVal, cty.NumberIntVal(1)}),
		obj(map[string]cty.Value{"Rules": str("x"), "Statement": cty.NumberIntVal(1)}),
	}
	props := []string{"AccessControl", "OwnershipControls", "PublicAccessBlockConfiguration", "BucketEncryption", "BucketName"}
	var rs []*graph.Resource
	for i, v := range odd {
		attrs := map[string]cty.Value{}
		for _, p := range props {
			attrs[p] = v
		}
		rs = append(rs, cfn(cfnBucket, "Bucket", attrs))
		pol := cfn(cfnBucketPolicy, "Policy", map[string]cty.Value{
			"Bucket": v, "PolicyDocument": obj(map[string]cty.Value{"Statement": v}),
		})
		pol.AddRef("Bucket", graph.P("Bucket"))
		rs = append(rs, pol)
		stmt := cfn(cfnBucketPolicy, "Statement", map[string]cty.Value{
			"Bucket": str("b"),
			"PolicyDocument": obj(map[string]cty.Value{"Statement": cty.TupleVal([]cty.Value{obj(map[string]cty.Value{
				"Effect": v, "Principal": v, "NotPrincipal": v, "Action": v, "Condition": v,
			})})}),
		})
		rs = append(rs, stmt)
		if i%2 == 0 {
			rs = append(rs, cfn(cfnBucketPolicy, "Whole", map[string]cty.Value{"PolicyDocument": v}))
		}
	}
	for _, c := range s3Checks() {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panicked: %v", c.ID, r)
				}
			}()
			run(c, rs...)
		}()
	}
}

func TestCloudFormationPolicyDocumentAsJSONStringIsReportedAtThePolicy(t *testing.T) {
	b := cfn(cfnBucket, "Site", nil)
	pol := cfn(cfnBucketPolicy, "SitePolicy", map[string]cty.Value{
		"Bucket":         cty.UnknownVal(cty.String),
		"PolicyDocument": str(`{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}}`),
	})
	pol.AddRef("Site", graph.P("Bucket"))
	expectList(t, "findings", findingsAt(run(s3PublicPolicy, b, pol)), "SitePolicy PolicyDocument")
}

func TestStatementsFromObjectReadsASingleStatementObject(t *testing.T) {
	r := cfn(cfnBucketPolicy, "P", map[string]cty.Value{
		"PolicyDocument": obj(map[string]cty.Value{"Statement": obj(map[string]cty.Value{
			"Sid":          str("Everyone"),
			"Effect":       str("Allow"),
			"NotPrincipal": obj(map[string]cty.Value{"AWS": str("arn:aws:iam::111122223333:root")}),
			"NotAction":    strs("s3:DeleteObject", "s3:PutObject"),
			"Condition": obj(map[string]cty.Value{"Bool": obj(map[string]cty.Value{
				"aws:SecureTransport": cty.True,
			})}),
		})}),
	})
	stmts, unknown := StatementsFromObject(graph.New([]*graph.Resource{r}), r, r.Get("PolicyDocument"))
	if len(stmts) != 1 || len(unknown) != 0 {
		t.Fatalf("got %d statements and %d unknowns, want 1 and 0", len(stmts), len(unknown))
	}
	s := stmts[0]
	if s.Sid != "Everyone" || !s.NotPrincipal || !s.NotAction || len(s.Actions) != 2 {
		t.Errorf("statement read as %+v", s)
	}
	if s.Path.String() != "PolicyDocument.Statement" || s.Source != r {
		t.Errorf("statement located at %s in %v", s.Path, s.Source)
	}
	if len(s.Conditions) != 1 || s.Conditions[0].Values[0] != "true" {
		t.Errorf("conditions read as %+v", s.Conditions)
	}
	if pub, _ := s.Public(); !pub {
		t.Error("an Allow with NotPrincipal and no restricting condition is public")
	}
}
