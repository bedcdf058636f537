package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// databaseChecks returns the checks for DocumentDB and Neptune clusters and for RDS
// instances reachable from the internet, in a stable order.
//
// Left out on purpose, because the service encrypts the data whatever the configuration
// says: DocumentDB elastic clusters (aws_docdbelastic_cluster,
// AWS::DocDBElastic::Cluster), whose only setting is which KMS key to use, and Neptune
// Analytics graphs (aws_neptunegraph_graph, AWS::NeptuneGraph::Graph).
func databaseChecks() []*check.Check {
	return []*check.Check{
		docdbClusterUnencrypted,
		neptuneClusterUnencrypted,
		rdsInstancePublic,
	}
}

var docdbClusterUnencrypted = &check.Check{
	ID:       "aws-docdb-cluster-unencrypted",
	Title:    "DocumentDB cluster storage is not encrypted",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "A DocumentDB cluster created without storage encryption keeps its volume, " +
		"indexes, logs, automated backups and snapshots in plaintext, and it cannot be " +
		"encrypted in place later. Unencrypted snapshots can be shared with any account. " +
		"Medium, as for RDS: the data is sensitive but stays behind IAM and the network.\n\n" +
		"Reported: aws_docdb_cluster with storage_encrypted = false or not set (the provider " +
		"and API default is unencrypted; only the console turns it on by default). Not " +
		"reported: clusters restored from a snapshot (snapshot_identifier) or to a point in " +
		"time (restore_to_point_in_time), which inherit the source's encryption; secondary " +
		"clusters of a global cluster (global_cluster_identifier without master " +
		"credentials), whose encryption follows the global cluster. aws_docdb_global_cluster " +
		"is reported the same way (storage_encrypted false or not set), unless it is " +
		"created from an existing cluster (source_db_cluster_identifier), whose encryption " +
		"it takes. A source, snapshot or " +
		"global cluster known only after apply counts as set; a storage_encrypted that " +
		"cannot be known statically is recorded as undecided. DocumentDB elastic clusters " +
		"(aws_docdbelastic_cluster, AWS::DocDBElastic::Cluster) are always encrypted and " +
		"are not checked.\n\n" +
		"CloudFormation: AWS::DocDB::DBCluster with StorageEncrypted false or not set, with " +
		"the same exceptions: SnapshotIdentifier or SourceDBClusterIdentifier; " +
		"GlobalClusterIdentifier without MasterUsername or ManageMasterUserPassword.",
	Remediation: "Set storage_encrypted = true (StorageEncrypted: true in CloudFormation, " +
		"optionally with a KMS key). An existing cluster has to be replaced: snapshot it and " +
		"restore the snapshot into a new cluster with encryption turned on.\n\n" +
		"```hcl\nresource \"aws_docdb_cluster\" \"docs\" {\n  cluster_identifier = \"docs\"\n" +
		"  master_username    = \"app\"\n  manage_master_user_password = true\n" +
		"  storage_encrypted  = true\n}\n```\n\n" +
		"```yaml\nDocs:\n  Type: AWS::DocDB::DBCluster\n  Properties:\n    MasterUsername: app\n" +
		"    ManageMasterUserPassword: true\n    StorageEncrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#storage_encrypted",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-docdb-dbcluster.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		runClusterStorage(p, "aws_docdb_cluster", "aws_docdb_global_cluster", "AWS::DocDB::DBCluster")
	},
}

var neptuneClusterUnencrypted = &check.Check{
	ID:       "aws-neptune-cluster-unencrypted",
	Title:    "Neptune cluster storage is not encrypted",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "A Neptune cluster created without storage encryption keeps its graph " +
		"volume, automated backups and snapshots in plaintext, and it cannot be encrypted " +
		"in place later. Unencrypted snapshots can be shared with any account. Medium, as " +
		"for RDS.\n\n" +
		"Reported: aws_neptune_cluster with storage_encrypted = false or not set (the " +
		"provider and API default is unencrypted, whatever the capacity mode). Not " +
		"reported: clusters restored from a snapshot " +
		"(snapshot_identifier) and read replicas of another cluster " +
		"(replication_source_identifier), which inherit the source's encryption; members of " +
		"a global database (global_cluster_identifier), whose encryption is set on the global " +
		"cluster (Neptune clusters have no master credentials that would tell the primary " +
		"from a secondary). aws_neptune_global_cluster is reported the same way " +
		"(storage_encrypted false or not set), unless it is created from an existing cluster " +
		"(source_db_cluster_identifier), whose encryption it takes. A source, snapshot or " +
		"global cluster known only after apply " +
		"counts as set; a storage_encrypted that cannot be known statically is recorded as " +
		"undecided. Neptune Analytics graphs are always encrypted and are not checked.\n\n" +
		"CloudFormation: AWS::Neptune::DBCluster with StorageEncrypted false or not set, " +
		"except clusters restored from SnapshotIdentifier or SourceDBClusterIdentifier.",
	Remediation: "Set storage_encrypted = true (StorageEncrypted: true in CloudFormation, " +
		"optionally with a KMS key). An existing cluster has to be replaced: snapshot it and " +
		"restore the snapshot into a new cluster with encryption turned on.\n\n" +
		"```hcl\nresource \"aws_neptune_cluster\" \"graph\" {\n  cluster_identifier = \"graph\"\n" +
		"  storage_encrypted  = true\n}\n```\n\n" +
		"```yaml\nGraph:\n  Type: AWS::Neptune::DBCluster\n  Properties:\n    StorageEncrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#storage_encrypted",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-neptune-dbcluster.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		runClusterStorage(p, "aws_neptune_cluster", "aws_neptune_global_cluster", "AWS::Neptune::DBCluster")
	},
}

