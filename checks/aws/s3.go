package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// s3Checks returns the S3 checks. Exposure (a public ACL, a public policy) is decided
// once per bucket with every setting that can neutralize it; the guardrail checks (public
// access blocks missing or weakened) stay quiet where an exposure finding already says the
// same thing, so that one mistake yields one finding.
func s3Checks() []*check.Check {
	return []*check.Check{
		s3PublicACL,
		s3PublicPolicy,
		s3NoPublicAccessBlock,
		s3PublicAccessBlockDisabled,
		s3AccountPublicAccessBlockDisabled,
		s3SSECAllowed,
	}
}

// s3Formats are the formats that declare buckets: Terraform, and CloudFormation's
// AWS::S3::Bucket and AWS::S3::BucketPolicy. SAM adds no bucket resource of its own (an S3
// event source of AWS::Serverless::Function names a bucket declared as AWS::S3::Bucket).
var s3Formats = []graph.Format{graph.Terraform, graph.CloudFormation}

// tfOnly is for settings that exist only in Terraform.
var tfOnly = []graph.Format{graph.Terraform}

// newBucketDefaults is the decision shared by the S3 exposure checks, in both formats,
// about the defaults S3 gives new buckets.
const newBucketDefaults = `Since April 2023 S3 disables ACLs (BucketOwnerEnforced) and turns Block Public ` +
	`Access on for new buckets, so deploying a public ACL or policy on a new bucket with none of ` +
	`these settings written fails (terraform apply or the CloudFormation stack). A setting that ` +
	`is not written is nevertheless never counted as protection: the configuration asks for public ` +
	`access, buckets created earlier (or whose settings were changed outside the configuration) ` +
	`grant it, and the usual answer to the failure is to relax exactly those settings.`

var s3PublicACL = &check.Check{
	ID:       "aws-s3-public-acl",
	Title:    "S3 bucket ACL grants access to everyone or to every AWS account",
	Severity: check.High,
	Category: check.CategoryPublicStorage,
	Description: `An S3 access control list that grants to the AllUsers group ("public-read", ` +
		`"public-read-write") opens the bucket to anyone on the internet; one that grants to the ` +
		`AuthenticatedUsers group ("authenticated-read") opens it to every AWS account in the world, ` +
		`which is just as public. Listing a bucket reveals every object key, and write access lets ` +
		`strangers plant, overwrite or delete data. Severity is High because data exposure through ` +
		`public buckets is one of the most common cloud breaches.

Reported in Terraform: the canned acl argument of aws_s3_bucket (provider v3) and aws_s3_bucket_acl (v4+), ` +
		`grant blocks of aws_s3_bucket and access_control_policy grants of aws_s3_bucket_acl whose ` +
		`grantee is the AllUsers or AuthenticatedUsers group, whatever the permission (even READ_ACP ` +
		`discloses the account's canonical ID). Reported in CloudFormation: the AccessControl property ` +
		`of AWS::S3::Bucket set to PublicRead, PublicReadWrite or AuthenticatedRead. The finding points ` +
		`at the ACL or the grantee URI.

Not reported, because the ACL cannot take effect: a bucket whose ` +
		`aws_s3_bucket_ownership_controls sets object_ownership = "BucketOwnerEnforced" (ACLs are ` +
		`disabled), or whose public access block, or an account-level aws_s3_account_public_access_block ` +
		`in the scan, sets ignore_public_acls = true; in CloudFormation, a bucket whose OwnershipControls ` +
		`rule sets ObjectOwnership: BucketOwnerEnforced or whose PublicAccessBlockConfiguration sets ` +
		`IgnorePublicAcls: true. Companion resources are tied to the bucket through ` +
		`their bucket argument (a reference to the bucket or its literal name). When such a setting is ` +
		`unknown statically (a variable without a value, a block whose bucket cannot be resolved), the ` +
		`decision is recorded as undecided rather than reported. block_public_acls alone does not ` +
		`suppress the finding: it rejects new public ACLs but leaves one already applied in place, and ` +
		`Terraform may apply the ACL first. A bucket reported here is not also reported by ` +
		`aws-s3-no-public-access-block; a weak public access block is still reported by ` +
		`aws-s3-public-access-block-disabled, since that is a second line to fix. A bucket that is ` +
		`public on purpose is reported too; suppress the finding with a reason.

` + newBucketDefaults,
	Remediation: "Remove the public ACL and disable ACLs by enforcing bucket ownership; grant " +
		"access to specific principals with a bucket policy, or serve public content through " +
		"CloudFront with origin access control.\n\n" +
		"Terraform: drop acl from aws_s3_bucket (provider v3), the aws_s3_bucket_acl and any grant " +
		"to the AllUsers or AuthenticatedUsers group, and enforce ownership:\n\n" +
		"```hcl\nresource \"aws_s3_bucket_ownership_controls\" \"this\" {\n  bucket = aws_s3_bucket.this.id\n" +
		"  rule {\n    object_ownership = \"BucketOwnerEnforced\"\n  }\n}\n```\n\n" +
		"CloudFormation: drop AccessControl from the AWS::S3::Bucket and enforce ownership:\n\n" +
		"```yaml\nBucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    OwnershipControls:\n" +
		"      Rules:\n        - ObjectOwnership: BucketOwnerEnforced\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl",
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html",
	},
	Formats: s3Formats,
	Run:     runPublicACL,
}

