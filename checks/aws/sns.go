package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var snsUnencrypted = &check.Check{
	ID:       "aws-sns-unencrypted",
	Title:    "SNS topic does not encrypt messages at rest",
	Severity: check.Low,
	Category: check.CategoryEncryption,
	Description: "SNS topics are not encrypted at rest unless a KMS key is set: messages are " +
		"stored unencrypted while SNS delivers and retries them. Low: messages are kept only " +
		"until delivered, and who can publish and subscribe is governed by IAM and the topic " +
		"policy, which encryption at rest does not change; it matters for topics that carry " +
		"sensitive payloads or where a compliance regime requires it.\n\n" +
		"Reported: aws_sns_topic without kms_master_key_id (or with an empty one). The AWS " +
		"managed key alias/aws/sns counts as encrypted. A key known only after apply counts " +
		"as set.\n\n" +
		"CloudFormation: AWS::SNS::Topic without KmsMasterKeyId (or with an empty one); a key " +
		"from a reference, an import or a parameter without a value counts as set.",
	Remediation: "Set kms_master_key_id to a KMS key (the AWS managed alias/aws/sns, or a customer " +
		"managed key whose policy lets the publishing services use it).\n\n" +
		"```hcl\nresource \"aws_sns_topic\" \"alerts\" {\n  name              = \"alerts\"\n" +
		"  kms_master_key_id = \"alias/aws/sns\"\n}\n```\n\n" +
		"```yaml\nAlerts:\n  Type: AWS::SNS::Topic\n  Properties:\n    KmsMasterKeyId: alias/aws/sns\n```",
	Links: []string{
		"https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic#kms_master_key_id",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_sns_topic", "AWS::SNS::Topic") {
			var name string
			switch r.Format {
			case graph.Terraform:
				name = "kms_master_key_id"
			case graph.CloudFormation:
				name = "KmsMasterKeyId"
			default:
				continue
			}
			v := r.Get(name)
			if !isWritten(v) {
				p.Reportf(r, v.Path(), "%s is not set, so messages are stored unencrypted until delivered", name)
			}
		}
	},
}
