package aws

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// These tests build graphs by hand, so that the S3 decisions are tested independently of
// the parsers; the fixtures under fixtures/terraform/aws-s3-* test them end to end.

var line int

func res(typ, addr string, attrs map[string]cty.Value) *graph.Resource {
	line += 10
	if attrs == nil {
		attrs = map[string]cty.Value{}
	}
	return &graph.Resource{
		Format: graph.Terraform, Type: typ, Address: addr, Scope: ".",
		Attrs: cty.ObjectVal(attrs),
		Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: line, Column: 1}},
	}
}

func str(s string) cty.Value { return cty.StringVal(s) }

func blocks(objs ...map[string]cty.Value) cty.Value {
	var vs []cty.Value
	for _, o := range objs {
		vs = append(vs, cty.ObjectVal(o))
	}
	return cty.TupleVal(vs)
}

func strs(ss ...string) cty.Value {
	var vs []cty.Value
	for _, s := range ss {
		vs = append(vs, cty.StringVal(s))
	}
	return cty.TupleVal(vs)
}

func run(c *check.Check, rs ...*graph.Resource) *check.Pass {
	p := check.NewPass(graph.New(rs))
	c.Run(p)
	return p
}

// findingsAt renders findings as "address path" for comparison.
func findingsAt(p *check.Pass) []string {
	var out []string
	for _, f := range p.Findings() {
		out = append(out, f.Resource.Address+" "+f.Path.String())
	}
	return out
}

func undecidedAt(p *check.Pass) []string {
	var out []string
	for _, u := range p.Undecideds() {
		out = append(out, u.Resource.Address+" "+u.Path.String())
	}
	return out
}

func expectList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func bucketWith(attrs map[string]cty.Value) *graph.Resource {
	if attrs == nil {
		attrs = map[string]cty.Value{}
	}
	if _, ok := attrs["bucket"]; !ok {
		attrs["bucket"] = str("data")
	}
	return res(tfBucket, "aws_s3_bucket.b", attrs)
}

func companion(typ, name string, bucket *graph.Resource, attrs map[string]cty.Value) *graph.Resource {
	if attrs == nil {
		attrs = map[string]cty.Value{}
	}
	attrs["bucket"] = cty.UnknownVal(cty.String)
	r := res(typ, typ+"."+name, attrs)
	r.AddRef(bucket.Address, graph.P("bucket"))
	return r
}

func fullBlock(bucket *graph.Resource, flags map[string]cty.Value) *graph.Resource {
	attrs := map[string]cty.Value{}
	for _, f := range blockFlags {
		attrs[f.name] = cty.True
	}
	for k, v := range flags {
		attrs[k] = v
	}
	return companion(tfBucketPAB, "b", bucket, attrs)
}

func TestInlineCannedPublicACLIsReported(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": str("public-read")})
	p := run(s3PublicACL, b)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket.b acl")
	if msg := p.Findings()[0].Message; !strings.Contains(msg, `"public-read"`) || !strings.Contains(msg, "anyone on the internet") {
		t.Errorf("message %q does not name the ACL and its consequence", msg)
	}
}

func TestPrivateACLIsNotReported(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": str("private")})
	acl := companion(tfBucketACL, "b", b, map[string]cty.Value{"acl": str("log-delivery-write")})
	expectList(t, "findings", findingsAt(run(s3PublicACL, b, acl)))
}

func TestPublicACLIgnoredByBucketBlockIsNotReported(t *testing.T) {
	b := bucketWith(nil)
	acl := companion(tfBucketACL, "b", b, map[string]cty.Value{"acl": str("public-read-write")})
	pab := fullBlock(b, map[string]cty.Value{"block_public_acls": cty.False})
	expectList(t, "findings", findingsAt(run(s3PublicACL, b, acl, pab)))
}

