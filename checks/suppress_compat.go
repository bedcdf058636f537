package checks

import (
	"regexp"
	"strings"
)

// CompatID is one foreign check ID that iacscan honours in tfsec:ignore, trivy:ignore and
// checkov:skip comments, and the checks of ours it suppresses. The README's
// "Suppressing findings" table is this list.
type CompatID struct {
	// IDs are the other tools' names for the same rule: tfsec/Trivy long ID and AVD ID,
	// or a Checkov ID.
	IDs []string
	// Ours are the checks the rule corresponds to.
	Ours []string
	// Note says where the correspondence is not one to one.
	Note string
}

// CompatIDs is the one place foreign IDs are mapped. Only rules that clearly decide the
// same risk are listed: an ID that is not here is ignored, never guessed at.
var CompatIDs = []CompatID{
	// S3.
	{IDs: []string{"aws-s3-no-public-access-with-acl", "AVD-AWS-0092", "CKV_AWS_20", "CKV_AWS_57"},
		Ours: []string{"aws-s3-public-acl"},
		Note: "Checkov splits public READ (20) and WRITE (57) ACLs; either suppresses our one check."},
	{IDs: []string{"CKV_AWS_70"}, Ours: []string{"aws-s3-public-policy"}},
	{IDs: []string{"aws-s3-specify-public-access-block", "AVD-AWS-0094", "CKV2_AWS_6"},
		Ours: []string{"aws-s3-no-public-access-block"}},
	{IDs: []string{
		"aws-s3-block-public-acls", "AVD-AWS-0086", "aws-s3-block-public-policy", "AVD-AWS-0087",
		"aws-s3-ignore-public-acls", "AVD-AWS-0091", "aws-s3-no-public-buckets", "AVD-AWS-0093",
		"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56",
	},
		Ours: []string{"aws-s3-public-access-block-disabled"},
		Note: "Each of these names one of the four settings; our check reports them together, so ignoring one setting ignores the finding."},
	// Network.
	{IDs: []string{"aws-ec2-no-public-ingress-sgr", "AVD-AWS-0107"},
		Ours: []string{"aws-ec2-sg-open-all-ports", "aws-ec2-sg-open-admin-port", "aws-ec2-sg-open-database-port", "aws-ec2-sg-open-port-range", "aws-ec2-sg-open-port"},
		Note: "One rule for any public ingress; it maps to all five of our security group checks."},
	{IDs: []string{"CKV_AWS_24", "CKV_AWS_25"}, Ours: []string{"aws-ec2-sg-open-admin-port"},
		Note: "Checkov has one rule per port (22, 3389); our check covers the administration ports together."},
	{IDs: []string{"CKV_AWS_277"}, Ours: []string{"aws-ec2-sg-open-all-ports"}},
	{IDs: []string{"aws-ec2-no-public-ingress-acl", "AVD-AWS-0105"},
		Ours: []string{"aws-vpc-nacl-open-all-traffic", "aws-vpc-nacl-open-admin-port"},
		Note: "One rule for any public NACL ingress; it maps to both of our NACL checks."},
	{IDs: []string{"CKV_AWS_231", "CKV_AWS_232"}, Ours: []string{"aws-vpc-nacl-open-admin-port"},
		Note: "Checkov has one rule per port (3389, 22); our check covers every administration port together. Its FTP rules (CKV_AWS_229, CKV_AWS_230) have no counterpart."},
	{IDs: []string{"CKV_AWS_352"}, Ours: []string{"aws-vpc-nacl-open-all-traffic"},
		Note: "Checkov's rule flags an aws_network_acl_rule that allows every port, from any source; our check needs the whole internet as the source, so the Checkov rule is the broader of the two."},
	{IDs: []string{"aws-rds-no-public-db-access", "AVD-AWS-0082", "aws-rds-enable-public-access", "AVD-AWS-0180", "CKV_AWS_17"},
		Ours: []string{"aws-rds-instance-public"},
		Note: "tfsec/Trivy have two rules (0082, 0180) for the same setting; all of these, like ours, cover Aurora cluster instances too."},
	// Encryption.
	{IDs: []string{"aws-ec2-enable-volume-encryption", "AVD-AWS-0026", "CKV_AWS_3"}, Ours: []string{"aws-ebs-volume-unencrypted"}},
	{IDs: []string{"aws-ec2-enable-at-rest-encryption", "AVD-AWS-0131", "CKV_AWS_8"}, Ours: []string{"aws-ec2-block-device-unencrypted"}},
	{IDs: []string{"aws-rds-encrypt-instance-storage-data", "AVD-AWS-0080", "CKV_AWS_16"}, Ours: []string{"aws-rds-instance-unencrypted"}},
	{IDs: []string{"aws-rds-encrypt-cluster-storage-data", "AVD-AWS-0079", "CKV_AWS_96"}, Ours: []string{"aws-rds-cluster-unencrypted"}},
	{IDs: []string{"aws-documentdb-enable-storage-encryption", "AVD-AWS-0021", "CKV_AWS_74"}, Ours: []string{"aws-docdb-cluster-unencrypted"}},
	{IDs: []string{"aws-neptune-enable-storage-encryption", "AVD-AWS-0076", "CKV_AWS_44"}, Ours: []string{"aws-neptune-cluster-unencrypted"}},
	{IDs: []string{"aws-efs-enable-at-rest-encryption", "AVD-AWS-0037", "CKV_AWS_42"}, Ours: []string{"aws-efs-unencrypted"}},
	{IDs: []string{"aws-elasticache-enable-at-rest-encryption", "AVD-AWS-0045", "CKV_AWS_29"}, Ours: []string{"aws-elasticache-at-rest-unencrypted"}},
	{IDs: []string{"aws-elasticache-enable-in-transit-encryption", "AVD-AWS-0051", "CKV_AWS_30"}, Ours: []string{"aws-elasticache-in-transit-unencrypted"}},
	{IDs: []string{"aws-dynamodb-enable-at-rest-encryption", "AVD-AWS-0023", "CKV_AWS_47"}, Ours: []string{"aws-dynamodb-dax-unencrypted"}},
	{IDs: []string{"aws-sns-enable-topic-encryption", "AVD-AWS-0095", "CKV_AWS_26"}, Ours: []string{"aws-sns-unencrypted"}},
	{IDs: []string{"aws-sqs-enable-queue-encryption", "AVD-AWS-0096", "CKV_AWS_27"}, Ours: []string{"aws-sqs-unencrypted"}},
	{IDs: []string{"aws-redshift-encryption-customer-key", "AVD-AWS-0084", "CKV_AWS_64"}, Ours: []string{"aws-redshift-unencrypted"},
		Note: "tfsec/Trivy also demand a customer-managed key; we report only a cluster that is not encrypted at all."},
	// Transport.
	{IDs: []string{"aws-cloudfront-enforce-https", "AVD-AWS-0012", "CKV_AWS_34"}, Ours: []string{"aws-cloudfront-allows-http"}},
	{IDs: []string{"aws-cloudfront-use-secure-tls-policy", "AVD-AWS-0013", "CKV_AWS_174"}, Ours: []string{"aws-cloudfront-outdated-tls"}},
	{IDs: []string{"aws-elb-http-not-used", "AVD-AWS-0054", "CKV_AWS_2"}, Ours: []string{"aws-elb-http-listener"}},
	// KMS.
	{IDs: []string{"aws-kms-auto-rotate-keys", "AVD-AWS-0065", "CKV_AWS_7"}, Ours: []string{"aws-kms-key-rotation-disabled"}},
	// EKS.
	{IDs: []string{"aws-eks-no-public-cluster-access-to-cidr", "AVD-AWS-0041", "CKV_AWS_38"}, Ours: []string{"aws-eks-public-endpoint"},
		Note: "AVD-AWS-0040 and CKV_AWS_39 (any public endpoint) are not mapped: ignoring them accepts a public endpoint, not one open to everyone, which those tools report under the IDs listed here."},
	// Kubernetes.
	{IDs: []string{"KSV017", "CKV_K8S_16"}, Ours: []string{"k8s-pod-privileged-container"}},
	{IDs: []string{"KSV001", "CKV_K8S_20"}, Ours: []string{"k8s-pod-privilege-escalation"}},
	{IDs: []string{"KSV012", "CKV_K8S_23"}, Ours: []string{"k8s-pod-run-as-root"}},
	{IDs: []string{"KSV009", "CKV_K8S_19"}, Ours: []string{"k8s-network-host-network"}},
	{IDs: []string{"KSV008", "KSV010", "CKV_K8S_17", "CKV_K8S_18"}, Ours: []string{"k8s-pod-host-namespaces"},
		Note: "One rule each for hostPID and hostIPC; our check covers both."},
	{IDs: []string{"KSV014", "CKV_K8S_22"}, Ours: []string{"k8s-pod-writable-root-filesystem"}},
	{IDs: []string{"KSV013", "CKV_K8S_14"}, Ours: []string{"k8s-pod-image-latest"}},
	{IDs: []string{"KSV011", "KSV018", "CKV_K8S_11", "CKV_K8S_13"}, Ours: []string{"k8s-pod-missing-resource-limits"},
		Note: "One rule each for CPU and memory limits; our check covers both."},
	{IDs: []string{"KSV022", "CKV_K8S_25"}, Ours: []string{"k8s-pod-added-capabilities"}},
	{IDs: []string{"KSV003", "CKV_K8S_37"}, Ours: []string{"k8s-pod-capabilities-not-dropped"}},
	{IDs: []string{"KSV023"}, Ours: []string{"k8s-pod-host-path"}},
	{IDs: []string{"KSV024", "CKV_K8S_26"}, Ours: []string{"k8s-network-host-port"}},
}

// compatIndex maps a normalised foreign ID to our check IDs.
var compatIndex = func() map[string][]string {
	m := map[string][]string{}
	for _, c := range CompatIDs {
		for _, id := range c.IDs {
			k := normalizeForeignID(id)
			m[k] = append(m[k], c.Ours...)
		}
	}
	return m
}()

var ksvID = regexp.MustCompile(`^(?:AVD-)?KSV-?0*([0-9]+)$`)

// normalizeForeignID folds the spellings of one foreign ID together: case, and the
// Trivy Kubernetes IDs written KSV017, KSV-0017 or AVD-KSV-0017.
func normalizeForeignID(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	if m := ksvID.FindStringSubmatch(id); m != nil {
		n := m[1]
		for len(n) < 3 {
			n = "0" + n
		}
		return "KSV" + n
	}
	return id
}

// CompatChecks returns our check IDs that a foreign ID suppresses, or nil.
func CompatChecks(id string) []string {
	return compatIndex[normalizeForeignID(id)]
}
