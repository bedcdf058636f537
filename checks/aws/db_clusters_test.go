package aws

import (
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestDocDBClusterRestoresAndGlobalSecondariesAreNotReported(t *testing.T) {
	got := encRun(t, docdbClusterUnencrypted,
		encRes("aws_docdb_cluster", "plain", map[string]any{"master_username": "app"}),
		encRes("aws_docdb_cluster", "off", map[string]any{"storage_encrypted": false}),
		encRes("aws_docdb_cluster", "zero", map[string]any{"storage_encrypted": "0"}),
		encRes("aws_docdb_cluster", "on", map[string]any{"storage_encrypted": true}),
		encRes("aws_docdb_cluster", "var", map[string]any{"storage_encrypted": unknownVal}),
		encRes("aws_docdb_cluster", "restore", map[string]any{"snapshot_identifier": "snap"}),
		encRes("aws_docdb_cluster", "snapshot_ref", map[string]any{"snapshot_identifier": unknownVal}),
		encRes("aws_docdb_cluster", "empty_snapshot", map[string]any{"snapshot_identifier": " "}),
		encRes("aws_docdb_cluster", "pitr", map[string]any{"restore_to_point_in_time": []any{map[string]any{"source_cluster_identifier": "src"}}}),
		encRes("aws_docdb_cluster", "secondary", map[string]any{"global_cluster_identifier": unknownVal}),
		encRes("aws_docdb_cluster", "primary", map[string]any{"global_cluster_identifier": "g", "master_username": "app"}),
		encRes("aws_docdb_cluster", "managed_primary", map[string]any{"global_cluster_identifier": "g", "manage_master_user_password": true}),
		encRes("aws_docdb_global_cluster", "global", map[string]any{"engine": "docdb"}),
		encRes("aws_docdb_global_cluster", "from_source", map[string]any{"source_db_cluster_identifier": unknownVal}),
		encRes("aws_docdbelastic_cluster", "elastic", map[string]any{"name": "e"}),
		encRes("aws_neptune_cluster", "other_service", map[string]any{}),
	)
	encExpect(t, got,
		"aws_docdb_cluster.empty_snapshot storage_encrypted",
		"aws_docdb_cluster.managed_primary storage_encrypted",
		"aws_docdb_cluster.off storage_encrypted",
		"aws_docdb_cluster.plain storage_encrypted",
		"aws_docdb_cluster.primary storage_encrypted",
		"aws_docdb_cluster.zero storage_encrypted",
		"aws_docdb_global_cluster.global storage_encrypted",
		"undecided aws_docdb_cluster.var storage_encrypted",
	)
}

func TestNeptuneClusterReplicasAndGlobalMembersAreNotReported(t *testing.T) {
	got := encRun(t, neptuneClusterUnencrypted,
		encRes("aws_neptune_cluster", "plain", map[string]any{"engine": "neptune"}),
		encRes("aws_neptune_cluster", "off", map[string]any{"storage_encrypted": "false"}),
		encRes("aws_neptune_cluster", "on", map[string]any{"storage_encrypted": "1"}),
		encRes("aws_neptune_cluster", "var", map[string]any{"storage_encrypted": unknownVal}),
		encRes("aws_neptune_cluster", "restore", map[string]any{"snapshot_identifier": unknownVal}),
		encRes("aws_neptune_cluster", "replica", map[string]any{"replication_source_identifier": "arn:aws:rds:x"}),
		encRes("aws_neptune_cluster", "member", map[string]any{"global_cluster_identifier": "g", "storage_encrypted": false}),
		encRes("aws_neptune_global_cluster", "global", map[string]any{"storage_encrypted": false}),
		encRes("aws_neptune_global_cluster", "global_on", map[string]any{"storage_encrypted": true}),
		encRes("aws_docdb_cluster", "other_service", map[string]any{}),
	)
	encExpect(t, got,
		"aws_neptune_cluster.off storage_encrypted",
		"aws_neptune_cluster.plain storage_encrypted",
		"aws_neptune_global_cluster.global storage_encrypted",
		"undecided aws_neptune_cluster.var storage_encrypted",
	)
}

func TestClusterStorageCloudFormationExceptions(t *testing.T) {
	docdb := encRun(t, docdbClusterUnencrypted,
		cfnEnc("AWS::DocDB::DBCluster", "Plain", map[string]any{"MasterUsername": "app"}),
		cfnEnc("AWS::DocDB::DBCluster", "Restored", map[string]any{"SnapshotIdentifier": "snap"}),
		cfnEnc("AWS::DocDB::DBCluster", "Clone", map[string]any{"SourceDBClusterIdentifier": "src", "RestoreType": "copy-on-write"}),
		cfnEnc("AWS::DocDB::DBCluster", "Secondary", map[string]any{"GlobalClusterIdentifier": "g"}),
		cfnEnc("AWS::DocDB::DBCluster", "Primary", map[string]any{"GlobalClusterIdentifier": "g", "ManageMasterUserPassword": true}),
		// Terraform's names mean nothing in a template.
		cfnEnc("AWS::DocDB::DBCluster", "TerraformNames", map[string]any{"snapshot_identifier": "snap", "storage_encrypted": true}),
	)
	encExpect(t, docdb,
		"Plain StorageEncrypted",
		"Primary StorageEncrypted",
		"TerraformNames StorageEncrypted",
	)
	neptune := encRun(t, neptuneClusterUnencrypted,
		cfnEnc("AWS::Neptune::DBCluster", "Plain", map[string]any{}),
		cfnEnc("AWS::Neptune::DBCluster", "Off", map[string]any{"StorageEncrypted": false}),
		cfnEnc("AWS::Neptune::DBCluster", "Restored", map[string]any{"SnapshotIdentifier": unknownVal}),
		cfnEnc("AWS::Neptune::DBCluster", "Clone", map[string]any{"SourceDBClusterIdentifier": "src"}),
		cfnEnc("AWS::Neptune::DBCluster", "Unknown", map[string]any{"StorageEncrypted": unknownVal}),
	)
	encExpect(t, neptune,
		"Off StorageEncrypted",
		"Plain StorageEncrypted",
		"undecided Unknown StorageEncrypted",
	)
}

func TestDatabaseChecksReadOnlyTheirFormatsTypes(t *testing.T) {
	// A Terraform type in a template, or a template type in Terraform, is not read.
	rs := []*graph.Resource{
		cfnEnc("aws_docdb_cluster", "A", map[string]any{"storage_encrypted": false}),
		cfnEnc("aws_neptune_cluster", "B", map[string]any{"storage_encrypted": false}),
		cfnEnc("aws_db_instance", "C", map[string]any{"publicly_accessible": true}),
		encRes("AWS::DocDB::DBCluster", "d", map[string]any{"StorageEncrypted": false}),
		encRes("AWS::Neptune::DBCluster", "e", map[string]any{"StorageEncrypted": false}),
		encRes("AWS::RDS::DBInstance", "f", map[string]any{"PubliclyAccessible": true}),
	}
	for _, c := range databaseChecks() {
		encExpect(t, encRun(t, c, rs...))
	}
}
