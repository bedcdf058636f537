package aws

import (
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var ebsVolumeUnencrypted = &check.Check{
	ID:       "aws-ebs-volume-unencrypted",
	Title:    "EBS volume is not encrypted at rest",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "An unencrypted EBS volume stores its data, and every snapshot taken of it, in " +
		"plaintext. Snapshots are what leaks in practice: an unencrypted snapshot can be " +
		"shared with any account or made public, while an encrypted one is also guarded by " +
		"the KMS key policy. Medium: the data is still behind IAM, but one mistaken share " +
		"exposes a whole disk.\n\n" +
		"Reported: aws_ebs_volume with encrypted = false or not set. Not reported: a volume " +
		"restored from a snapshot (snapshot_id), which inherits the snapshot's encryption; " +
		"any volume when the scan contains aws_ebs_encryption_by_default with enabled = true " +
		"(or not set, its default), since AWS then encrypts every new volume of that account " +
		"and region whatever the flag says. That resource is taken to cover every volume of " +
		"the scan, whatever provider (region) it is declared with. A snapshot_id known only " +
		"after apply counts as set. When encrypted or the account default is unknown " +
		"statically, the decision is recorded as undecided.\n\n" +
		"CloudFormation: AWS::EC2::Volume with Encrypted false or not set, unless it has a " +
		"SnapshotId. CloudFormation has no resource for the account default, so only an " +
		"aws_ebs_encryption_by_default in the same scan counts for templates too.",
	Remediation: "Set encrypted = true (Encrypted: true in CloudFormation, optionally with a KMS " +
		"key), or turn on EBS encryption by default for the account and region:\n\n" +
		"```hcl\nresource \"aws_ebs_volume\" \"data\" {\n  availability_zone = \"eu-west-1a\"\n" +
		"  size              = 100\n  encrypted         = true\n}\n\n" +
		"resource \"aws_ebs_encryption_by_default\" \"this\" {\n  enabled = true\n}\n```\n\n" +
		"```yaml\nData:\n  Type: AWS::EC2::Volume\n  Properties:\n    AvailabilityZone: eu-west-1a\n" +
		"    Size: 100\n    Encrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_volume#encrypted",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_encryption_by_default",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-volume.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run:     func(p *check.Pass) { runEBS(p, "aws_ebs_volume", "AWS::EC2::Volume") },
}

var ec2BlockDeviceUnencrypted = &check.Check{
	ID:       "aws-ec2-block-device-unencrypted",
	Title:    "EC2 instance or launch template creates unencrypted EBS volumes",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "EBS volumes created by an instance, a launch template or a launch " +
		"configuration are stored, with their snapshots and the AMIs made from them, in " +
		"plaintext unless encryption is asked for. Unencrypted snapshots and AMIs can be " +
		"shared with any account or made public. Medium, as for standalone volumes.\n\n" +
		"Reported: aws_instance and aws_launch_configuration root_block_device and " +
		"ebs_block_device, and aws_launch_template block_device_mappings { ebs { ... } } " +
		"(where encrypted is a string), with encrypted = false or not set; and a root volume " +
		"that no block configures (no root_block_device, or a launch template without EBS " +
		"block device mappings), since the root volume is then a copy of the AMI's snapshot " +
		"and the public AMIs people start from are unencrypted. That last case is a false " +
		"positive when the AMI itself is encrypted, which cannot be seen statically. Not " +
		"reported: a volume restored from a snapshot (snapshot_id), which inherits the " +
		"snapshot's encryption; an aws_instance with launch_template and no " +
		"root_block_device (the template decides); anything when the scan contains " +
		"aws_ebs_encryption_by_default with enabled = true (or not set), since AWS then " +
		"encrypts every new volume of the account and region. Instance store volumes are " +
		"not EBS and out of scope.\n\n" +
		"CloudFormation: the Ebs of every BlockDeviceMappings entry of AWS::EC2::Instance and " +
		"AWS::AutoScaling::LaunchConfiguration, and of LaunchTemplateData.BlockDeviceMappings " +
		"of AWS::EC2::LaunchTemplate, with Encrypted false or not set; and a resource with no " +
		"mapping that has Ebs, whose root volume is copied from the AMI (the same AMI caveat " +
		"applies: a template cannot say which mapping is the root device). Not reported: an " +
		"instance with LaunchTemplate and no mappings, entries with a SnapshotId, instance " +
		"store entries (VirtualName) and NoDevice entries.",
	Remediation: "Set encrypted = true on every EBS block device (a string \"true\" in a launch " +
		"template; Ebs.Encrypted: true in CloudFormation), or turn on EBS encryption by default " +
		"for the account and region:\n\n" +
		"```hcl\nresource \"aws_instance\" \"web\" {\n  ami           = var.ami\n" +
		"  instance_type = \"t3.micro\"\n\n  root_block_device {\n    encrypted = true\n  }\n}\n\n" +
		"resource \"aws_launch_template\" \"web\" {\n  block_device_mappings {\n" +
		"    device_name = \"/dev/xvda\"\n    ebs {\n      encrypted = \"true\"\n    }\n  }\n}\n```\n\n" +
		"```yaml\nWebTemplate:\n  Type: AWS::EC2::LaunchTemplate\n  Properties:\n    LaunchTemplateData:\n" +
		"      BlockDeviceMappings:\n        - DeviceName: /dev/xvda\n          Ebs:\n" +
		"            Encrypted: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#ebs-ephemeral-and-root-block-devices",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/launch_template#ebs",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-launchtemplate-ebs.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		runEBS(p, "aws_instance", "aws_launch_template", "aws_launch_configuration",
			"AWS::EC2::Instance", "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration")
	},
}

