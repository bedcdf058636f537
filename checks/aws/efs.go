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
		"a mount option of each client and cannot be seen here.",
	Remediation: "Set encrypted = true (optionally with kms_key_id) and migrate the data to the " +
		"new file system.\n\n" +
		"```hcl\nresource \"aws_efs_file_system\" \"shared\" {\n  encrypted = true\n}\n```",
	Links: []string{
		"https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system#encrypted",
	},
	Frameworks: []string{"CIS-AWS-3.0:2.4.1"},
	Formats:    []graph.Format{graph.Terraform},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_efs_file_system") {
			if r.Format != graph.Terraform {
				continue
			}
			v := r.Get("encrypted")
			switch readFlag(v) {
			case flagUnknown:
				p.Undecided(r, v.Path())
			case flagFalse:
				p.Reportf(r, v.Path(), "encrypted = false stores the files and their backups unencrypted")
			case flagAbsent:
				p.Reportf(r, v.Path(), "encrypted is not set (the default is false), so the files and their backups are stored unencrypted")
			}
		}
	},
}
