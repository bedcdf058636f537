package report

import (
	"time"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// The synthetic scan every report test renders: every severity, related locations, module
// instances merged into one result, diagnostics of both severities and an internal error,
// unicode, tabs, CRLF line ends, a very long line, a multi-line region and a path with
// spaces.

var (
	checkPublicACL = &check.Check{
		ID: "aws-s3-public-acl", Title: "S3 bucket ACL grants access to everyone",
		Severity: check.Critical, Category: check.CategoryPublicStorage,
		Description: "A public-read or public-read-write canned ACL lets anyone on the internet list or read the bucket's objects.",
		Remediation: "Set acl to \"private\" and grant access with bucket policies. For example: acl = \"private\".",
		Links:       []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html"},
		Formats:     []graph.Format{graph.Terraform, graph.CloudFormation},
	}
	checkOpenIngress = &check.Check{
		ID: "aws-vpc-open-ingress", Title: "Security group allows ingress from the whole internet",
		Severity: check.High, Category: check.CategoryOpenNetwork,
		Description: "An ingress rule open to 0.0.0.0/0 exposes the port to every host on the internet.",
		Remediation: "Restrict cidr_blocks to the networks that need access. Use a load balancer for public traffic.",
		Links: []string{
			"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
			"https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html",
		},
		Formats: []graph.Format{graph.Terraform},
	}
	checkUnencrypted = &check.Check{
		ID: "aws-ebs-unencrypted", Title: "EBS volume is not encrypted",
		Severity: check.Medium, Category: check.CategoryEncryption,
		Description: "Unencrypted volumes expose their data to anyone who obtains a snapshot.",
		Remediation: "Set encrypted = true.",
		Links:       []string{"https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"},
		Formats:     []graph.Format{graph.Terraform},
	}
	checkLatestTag = &check.Check{
		ID: "k8s-image-latest-tag", Title: "Container image uses the latest tag",
		Severity: check.Low, Category: check.CategoryWorkload,
		Description: "A mutable tag makes deployments unreproducible and hides what actually runs.",
		Remediation: "Pin the image to a version or a digest, e.g. image: nginx:1.27.2.",
		Links:       []string{"https://kubernetes.io/docs/concepts/containers/images/"},
		Formats:     []graph.Format{graph.Kubernetes},
	}
	// checkQuiet ran without finding anything: it is still a SARIF rule.
	checkQuiet = &check.Check{
		ID: "aws-iam-wildcard-action", Title: "IAM policy allows every action",
		Severity: check.High, Category: check.CategoryIAM,
		Description: "A policy with Action \"*\" grants far more than any workload needs.",
		Remediation: "List the actions the principal needs.",
		Links:       []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"},
		Formats:     []graph.Format{graph.Terraform, graph.CloudFormation},
	}
)

const (
	mainTF = "terraform/main.tf"
	spaced = "dir with spaces/bücket.tf"
	tfvars = "terraform/terraform.tfvars"
	deploy = "k8s/deploy.yaml"
	broken = "broken/main.tf"
)

var syntheticFiles = map[string][]byte{
	mainTF: []byte("module \"web\" {\n  source = \"./modules/web\"\n}\n\nresource \"aws_security_group\" \"sg\" {\n  ingress {\n\tcidr_blocks = [\"0.0.0.0/0\"] # ünïcode ☃\n  }\n}\n\nresource \"aws_ebs_volume\" \"data\" {\n  size = 10\n}\n"),
	spaced: []byte("resource \"aws_s3_bucket\" \"logs\" {\r\n  bucket = \"logs\"\r\n  acl    = var.acl\r\n}\r\n"),
	tfvars: []byte("region = \"eu-west-1\"\n\nacl = \"public-read\" # " + longComment() + "\n"),
	deploy: []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: >-\n            nginx:latest\n"),
	broken: []byte("resource \"aws_s3_bucket\" \"b\" {\n  acl = \n}\n"),
}

// longComment makes a line longer than the text report shows.
func longComment() string {
	b := make([]byte, 0, 300)
	for len(b) < 300 {
		b = append(b, "lorem ipsum "...)
	}
	return string(b)
}

func rng(file string, sl, sc, el, ec int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: sl, Column: sc}, End: graph.Pos{Line: el, Column: ec}}
}

