package aws

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var rdsInstancePublic = &check.Check{
	ID:       "aws-rds-instance-public",
	Title:    "RDS database instance is publicly accessible",
	Severity: check.High,
	Category: check.CategoryOpenNetwork,
	Description: "A publicly accessible DB instance gets a public IP address, and its endpoint " +
		"resolves to that address from outside the VPC. Its security groups still decide " +
		"who can connect, but a single rule opening the database port to the internet (or " +
		"a subnet route to an internet gateway added later) then exposes the database " +
		"login, and any weak or leaked password, to the whole internet. High: databases " +
		"hold the most sensitive data and are a common target of credential stuffing and " +
		"engine exploits; few workloads need a database reachable from outside the VPC.\n\n" +
		"Reported: aws_db_instance and aws_rds_cluster_instance (Aurora instances, where the " +
		"setting is per instance) with publicly_accessible = true. The provider sends false " +
		"when the setting is not written, so an absent value is not reported; a value that " +
		"cannot be known statically is recorded as undecided.\n\n" +
		"CloudFormation: AWS::RDS::DBInstance (Aurora members included) with " +
		"PubliclyAccessible true. When PubliclyAccessible is not written the API decides " +
		"from the network: the instance is public if its subnet group's VPC (the default VPC " +
		"when no DBSubnetGroupName is given) has an internet gateway. That depends on the " +
		"account, not the template, so an absent PubliclyAccessible is not reported; write " +
		"PubliclyAccessible: false to be sure.\n\n" +
		"Multi-AZ DB clusters (a non-Aurora engine with DBClusterInstanceClass) take the " +
		"setting on the cluster: AWS::RDS::DBCluster with PubliclyAccessible true is reported, " +
		"absent is not (the same VPC-dependent default), and a cluster whose Engine is Aurora " +
		"is skipped, since RDS accepts the setting there only per instance. Terraform's " +
		"aws_rds_cluster has no publicly_accessible argument, so a Multi-AZ DB cluster made " +
		"with it cannot be judged from the configuration.",
	Remediation: "Set publicly_accessible = false (PubliclyAccessible: false in CloudFormation, " +
		"on the DB instance or the Multi-AZ DB cluster), " +
		"place the instance in a DB subnet group of private subnets, and reach it from inside " +
		"the VPC (application subnets, a bastion, Session Manager port forwarding or a VPN). " +
		"If it must stay public, restrict its security groups to known addresses.\n\n" +
		"```hcl\nresource \"aws_db_instance\" \"db\" {\n  engine               = \"postgres\"\n" +
		"  instance_class       = \"db.t4g.micro\"\n  allocated_storage    = 20\n" +
		"  db_subnet_group_name = aws_db_subnet_group.private.name\n" +
		"  publicly_accessible  = false\n}\n```\n\n" +
		"```yaml\nDb:\n  Type: AWS::RDS::DBInstance\n  Properties:\n    Engine: postgres\n" +
		"    DBInstanceClass: db.t4g.micro\n    AllocatedStorage: \"20\"\n" +
		"    DBSubnetGroupName: !Ref PrivateSubnets\n    PubliclyAccessible: false\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#publicly_accessible",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster_instance#publicly_accessible",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-publiclyaccessible",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.3.3"},
	Formats:    []graph.Format{graph.Terraform, graph.CloudFormation},
	Run:        runRDSPublic,
}

// publicSetting returns the name of the setting that makes a DB instance (or the
// instances of a Multi-AZ DB cluster) publicly accessible in the resource's format.
func publicSetting(r *graph.Resource) (string, bool) {
	switch {
	case r.Format == graph.Terraform && (r.Type == "aws_db_instance" || r.Type == "aws_rds_cluster_instance"):
		return "publicly_accessible", true
	case r.Format == graph.CloudFormation && r.Type == "AWS::RDS::DBInstance":
		return "PubliclyAccessible", true
	case r.Format == graph.CloudFormation && r.Type == "AWS::RDS::DBCluster":
		// The cluster-level setting exists for Multi-AZ DB clusters only: Aurora takes it
		// per instance, and RDS rejects it on an Aurora cluster, so such a stack fails
		// rather than exposing anything. An engine not known is taken as possibly
		// Multi-AZ.
		if e, ok := r.Get("Engine").Str(); ok && strings.HasPrefix(strings.ToLower(strings.TrimSpace(e)), "aurora") {
			return "", false
		}
		return "PubliclyAccessible", true
	}
	return "", false
}

// runRDSPublic reports the DB instances and Multi-AZ DB clusters known to be publicly
// accessible. Only an explicit
// true is reported: in Terraform the provider default is false, and in CloudFormation
// the default depends on the VPC, which the template does not show.
func runRDSPublic(p *check.Pass) {
	for _, r := range p.Graph.Resources("aws_db_instance", "aws_rds_cluster_instance", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster") {
		name, ok := publicSetting(r)
		if !ok {
			continue
		}
		v := r.Get(name)
		switch readFlag(v) {
		case flagTrue:
			p.Reportf(r, v.Path(), "%s gives the database a public IP address: it can be reached from the internet wherever its security groups allow the database port", trueAsWritten(r, name))
		case flagUnknown:
			p.Undecided(r, v.Path())
		case flagFalse, flagAbsent:
		}
	}
}

// trueAsWritten renders a setting turned on the way the resource's format writes it, for
// messages: publicly_accessible = true in Terraform, PubliclyAccessible: true in
// CloudFormation.
func trueAsWritten(r *graph.Resource, name string) string {
	if r.Format == graph.CloudFormation {
		return name + ": true"
	}
	return name + " = true"
}