var s3PublicPolicy = &check.Check{
	ID:       "aws-s3-public-policy",
	Title:    "S3 bucket policy allows any principal without a restricting condition",
	Severity: check.High,
	Category: check.CategoryPublicStorage,
	Description: `A bucket policy statement with Effect "Allow" and Principal "*" (or {"AWS": "*"}, a ` +
		`principal list containing "*", or NotPrincipal) lets anyone on the internet, signed in or not, ` +
		`perform its actions on the bucket. Severity is High: this is how most public S3 data leaks happen.

Reported at the policy argument of aws_s3_bucket (provider v3) or aws_s3_bucket_policy, whether ` +
		`the policy is a JSON string, a heredoc, jsonencode(...), or the json of an ` +
		`aws_iam_policy_document data source in the scan (its statement blocks, source and override ` +
		`documents are read; the public statement is added as a related location). In CloudFormation, ` +
		`reported in the PolicyDocument of AWS::S3::BucketPolicy (an object, or a JSON string), tied to ` +
		`the bucket by its Bucket property (a Ref or the bucket's literal BucketName; a bucket of another ` +
		`stack is judged with no protection known); the finding points at the "*" principal (or the ` +
		`NotPrincipal) of the first public statement.

Not reported: Deny statements (such as the usual "deny insecure transport" statement with ` +
		`Principal "*"); Allow statements with a condition that pins the caller to a concrete value of ` +
		`aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:SourceArn, aws:SourceAccount, ` +
		`aws:SourceOrgID, aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:userid, ` +
		`s3:DataAccessPointAccount and similar keys (a value of "*", 0.0.0.0/0, a wildcard account in ` +
		`an ARN, a negated operator or an ...IfExists operator does not restrict); and buckets whose ` +
		`public access block, or an account-level block in the scan, sets restrict_public_buckets = true, ` +
		`which limits a public policy to AWS services and the owner's account (RestrictPublicBuckets: true ` +
		`in the bucket's PublicAccessBlockConfiguration in CloudFormation). block_public_policy ` +
		`alone does not suppress the finding: it rejects new public policies but not one applied ` +
		`before the block. A policy that is unknown statically and does not come from a policy ` +
		`document in the scan is recorded as undecided. A bucket reported here is not also reported ` +
		`by aws-s3-no-public-access-block. A bucket that is public on purpose (a static website) is ` +
		`reported too; suppress the finding with a reason.

A JSON policy built with a heredoc, jsonencode or templatefile that interpolates a value ` +
		`known only after apply (typically the bucket ARN in Resource), or in CloudFormation a ` +
		`JSON string built with Fn::Sub, Fn::Join or Fn::ToJsonString around a value known only ` +
		`at deployment (${Bucket.Arn}), is read from its known text: ` +
		`Resource never matters, and an unknown Action does not either (an Allow to everyone is ` +
		`public whatever it allows). An unknown Effect, principal or caller-identifying condition ` +
		`leaves that statement undecided, at the policy argument; a principal or condition value ` +
		`that is only the attribute of a managed resource (aws_iam_role.x.arn, ` +
		`aws_cloudfront_distribution.x.arn; in CloudFormation the Ref of an AWS:: resource of the ` +
		`stack other than a custom resource, nested stack or Route 53 record set, an Fn::GetAtt ` +
		`of one that is an identifier (an ARN, ID, name, URL or address), and the ` +
		`AWS::AccountId, AWS::Region, AWS::StackName and AWS::StackId pseudo parameters) names ` +
		`one thing and is taken as concrete, and so is a ` +
		`principal ARN with an unknown piece inside (IAM accepts no wildcard there). A data ` +
		`attribute (an SSM parameter's Value, a wait condition's Data) or any attribute of a ` +
		`registry type stays unknown. An unknown value compared with StringEquals (or ` +
		`StringEqualsIgnoreCase, ForAnyValue:StringEquals) on a key that identifies the caller ` +
		`restricts the statement whatever it is; under StringLike, ArnEquals or ArnLike, which ` +
		`take wildcards, or an IfExists or ForAllValues operator, it leaves the statement ` +
		`undecided. Once a public ` +
		`statement is found, the other unknown parts of the bucket's policies are not listed as ` +
		`undecided: they cannot make it less public.

A document merged through compact() or similar with apply-time documents (the ` +
		`terraform-aws-s3-bucket "combined" document) is read through the documents it refers to; ` +
		`a document of a branch not taken (one with no instance, count = 0) hides nothing and is ` +
		`never named among the inputs of an undecided decision.

Known limits: a policy whose statement list itself is unknown, or a merged document into ` +
		`which a variable without a value flows, is undecided when no known statement is public. ` +
		`In CloudFormation, a ` +
		`principal or condition value known only at deployment but built only from the stack's own ` +
		`resources and pseudo-parameters (!Ref Endpoint, !GetAtt Role.Arn, !Ref AWS::AccountId, or ` +
		`Fn::Sub of them) is taken as one concrete value, never "*"; one that depends on a parameter ` +
		`without a default, Fn::ImportValue, a custom resource or a nested stack's output is undecided. The literal text around such a value is ` +
		`not seen, so a wildcard written there (arn:aws:iam::*:role/${Role}) is taken as concrete.

` + newBucketDefaults,
	Remediation: "Name the principals that need access, or pin the caller with a condition (for " +
		"example aws:SourceVpce, aws:PrincipalOrgID, or aws:SourceArn for a CloudFront distribution).\n\n" +
		"Terraform, as a statement of an aws_iam_policy_document whose json is the policy:\n\n" +
		"```hcl\nstatement {\n  actions   = [\"s3:GetObject\"]\n  resources = [\"${aws_s3_bucket.this.arn}/*\"]\n" +
		"  principals {\n    type        = \"Service\"\n    identifiers = [\"cloudfront.amazonaws.com\"]\n  }\n" +
		"  condition {\n    test     = \"StringEquals\"\n    variable = \"aws:SourceArn\"\n" +
		"    values   = [aws_cloudfront_distribution.this.arn]\n  }\n}\n```\n\n" +
		"CloudFormation, as a statement of the PolicyDocument of the AWS::S3::BucketPolicy:\n\n" +
		"```yaml\n- Effect: Allow\n  Principal:\n    Service: cloudfront.amazonaws.com\n  Action: s3:GetObject\n" +
		"  Resource: !Sub \"${Bucket.Arn}/*\"\n  Condition:\n    StringEquals:\n" +
		"      aws:SourceArn: !Sub \"arn:aws:cloudfront::${AWS::AccountId}:distribution/${Distribution}\"\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_policy",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucketpolicy.html",
	},
	Formats: s3Formats,
	Run:     runPublicPolicy,
}

