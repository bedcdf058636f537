package aws

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// kmsChecks returns the KMS checks in a stable order.
//
// Only keys the template creates with AWS_KMS key material are judged. Left out on purpose:
// aws_kms_external_key and aws_kms_replica_external_key (imported key material, which
// AWS cannot rotate), and aws_kms_replica_key / AWS::KMS::ReplicaKey (a replica's rotation
// is its primary key's, copied by KMS; the primary is judged where it is declared).
func kmsChecks() []*check.Check {
	return []*check.Check{kmsKeyRotationDisabled}
}

var kmsKeyRotationDisabled = &check.Check{
	ID:       "aws-kms-key-rotation-disabled",
	Title:    "KMS key does not rotate its key material automatically",
	Severity: check.Low,
	Category: check.CategoryEncryption,
	Description: "A customer managed KMS key without automatic rotation keeps the same key " +
		"material for as long as it exists, so every piece of data encrypted over the years " +
		"depends on one secret, and a key material exposure is never aged out. With rotation " +
		"on, KMS makes new key material every year (or every rotation_period_in_days) and " +
		"keeps the old material to decrypt older data, so nothing needs re-encrypting and " +
		"nothing that uses the key changes. Low: rotation limits the reach of a compromise " +
		"that is already unlikely (key material never leaves KMS in plaintext); access to " +
		"the key is governed by its policy, which rotation does not change.\n\n" +
		"Reported: aws_kms_key with enable_key_rotation = false or not set (the provider " +
		"and API default is false). Not reported, because AWS cannot rotate them: keys whose " +
		"customer_master_key_spec is not SYMMETRIC_DEFAULT (asymmetric and HMAC keys), keys " +
		"whose key_usage is not ENCRYPT_DECRYPT, and keys in a custom key store " +
		"(custom_key_store_id or xks_key_id; a store known only after apply counts as set). " +
		"aws_kms_external_key (imported key material) and replica keys (aws_kms_replica_key, " +
		"whose rotation follows the primary key) are not judged. A setting that cannot be " +
		"known statically is recorded as undecided.\n\n" +
		"CloudFormation: AWS::KMS::Key with EnableKeyRotation false or not set, with the same " +
		"exceptions: KeySpec other than SYMMETRIC_DEFAULT, KeyUsage other than " +
		"ENCRYPT_DECRYPT, and Origin other than AWS_KMS (EXTERNAL, imported key material). " +
		"AWS::KMS::ReplicaKey is not judged.",
	Remediation: "Set enable_key_rotation = true (EnableKeyRotation: true in CloudFormation); " +
		"rotation_period_in_days (RotationPeriodInDays) sets a period other than a year.\n\n" +
		"```hcl\nresource \"aws_kms_key\" \"data\" {\n  description         = \"data\"\n" +
		"  enable_key_rotation = true\n}\n```\n\n" +
		"```yaml\nDataKey:\n  Type: AWS::KMS::Key\n  Properties:\n    EnableKeyRotation: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#enable_key_rotation",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_kms_key", "AWS::KMS::Key") {
			k, ok := kmsKeyFacts(r)
			if !ok {
				continue
			}
			rotation := r.Get(k.Rotation)
			rot := readFlag(rotation)
			if rot == flagTrue {
				continue
			}
			rotatable, unknown := kmsRotatable(r, k)
			if !rotatable {
				continue
			}
			if unknown != nil {
				p.Undecided(r, unknown)
				continue
			}
			switch rot {
			case flagUnknown:
				p.Undecided(r, rotation.Path())
			case flagFalse:
				p.Reportf(r, rotation.Path(), "%s: the key material is never rotated", falseAsWritten(r, k.Rotation))
			case flagAbsent:
				p.Reportf(r, rotation.Path(), "%s is not set (the default is false), so the key material is never rotated", k.Rotation)
			}
		}
	},
}

// kmsKeySettings names, in one format, the settings of a KMS key that decide whether AWS
// can rotate it and whether it does.
type kmsKeySettings struct {
	Rotation string
	// Spec and Usage must be SYMMETRIC_DEFAULT and ENCRYPT_DECRYPT (their defaults) for
	// rotation to be possible; Origin, where the format has it, must be AWS_KMS.
	Spec, Usage, Origin string
	// Stores are the settings that put the key in a custom key store (CloudHSM or
	// external), whose keys cannot be rotated by KMS.
	Stores []string
}

// kmsKeyFacts returns the names r's format gives the key settings.
func kmsKeyFacts(r *graph.Resource) (kmsKeySettings, bool) {
	switch r.Format {
	case graph.Terraform:
		// aws_kms_key has no origin argument: imported key material is aws_kms_external_key.
		return kmsKeySettings{
			Rotation: "enable_key_rotation", Spec: "customer_master_key_spec", Usage: "key_usage",
			Stores: []string{"custom_key_store_id", "xks_key_id"},
		}, true
	case graph.CloudFormation:
		// AWS::KMS::Key cannot create keys in a custom key store.
		return kmsKeySettings{
			Rotation: "EnableKeyRotation", Spec: "KeySpec", Usage: "KeyUsage", Origin: "Origin",
		}, true
	}
	return kmsKeySettings{}, false
}

// kmsRotatable reports whether AWS can rotate the key automatically: a symmetric
// encryption key with key material KMS generated itself. When that depends on a value
// that cannot be known statically, unknown is its path (and rotatable is true: nothing
// known rules rotation out).
func kmsRotatable(r *graph.Resource, k kmsKeySettings) (rotatable bool, unknown graph.Path) {
	for _, n := range k.Stores {
		// A store ID is almost always a reference to a store resource, known only after
		// apply: written counts as set.
		if isWritten(r.Get(n)) {
			return false, nil
		}
	}
	for _, s := range []struct{ name, want string }{
		{k.Spec, "SYMMETRIC_DEFAULT"}, {k.Usage, "ENCRYPT_DECRYPT"}, {k.Origin, "AWS_KMS"},
	} {
		if s.name == "" {
			continue
		}
		v := r.Get(s.name)
		t := readText(v)
		switch {
		case !t.Known:
			if unknown == nil {
				unknown = v.Path()
			}
		case t.Set && !strings.EqualFold(t.Value, s.want):
			return false, nil
		}
	}
	return true, unknown
}
