package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var redshiftUnencrypted = &check.Check{
	ID:       "aws-redshift-unencrypted",
	Title:    "Redshift cluster is configured without encryption at rest",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "Since January 2025 AWS encrypts every new provisioned Redshift cluster (with an " +
		"AWS owned key unless one is chosen) and rejects requests for an unencrypted one; " +
		"the Terraform provider's default for encrypted followed (true since v6). A " +
		"configuration that still says encrypted = false therefore describes a cluster " +
		"created unencrypted before that date, or one that will fail to apply. An " +
		"unencrypted warehouse keeps its data, backups and snapshots in plaintext. Medium, " +
		"as for other databases.\n\n" +
		"Reported: aws_redshift_cluster with encrypted = false (or \"false\"). Not reported: " +
		"a cluster without the encrypted argument, which AWS encrypts today (an old cluster " +
		"created before 2025 with provider v5's false default cannot be told apart " +
		"statically). A value that cannot be known statically is recorded as undecided.\n\n" +
		"CloudFormation: AWS::Redshift::Cluster with Encrypted false; not set is not reported, " +
		"for the same reason.",
	Remediation: "Set encrypted = true (optionally with kms_key_id); Redshift can encrypt an " +
		"existing cluster in place.\n\n" +
		"```hcl\nresource \"aws_redshift_cluster\" \"dw\" {\n  cluster_identifier = \"dw\"\n" +
		"  node_type          = \"ra3.xlplus\"\n  encrypted          = true\n}\n```\n\n" +
		"```yaml\nWarehouse:\n  Type: AWS::Redshift::Cluster\n  Properties:\n    NodeType: ra3.xlplus\n" +
		"    Encrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
		"https://aws.amazon.com/about-aws/whats-new/2024/11/amazon-redshift-enhance-security-default-behavior/",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#encrypted",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-redshift-cluster.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_redshift_cluster", "AWS::Redshift::Cluster") {
			var name string
			switch r.Format {
			case graph.Terraform:
				name = "encrypted"
			case graph.CloudFormation:
				name = "Encrypted"
			default:
				continue
			}
			v := r.Get(name)
			switch readFlag(v) {
			case flagUnknown:
				p.Undecided(r, v.Path())
			case flagFalse:
				p.Reportf(r, v.Path(), "%s keeps the warehouse data, backups and snapshots unencrypted (AWS rejects this for new clusters since January 2025)", falseAsWritten(r, name))
			}
		}
	},
}