var s3NoPublicAccessBlock = &check.Check{
	ID:       "aws-s3-no-public-access-block",
	Title:    "S3 bucket has no public access block declared",
	Severity: check.Low,
	Category: check.CategoryPublicStorage,
	Description: `S3 Block Public Access is the guardrail that keeps a bucket private even when someone ` +
		`later attaches a public ACL or policy. Since April 2023 AWS turns all four settings on for ` +
		`new buckets, so a bucket created today without an aws_s3_bucket_public_access_block is not ` +
		`public by itself; but the setting is then not under version control, buckets created ` +
		`earlier or imported into Terraform may not have it, and anyone with s3:PutBucketPublicAccessBlock ` +
		`can turn it off without the configuration showing it. Severity is Low for that reason: a ` +
		`missing guardrail, not an exposure.

Reported at the header of an aws_s3_bucket that no aws_s3_bucket_public_access_block refers ` +
		`to (by reference or literal bucket name), when the scan also has no ` +
		`aws_s3_account_public_access_block with all four flags true. Not reported when the bucket is ` +
		`already reported by aws-s3-public-acl or aws-s3-public-policy (the block is the fix those ` +
		`findings name). Undecided when a public access block in the same module tree names a bucket ` +
		`that is unknown statically, or the account-level flags are unknown. A block that exists but ` +
		`leaves flags off is aws-s3-public-access-block-disabled.

In CloudFormation: reported at the logical ID of an AWS::S3::Bucket without ` +
		`PublicAccessBlockConfiguration. The stack creates the bucket, so a stack created today gets all ` +
		`four flags from S3's default; the finding is kept, at the same Low severity as in Terraform, ` +
		`because the template does not pin them: stacks created before April 2023 have them off, and ` +
		`drift detection only compares the properties a template sets, so turning them off later goes ` +
		`unnoticed. CloudFormation has no account-level ` +
		`block resource; an aws_s3_account_public_access_block with all four flags on in the same scan ` +
		`covers CloudFormation buckets too.`,
	Remediation: "Declare the bucket's Block Public Access settings, all four turned on.\n\n" +
		"Terraform: an aws_s3_bucket_public_access_block for the bucket (or, for every bucket of the " +
		"account, an aws_s3_account_public_access_block with the same four flags):\n\n" + tfBlockExample +
		"\n\nCloudFormation: the PublicAccessBlockConfiguration property of the AWS::S3::Bucket " +
		"(CloudFormation has no account-level block):\n\n" + cfnBlockExample,
	Links: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
		"https://aws.amazon.com/about-aws/whats-new/2022/12/amazon-s3-automatically-enable-block-public-access-disable-access-control-lists-buckets-april-2023/",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-publicaccessblockconfiguration.html",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.1.4", "CIS-AWS-5.0:2.1.4"},
	Formats:    s3Formats,
	Run:        runNoBlock,
}

