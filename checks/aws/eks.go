package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// eksChecks returns the EKS checks in a stable order.
func eksChecks() []*check.Check {
	return []*check.Check{eksPublicEndpoint}
}

var eksPublicEndpoint = &check.Check{
	ID:       "aws-eks-public-endpoint",
	Title:    "EKS cluster API endpoint is reachable from the whole internet",
	Severity: check.Medium,
	Category: check.CategoryOpenNetwork,
	Description: "An EKS cluster's Kubernetes API server has a public endpoint unless it is " +
		"turned off, and that endpoint accepts connections from any address unless it is " +
		"limited to given CIDR blocks. Open to the internet, the API server can be probed " +
		"by anyone: leaked kubeconfig credentials or tokens work from anywhere, and a " +
		"vulnerability in the API server or an authentication webhook is exposed to every " +
		"scanner. Medium: every request still has to authenticate with IAM or a " +
		"Kubernetes token, so the endpoint being reachable is not access by itself.\n\n" +
		"Reported: aws_eks_cluster whose vpc_config has endpoint_public_access = true or " +
		"not set (the default is true) and public_access_cidrs not set or empty (AWS then " +
		"allows 0.0.0.0/0), or containing 0.0.0.0/0, ::/0 or ranges that together cover " +
		"the internet as the security group checks count it. Not reported: " +
		"endpoint_public_access = false (a private endpoint only), and a public endpoint " +
		"limited to narrower CIDR blocks. A setting that cannot be known statically is " +
		"recorded as undecided.\n\n" +
		"CloudFormation: AWS::EKS::Cluster whose ResourcesVpcConfig has EndpointPublicAccess " +
		"true or not set and PublicAccessCidrs not set, empty or open to the internet.\n\n" +
		"terraform-aws-modules/eks passes its cluster_endpoint_public_access and " +
		"cluster_endpoint_public_access_cidrs inputs (endpoint_public_access* from v21) " +
		"straight into vpc_config, and the CIDR input defaults to 0.0.0.0/0: a consumer " +
		"that turns the public endpoint on without narrowing the CIDRs is reported on the " +
		"module call, or on the open CIDR it passes.",
	Remediation: "Turn the public endpoint off and reach the API through the private endpoint " +
		"(endpoint_private_access = true, from the VPC, a VPN or a bastion), or limit " +
		"public_access_cidrs (PublicAccessCidrs in CloudFormation) to the addresses that need " +
		"the API.\n\n" +
		"```hcl\n  vpc_config {\n    subnet_ids              = var.subnet_ids\n" +
		"    endpoint_private_access = true\n    endpoint_public_access  = true\n" +
		"    public_access_cidrs     = [\"203.0.113.0/24\"]\n  }\n```\n\n" +
		"```yaml\n      ResourcesVpcConfig:\n        SubnetIds: !Ref SubnetIds\n" +
		"        EndpointPrivateAccess: true\n        EndpointPublicAccess: false\n```",
	Links: []string{
		"https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#public_access_cidrs",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-eks-cluster-resourcesvpcconfig.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_eks_cluster", "AWS::EKS::Cluster") {
			n, ok := eksEndpointFacts(r)
			if !ok {
				continue
			}
			configs, known := nestedBlocks(r.Get(n.Config))
			if !known {
				p.Undecided(r, graph.P(n.Config))
				continue
			}
			for _, c := range configs {
				judgeEKSEndpoint(p, r, n, c)
			}
		}
	},
}

// eksEndpointNames names, in one format, the VPC configuration of a cluster and the
// endpoint settings within it.
type eksEndpointNames struct {
	Config, Public, CIDRs string
}

// eksEndpointFacts returns the names r's format gives the endpoint settings.
func eksEndpointFacts(r *graph.Resource) (eksEndpointNames, bool) {
	switch r.Format {
	case graph.Terraform:
		return eksEndpointNames{Config: "vpc_config", Public: "endpoint_public_access", CIDRs: "public_access_cidrs"}, true
	case graph.CloudFormation:
		return eksEndpointNames{Config: "ResourcesVpcConfig", Public: "EndpointPublicAccess", CIDRs: "PublicAccessCidrs"}, true
	}
	return eksEndpointNames{}, false
}

// judgeEKSEndpoint decides one VPC configuration of cluster r.
func judgeEKSEndpoint(p *check.Pass, r *graph.Resource, n eksEndpointNames, c graph.Value) {
	public := c.Get(n.Public)
	switch readFlag(public) {
	case flagFalse:
		return
	case flagUnknown:
		p.Undecided(r, public.Path())
		return
	}
	cidrs := c.Get(n.CIDRs)
	if !cidrs.IsKnown() {
		p.Undecided(r, cidrs.Path())
		return
	}
	elems := cidrs.List()
	if v, ok := cidrs.Str(); ok && v != "" {
		// A single CIDR where a list is expected, as a CloudFormation String parameter
		// passes it.
		elems = []graph.Value{cidrs}
	}
	if len(elems) == 0 {
		// Not set, null or empty: the provider sends no list and AWS applies 0.0.0.0/0.
		at := cidrs.Path()
		if public.Exists() {
			at = public.Path()
		}
		state := "is not set"
		if cidrs.Exists() {
			// Written as [] (or ""): say so, since the author did write the attribute.
			state = "is empty"
		}
		p.Reportf(r, at, "the public endpoint is on and %s %s (AWS then allows 0.0.0.0/0), so the Kubernetes API accepts connections from any address", n.CIDRs, state)
		return
	}
	var cands []netCIDRSource
	undecided := false
	for _, e := range elems {
		s, ok := e.Str()
		if !ok {
			// An unknown element could be the open range; a known one of another type
			// would be rejected by the provider and the API.
			undecided = undecided || !e.IsKnown()
			continue
		}
		pfx, ok := parseNetCIDR(s)
		if !ok {
			continue
		}
		cands = append(cands, netCIDRSource{path: e.Path(), cidr: s, prefix: pfx})
	}
	if open := worldSources(cands); len(open) > 0 {
		// The rendering of the security group checks, so that split ranges read the same.
		text := ingressRule{open: open}.openText()
		p.Reportf(r, open[0].path, "%s allows %s, so the public Kubernetes API endpoint accepts connections from the whole internet", n.CIDRs, text)
		return
	}
	if undecided {
		p.Undecided(r, cidrs.Path())
	}
}
