package aws

import (
	"strings"
	"testing"
)

// vpc is a Terraform vpc_config block list with the given settings.
func vpc(attrs map[string]any) map[string]any {
	return map[string]any{"vpc_config": []any{attrs}}
}

func TestEKSEndpointPublicAndOpenIsReported(t *testing.T) {
	got := encRun(t, eksPublicEndpoint,
		encRes("aws_eks_cluster", "defaults", vpc(map[string]any{"subnet_ids": []any{"s-1"}})),
		encRes("aws_eks_cluster", "public_no_cidrs", vpc(map[string]any{"endpoint_public_access": true})),
		encRes("aws_eks_cluster", "empty_cidrs", vpc(map[string]any{"public_access_cidrs": []any{}})),
		encRes("aws_eks_cluster", "null_cidrs", vpc(map[string]any{"endpoint_public_access": "true", "public_access_cidrs": nil})),
		encRes("aws_eks_cluster", "world", vpc(map[string]any{"public_access_cidrs": []any{"10.0.0.0/8", "0.0.0.0/0"}})),
		encRes("aws_eks_cluster", "world6", vpc(map[string]any{"public_access_cidrs": []any{"::/0"}})),
		encRes("aws_eks_cluster", "split", vpc(map[string]any{"public_access_cidrs": []any{"0.0.0.0/1", "128.0.0.0/1"}})),
		encRes("aws_eks_cluster", "narrow", vpc(map[string]any{"public_access_cidrs": []any{"203.0.113.0/24"}})),
		encRes("aws_eks_cluster", "private", vpc(map[string]any{"endpoint_public_access": false, "endpoint_private_access": true})),
		// A private-only endpoint is closed whatever CIDRs are listed.
		encRes("aws_eks_cluster", "private_world", vpc(map[string]any{"endpoint_public_access": "false", "public_access_cidrs": []any{"0.0.0.0/0"}})),
		encRes("aws_eks_cluster", "flag_var", vpc(map[string]any{"endpoint_public_access": unknownVal})),
		encRes("aws_eks_cluster", "cidrs_var", vpc(map[string]any{"public_access_cidrs": unknownVal})),
		encRes("aws_eks_cluster", "cidr_elem_var", vpc(map[string]any{"public_access_cidrs": []any{"203.0.113.0/24", unknownVal}})),
		// A known open range decides the matter whatever the unknown element is.
		encRes("aws_eks_cluster", "open_and_var", vpc(map[string]any{"public_access_cidrs": []any{unknownVal, "0.0.0.0/0"}})),
		encRes("aws_eks_cluster", "dynamic_block", map[string]any{"vpc_config": unknownVal}),
	)
	encExpect(t, got,
		"aws_eks_cluster.defaults vpc_config[0].public_access_cidrs",
		"aws_eks_cluster.public_no_cidrs vpc_config[0].endpoint_public_access",
		"aws_eks_cluster.empty_cidrs vpc_config[0].public_access_cidrs",
		"aws_eks_cluster.null_cidrs vpc_config[0].endpoint_public_access",
		"aws_eks_cluster.world vpc_config[0].public_access_cidrs[1]",
		"aws_eks_cluster.world6 vpc_config[0].public_access_cidrs[0]",
		"aws_eks_cluster.split vpc_config[0].public_access_cidrs[0]",
		"aws_eks_cluster.open_and_var vpc_config[0].public_access_cidrs[1]",
		"undecided aws_eks_cluster.flag_var vpc_config[0].endpoint_public_access",
		"undecided aws_eks_cluster.cidrs_var vpc_config[0].public_access_cidrs",
		"undecided aws_eks_cluster.cidr_elem_var vpc_config[0].public_access_cidrs",
		"undecided aws_eks_cluster.dynamic_block vpc_config",
	)
}

func TestEKSEndpointCloudFormation(t *testing.T) {
	got := encRun(t, eksPublicEndpoint,
		cfnEnc("AWS::EKS::Cluster", "Defaults", map[string]any{"ResourcesVpcConfig": map[string]any{"SubnetIds": []any{"s-1"}}}),
		cfnEnc("AWS::EKS::Cluster", "World", map[string]any{"ResourcesVpcConfig": map[string]any{
			"EndpointPublicAccess": true, "PublicAccessCidrs": []any{"0.0.0.0/0"}}}),
		cfnEnc("AWS::EKS::Cluster", "SingleString", map[string]any{"ResourcesVpcConfig": map[string]any{"PublicAccessCidrs": "198.51.100.0/24"}}),
		cfnEnc("AWS::EKS::Cluster", "Private", map[string]any{"ResourcesVpcConfig": map[string]any{"EndpointPublicAccess": false}}),
		cfnEnc("AWS::EKS::Cluster", "NoVpcConfig", map[string]any{"Name": "c"}),
	)
	encExpect(t, got,
		"Defaults ResourcesVpcConfig.PublicAccessCidrs",
		"World ResourcesVpcConfig.PublicAccessCidrs[0]",
	)
}

func TestEKSEndpointMessagesNameTheOpenRange(t *testing.T) {
	msgs := encMessages(eksPublicEndpoint,
		encRes("aws_eks_cluster", "world", vpc(map[string]any{"public_access_cidrs": []any{"0.0.0.0/0", "::/0"}})),
		encRes("aws_eks_cluster", "split", vpc(map[string]any{"public_access_cidrs": []any{"0.0.0.0/1", "128.0.0.0/1"}})),
		encRes("aws_eks_cluster", "defaults", vpc(map[string]any{})),
		encRes("aws_eks_cluster", "empty", vpc(map[string]any{"public_access_cidrs": []any{}})),
	)
	// The graph orders resources by address: defaults, empty, split, world.
	want := []string{
		"the public endpoint is on and public_access_cidrs is not set (AWS then allows 0.0.0.0/0), so the Kubernetes API accepts connections from any address",
		"the public endpoint is on and public_access_cidrs is empty (AWS then allows 0.0.0.0/0), so the Kubernetes API accepts connections from any address",
		"public_access_cidrs allows 0.0.0.0/1 and 128.0.0.0/1 (together every IPv4 address), so the public Kubernetes API endpoint accepts connections from the whole internet",
		"public_access_cidrs allows 0.0.0.0/0 and ::/0, so the public Kubernetes API endpoint accepts connections from the whole internet",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", msgs, want)
	}
}
