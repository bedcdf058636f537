package aws

import "testing"

func TestRDSInstanceReplicasRestoresAndCustomEnginesAreNotReported(t *testing.T) {
	got := encRun(t, rdsInstanceUnencrypted,
		encRes("aws_db_instance", "plain", map[string]any{"engine": "postgres"}),
		encRes("aws_db_instance", "off", map[string]any{"engine": "mysql", "storage_encrypted": false}),
		encRes("aws_db_instance", "on", map[string]any{"engine": "mysql", "storage_encrypted": true}),
		encRes("aws_db_instance", "replica", map[string]any{"replicate_source_db": unknownVal}),
		encRes("aws_db_instance", "restore", map[string]any{"engine": "mysql", "snapshot_identifier": "snap"}),
		encRes("aws_db_instance", "empty_snapshot", map[string]any{"engine": "mysql", "snapshot_identifier": ""}),
		encRes("aws_db_instance", "custom", map[string]any{"engine": "custom-oracle-ee"}),
		encRes("aws_db_instance", "aurora", map[string]any{"engine": "aurora-mysql"}),
		encRes("aws_db_instance", "engine_var", map[string]any{"engine": unknownVal}),
		encRes("aws_db_instance", "flag_var", map[string]any{"engine": "mysql", "storage_encrypted": unknownVal}),
	)
	encExpect(t, got,
		"aws_db_instance.plain storage_encrypted",
		"aws_db_instance.off storage_encrypted",
		"aws_db_instance.empty_snapshot storage_encrypted",
		"undecided aws_db_instance.engine_var engine",
		"undecided aws_db_instance.flag_var storage_encrypted",
	)
}

func TestRDSClusterServerlessV1AndGlobalSecondariesAreNotReported(t *testing.T) {
	got := encRun(t, rdsClusterUnencrypted,
		encRes("aws_rds_cluster", "provisioned", map[string]any{"engine": "aurora-postgresql", "master_username": "admin"}),
		encRes("aws_rds_cluster", "v2", map[string]any{"engine": "aurora-postgresql", "engine_mode": "provisioned", "storage_encrypted": false}),
		encRes("aws_rds_cluster", "v1", map[string]any{"engine": "aurora-mysql", "engine_mode": "serverless"}),
		encRes("aws_rds_cluster", "mode_var", map[string]any{"engine_mode": unknownVal}),
		encRes("aws_rds_cluster", "secondary", map[string]any{"global_cluster_identifier": unknownVal}),
		encRes("aws_rds_cluster", "global_primary", map[string]any{"global_cluster_identifier": "g", "master_username": "admin"}),
		encRes("aws_rds_cluster", "replica", map[string]any{"replication_source_identifier": "arn:aws:rds:x"}),
		encRes("aws_rds_cluster", "on", map[string]any{"storage_encrypted": "true"}),
	)
	encExpect(t, got,
		"aws_rds_cluster.provisioned storage_encrypted",
		"aws_rds_cluster.v2 storage_encrypted",
		"aws_rds_cluster.global_primary storage_encrypted",
		"undecided aws_rds_cluster.mode_var engine_mode",
	)
}
