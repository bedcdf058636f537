package aws

import (
	"strings"
	"testing"
)

func TestKMSRotationOnlySymmetricAWSKMSKeysAreJudged(t *testing.T) {
	got := encRun(t, kmsKeyRotationDisabled,
		encRes("aws_kms_key", "plain", map[string]any{"description": "k"}),
		encRes("aws_kms_key", "off", map[string]any{"enable_key_rotation": false}),
		encRes("aws_kms_key", "off_string", map[string]any{"enable_key_rotation": "false"}),
		encRes("aws_kms_key", "on", map[string]any{"enable_key_rotation": true}),
		encRes("aws_kms_key", "symmetric", map[string]any{"customer_master_key_spec": "symmetric_default", "key_usage": "ENCRYPT_DECRYPT"}),
		encRes("aws_kms_key", "empty_spec", map[string]any{"customer_master_key_spec": ""}),
		encRes("aws_kms_key", "rsa", map[string]any{"customer_master_key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"}),
		encRes("aws_kms_key", "hmac", map[string]any{"customer_master_key_spec": "HMAC_256"}),
		encRes("aws_kms_key", "mac_usage", map[string]any{"key_usage": "GENERATE_VERIFY_MAC"}),
		encRes("aws_kms_key", "cloudhsm", map[string]any{"custom_key_store_id": unknownVal}),
		encRes("aws_kms_key", "xks", map[string]any{"custom_key_store_id": "cks-1", "xks_key_id": "ext-1"}),
		encRes("aws_kms_key", "spec_var", map[string]any{"customer_master_key_spec": unknownVal}),
		// A known exception wins over an unknown one: nothing to decide.
		encRes("aws_kms_key", "spec_var_hmac_usage", map[string]any{"customer_master_key_spec": unknownVal, "key_usage": "GENERATE_VERIFY_MAC"}),
		encRes("aws_kms_key", "flag_var", map[string]any{"enable_key_rotation": unknownVal}),
		// Rotation on decides the matter whatever else is unknown.
		encRes("aws_kms_key", "on_spec_var", map[string]any{"enable_key_rotation": true, "customer_master_key_spec": unknownVal}),
	)
	encExpect(t, got,
		"aws_kms_key.plain enable_key_rotation",
		"aws_kms_key.off enable_key_rotation",
		"aws_kms_key.off_string enable_key_rotation",
		"aws_kms_key.symmetric enable_key_rotation",
		"aws_kms_key.empty_spec enable_key_rotation",
		"undecided aws_kms_key.spec_var customer_master_key_spec",
		"undecided aws_kms_key.flag_var enable_key_rotation",
	)
}

func TestKMSRotationCloudFormationOriginAndSpec(t *testing.T) {
	got := encRun(t, kmsKeyRotationDisabled,
		cfnEnc("AWS::KMS::Key", "Plain", map[string]any{"Description": "k"}),
		cfnEnc("AWS::KMS::Key", "Off", map[string]any{"EnableKeyRotation": false, "Origin": "AWS_KMS"}),
		cfnEnc("AWS::KMS::Key", "On", map[string]any{"EnableKeyRotation": "true"}),
		cfnEnc("AWS::KMS::Key", "Imported", map[string]any{"Origin": "EXTERNAL"}),
		cfnEnc("AWS::KMS::Key", "Signing", map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
		cfnEnc("AWS::KMS::Key", "OriginVar", map[string]any{"Origin": unknownVal}),
		// Terraform's argument names mean nothing in a template.
		cfnEnc("AWS::KMS::Key", "TerraformNames", map[string]any{"custom_key_store_id": "cks-1"}),
		cfnEnc("AWS::KMS::ReplicaKey", "Replica", map[string]any{"PrimaryKeyArn": "arn"}),
	)
	encExpect(t, got,
		"Plain EnableKeyRotation",
		"Off EnableKeyRotation",
		"TerraformNames EnableKeyRotation",
		"undecided OriginVar Origin",
	)
}

func TestKMSRotationMessagesSayWhatIsWrong(t *testing.T) {
	msgs := encMessages(kmsKeyRotationDisabled,
		encRes("aws_kms_key", "off", map[string]any{"enable_key_rotation": false}),
		encRes("aws_kms_key", "plain", map[string]any{}),
		cfnEnc("AWS::KMS::Key", "Off", map[string]any{"EnableKeyRotation": false}),
	)
	want := []string{
		"enable_key_rotation = false: the key material is never rotated",
		"enable_key_rotation is not set (the default is false), so the key material is never rotated",
		"EnableKeyRotation: false: the key material is never rotated",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", msgs, want)
	}
}