func TestPublicACLWithBlockThatDoesNotIgnoreACLsIsReportedWithTheFlag(t *testing.T) {
	b := bucketWith(nil)
	acl := companion(tfBucketACL, "b", b, map[string]cty.Value{"acl": str("authenticated-read")})
	pab := fullBlock(b, map[string]cty.Value{"ignore_public_acls": str("false")})
	p := run(s3PublicACL, b, acl, pab)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_acl.b acl")
	if len(p.Findings()[0].Related) != 0 {
		// The block has no recorded position in this hand-made graph, so RangeOf falls back
		// to its header; the related location must still be there.
		if p.Findings()[0].Related[0].Message == "" {
			t.Error("related location without message")
		}
	}
}

func TestAccountBlockIgnoringACLsNeutralizesPublicACL(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": str("public-read")})
	acct := res(tfAccountPAB, "aws_s3_account_public_access_block.a", map[string]cty.Value{"ignore_public_acls": cty.True})
	expectList(t, "findings", findingsAt(run(s3PublicACL, b, acct)))
}

func TestOwnershipEnforcedDisablesACLs(t *testing.T) {
	b := bucketWith(nil)
	acl := companion(tfBucketACL, "b", b, map[string]cty.Value{"acl": str("public-read")})
	own := companion(tfBucketOwner, "b", b, map[string]cty.Value{
		"rule": blocks(map[string]cty.Value{"object_ownership": str("BucketOwnerEnforced")}),
	})
	expectList(t, "findings", findingsAt(run(s3PublicACL, b, acl, own)))
	own2 := companion(tfBucketOwner, "b", b, map[string]cty.Value{
		"rule": blocks(map[string]cty.Value{"object_ownership": str("BucketOwnerPreferred")}),
	})
	expectList(t, "findings", findingsAt(run(s3PublicACL, b, acl, own2)), "aws_s3_bucket_acl.b acl")
}

func TestUnknownACLIsUndecidedNotReported(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": cty.UnknownVal(cty.String)})
	p := run(s3PublicACL, b)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket.b acl")
}

func TestPublicACLWithUnknownIgnoreFlagIsUndecidedAtTheFlag(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": str("public-read")})
	pab := fullBlock(b, map[string]cty.Value{"ignore_public_acls": cty.UnknownVal(cty.Bool)})
	p := run(s3PublicACL, b, pab)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_public_access_block.b ignore_public_acls")
}

func TestGrantToAllUsersIsReportedAtTheGranteeURI(t *testing.T) {
	b := bucketWith(nil)
	acl := companion(tfBucketACL, "b", b, map[string]cty.Value{
		"access_control_policy": blocks(map[string]cty.Value{
			"grant": blocks(
				map[string]cty.Value{
					"grantee":    blocks(map[string]cty.Value{"type": str("CanonicalUser"), "id": str("abc")}),
					"permission": str("FULL_CONTROL"),
				},
				map[string]cty.Value{
					"grantee":    blocks(map[string]cty.Value{"type": str("Group"), "uri": str("http://acs.amazonaws.com/groups/global/AllUsers")}),
					"permission": str("READ"),
				},
			),
		}),
	})
	p := run(s3PublicACL, b, acl)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_acl.b access_control_policy[0].grant[1].grantee[0].uri")
}

func TestInlineGrantToAuthenticatedUsersIsReported(t *testing.T) {
	b := bucketWith(map[string]cty.Value{
		"grant": blocks(map[string]cty.Value{
			"type": str("Group"), "uri": str("http://acs.amazonaws.com/groups/global/AuthenticatedUsers"),
			"permissions": strs("READ", "WRITE"),
		}),
	})
	p := run(s3PublicACL, b)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket.b grant[0].uri")
}

func TestLiteralBucketNameLinksCompanions(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"bucket": str("my-data"), "acl": str("public-read")})
	pab := res(tfBucketPAB, "aws_s3_bucket_public_access_block.b", map[string]cty.Value{
		"bucket": str("my-data"), "ignore_public_acls": cty.True,
	})
	expectList(t, "findings", findingsAt(run(s3PublicACL, b, pab)))
	expectList(t, "findings", findingsAt(run(s3NoPublicAccessBlock, b, pab)))
}

const publicPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}]}`

func TestPublicPolicyStringIsReported(t *testing.T) {
	b := bucketWith(nil)
	pol := companion(tfBucketPolicy, "b", b, map[string]cty.Value{"policy": str(publicPolicy)})
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	if msg := p.Findings()[0].Message; !strings.Contains(msg, `statement "Read"`) || !strings.Contains(msg, "s3:GetObject") {
		t.Errorf("message %q does not name the statement and action", msg)
	}
}

func TestRestrictPublicBucketsNeutralizesPublicPolicy(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"policy": str(publicPolicy)})
	pab := fullBlock(b, map[string]cty.Value{"block_public_policy": cty.False})
	expectList(t, "findings", findingsAt(run(s3PublicPolicy, b, pab)))
	pab2 := fullBlock(b, map[string]cty.Value{"restrict_public_buckets": cty.False})
	expectList(t, "findings", findingsAt(run(s3PublicPolicy, b, pab2)), "aws_s3_bucket.b policy")
}

func policyDoc(name string, statements ...map[string]cty.Value) *graph.Resource {
	d := res(tfPolicyDocType, "data.aws_iam_policy_document."+name, map[string]cty.Value{"statement": blocks(statements...)})
	d.Meta = map[string]string{"mode": "data"}
	return d
}

func policyFromDoc(b, d *graph.Resource) *graph.Resource {
	pol := companion(tfBucketPolicy, "b", b, map[string]cty.Value{"policy": cty.UnknownVal(cty.String)})
	pol.AddRef(d.Address, graph.P("policy"))
	return pol
}

func TestPolicyDocumentWithWildcardPrincipalIsReported(t *testing.T) {
	b := bucketWith(nil)
	d := policyDoc("p",
		map[string]cty.Value{
			"sid": str("DenyHTTP"), "effect": str("Deny"), "actions": strs("s3:*"),
			"principals": blocks(map[string]cty.Value{"type": str("*"), "identifiers": strs("*")}),
			"condition":  blocks(map[string]cty.Value{"test": str("Bool"), "variable": str("aws:SecureTransport"), "values": strs("false")}),
		},
		map[string]cty.Value{
			"actions":    strs("s3:GetObject"),
			"resources":  cty.TupleVal([]cty.Value{cty.UnknownVal(cty.String)}),
			"principals": blocks(map[string]cty.Value{"type": str("AWS"), "identifiers": strs("*")}),
		},
	)
	p := run(s3PublicPolicy, b, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	if f := p.Findings()[0]; len(f.Related) != 2 || !strings.Contains(f.Related[0].Message, "statement 2") || !strings.Contains(f.Message, "statement 2") {
		t.Errorf("finding %q should name statement 2 and relate to it: %v", f.Message, f.Related)
	}
}

func TestPolicyDocumentRestrictedToOrganizationIsNotReported(t *testing.T) {
	b := bucketWith(nil)
	d := policyDoc("p", map[string]cty.Value{
		"actions":    strs("s3:GetObject"),
		"principals": blocks(map[string]cty.Value{"type": str("AWS"), "identifiers": strs("*")}),
		"condition":  blocks(map[string]cty.Value{"test": str("StringEquals"), "variable": str("aws:PrincipalOrgID"), "values": strs("o-abc")}),
	})
	p := run(s3PublicPolicy, b, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestPolicyDocumentWithUnknownPrincipalIsUndecided(t *testing.T) {
	b := bucketWith(nil)
	d := policyDoc("p", map[string]cty.Value{
		"actions":    strs("s3:GetObject"),
		"principals": blocks(map[string]cty.Value{"type": str("AWS"), "identifiers": cty.UnknownVal(cty.List(cty.String))}),
	})
	p := run(s3PublicPolicy, b, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "data.aws_iam_policy_document.p statement[0].principals[0].identifiers")
}

func TestUnknownPolicyWithoutDocumentIsUndecided(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"policy": cty.UnknownVal(cty.String)})
	p := run(s3PublicPolicy, b)
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket.b policy")
}

func TestBucketWithoutBlockIsReportedAtItsHeader(t *testing.T) {
	b := bucketWith(nil)
	p := run(s3NoPublicAccessBlock, b)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket.b ")
}

func TestBucketAlreadyReportedPublicIsNotReportedForMissingBlock(t *testing.T) {
	b := bucketWith(map[string]cty.Value{"acl": str("public-read")})
	expectList(t, "findings", findingsAt(run(s3NoPublicAccessBlock, b)))
}

func TestCompleteAccountBlockCoversBucketsWithoutBlock(t *testing.T) {
	b := bucketWith(nil)
	attrs := map[string]cty.Value{}
	for _, f := range blockFlags {
		attrs[f.name] = cty.True
	}
	acct := res(tfAccountPAB, "aws_s3_account_public_access_block.a", attrs)
	expectList(t, "findings", findingsAt(run(s3NoPublicAccessBlock, b, acct)))
	attrs["block_public_policy"] = cty.False
	acct2 := res(tfAccountPAB, "aws_s3_account_public_access_block.a", attrs)
	expectList(t, "findings", findingsAt(run(s3NoPublicAccessBlock, b, acct2)), "aws_s3_bucket.b ")
}

func TestBlockWithUnknownBucketMakesMissingBlockUndecided(t *testing.T) {
	b := bucketWith(nil)
	pab := res(tfBucketPAB, "aws_s3_bucket_public_access_block.x", map[string]cty.Value{"bucket": cty.UnknownVal(cty.String)})
	p := run(s3NoPublicAccessBlock, b, pab)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_public_access_block.x bucket")
}

func TestBlockFlagsFalseAreReportedAtTheFlagAndMissingOnesTogether(t *testing.T) {
	b := bucketWith(nil)
	pab := companion(tfBucketPAB, "b", b, map[string]cty.Value{
		"block_public_acls":  cty.True,
		"ignore_public_acls": cty.False,
	})
	p := run(s3PublicAccessBlockDisabled, b, pab)
	expectList(t, "findings", findingsAt(p),
		"aws_s3_bucket_public_access_block.b ignore_public_acls",
		"aws_s3_bucket_public_access_block.b block_public_policy")
	if msg := p.Findings()[1].Message; !strings.Contains(msg, "block_public_policy, restrict_public_buckets are not set") {
		t.Errorf("message %q does not name the missing flags", msg)
	}
}

func TestAccountFlagCoversBucketFlag(t *testing.T) {
	b := bucketWith(nil)
	pab := fullBlock(b, map[string]cty.Value{"restrict_public_buckets": cty.False})
	acct := res(tfAccountPAB, "aws_s3_account_public_access_block.a", map[string]cty.Value{"restrict_public_buckets": cty.True})
	expectList(t, "findings", findingsAt(run(s3PublicAccessBlockDisabled, b, pab, acct)))
}

func TestUnknownBlockFlagIsUndecided(t *testing.T) {
	b := bucketWith(nil)
	pab := fullBlock(b, map[string]cty.Value{"block_public_acls": cty.UnknownVal(cty.Bool)})
	p := run(s3PublicAccessBlockDisabled, b, pab)
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p), "aws_s3_bucket_public_access_block.b block_public_acls")
}

func TestAccountBlockWithFlagsOffIsReported(t *testing.T) {
	acct := res(tfAccountPAB, "aws_s3_account_public_access_block.a", map[string]cty.Value{
		"block_public_acls": cty.True, "block_public_policy": cty.False,
		"ignore_public_acls": cty.True, "restrict_public_buckets": cty.True,
	})
	p := run(s3AccountPublicAccessBlockDisabled, acct)
	expectList(t, "findings", findingsAt(p), "aws_s3_account_public_access_block.a block_public_policy")
}

func TestUnblockingSSECIsReportedAndBlockingIsNot(t *testing.T) {
	b := bucketWith(nil)
	none := companion("aws_s3_bucket_server_side_encryption_configuration", "none", b, map[string]cty.Value{
		"rule": blocks(map[string]cty.Value{"blocked_encryption_types": strs("NONE")}),
	})
	ssec := companion("aws_s3_bucket_server_side_encryption_configuration", "ssec", b, map[string]cty.Value{
		"rule": blocks(map[string]cty.Value{"blocked_encryption_types": strs("SSE-C")}),
	})
	p := run(s3SSECAllowed, b, none, ssec)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_server_side_encryption_configuration.none rule[0].blocked_encryption_types")
}
