package aws

import "testing"

func TestSQSOnlyExplicitlyDisabledSSEWithoutKMSIsReported(t *testing.T) {
	got := encRun(t, sqsUnencrypted,
		encRes("aws_sqs_queue", "default", map[string]any{"name": "q"}),
		encRes("aws_sqs_queue", "off", map[string]any{"sqs_managed_sse_enabled": false}),
		encRes("aws_sqs_queue", "off_empty_key", map[string]any{"sqs_managed_sse_enabled": false, "kms_master_key_id": ""}),
		encRes("aws_sqs_queue", "kms", map[string]any{"sqs_managed_sse_enabled": false, "kms_master_key_id": unknownVal}),
		encRes("aws_sqs_queue", "var", map[string]any{"sqs_managed_sse_enabled": unknownVal}),
	)
	encExpect(t, got,
		"aws_sqs_queue.off sqs_managed_sse_enabled",
		"aws_sqs_queue.off_empty_key sqs_managed_sse_enabled",
		"undecided aws_sqs_queue.var sqs_managed_sse_enabled",
	)
}