var s3PublicAccessBlockDisabled = &check.Check{
	ID:       "aws-s3-public-access-block-disabled",
	Title:    "S3 bucket public access block leaves a protection turned off",
	Severity: check.Medium,
	Category: check.CategoryPublicStorage,
	Description: `An aws_s3_bucket_public_access_block replaces the bucket's Block Public Access ` +
		`settings with exactly what it declares, and each of its four flags defaults to false in the ` +
		`provider. A block written with a flag off, or without it, therefore switches that protection ` +
		`off, even on a new bucket where AWS would have turned it on. Severity is Medium: it is an ` +
		`explicit weakening of the guardrail, not by itself an exposure (aws-s3-public-acl and ` +
		`aws-s3-public-policy report actual exposure, High).

Reported: a flag written as false (at its line) and flags not written (together, at the block ` +
		`header), each named with what it lets through. Not reported: a flag that an ` +
		`aws_s3_account_public_access_block in the scan turns on, since S3 applies the stricter of the ` +
		`bucket-level and account-level settings. Undecided when the flag, or the account-level flag ` +
		`that could cover it, is unknown statically. A bucket that serves a public website on purpose ` +
		`will be reported; suppress the finding with a reason.

In CloudFormation the same holds for the PublicAccessBlockConfiguration of AWS::S3::Bucket: ` +
		`the declared configuration is applied as a whole, so a flag left out (or an empty ` +
		`configuration) is false, even on a new bucket. Flags written false are reported at their line, ` +
		`flags left out together at the PublicAccessBlockConfiguration line. A bucket without the ` +
		`property is aws-s3-no-public-access-block.`,
	Remediation: "Turn on all four Block Public Access settings of the bucket.\n\n" +
		"Terraform: set every flag of the aws_s3_bucket_public_access_block to true:\n\n" + tfBlockExample +
		"\n\nCloudFormation: set every flag of the bucket's PublicAccessBlockConfiguration to true " +
		"(a flag left out is false):\n\n" + cfnBlockExample,
	Links: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-publicaccessblockconfiguration.html",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.1.4", "CIS-AWS-5.0:2.1.4"},
	Formats:    s3Formats,
	Run:        runBucketBlockDisabled,
}