func syntheticInput() *Input {
	bucket := &graph.Resource{Format: graph.Terraform, Type: "aws_s3_bucket", Address: "aws_s3_bucket.logs", Range: rng(spaced, 1, 1, 4, 2)}
	sg := &graph.Resource{Format: graph.Terraform, Type: "aws_security_group", Address: "aws_security_group.sg", Range: rng(mainTF, 5, 1, 9, 2)}
	vol0 := &graph.Resource{Format: graph.Terraform, Type: "aws_ebs_volume", Address: "module.web[0].aws_ebs_volume.data", Range: rng(mainTF, 11, 1, 13, 2)}
	vol1 := &graph.Resource{Format: graph.Terraform, Type: "aws_ebs_volume", Address: "module.web[1].aws_ebs_volume.data", Range: rng(mainTF, 11, 1, 13, 2)}
	dep := &graph.Resource{Format: graph.Kubernetes, Type: "Deployment", Address: "apps/v1/Deployment/default/web", Range: rng(deploy, 1, 1, 12, 1)}

	results := []checks.Result{
		{
			Check: checkLatestTag, Severity: check.Low, Range: rng(deploy, 10, 11, 11, 25),
			Message:   "apps/v1/Deployment/default/web: container web uses image \"nginx:latest\"",
			Detail:    "container web uses image \"nginx:latest\"",
			Resources: []*graph.Resource{dep}, Path: graph.P("spec", "template", "spec", "containers", 0, "image"),
			Key: "k8s-image-latest-tag|apps/v1/Deployment/default/web|spec.template.spec.containers[0].image",
		},
		{
			Check: checkPublicACL, Severity: check.Critical, Range: rng(spaced, 3, 3, 3, 20),
			Message: "aws_s3_bucket.logs: acl is \"public-read\"", Detail: "acl is \"public-read\"",
			Resources: []*graph.Resource{bucket}, Path: graph.P("acl"),
			Related: []graph.Related{{Range: rng(tfvars, 3, 1, 3, 20), Message: "value from terraform.tfvars"}},
			Key:     "aws-s3-public-acl|aws_s3_bucket.logs|acl",
		},
		{
			Check: checkOpenIngress, Severity: check.High, Range: rng(mainTF, 7, 2, 7, 29),
			Message:   "aws_security_group.sg: ingress[0] allows 0.0.0.0/0 on all ports",
			Detail:    "ingress[0] allows 0.0.0.0/0 on all ports",
			Resources: []*graph.Resource{sg}, Path: graph.P("ingress", 0, "cidr_blocks"),
			Key: "aws-vpc-open-ingress|aws_security_group.sg|ingress[0].cidr_blocks",
		},
		{
			Check: checkUnencrypted, Severity: check.Medium, Range: rng(mainTF, 11, 1, 11, 33),
			Message:   "module.web[0].aws_ebs_volume.data, module.web[1].aws_ebs_volume.data: encrypted is not set (the default is false)",
			Detail:    "encrypted is not set (the default is false)",
			Resources: []*graph.Resource{vol0, vol1}, Path: graph.P("encrypted"),
			Related: []graph.Related{
				{Range: rng(mainTF, 1, 1, 1, 13), Message: "module call"},
				{Range: rng(mainTF, 1, 1, 1, 13)},
			},
			Key: "aws-ebs-unencrypted|module.web[0].aws_ebs_volume.data|encrypted",
		},
	}
	checks.SortResults(results)

	return &Input{
		Tool:    ToolInfo{Name: "iacscan", Version: "1.2.3", InformationURI: "https://github.com/iacscan/iacscan"},
		Checks:  []*check.Check{checkQuiet, checkOpenIngress, checkLatestTag, checkUnencrypted, checkPublicACL},
		Results: results,
		Undecided: []checks.UndecidedResult{{
			Check: checkOpenIngress, Range: rng(mainTF, 6, 3, 8, 4), Resource: sg, Path: graph.P("ingress"),
			Reasons: []string{"var.cidr has no value", "data.aws_vpc.main.cidr_block is known only after apply"},
		}},
		Diagnostics: graph.Diagnostics{
			{Severity: graph.DiagError, Summary: "Invalid expression", Detail: "Expected the start of an expression, but found an invalid expression token.", Range: rng(broken, 2, 9, 2, 10)},
			{Severity: graph.DiagWarning, Summary: "Remote module not fetched", Detail: "module \"vpc\" has source registry.terraform.io/x/vpc/aws; run terraform init to scan it", Range: graph.Range{File: mainTF}},
			{Severity: graph.DiagError, Summary: "internal error in check aws-iam-wildcard-action", Detail: "runtime error: index out of range\ngoroutine 7 [running]:", Range: graph.Range{File: "<check aws-iam-wildcard-action>"}},
		},
		Stats: map[graph.Format]*graph.Counts{
			graph.Terraform:  {Scanned: 4, Failed: 1},
			graph.Kubernetes: {Scanned: 1, Skipped: 2},
		},
		Files:    syntheticFiles,
		Duration: 123456789 * time.Nanosecond,
		Root:     "/home/ci/project",
	}
}
