package aws

import "testing"

func TestRDSPublicReportsOnlyWhatIsKnownToBePublic(t *testing.T) {
	got := encRun(t, rdsInstancePublic,
		encRes("aws_db_instance", "public", map[string]any{"publicly_accessible": true}),
		encRes("aws_db_instance", "string", map[string]any{"publicly_accessible": "true"}),
		encRes("aws_db_instance", "default", map[string]any{"engine": "postgres"}),
		encRes("aws_db_instance", "private", map[string]any{"publicly_accessible": false}),
		encRes("aws_db_instance", "empty", map[string]any{"publicly_accessible": ""}),
		encRes("aws_db_instance", "var", map[string]any{"publicly_accessible": unknownVal}),
		encRes("aws_rds_cluster_instance", "aurora", map[string]any{"publicly_accessible": "1"}),
		encRes("aws_rds_cluster_instance", "aurora_default", map[string]any{}),
		// The provider's aws_rds_cluster has no publicly_accessible argument: a value
		// written there is not one AWS receives.
		encRes("aws_rds_cluster", "multi_az", map[string]any{"publicly_accessible": true}),
		cfnEnc("AWS::RDS::DBCluster", "MultiAz", map[string]any{"Engine": "postgres", "DBClusterInstanceClass": "db.m6gd.large", "PubliclyAccessible": true}),
		cfnEnc("AWS::RDS::DBCluster", "MultiAzEngineUnknown", map[string]any{"Engine": unknownVal, "PubliclyAccessible": "true"}),
		cfnEnc("AWS::RDS::DBCluster", "MultiAzUnknown", map[string]any{"Engine": "mysql", "PubliclyAccessible": unknownVal}),
		cfnEnc("AWS::RDS::DBCluster", "MultiAzPrivate", map[string]any{"Engine": "mysql", "PubliclyAccessible": false}),
		cfnEnc("AWS::RDS::DBCluster", "MultiAzDefault", map[string]any{"Engine": "mysql"}),
		// RDS takes the setting per instance on Aurora and rejects it on the cluster.
		cfnEnc("AWS::RDS::DBCluster", "AuroraFlag", map[string]any{"Engine": "Aurora-MySQL", "PubliclyAccessible": true}),
		cfnEnc("AWS::RDS::DBInstance", "Public", map[string]any{"PubliclyAccessible": true}),
		cfnEnc("AWS::RDS::DBInstance", "AuroraMember", map[string]any{"DBClusterIdentifier": "c", "PubliclyAccessible": "true"}),
		// The API default depends on the VPC, which the template does not show.
		cfnEnc("AWS::RDS::DBInstance", "VpcDefault", map[string]any{"Engine": "postgres"}),
		cfnEnc("AWS::RDS::DBInstance", "Private", map[string]any{"PubliclyAccessible": false}),
		cfnEnc("AWS::RDS::DBInstance", "Unknown", map[string]any{"PubliclyAccessible": unknownVal}),
		cfnEnc("AWS::RDS::DBInstance", "TerraformName", map[string]any{"publicly_accessible": true}),
	)
	encExpect(t, got,
		"AuroraMember PubliclyAccessible",
		"MultiAz PubliclyAccessible",
		"MultiAzEngineUnknown PubliclyAccessible",
		"Public PubliclyAccessible",
		"aws_db_instance.public publicly_accessible",
		"aws_db_instance.string publicly_accessible",
		"aws_rds_cluster_instance.aurora publicly_accessible",
		"undecided MultiAzUnknown PubliclyAccessible",
		"undecided Unknown PubliclyAccessible",
		"undecided aws_db_instance.var publicly_accessible",
	)
}
