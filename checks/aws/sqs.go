package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var sqsUnencrypted = &check.Check{
	ID:       "aws-sqs-unencrypted",
	Title:    "SQS queue has server-side encryption turned off",
	Severity: check.Low,
	Category: check.CategoryEncryption,
	Description: "Since late 2022 new SQS queues are encrypted at rest with SQS-owned keys " +
		"(SSE-SQS) unless that is turned off explicitly. A queue with " +
		"sqs_managed_sse_enabled = false and no KMS key keeps its messages, for up to the " +
		"retention period (14 days at most), unencrypted at rest. Low: messages are " +
		"short-lived and access to them is governed by IAM and the queue policy, which " +
		"encryption at rest does not change.\n\n" +
		"Reported: aws_sqs_queue with sqs_managed_sse_enabled = false and no " +
		"kms_master_key_id. Not reported: a queue without encryption settings (SSE-SQS " +
		"applies) or with a KMS key (SSE-KMS). A KMS key known only after apply counts as " +
		"set; an sqs_managed_sse_enabled that cannot be known statically is recorded as " +
		"undecided.\n\n" +
		"CloudFormation: AWS::SQS::Queue with SqsManagedSseEnabled false and no " +
		"KmsMasterKeyId (SSE-SQS also applies there when the property is not set).",
	Remediation: "Remove sqs_managed_sse_enabled = false (SqsManagedSseEnabled: false in " +
		"CloudFormation; SSE-SQS is the default), or use a KMS key.\n\n" +
		"```hcl\nresource \"aws_sqs_queue\" \"jobs\" {\n  name                    = \"jobs\"\n" +
		"  sqs_managed_sse_enabled = true\n}\n```\n\n" +
		"```yaml\nJobs:\n  Type: AWS::SQS::Queue\n  Properties:\n    SqsManagedSseEnabled: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#sqs_managed_sse_enabled",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_sqs_queue", "AWS::SQS::Queue") {
			q, ok := sqsFacts(r)
			if !ok || isWritten(q.Key) {
				continue
			}
			switch readFlag(q.Managed) {
			case flagUnknown:
				p.Undecided(r, q.Managed.Path())
			case flagFalse:
				p.Reportf(r, q.Managed.Path(), "%s without %s stores messages unencrypted at rest", falseAsWritten(r, q.ManagedName), q.KeyName)
			}
		}
	},
}

// sqsEncryption is what decides whether a queue encrypts messages at rest.
type sqsEncryption struct {
	// Managed is the SSE-SQS setting, Key the KMS key; the names are as the format
	// writes them.
	Managed, Key         graph.Value
	ManagedName, KeyName string
}

// sqsFacts extracts the encryption settings of a queue.
func sqsFacts(r *graph.Resource) (sqsEncryption, bool) {
	switch r.Format {
	case graph.Terraform:
		return sqsEncryption{
			Managed: r.Get("sqs_managed_sse_enabled"), Key: r.Get("kms_master_key_id"),
			ManagedName: "sqs_managed_sse_enabled", KeyName: "kms_master_key_id",
		}, true
	case graph.CloudFormation:
		return sqsEncryption{
			Managed: r.Get("SqsManagedSseEnabled"), Key: r.Get("KmsMasterKeyId"),
			ManagedName: "SqsManagedSseEnabled", KeyName: "KmsMasterKeyId",
		}, true
	}
	return sqsEncryption{}, false
}
