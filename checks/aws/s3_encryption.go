package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var s3SSECAllowed = &check.Check{
	ID:       "aws-s3-sse-c-allowed",
	Title:    "S3 bucket re-allows uploads encrypted with customer-provided keys (SSE-C)",
	Severity: check.Low,
	Category: check.CategoryEncryption,
	Description: `Since January 2023 S3 encrypts every new object with SSE-S3, whatever the bucket ` +
		`says, and the default cannot be turned off. A bucket without an encryption configuration is ` +
		`therefore encrypted and is NOT reported, and neither is AES256, aws:kms (with any key) or ` +
		`aws:kms:dsse; an invalid or empty algorithm is rejected by the API, so it cannot weaken anything.

What remains is the one setting that explicitly gives up a protection: blocked_encryption_types ` +
		`containing "NONE" in a rule of aws_s3_bucket_server_side_encryption_configuration (in ` +
		`CloudFormation, BlockedEncryptionTypes.EncryptionType in a ServerSideEncryptionConfiguration ` +
		`rule of AWS::S3::Bucket's BucketEncryption). S3 blocks ` +
		`uploads encrypted with customer-provided keys (SSE-C) on new buckets since April 2026; "NONE" ` +
		`re-allows them, and SSE-C is the mechanism of ransomware attacks in which stolen write ` +
		`credentials re-encrypt objects with a key only the attacker holds. Reported at the argument; ` +
		`unknown values are recorded as undecided. Severity is Low: it needs compromised credentials ` +
		`and exposes nothing by itself.

Deliberately not reported: a KMS key named by alias (alias/aws/s3 or a customer alias). AWS ` +
		`recommends a key ARN because an alias resolves in the writer's account, but that only matters ` +
		`for cross-account writers, which the configuration rarely shows; reporting every alias would ` +
		`mostly be noise.`,
	Remediation: "Keep uploads encrypted with customer-provided keys (SSE-C) blocked: list SSE-C " +
		"as the blocked encryption type, or leave the setting out on buckets created since S3 " +
		"blocks SSE-C by default.\n\n" +
		"Terraform, in the aws_s3_bucket_server_side_encryption_configuration:\n\n" +
		"```hcl\nresource \"aws_s3_bucket_server_side_encryption_configuration\" \"this\" {\n" +
		"  bucket = aws_s3_bucket.this.id\n  rule {\n    blocked_encryption_types = [\"SSE-C\"]\n" +
		"    apply_server_side_encryption_by_default {\n      sse_algorithm = \"AES256\"\n" +
		"    }\n  }\n}\n```\n\n" +
		"CloudFormation, in the BucketEncryption of the AWS::S3::Bucket:\n\n" +
		"```yaml\nBucket:\n  Type: AWS::S3::Bucket\n  Properties:\n    BucketEncryption:\n" +
		"      ServerSideEncryptionConfiguration:\n        - ServerSideEncryptionByDefault:\n" +
		"            SSEAlgorithm: AES256\n          BlockedEncryptionTypes:\n" +
		"            EncryptionType: [SSE-C]\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html",
		"https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-blockedencryptiontypes.html",
	},
	Formats: s3Formats,
	Run:     runSSECAllowed,
}

// runSSECAllowed reports encryption rules that unblock SSE-C uploads.
func runSSECAllowed(p *check.Pass) {
	for _, r := range p.Graph.All() {
		rules, field := sseRules(r)
		if field == nil {
			continue
		}
		if !rules.IsKnown() {
			p.Undecided(r, rules.Path())
			continue
		}
		for _, rule := range rules.List() {
			if !rule.IsKnown() {
				p.Undecided(r, rule.Path())
				continue
			}
			blocked := rule.Get(field...)
			if !blocked.IsKnown() {
				p.Undecided(r, blocked.Path())
			}
			for _, b := range blocked.List() {
				if !b.IsKnown() {
					p.Undecided(r, b.Path())
					continue
				}
				if s, _ := b.Str(); s == "NONE" {
					// Each format's own spelling, so that the message reads like the file.
					setting := `blocked_encryption_types = ["NONE"]`
					if r.Format == graph.CloudFormation {
						setting = "BlockedEncryptionTypes.EncryptionType: [NONE]"
					}
					p.Reportf(r, blocked.Path(), "%s allows uploads encrypted with customer-provided keys (SSE-C), which lets anyone with write access re-encrypt objects with a key only they hold", setting)
				}
			}
		}
	}
}

// sseRules returns the encryption rules of r and the path, within a rule, of the list
// of blocked encryption types; a nil path means r holds no encryption rules. In
// Terraform that is blocked_encryption_types of the v4+
// aws_s3_bucket_server_side_encryption_configuration (the inline block of aws_s3_bucket
// does not have it); in CloudFormation,
// BucketEncryption.ServerSideEncryptionConfiguration[].BlockedEncryptionTypes.EncryptionType
// of AWS::S3::Bucket.
func sseRules(r *graph.Resource) (graph.Value, graph.Path) {
	switch {
	case r.Format == graph.Terraform && r.Type == "aws_s3_bucket_server_side_encryption_configuration":
		return r.Get("rule"), graph.P("blocked_encryption_types")
	case r.Format == graph.CloudFormation && r.Type == cfnBucket:
		return r.Get("BucketEncryption", "ServerSideEncryptionConfiguration"), graph.P("BlockedEncryptionTypes", "EncryptionType")
	}
	return graph.Value{}, nil
}
