package aws

import "testing"

func TestEFSUnencryptedUnlessEncryptedIsTrue(t *testing.T) {
	got := encRun(t, efsUnencrypted,
		encRes("aws_efs_file_system", "missing", map[string]any{}),
		encRes("aws_efs_file_system", "off", map[string]any{"encrypted": false}),
		encRes("aws_efs_file_system", "on", map[string]any{"encrypted": true}),
		encRes("aws_efs_file_system", "var", map[string]any{"encrypted": unknownVal}),
	)
	encExpect(t, got,
		"aws_efs_file_system.missing encrypted",
		"aws_efs_file_system.off encrypted",
		"undecided aws_efs_file_system.var encrypted",
	)
}