var s3AccountPublicAccessBlockDisabled = &check.Check{
	ID:       "aws-s3-account-public-access-block-disabled",
	Title:    "Account-level S3 public access block leaves a protection turned off",
	Severity: check.Low,
	Category: check.CategoryPublicStorage,
	Description: `An aws_s3_account_public_access_block applies to every bucket of the account in ` +
		`the region set, present and future, and is the one setting that keeps a forgotten bucket ` +
		`private. Each of its flags defaults to false in the provider, so a flag written false or left ` +
		`out leaves that protection to each bucket's own block. Severity is Low: bucket-level blocks ` +
		`still apply, and aws-s3-public-access-block-disabled, aws-s3-public-acl and ` +
		`aws-s3-public-policy report the buckets that are actually weakened or public.

Reported: a flag written as false (at its line) and flags not written (together, at the block ` +
		`header). Undecided when a flag is unknown statically. An account that hosts public websites ` +
		`on purpose will be reported; suppress the finding with a reason.

Terraform only: CloudFormation has no resource type for the account-level block (it is set ` +
		`outside templates, or by a custom resource whose code the template does not show).`,
	Remediation: "Turn on all four Block Public Access settings for the account.\n\n" +
		"Terraform (the only format with an account-level block):\n\n" +
		"```hcl\nresource \"aws_s3_account_public_access_block\" \"this\" {\n" +
		"  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n" +
		"  restrict_public_buckets = true\n}\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_account_public_access_block",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.1.4", "CIS-AWS-5.0:2.1.4"},
	Formats:    tfOnly,
	Run:        runAccountBlockDisabled,
}

// tfBlockExample and cfnBlockExample are the two halves of the public access block
// remediations.
const tfBlockExample = "```hcl\nresource \"aws_s3_bucket_public_access_block\" \"this\" {\n" +
	"  bucket                  = aws_s3_bucket.this.id\n" +
	"  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n" +
	"  restrict_public_buckets = true\n}\n```"

const cfnBlockExample = "```yaml\nBucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    PublicAccessBlockConfiguration:\n" +
	"      BlockPublicAcls: true\n      BlockPublicPolicy: true\n      IgnorePublicAcls: true\n" +
	"      RestrictPublicBuckets: true\n```"
