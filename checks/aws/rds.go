package aws

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var rdsInstanceUnencrypted = &check.Check{
	ID:       "aws-rds-instance-unencrypted",
	Title:    "RDS database instance storage is not encrypted",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "An RDS instance created without storage encryption keeps its storage, " +
		"automated backups, snapshots and read replicas in plaintext, and it cannot be " +
		"encrypted later except by copying a snapshot and restoring it. Unencrypted " +
		"snapshots can be shared with any account or made public. Medium: databases hold " +
		"the most sensitive data, but it stays behind IAM and the network.\n\n" +
		"Reported: aws_db_instance with storage_encrypted = false or not set (the API " +
		"default is unencrypted). Not reported: read replicas (replicate_source_db) and " +
		"instances restored from a snapshot (snapshot_identifier) or to a point in time " +
		"(restore_to_point_in_time), which inherit the source's encryption; RDS Custom " +
		"engines (custom-*), which are always encrypted; Aurora engines, whose encryption " +
		"is the cluster's (see aws-rds-cluster-unencrypted). A source or snapshot known " +
		"only after apply counts as set; a storage_encrypted or engine that cannot be known " +
		"statically is recorded as undecided.\n\n" +
		"CloudFormation: AWS::RDS::DBInstance with StorageEncrypted false or not set, with the " +
		"same exceptions: SourceDBInstanceIdentifier, DBSnapshotIdentifier, " +
		"DBClusterSnapshotIdentifier, SourceDBInstanceAutomatedBackupsArn, SourceDbiResourceId " +
		"or SourceDBClusterIdentifier (copies of another database), DBClusterIdentifier (a " +
		"member of a cluster, whose encryption is the cluster's), custom-* and aurora* engines.",
	Remediation: "Set storage_encrypted = true (StorageEncrypted: true in CloudFormation, " +
		"optionally with a KMS key). An existing instance has to be replaced: snapshot it, copy " +
		"the snapshot with encryption, and restore from the copy.\n\n" +
		"```hcl\nresource \"aws_db_instance\" \"db\" {\n  engine            = \"postgres\"\n" +
		"  instance_class    = \"db.t4g.micro\"\n  allocated_storage = 20\n" +
		"  storage_encrypted = true\n}\n```\n\n" +
		"```yaml\nDb:\n  Type: AWS::RDS::DBInstance\n  Properties:\n    Engine: postgres\n" +
		"    DBInstanceClass: db.t4g.micro\n    AllocatedStorage: \"20\"\n    StorageEncrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#storage_encrypted",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.3.1"},
	Formats:    []graph.Format{graph.Terraform, graph.CloudFormation},
	Run:        func(p *check.Pass) { runRDS(p, "aws_db_instance", "AWS::RDS::DBInstance") },
}

var rdsClusterUnencrypted = &check.Check{
	ID:       "aws-rds-cluster-unencrypted",
	Title:    "RDS or Aurora cluster storage is not encrypted",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "An Aurora or Multi-AZ DB cluster created without storage encryption keeps its " +
		"volume, backups and snapshots in plaintext, and it cannot be encrypted in place " +
		"later. Unencrypted snapshots can be shared with any account or made public. " +
		"Medium, as for DB instances.\n\n" +
		"Reported: aws_rds_cluster with storage_encrypted = false or not set, for the " +
		"provisioned engine mode (the default, also used by Aurora Serverless v2), where the " +
		"provider and API default is unencrypted. Not reported: engine_mode = \"serverless\" " +
		"(Aurora Serverless v1 is always encrypted); clusters restored from a snapshot " +
		"(snapshot_identifier) or to a point in time (restore_to_point_in_time) and " +
		"replicas (replication_source_identifier), which inherit the source's encryption; " +
		"secondary clusters of a global database (global_cluster_identifier without master " +
		"credentials), whose encryption follows the global cluster. A source, snapshot or " +
		"global cluster known only after apply counts as set; a storage_encrypted, engine " +
		"or engine_mode that cannot be known statically is recorded as undecided.\n\n" +
		"CloudFormation: AWS::RDS::DBCluster with StorageEncrypted false or not set, with the " +
		"same exceptions: EngineMode serverless; SnapshotIdentifier, SourceDBClusterIdentifier " +
		"or ReplicationSourceIdentifier; GlobalClusterIdentifier without MasterUsername or " +
		"ManageMasterUserPassword.",
	Remediation: "Set storage_encrypted = true (StorageEncrypted: true in CloudFormation, " +
		"optionally with a KMS key). An existing cluster has to be restored from an encrypted " +
		"snapshot copy.\n\n" +
		"```hcl\nresource \"aws_rds_cluster\" \"db\" {\n  engine            = \"aurora-postgresql\"\n" +
		"  storage_encrypted = true\n}\n```\n\n" +
		"```yaml\nDb:\n  Type: AWS::RDS::DBCluster\n  Properties:\n    Engine: aurora-postgresql\n" +
		"    StorageEncrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#storage_encrypted",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run:     func(p *check.Pass) { runRDS(p, "aws_rds_cluster", "AWS::RDS::DBCluster") },
}

// rdsStorage is what decides whether an RDS instance or cluster is encrypted at rest.
type rdsStorage struct {
	// Instance tells a DB instance from a cluster.
	Instance bool
	// Name is the encryption setting's name as the format writes it.
	Name string
	// Encrypted is the storage encryption setting.
	Encrypted graph.Value
	// Inherits lists the settings that make the database a copy of another one (replica,
	// snapshot restore), whose encryption it then inherits.
	Inherits []graph.Value
	// Engine and Mode decide whether the engine is always encrypted.
	Engine, Mode graph.Value
	// Global is the global database the cluster joins, and Primary the settings only a
	// primary cluster has (master credentials).
	Global  graph.Value
	Primary []graph.Value
}

