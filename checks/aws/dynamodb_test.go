package aws

import "testing"

func TestDAXWithoutServerSideEncryptionIsReported(t *testing.T) {
	sse := func(v any) map[string]any {
		return map[string]any{"server_side_encryption": []any{map[string]any{"enabled": v}}}
	}
	got := encRun(t, daxUnencrypted,
		encRes("aws_dax_cluster", "missing", map[string]any{"node_type": "dax.r5.large"}),
		encRes("aws_dax_cluster", "off", sse(false)),
		encRes("aws_dax_cluster", "empty", map[string]any{"server_side_encryption": []any{map[string]any{}}}),
		encRes("aws_dax_cluster", "on", sse(true)),
		encRes("aws_dax_cluster", "var", sse(unknownVal)),
		encRes("aws_dynamodb_table", "table", map[string]any{"name": "t"}),
	)
	encExpect(t, got,
		"aws_dax_cluster.missing server_side_encryption",
		"aws_dax_cluster.off server_side_encryption[0].enabled",
		"aws_dax_cluster.empty server_side_encryption[0].enabled",
		"undecided aws_dax_cluster.var server_side_encryption[0].enabled",
	)
}