// ebsDevice is one EBS volume a resource creates, with what decides its encryption.
type ebsDevice struct {
	// What names the volume in messages: "volume", "root volume", "volume /dev/sdf".
	What string
	// Name is the encrypted setting's name as the format writes it.
	Name string
	// Encrypted is the encrypted setting, absent when not written.
	Encrypted graph.Value
	// At is where encrypted is written, or where it should be.
	At graph.Path
	// Snapshot is the snapshot the volume is restored from, absent when none.
	Snapshot graph.Value
	// FromAMI marks a root volume no block configures: it is copied from the AMI.
	FromAMI bool
	// MayBeAMI marks a configured volume that may be the AMI's root device, whose
	// encryption then follows the AMI's snapshot when encrypted is not set.
	MayBeAMI bool
	// Missing says what no block does (for FromAMI): "root_block_device sets encrypted = true".
	Missing string
}

// runEBS decides, for every EBS volume the resources of types create, whether it ends up
// unencrypted.
func runEBS(p *check.Pass, types ...string) {
	var byDefault *ebsDefault
	for _, r := range p.Graph.Resources(types...) {
		devs, undecided := ebsDevices(r)
		for _, u := range undecided {
			p.Undecided(r, u)
		}
		for _, d := range devs {
			enc := readFlag(d.Encrypted)
			if enc == flagTrue {
				continue
			}
			if enc == flagUnknown {
				p.Undecided(r, d.At)
				continue
			}
			// A volume restored from a snapshot inherits its encryption.
			if isWritten(d.Snapshot) {
				continue
			}
			if byDefault == nil {
				byDefault = ebsEncryptionByDefault(p.Graph)
			}
			if byDefault.on {
				continue
			}
			if byDefault.unknown != nil {
				p.Undecided(byDefault.unknown, graph.P("enabled"))
				continue
			}
			switch {
			case d.FromAMI:
				p.Reportf(r, d.At, "no %s, so the root volume is copied from the AMI's snapshot unencrypted unless the AMI itself is encrypted", d.Missing)
			case enc == flagFalse:
				p.Reportf(r, d.At, "%s leaves the %s and its snapshots unencrypted", falseAsWritten(r, d.Name), d.What)
			case d.MayBeAMI:
				p.Reportf(r, d.At, "%s is not set, so the %s and its snapshots are stored unencrypted unless it comes from an encrypted AMI snapshot", d.Name, d.What)
			default:
				p.Reportf(r, d.At, "%s is not set, so the %s and its snapshots are stored unencrypted", d.Name, d.What)
			}
		}
	}
}

