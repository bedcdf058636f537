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
		"undecided.",
	Remediation: "Remove sqs_managed_sse_enabled = false (SSE-SQS is the default), or use a KMS " +
		"key.\n\n" +
		"```hcl\nresource \"aws_sqs_queue\" \"jobs\" {\n  name                    = \"jobs\"\n" +
		"  sqs_managed_sse_enabled = true\n}\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#sqs_managed_sse_enabled",
	},
	Formats: []graph.Format{graph.Terraform},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_sqs_queue") {
			if r.Format != graph.Terraform || isWritten(r.Get("kms_master_key_id")) {
				continue
			}
			v := r.Get("sqs_managed_sse_enabled")
			switch readFlag(v) {
			case flagUnknown:
				p.Undecided(r, v.Path())
			case flagFalse:
				p.Reportf(r, v.Path(), "sqs_managed_sse_enabled = false without kms_master_key_id stores messages unencrypted at rest")
			}
		}
	},
}
