package aws

import "testing"

func TestRedshiftMissingEncryptedIsNotReportedSinceAWSEncryptsNewClusters(t *testing.T) {
	got := encRun(t, redshiftUnencrypted,
		encRes("aws_redshift_cluster", "default", map[string]any{"node_type": "ra3.xlplus"}),
		encRes("aws_redshift_cluster", "off", map[string]any{"encrypted": "false"}),
		encRes("aws_redshift_cluster", "on", map[string]any{"encrypted": true}),
		encRes("aws_redshift_cluster", "var", map[string]any{"encrypted": unknownVal}),
	)
	encExpect(t, got, "aws_redshift_cluster.off encrypted", "undecided aws_redshift_cluster.var encrypted")
}