// rdsFacts extracts the encryption facts of an RDS instance or cluster.
func rdsFacts(r *graph.Resource) (rdsStorage, bool) {
	if r.Format == graph.CloudFormation {
		return cfnRDSFacts(r)
	}
	if r.Format != graph.Terraform {
		return rdsStorage{}, false
	}
	s := rdsStorage{Name: "storage_encrypted", Encrypted: r.Get("storage_encrypted"), Engine: r.Get("engine")}
	switch r.Type {
	case "aws_db_instance":
		s.Instance = true
		s.Inherits = []graph.Value{r.Get("replicate_source_db"), r.Get("snapshot_identifier"), r.Get("restore_to_point_in_time")}
	case "aws_rds_cluster":
		s.Inherits = []graph.Value{r.Get("snapshot_identifier"), r.Get("replication_source_identifier"), r.Get("restore_to_point_in_time")}
		s.Mode = r.Get("engine_mode")
		s.Global = r.Get("global_cluster_identifier")
		s.Primary = []graph.Value{r.Get("master_username"), r.Get("manage_master_user_password")}
	default:
		return rdsStorage{}, false
	}
	return s, true
}

// cfnRDSFacts extracts the encryption facts of an AWS::RDS::DBInstance or DBCluster.
func cfnRDSFacts(r *graph.Resource) (rdsStorage, bool) {
	s := rdsStorage{Name: "StorageEncrypted", Encrypted: r.Get("StorageEncrypted"), Engine: r.Get("Engine")}
	switch r.Type {
	case "AWS::RDS::DBInstance":
		s.Instance = true
		// Copies of another database, and members of a cluster (Aurora or Multi-AZ DB
		// cluster), whose storage encryption is the cluster's.
		s.Inherits = getAll(r, "SourceDBInstanceIdentifier", "DBSnapshotIdentifier", "DBClusterSnapshotIdentifier",
			"SourceDBInstanceAutomatedBackupsArn", "SourceDbiResourceId", "SourceDBClusterIdentifier", "DBClusterIdentifier")
	case "AWS::RDS::DBCluster":
		s.Inherits = getAll(r, "SnapshotIdentifier", "SourceDBClusterIdentifier", "ReplicationSourceIdentifier")
		s.Mode = r.Get("EngineMode")
		s.Global = r.Get("GlobalClusterIdentifier")
		s.Primary = []graph.Value{r.Get("MasterUsername"), r.Get("ManageMasterUserPassword")}
	default:
		return rdsStorage{}, false
	}
	return s, true
}

// getAll returns the values of the top-level attributes names of r, in one allocation.
func getAll(r *graph.Resource, names ...string) []graph.Value {
	out := make([]graph.Value, len(names))
	for i, n := range names {
		out[i] = r.Get(n)
	}
	return out
}

// runRDS decides whether each instance or cluster of types ends up unencrypted.
func runRDS(p *check.Pass, types ...string) {
	for _, r := range p.Graph.Resources(types...) {
		s, ok := rdsFacts(r)
		if !ok {
			continue
		}
		enc := readFlag(s.Encrypted)
		if enc == flagTrue {
			continue
		}
		if enc == flagUnknown {
			p.Undecided(r, s.Encrypted.Path())
			continue
		}
		if inheritsEncryption(s.Inherits) {
			continue
		}
		if s.Instance {
			engine := readText(s.Engine)
			if !engine.Known {
				p.Undecided(r, s.Engine.Path())
				continue
			}
			// RDS Custom requires encryption; an Aurora instance's storage is the cluster's.
			e := strings.ToLower(engine.Value)
			if strings.HasPrefix(e, "custom-") || strings.HasPrefix(e, "aurora") {
				continue
			}
		}
		if !s.Instance {
			mode := readText(s.Mode)
			if !mode.Known {
				p.Undecided(r, s.Mode.Path())
				continue
			}
			// Aurora Serverless v1 clusters are always encrypted.
			if strings.EqualFold(mode.Value, "serverless") {
				continue
			}
			if globalSecondary(s) {
				continue
			}
		}
		what := "the database storage, its backups and snapshots"
		if s.Instance {
			what = "the database storage, its backups, snapshots and read replicas"
		}
		if enc == flagFalse {
			p.Reportf(r, s.Encrypted.Path(), "%s leaves %s unencrypted", falseAsWritten(r, s.Name), what)
			continue
		}
		p.Reportf(r, s.Encrypted.Path(), "%s is not set (the default is false), so %s are unencrypted", s.Name, what)
	}
}

// inheritsEncryption reports whether any of the settings that make a resource a copy of
// another (replica source, snapshot, point-in-time restore) is written. A value that is
// unknown statically counts as written: it is almost always a reference to another
// resource (aws_db_snapshot.x.id), known only after apply.
func inheritsEncryption(vs []graph.Value) bool {
	for _, v := range vs {
		if isWritten(v) {
			return true
		}
	}
	return false
}

// isWritten reports whether a setting is written with a value other than an empty string;
// unknown values count as written.
func isWritten(v graph.Value) bool {
	if !v.IsKnown() {
		return true
	}
	if !v.Exists() {
		return false
	}
	if s, ok := v.Str(); ok && strings.TrimSpace(s) == "" {
		return false
	}
	return true
}

// globalSecondary reports whether a cluster is a secondary of a global database: it
// names a global cluster and has no master credentials of its own.
func globalSecondary(s rdsStorage) bool {
	if !isWritten(s.Global) {
		return false
	}
	for _, v := range s.Primary {
		if isWritten(v) {
			return false
		}
	}
	return true
}
