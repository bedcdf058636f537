package aws

import "testing"

func TestSNSTopicWithoutKMSKeyIsReported(t *testing.T) {
	got := encRun(t, snsUnencrypted,
		encRes("aws_sns_topic", "plain", map[string]any{"name": "t"}),
		encRes("aws_sns_topic", "empty", map[string]any{"kms_master_key_id": ""}),
		encRes("aws_sns_topic", "managed", map[string]any{"kms_master_key_id": "alias/aws/sns"}),
		encRes("aws_sns_topic", "ref", map[string]any{"kms_master_key_id": unknownVal}),
	)
	encExpect(t, got, "aws_sns_topic.plain kms_master_key_id", "aws_sns_topic.empty kms_master_key_id")
}