// ebsDevices lists the EBS volumes r creates. undecided lists the block lists that
// cannot be enumerated statically.
func ebsDevices(r *graph.Resource) (devs []ebsDevice, undecided []graph.Path) {
	switch r.Format {
	case graph.Terraform:
		devs, undecided = tfEBSDevices(r)
	case graph.CloudFormation:
		devs, undecided = cfnEBSDevices(r)
	}
	return devs, undecided
}

// tfEBSDevices lists the EBS volumes a Terraform resource creates.
func tfEBSDevices(r *graph.Resource) (devs []ebsDevice, undecided []graph.Path) {
	switch r.Type {
	case "aws_ebs_volume":
		return []ebsDevice{{
			What: "volume", Name: "encrypted", Encrypted: r.Get("encrypted"), At: graph.P("encrypted"),
			Snapshot: r.Get("snapshot_id"),
		}}, nil
	case "aws_instance", "aws_launch_configuration":
		roots, known := nestedBlocks(r.Get("root_block_device"))
		switch {
		case !known:
			undecided = append(undecided, graph.P("root_block_device"))
		case len(roots) == 0:
			// An instance launched from a template gets its root volume from there.
			if r.Type == "aws_instance" && r.Get("launch_template").Exists() {
				break
			}
			devs = append(devs, ebsDevice{
				What: "root volume", Name: "encrypted", Encrypted: r.Get("root_block_device", 0, "encrypted"),
				At: graph.P("root_block_device"), Snapshot: r.Get("root_block_device", 0, "snapshot_id"),
				FromAMI: true, Missing: "root_block_device sets encrypted = true",
			})
		}
		for _, b := range roots {
			devs = append(devs, ebsDevice{
				What: "root volume", Name: "encrypted", Encrypted: b.Get("encrypted"), At: b.Path().Child("encrypted"),
				Snapshot: b.Get("snapshot_id"), MayBeAMI: true,
			})
		}
		ebs, known := nestedBlocks(r.Get("ebs_block_device"))
		if !known {
			undecided = append(undecided, graph.P("ebs_block_device"))
		}
		for _, b := range ebs {
			devs = append(devs, ebsDevice{
				What: ebsDeviceName(b.Get("device_name")), Name: "encrypted", Encrypted: b.Get("encrypted"),
				At: b.Path().Child("encrypted"), Snapshot: b.Get("snapshot_id"),
			})
		}
	case "aws_launch_template":
		maps, known := nestedBlocks(r.Get("block_device_mappings"))
		if !known {
			return nil, []graph.Path{graph.P("block_device_mappings")}
		}
		hasEBS := false
		for _, m := range maps {
			ebs, known := nestedBlocks(m.Get("ebs"))
			if !known {
				undecided = append(undecided, m.Get("ebs").Path())
				hasEBS = true
				continue
			}
			for _, b := range ebs {
				hasEBS = true
				// A mapping may name the AMI's root device, which the scan cannot tell.
				devs = append(devs, ebsDevice{
					What: ebsDeviceName(m.Get("device_name")), Name: "encrypted", Encrypted: b.Get("encrypted"),
					At: b.Path().Child("encrypted"), Snapshot: b.Get("snapshot_id"), MayBeAMI: true,
				})
			}
		}
		if !hasEBS {
			devs = append(devs, ebsDevice{
				What: "root volume", Name: "encrypted", At: graph.P("block_device_mappings"),
				Encrypted: r.Get("block_device_mappings", 0, "ebs", 0, "encrypted"),
				Snapshot:  r.Get("block_device_mappings", 0, "ebs", 0, "snapshot_id"),
				FromAMI:   true, Missing: "block_device_mappings sets encrypted = true",
			})
		}
	}
	return devs, undecided
}

