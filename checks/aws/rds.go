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

// rdsStorage names the settings that decide whether an RDS instance or cluster is
// encrypted at rest, as its format writes them. They are read as runRDS needs them: most
// databases set the encryption flag, which decides the matter by itself.
type rdsStorage struct {
	// Instance tells a DB instance from a cluster.
	Instance bool
	// Encrypted is the storage encryption setting.
	Encrypted string
	// Inherits lists the settings that make the database a copy of another one (replica,
	// snapshot restore), whose encryption it then inherits.
	Inherits []string
	// Engine and Mode decide whether the engine is always encrypted.
	Engine, Mode string
	// Global is the global database the cluster joins, and Primary the settings only a
	// primary cluster has (master credentials).
	Global  string
	Primary []string
}

// The settings of each resource type that runRDS reads.
var (
	tfRDSInstance = rdsStorage{
		Instance: true, Encrypted: "storage_encrypted", Engine: "engine",
		Inherits: []string{"replicate_source_db", "snapshot_identifier", "restore_to_point_in_time"},
	}
	tfRDSCluster = rdsStorage{
		Encrypted: "storage_encrypted", Engine: "engine", Mode: "engine_mode",
		Inherits: []string{"snapshot_identifier", "replication_source_identifier", "restore_to_point_in_time"},
		Global:   "global_cluster_identifier", Primary: []string{"master_username", "manage_master_user_password"},
	}
	cfnRDSInstance = rdsStorage{
		Instance: true, Encrypted: "StorageEncrypted", Engine: "Engine",
		// Copies of another database, and members of a cluster (Aurora or Multi-AZ DB
		// cluster), whose storage encryption is the cluster's.
		Inherits: []string{"SourceDBInstanceIdentifier", "DBSnapshotIdentifier", "DBClusterSnapshotIdentifier",
			"SourceDBInstanceAutomatedBackupsArn", "SourceDbiResourceId", "SourceDBClusterIdentifier", "DBClusterIdentifier"},
	}
	cfnRDSCluster = rdsStorage{
		Encrypted: "StorageEncrypted", Engine: "Engine", Mode: "EngineMode",
		Inherits: []string{"SnapshotIdentifier", "SourceDBClusterIdentifier", "ReplicationSourceIdentifier"},
		Global:   "GlobalClusterIdentifier", Primary: []string{"MasterUsername", "ManageMasterUserPassword"},
	}
)

// rdsFacts returns the encryption settings of an RDS instance or cluster.
func rdsFacts(r *graph.Resource) (rdsStorage, bool) {
	switch {
	case r.Format == graph.Terraform && r.Type == "aws_db_instance":
		return tfRDSInstance, true
	case r.Format == graph.Terraform && r.Type == "aws_rds_cluster":
		return tfRDSCluster, true
	case r.Format == graph.CloudFormation && r.Type == "AWS::RDS::DBInstance":
		return cfnRDSInstance, true
	case r.Format == graph.CloudFormation && r.Type == "AWS::RDS::DBCluster":
		return cfnRDSCluster, true
	}
	return rdsStorage{}, false
}

// runRDS decides whether each instance or cluster of types ends up unencrypted.
func runRDS(p *check.Pass, types ...string) {
	for _, r := range p.Graph.Resources(types...) {
		s, ok := rdsFacts(r)
		if !ok {
			continue
		}
		encrypted, enc, judge := storageToJudge(p, r, s.Encrypted, s.Inherits)
		if !judge {
			continue
		}
		if s.Instance {
			ev := r.Get(s.Engine)
			engine := readText(ev)
			if !engine.Known {
				p.Undecided(r, ev.Path())
				continue
			}
			// RDS Custom requires encryption; an Aurora instance's storage is the cluster's.
			e := strings.ToLower(engine.Value)
			if strings.HasPrefix(e, "custom-") || strings.HasPrefix(e, "aurora") {
				continue
			}
		}
		if !s.Instance {
			mv := r.Get(s.Mode)
			mode := readText(mv)
			if !mode.Known {
				p.Undecided(r, mv.Path())
				continue
			}
			// Aurora Serverless v1 clusters are always encrypted.
			if strings.EqualFold(mode.Value, "serverless") {
				continue
			}
			if globalSecondary(r, s) {
				continue
			}
		}
		what := "the database storage, its backups and snapshots"
		if s.Instance {
			what = "the database storage, its backups, snapshots and read replicas"
		}
		if enc == flagFalse {
			p.Reportf(r, encrypted.Path(), "%s leaves %s unencrypted", falseAsWritten(r, s.Encrypted), what)
			continue
		}
		p.Reportf(r, encrypted.Path(), "%s is not set (the default is false), so %s are unencrypted", s.Encrypted, what)
	}
}

// storageToJudge reads a database's storage encryption setting and says whether the
// database is left to judge: not when the setting is true, not when it is unknown (an
// undecided decision is recorded), and not when the database copies another one and
// inherits its encryption. Otherwise enc is flagFalse or flagAbsent.
func storageToJudge(p *check.Pass, r *graph.Resource, setting string, inherits []string) (encrypted graph.Value, enc flagState, judge bool) {
	encrypted = r.Get(setting)
	enc = readFlag(encrypted)
	switch {
	case enc == flagTrue:
		return encrypted, enc, false
	case enc == flagUnknown:
		p.Undecided(r, encrypted.Path())
		return encrypted, enc, false
	case inheritsEncryption(r, inherits):
		return encrypted, enc, false
	}
	return encrypted, enc, true
}

// inheritsEncryption reports whether any of the settings that make a resource a copy of
// another (replica source, snapshot, point-in-time restore) is written. A value that is
// unknown statically counts as written: it is almost always a reference to another
// resource (aws_db_snapshot.x.id), known only after apply.
func inheritsEncryption(r *graph.Resource, names []string) bool {
	for _, n := range names {
		if isWritten(r.Get(n)) {
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
func globalSecondary(r *graph.Resource, s rdsStorage) bool {
	if !isWritten(r.Get(s.Global)) {
		return false
	}
	for _, n := range s.Primary {
		if isWritten(r.Get(n)) {
			return false
		}
	}
	return true
}
