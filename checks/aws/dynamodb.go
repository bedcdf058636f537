package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// DynamoDB tables themselves are always encrypted at rest; see encryptionChecks for why
// the choice of key is not reported.

var daxUnencrypted = &check.Check{
	ID:       "aws-dynamodb-dax-unencrypted",
	Title:    "DAX cluster does not encrypt cached table data at rest",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "DynamoDB encrypts every table at rest, but a DAX cluster in front of it does " +
		"not unless server-side encryption is turned on at creation: cached items, " +
		"configuration and logs then sit unencrypted on the nodes' disks, undoing the " +
		"table's protection for the hottest data. It cannot be turned on later without " +
		"recreating the cluster. Medium, as for other data stores.\n\n" +
		"Reported: aws_dax_cluster without server_side_encryption, or with enabled = false " +
		"or not set (the default). A value that cannot be known statically is recorded as " +
		"undecided. Not reported: DynamoDB tables without a customer managed key (they are " +
		"encrypted with an AWS owned key), and DAX encryption in transit " +
		"(cluster_endpoint_encryption_type).\n\n" +
		"CloudFormation: AWS::DAX::Cluster without SSESpecification, or with " +
		"SSESpecification.SSEEnabled false or not set.",
	Remediation: "Turn on server-side encryption (this recreates the cluster).\n\n" +
		"```hcl\nresource \"aws_dax_cluster\" \"cache\" {\n  cluster_name       = \"cache\"\n" +
		"  iam_role_arn       = aws_iam_role.dax.arn\n  node_type          = \"dax.r5.large\"\n" +
		"  replication_factor = 3\n\n  server_side_encryption {\n    enabled = true\n  }\n}\n```\n\n" +
		"```yaml\nCache:\n  Type: AWS::DAX::Cluster\n  Properties:\n    NodeType: dax.r5.large\n" +
		"    ReplicationFactor: 3\n    IAMRoleARN: !GetAtt DaxRole.Arn\n    SSESpecification:\n" +
		"      SSEEnabled: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dax_cluster#server_side_encryption",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dax-cluster.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_dax_cluster", "AWS::DAX::Cluster") {
			n, ok := daxNames(r)
			if !ok {
				continue
			}
			sse, known := nestedBlocks(r.Get(n.block))
			if !known {
				p.Undecided(r, graph.P(n.block))
				continue
			}
			if len(sse) == 0 {
				p.Reportf(r, graph.P(n.block), "%s is not set, so cached table data is stored unencrypted on the nodes", n.block)
				continue
			}
			for _, b := range sse {
				v := b.Get(n.enabled)
				switch readFlag(v) {
				case flagUnknown:
					p.Undecided(r, v.Path())
				case flagFalse:
					p.Reportf(r, v.Path(), "%s stores cached table data unencrypted on the nodes", falseAsWritten(r, n.shown))
				case flagAbsent:
					p.Reportf(r, v.Path(), "%s is not set (the default is false), so cached table data is stored unencrypted on the nodes", n.shown)
				}
			}
		}
	},
}

// daxSettingNames are the names of a DAX cluster's encryption settings in one format;
// shown is how messages name the enabled setting within its block.
type daxSettingNames struct{ block, enabled, shown string }

// daxNames returns the encryption setting names for r's format: a server_side_encryption
// block in Terraform, an SSESpecification object in CloudFormation.
func daxNames(r *graph.Resource) (daxSettingNames, bool) {
	switch r.Format {
	case graph.Terraform:
		return daxSettingNames{"server_side_encryption", "enabled", "server_side_encryption enabled"}, true
	case graph.CloudFormation:
		return daxSettingNames{"SSESpecification", "SSEEnabled", "SSESpecification.SSEEnabled"}, true
	}
	return daxSettingNames{}, false
}