// cfnEBSDevices lists the EBS volumes a CloudFormation resource creates.
func cfnEBSDevices(r *graph.Resource) (devs []ebsDevice, undecided []graph.Path) {
	switch r.Type {
	case "AWS::EC2::Volume":
		return []ebsDevice{{
			What: "volume", Name: "Encrypted", Encrypted: r.Get("Encrypted"), At: graph.P("Encrypted"),
			Snapshot: r.Get("SnapshotId"),
		}}, nil
	case "AWS::EC2::Instance":
		// An instance launched from a template gets its volumes from there unless it
		// lists mappings of its own.
		maps := r.Get("BlockDeviceMappings")
		if maps.IsKnown() && !maps.Exists() && r.Get("LaunchTemplate").Exists() {
			return nil, nil
		}
		return cfnMappings(r, graph.P("BlockDeviceMappings"))
	case "AWS::AutoScaling::LaunchConfiguration":
		return cfnMappings(r, graph.P("BlockDeviceMappings"))
	case "AWS::EC2::LaunchTemplate":
		return cfnMappings(r, graph.P("LaunchTemplateData", "BlockDeviceMappings"))
	}
	return nil, nil
}

// cfnMappings lists the EBS volumes of the BlockDeviceMappings list at path. The three
// resource types share the entry shape: DeviceName, Ebs {Encrypted, SnapshotId},
// VirtualName, NoDevice. Which entry is the AMI's root device cannot be told, so every
// entry may be; with no Ebs entry at all, the root volume is the AMI's copy.
func cfnMappings(r *graph.Resource, path graph.Path) (devs []ebsDevice, undecided []graph.Path) {
	maps, known := nestedBlocks(r.Get(path...))
	if !known {
		return nil, []graph.Path{path}
	}
	hasEBS := false
	for _, m := range maps {
		ebs := m.Get("Ebs")
		if !ebs.IsKnown() {
			undecided = append(undecided, ebs.Path())
			hasEBS = true
			continue
		}
		if !ebs.Exists() {
			// Instance store (VirtualName) and suppressed (NoDevice) entries are not EBS.
			continue
		}
		hasEBS = true
		devs = append(devs, ebsDevice{
			What: ebsDeviceName(m.Get("DeviceName")), Name: "Encrypted", Encrypted: ebs.Get("Encrypted"),
			At: ebs.Path().Child("Encrypted"), Snapshot: ebs.Get("SnapshotId"), MayBeAMI: true,
		})
	}
	if !hasEBS {
		devs = append(devs, ebsDevice{
			What: "root volume", Name: "Encrypted", At: path,
			FromAMI: true, Missing: "BlockDeviceMappings entry sets Ebs.Encrypted: true",
		})
	}
	return devs, undecided
}

// ebsDeviceName names a block device for messages.
func ebsDeviceName(v graph.Value) string {
	if t := readText(v); t.Set {
		return "volume " + t.Value
	}
	return "EBS volume"
}

// ebsDefault is what the scan says about EBS encryption by default.
type ebsDefault struct {
	on bool
	// unknown is a resource whose enabled setting cannot be known, when none is on.
	unknown *graph.Resource
}

// ebsEncryptionByDefault reports whether the scan turns on EBS encryption by default.
// Any such resource counts for every volume: the scan cannot tell which provider
// configuration (account and region) a volume will be created with.
func ebsEncryptionByDefault(g *graph.Graph) *ebsDefault {
	d := &ebsDefault{}
	for _, r := range g.Resources("aws_ebs_encryption_by_default") {
		if r.Format != graph.Terraform {
			continue
		}
		// enabled defaults to true in the provider.
		switch readFlag(r.Get("enabled")) {
		case flagTrue, flagAbsent:
			return &ebsDefault{on: true}
		case flagUnknown:
			if d.unknown == nil {
				d.unknown = r
			}
		}
	}
	return d
}
