package aws

import "testing"

func TestEBSVolumeUnencryptedWhenFlagMissingOrFalse(t *testing.T) {
	got := encRun(t, ebsVolumeUnencrypted,
		encRes("aws_ebs_volume", "missing", map[string]any{"size": 10}),
		encRes("aws_ebs_volume", "off", map[string]any{"encrypted": false}),
		encRes("aws_ebs_volume", "off_string", map[string]any{"encrypted": "false"}),
		encRes("aws_ebs_volume", "on", map[string]any{"encrypted": true}),
		encRes("aws_ebs_volume", "on_string", map[string]any{"encrypted": "true"}),
		encRes("aws_ebs_volume", "snap", map[string]any{"snapshot_id": "snap-1"}),
		encRes("aws_ebs_volume", "snap_ref", map[string]any{"snapshot_id": unknownVal}),
		encRes("aws_ebs_volume", "var", map[string]any{"encrypted": unknownVal}),
	)
	encExpect(t, got,
		"aws_ebs_volume.missing encrypted",
		"aws_ebs_volume.off encrypted",
		"aws_ebs_volume.off_string encrypted",
		"undecided aws_ebs_volume.var encrypted",
	)
}

func TestEBSEncryptionByDefaultCoversVolumesAndDevices(t *testing.T) {
	vol := encRes("aws_ebs_volume", "v", map[string]any{"encrypted": false})
	inst := encRes("aws_instance", "i", map[string]any{"ami": "ami-1"})
	for _, enabled := range []any{true, nil, "true"} {
		attrs := map[string]any{}
		if enabled != nil {
			attrs["enabled"] = enabled
		}
		def := encRes("aws_ebs_encryption_by_default", "d", attrs)
		encExpect(t, encRun(t, ebsVolumeUnencrypted, vol, def))
		encExpect(t, encRun(t, ec2BlockDeviceUnencrypted, inst, def))
	}
	off := encRes("aws_ebs_encryption_by_default", "d", map[string]any{"enabled": false})
	encExpect(t, encRun(t, ebsVolumeUnencrypted, vol, off), "aws_ebs_volume.v encrypted")
	unk := encRes("aws_ebs_encryption_by_default", "d", map[string]any{"enabled": unknownVal})
	encExpect(t, encRun(t, ebsVolumeUnencrypted, vol, unk), "undecided aws_ebs_encryption_by_default.d enabled")
}

func TestInstanceRootVolumeFromAMIIsReportedAtTheBlockItLacks(t *testing.T) {
	got := encRun(t, ec2BlockDeviceUnencrypted,
		encRes("aws_instance", "bare", map[string]any{"ami": "ami-1"}),
		encRes("aws_instance", "from_template", map[string]any{"launch_template": []any{map[string]any{"id": "lt-1"}}}),
		encRes("aws_instance", "root_on", map[string]any{"root_block_device": []any{map[string]any{"encrypted": true}}}),
		encRes("aws_instance", "root_off", map[string]any{"root_block_device": []any{map[string]any{"volume_size": 8}}}),
		encRes("aws_instance", "dynamic", map[string]any{"root_block_device": unknownVal}),
	)
	encExpect(t, got,
		"aws_instance.bare root_block_device",
		"aws_instance.root_off root_block_device[0].encrypted",
		"undecided aws_instance.dynamic root_block_device",
	)
}

func TestInstanceExtraVolumesFromSnapshotsInheritEncryption(t *testing.T) {
	got := encRun(t, ec2BlockDeviceUnencrypted,
		encRes("aws_launch_configuration", "lc", map[string]any{
			"root_block_device": []any{map[string]any{"encrypted": true}},
			"ebs_block_device": []any{
				map[string]any{"device_name": "/dev/sdf"},
				map[string]any{"device_name": "/dev/sdg", "snapshot_id": "snap-1"},
				map[string]any{"device_name": "/dev/sdh", "encrypted": true},
				map[string]any{"device_name": "/dev/sdi", "encrypted": false},
			},
		}),
	)
	encExpect(t, got,
		"aws_launch_configuration.lc ebs_block_device[0].encrypted",
		"aws_launch_configuration.lc ebs_block_device[3].encrypted",
	)
}

func TestLaunchTemplateEncryptedIsReadAsString(t *testing.T) {
	mapping := func(dev string, ebs map[string]any) map[string]any {
		return map[string]any{"device_name": dev, "ebs": []any{ebs}}
	}
	got := encRun(t, ec2BlockDeviceUnencrypted,
		encRes("aws_launch_template", "good", map[string]any{"block_device_mappings": []any{
			mapping("/dev/xvda", map[string]any{"encrypted": "true", "volume_size": 20}),
		}}),
		encRes("aws_launch_template", "bad", map[string]any{"block_device_mappings": []any{
			mapping("/dev/xvda", map[string]any{"encrypted": "false"}),
			mapping("/dev/xvdb", map[string]any{"encrypted": ""}),
			map[string]any{"device_name": "/dev/sdc", "virtual_name": "ephemeral0"},
		}}),
		encRes("aws_launch_template", "none", map[string]any{"image_id": "ami-1"}),
		encRes("aws_launch_template", "unknown", map[string]any{"block_device_mappings": []any{
			mapping("/dev/xvda", map[string]any{"encrypted": unknownVal}),
		}}),
	)
	encExpect(t, got,
		"aws_launch_template.bad block_device_mappings[0].ebs[0].encrypted",
		"aws_launch_template.bad block_device_mappings[1].ebs[0].encrypted",
		"aws_launch_template.none block_device_mappings",
		"undecided aws_launch_template.unknown block_device_mappings[0].ebs[0].encrypted",
	)
}
