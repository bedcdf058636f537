package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var efsUnencrypted = &check.Check{
	ID:       "aws-efs-unencrypted",
	Title:    "EFS file system is not encrypted at rest",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "An EFS file system created without encryption stores its files and backups in " +
		"plaintext, and encryption at rest can only be chosen when the file system is " +
		"created: fixing it later means copying the data to a new file system. The console " +
		"encrypts by default, but the API and the Terraform provider do not. Medium: shared " +
		"file systems often hold application data and secrets, though still behind IAM and " +
		"the network.\n\n" +
		"Reported: aws_efs_file_system with encrypted = false or not set. An encrypted value " +
		"that cannot be known statically is recorded as undecided. Encryption in transit is " +
		"a mount option of each client and cannot be seen here.\n\n" +
		"CloudFormation: AWS::EFS::FileSystem with Encrypted false or not set.",
	Remediation: "Set encrypted = true (Encrypted: true in CloudFormation, optionally with a KMS " +
		"key) and migrate the data to the new file system.\n\n" +
		"```hcl\nresource \"aws_efs_file_system\" \"shared\" {\n  encrypted = true\n}\n```\n\n" +
		"```yaml\nShared:\n  Type: AWS::EFS::FileSystem\n  Properties:\n    Encrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system#encrypted",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-efs-filesystem.html",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.4.1"},
	Formats:    []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_efs_file_system", "AWS::EFS::FileSystem") {
			name, v, ok := efsEncrypted(r)
			if !ok {
				continue
			}
			switch readFlag(v) {
			case flagUnknown:
				p.Undecided(r, v.Path())
			case flagFalse:
				p.Reportf(r, v.Path(), "%s stores the files and their backups unencrypted", falseAsWritten(r, name))
			case flagAbsent:
				p.Reportf(r, v.Path(), "%s is not set (the default is false), so the files and their backups are stored unencrypted", name)
			}
		}
	},
}

// efsEncrypted returns a file system's encryption setting and its name in r's format.
func efsEncrypted(r *graph.Resource) (name string, v graph.Value, ok bool) {
	switch r.Format {
	case graph.Terraform:
		return "encrypted", r.Get("encrypted"), true
	case graph.CloudFormation:
		return "Encrypted", r.Get("Encrypted"), true
	}
	return "", graph.Value{}, false
}