// clusterStorage names the settings that decide whether a DocumentDB or Neptune cluster
// is encrypted at rest, as its format writes them.
type clusterStorage struct {
	// Encrypted is the storage encryption setting.
	Encrypted string
	// Inherits lists the settings that make the cluster a copy of another one (snapshot
	// restore, point-in-time restore, replica), whose encryption it then inherits.
	Inherits []string
	// Global is the global database the cluster joins; empty when the format has none.
	Global string
	// Primary lists the settings only a global database's primary has (master
	// credentials). When it is empty every member follows the global cluster.
	Primary []string
	// What names the data left unencrypted, for messages.
	What string
}

// What a cluster and a global cluster leave unencrypted.
const (
	clusterData = "the cluster storage, its backups and snapshots"
	globalData  = "the storage of every cluster in the global database"
)

// The settings of each resource type that runClusterStorage reads. A global cluster
// created from an existing cluster (source_db_cluster_identifier) takes that cluster's
// encryption.
var (
	tfDocDBCluster = clusterStorage{
		Encrypted: "storage_encrypted",
		Inherits:  []string{"snapshot_identifier", "restore_to_point_in_time"},
		Global:    "global_cluster_identifier",
		Primary:   []string{"master_username", "manage_master_user_password"},
		What:      clusterData,
	}
	tfDocDBGlobalCluster = clusterStorage{
		Encrypted: "storage_encrypted",
		Inherits:  []string{"source_db_cluster_identifier"},
		What:      globalData,
	}
	cfnDocDBCluster = clusterStorage{
		Encrypted: "StorageEncrypted",
		Inherits:  []string{"SnapshotIdentifier", "SourceDBClusterIdentifier"},
		Global:    "GlobalClusterIdentifier",
		Primary:   []string{"MasterUsername", "ManageMasterUserPassword"},
		What:      clusterData,
	}
	tfNeptuneCluster = clusterStorage{
		Encrypted: "storage_encrypted",
		Inherits:  []string{"snapshot_identifier", "replication_source_identifier", "global_cluster_identifier"},
		What:      clusterData,
	}
	tfNeptuneGlobalCluster = clusterStorage{
		Encrypted: "storage_encrypted",
		Inherits:  []string{"source_db_cluster_identifier"},
		What:      globalData,
	}
	cfnNeptuneCluster = clusterStorage{
		Encrypted: "StorageEncrypted",
		Inherits:  []string{"SnapshotIdentifier", "SourceDBClusterIdentifier"},
		What:      clusterData,
	}
)

// clusterFacts returns the encryption settings of a DocumentDB or Neptune cluster.
func clusterFacts(r *graph.Resource) (clusterStorage, bool) {
	switch {
	case r.Format == graph.Terraform && r.Type == "aws_docdb_cluster":
		return tfDocDBCluster, true
	case r.Format == graph.Terraform && r.Type == "aws_docdb_global_cluster":
		return tfDocDBGlobalCluster, true
	case r.Format == graph.CloudFormation && r.Type == "AWS::DocDB::DBCluster":
		return cfnDocDBCluster, true
	case r.Format == graph.Terraform && r.Type == "aws_neptune_cluster":
		return tfNeptuneCluster, true
	case r.Format == graph.Terraform && r.Type == "aws_neptune_global_cluster":
		return tfNeptuneGlobalCluster, true
	case r.Format == graph.CloudFormation && r.Type == "AWS::Neptune::DBCluster":
		return cfnNeptuneCluster, true
	}
	return clusterStorage{}, false
}

// runClusterStorage decides whether each DocumentDB or Neptune cluster of types ends up
// unencrypted.
func runClusterStorage(p *check.Pass, types ...string) {
	for _, r := range p.Graph.Resources(types...) {
		s, ok := clusterFacts(r)
		if !ok {
			continue
		}
		encrypted, enc, judge := storageToJudge(p, r, s.Encrypted, s.Inherits)
		if !judge {
			continue
		}
		if s.Global != "" && globalSecondary(r, rdsStorage{Global: s.Global, Primary: s.Primary}) {
			continue
		}
		if enc == flagFalse {
			p.Reportf(r, encrypted.Path(), "%s leaves %s unencrypted", falseAsWritten(r, s.Encrypted), s.What)
			continue
		}
		p.Reportf(r, encrypted.Path(), "%s is not set (the default is false), which leaves %s unencrypted", s.Encrypted, s.What)
	}
}
