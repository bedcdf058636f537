package aws

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// cfnEnc builds a CloudFormation resource with the given Properties.
func cfnEnc(typ, id string, props map[string]any) *graph.Resource {
	return &graph.Resource{
		Format: graph.CloudFormation, Type: typ, Address: id, Scope: "template.yaml",
		Attrs: encVal(props),
	}
}

// encMessages runs c over the resources and returns the messages of its findings.
func encMessages(c *check.Check, rs ...*graph.Resource) []string {
	p := check.NewPass(graph.New(rs))
	c.Run(p)
	var out []string
	for _, f := range p.Findings() {
		out = append(out, f.Message)
	}
	return out
}

// TestSameSettingInTerraformAndCloudFormationGivesTheSameFinding demands, for the same bad
// setting written in each format, one finding of the same check whose message differs
// only in how the setting is spelled.
func TestSameSettingInTerraformAndCloudFormationGivesTheSameFinding(t *testing.T) {
	cases := []struct {
		check          *check.Check
		tf, cf         *graph.Resource
		tfSaid, cfSaid string
	}{
		{
			ebsVolumeUnencrypted,
			encRes("aws_ebs_volume", "a", map[string]any{"encrypted": false}),
			cfnEnc("AWS::EC2::Volume", "A", map[string]any{"Encrypted": "false"}),
			"encrypted = false", "Encrypted: false",
		},
		{
			ebsVolumeUnencrypted,
			encRes("aws_ebs_volume", "a", map[string]any{"size": 10}),
			cfnEnc("AWS::EC2::Volume", "A", map[string]any{"Size": 10}),
			"encrypted", "Encrypted",
		},
		{
			rdsInstanceUnencrypted,
			encRes("aws_db_instance", "a", map[string]any{"engine": "postgres", "storage_encrypted": false}),
			cfnEnc("AWS::RDS::DBInstance", "A", map[string]any{"Engine": "postgres", "StorageEncrypted": false}),
			"storage_encrypted = false", "StorageEncrypted: false",
		},
		{
			rdsClusterUnencrypted,
			encRes("aws_rds_cluster", "a", map[string]any{"engine": "aurora-mysql"}),
			cfnEnc("AWS::RDS::DBCluster", "A", map[string]any{"Engine": "aurora-mysql"}),
			"storage_encrypted", "StorageEncrypted",
		},
		{
			efsUnencrypted,
			encRes("aws_efs_file_system", "a", map[string]any{"encrypted": false}),
			cfnEnc("AWS::EFS::FileSystem", "A", map[string]any{"Encrypted": false}),
			"encrypted = false", "Encrypted: false",
		},
		{
			sqsUnencrypted,
			encRes("aws_sqs_queue", "a", map[string]any{"sqs_managed_sse_enabled": false}),
			cfnEnc("AWS::SQS::Queue", "A", map[string]any{"SqsManagedSseEnabled": false}),
			"sqs_managed_sse_enabled = false without kms_master_key_id", "SqsManagedSseEnabled: false without KmsMasterKeyId",
		},
		{
			snsUnencrypted,
			encRes("aws_sns_topic", "a", map[string]any{"name": "alerts"}),
			cfnEnc("AWS::SNS::Topic", "A", map[string]any{"TopicName": "alerts"}),
			"kms_master_key_id", "KmsMasterKeyId",
		},
		{
			daxUnencrypted,
			encRes("aws_dax_cluster", "a", map[string]any{"server_side_encryption": []any{map[string]any{"enabled": false}}}),
			cfnEnc("AWS::DAX::Cluster", "A", map[string]any{"SSESpecification": map[string]any{"SSEEnabled": false}}),
			"server_side_encryption enabled = false", "SSESpecification.SSEEnabled: false",
		},
		{
			elasticacheAtRestUnencrypted,
			encRes("aws_elasticache_replication_group", "a", map[string]any{"engine": "redis"}),
			cfnEnc("AWS::ElastiCache::ReplicationGroup", "A", map[string]any{"Engine": "redis"}),
			"at_rest_encryption_enabled", "AtRestEncryptionEnabled",
		},
		{
			elasticacheInTransitUnencrypted,
			encRes("aws_elasticache_replication_group", "a", map[string]any{"transit_encryption_enabled": true, "transit_encryption_mode": "preferred"}),
			cfnEnc("AWS::ElastiCache::ReplicationGroup", "A", map[string]any{"TransitEncryptionEnabled": true, "TransitEncryptionMode": "preferred"}),
			`transit_encryption_mode = "preferred"`, "TransitEncryptionMode: preferred",
		},
		{
			redshiftUnencrypted,
			encRes("aws_redshift_cluster", "a", map[string]any{"encrypted": "false"}),
			cfnEnc("AWS::Redshift::Cluster", "A", map[string]any{"Encrypted": false}),
			"encrypted = false", "Encrypted: false",
		},
		{
			elbHTTPListener,
			encRes("aws_lb_listener", "a", map[string]any{"protocol": "HTTP", "load_balancer_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1"}),
			cfnEnc("AWS::ElasticLoadBalancingV2::Listener", "A", map[string]any{"Protocol": "HTTP", "LoadBalancerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1"}),
			`protocol = "HTTP"`, "Protocol: HTTP",
		},
		{
			cloudfrontAllowsHTTP,
			encRes("aws_cloudfront_distribution", "a", map[string]any{"default_cache_behavior": []any{map[string]any{"viewer_protocol_policy": "allow-all"}}}),
			cfnEnc("AWS::CloudFront::Distribution", "A", map[string]any{"DistributionConfig": map[string]any{"DefaultCacheBehavior": map[string]any{"ViewerProtocolPolicy": "allow-all"}}}),
			`viewer_protocol_policy = "allow-all"`, "ViewerProtocolPolicy: allow-all",
		},
		{
			cloudfrontOutdatedTLS,
			encRes("aws_cloudfront_distribution", "a", map[string]any{"viewer_certificate": []any{map[string]any{"acm_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "minimum_protocol_version": "TLSv1"}}}),
			cfnEnc("AWS::CloudFront::Distribution", "A", map[string]any{"DistributionConfig": map[string]any{"ViewerCertificate": map[string]any{"AcmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "MinimumProtocolVersion": "TLSv1"}}}),
			`minimum_protocol_version = "TLSv1"`, "MinimumProtocolVersion: TLSv1",
		},
	}
	for _, c := range cases {
		tf, cf := encMessages(c.check, c.tf), encMessages(c.check, c.cf)
		if len(tf) != 1 || len(cf) != 1 {
			t.Errorf("%s: want one finding per format, got %q and %q", c.check.ID, tf, cf)
			continue
		}
		if !strings.HasPrefix(tf[0], c.tfSaid) || !strings.HasPrefix(cf[0], c.cfSaid) {
			t.Errorf("%s: messages do not start with the setting: %q, %q", c.check.ID, tf[0], cf[0])
			continue
		}
		if strings.TrimPrefix(tf[0], c.tfSaid) != strings.TrimPrefix(cf[0], c.cfSaid) {
			t.Errorf("%s: message shapes differ:\n  %q\n  %q", c.check.ID, tf[0], cf[0])
		}
	}
}

func TestCloudFormationInstanceWithoutEbsMappingsReportsTheAMIRootVolume(t *testing.T) {
	bare := cfnEnc("AWS::EC2::Instance", "Bare", map[string]any{"ImageId": "ami-1"})
	store := cfnEnc("AWS::EC2::Instance", "Store", map[string]any{
		"BlockDeviceMappings": []any{map[string]any{"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}},
	})
	lt := cfnEnc("AWS::EC2::LaunchTemplate", "Lt", map[string]any{"LaunchTemplateData": map[string]any{"ImageId": "ami-1"}})
	encExpect(t, encRun(t, ec2BlockDeviceUnencrypted, bare, store, lt),
		"Bare BlockDeviceMappings", "Store BlockDeviceMappings", "Lt LaunchTemplateData.BlockDeviceMappings")
}

func TestCloudFormationInstanceFromLaunchTemplateIsLeftToTheTemplate(t *testing.T) {
	from := cfnEnc("AWS::EC2::Instance", "FromLt", map[string]any{
		"LaunchTemplate": map[string]any{"LaunchTemplateId": unknownVal, "Version": "1"},
	})
	own := cfnEnc("AWS::EC2::Instance", "Own", map[string]any{
		"LaunchTemplate":      map[string]any{"LaunchTemplateId": unknownVal, "Version": "1"},
		"BlockDeviceMappings": []any{map[string]any{"DeviceName": "/dev/sdf", "Ebs": map[string]any{"VolumeSize": 10}}},
	})
	encExpect(t, encRun(t, ec2BlockDeviceUnencrypted, from, own), "Own BlockDeviceMappings[0].Ebs.Encrypted")
}

func TestCloudFormationBlockDeviceMappingsReadEveryEbsEntry(t *testing.T) {
	lc := cfnEnc("AWS::AutoScaling::LaunchConfiguration", "Lc", map[string]any{
		"BlockDeviceMappings": []any{
			map[string]any{"DeviceName": "/dev/xvda", "Ebs": map[string]any{"Encrypted": "false"}},
			map[string]any{"DeviceName": "/dev/sdf", "Ebs": map[string]any{"Encrypted": true}},
			map[string]any{"DeviceName": "/dev/sdg", "Ebs": map[string]any{"SnapshotId": "snap-1"}},
			map[string]any{"DeviceName": "/dev/sdh", "Ebs": unknownVal},
			map[string]any{"DeviceName": "/dev/sdi", "Ebs": map[string]any{"Encrypted": unknownVal}},
		},
	})
	encExpect(t, encRun(t, ec2BlockDeviceUnencrypted, lc),
		"Lc BlockDeviceMappings[0].Ebs.Encrypted",
		"undecided Lc BlockDeviceMappings[3].Ebs",
		"undecided Lc BlockDeviceMappings[4].Ebs.Encrypted")
}

func TestCloudFormationDBInstanceCopiesAndClusterMembersAreNotReported(t *testing.T) {
	var rs []*graph.Resource
	for _, k := range []string{"SourceDBInstanceIdentifier", "DBSnapshotIdentifier", "DBClusterSnapshotIdentifier",
		"SourceDBInstanceAutomatedBackupsArn", "SourceDbiResourceId", "SourceDBClusterIdentifier", "DBClusterIdentifier"} {
		rs = append(rs, cfnEnc("AWS::RDS::DBInstance", k, map[string]any{"Engine": "postgres", k: unknownVal}))
	}
	rs = append(rs,
		cfnEnc("AWS::RDS::DBInstance", "Custom", map[string]any{"Engine": "custom-sqlserver-se"}),
		cfnEnc("AWS::RDS::DBInstance", "Plain", map[string]any{"Engine": "postgres", "DBSnapshotIdentifier": ""}),
	)
	encExpect(t, encRun(t, rdsInstanceUnencrypted, rs...), "Plain StorageEncrypted")
}

func TestCloudFormationDBClusterExceptions(t *testing.T) {
	encExpect(t, encRun(t, rdsClusterUnencrypted,
		cfnEnc("AWS::RDS::DBCluster", "V1", map[string]any{"Engine": "aurora-mysql", "EngineMode": "serverless"}),
		cfnEnc("AWS::RDS::DBCluster", "Copy", map[string]any{"Engine": "aurora-mysql", "SourceDBClusterIdentifier": "prod"}),
		cfnEnc("AWS::RDS::DBCluster", "Secondary", map[string]any{"Engine": "aurora-mysql", "GlobalClusterIdentifier": "g"}),
		cfnEnc("AWS::RDS::DBCluster", "GlobalPrimary", map[string]any{"Engine": "aurora-mysql", "GlobalClusterIdentifier": "g", "MasterUsername": "admin"}),
		cfnEnc("AWS::RDS::DBCluster", "Mode", map[string]any{"Engine": "aurora-mysql", "EngineMode": unknownVal}),
	), "GlobalPrimary StorageEncrypted", "undecided Mode EngineMode")
}

func TestCloudFormationListenerOfInternalLoadBalancerIsNotReported(t *testing.T) {
	internal := cfnEnc("AWS::ElasticLoadBalancingV2::LoadBalancer", "Internal", map[string]any{"Scheme": "internal"})
	public := cfnEnc("AWS::ElasticLoadBalancingV2::LoadBalancer", "Public", map[string]any{})
	nlb := cfnEnc("AWS::ElasticLoadBalancingV2::LoadBalancer", "Nlb", map[string]any{"Type": "network"})
	listener := func(id, lb string, props map[string]any) *graph.Resource {
		props["LoadBalancerArn"] = unknownVal
		props["DefaultActions"] = []any{map[string]any{"Type": "forward"}}
		r := cfnEnc("AWS::ElasticLoadBalancingV2::Listener", id, props)
		r.AddRef(lb, graph.P("LoadBalancerArn"))
		return r
	}
	encExpect(t, encRun(t, elbHTTPListener, internal, public, nlb,
		listener("ToInternal", "Internal", map[string]any{"Protocol": "HTTP"}),
		listener("ToPublic", "Public", map[string]any{"Protocol": "HTTP"}),
		listener("DefaultOnPublic", "Public", map[string]any{}),
		listener("DefaultOnNlb", "Nlb", map[string]any{}),
	), "ToPublic Protocol", "DefaultOnPublic Protocol")
}

func TestCloudFormationClassicLoadBalancerSchemeDecides(t *testing.T) {
	ls := []any{map[string]any{"Protocol": "HTTP"}, map[string]any{"Protocol": "TCP"}}
	encExpect(t, encRun(t, elbHTTPListener,
		cfnEnc("AWS::ElasticLoadBalancing::LoadBalancer", "Public", map[string]any{"Listeners": ls}),
		cfnEnc("AWS::ElasticLoadBalancing::LoadBalancer", "Internal", map[string]any{"Listeners": ls, "Scheme": "internal"}),
		cfnEnc("AWS::ElasticLoadBalancing::LoadBalancer", "Unknown", map[string]any{"Listeners": ls, "Scheme": unknownVal}),
	), "Public Listeners[0].Protocol", "undecided Unknown Scheme")
}

func TestCloudFormationDistributionWithoutCustomCertificateIsNotJudgedForTLS(t *testing.T) {
	encExpect(t, encRun(t, cloudfrontOutdatedTLS,
		cfnEnc("AWS::CloudFront::Distribution", "NoCert", map[string]any{"DistributionConfig": map[string]any{"Enabled": true}}),
		cfnEnc("AWS::CloudFront::Distribution", "Default", map[string]any{"DistributionConfig": map[string]any{
			"ViewerCertificate": map[string]any{"CloudFrontDefaultCertificate": true, "MinimumProtocolVersion": "TLSv1"},
		}}),
		cfnEnc("AWS::CloudFront::Distribution", "Unknown", map[string]any{"DistributionConfig": unknownVal}),
	), "undecided Unknown DistributionConfig.ViewerCertificate")
}

func TestCloudFormationOrderedCacheBehaviorsAreEachJudged(t *testing.T) {
	encExpect(t, encRun(t, cloudfrontAllowsHTTP,
		cfnEnc("AWS::CloudFront::Distribution", "Site", map[string]any{"DistributionConfig": map[string]any{
			"DefaultCacheBehavior": map[string]any{"ViewerProtocolPolicy": "https-only"},
			"CacheBehaviors": []any{
				map[string]any{"ViewerProtocolPolicy": "allow-all"},
				map[string]any{"ViewerProtocolPolicy": unknownVal},
				map[string]any{"ViewerProtocolPolicy": "redirect-to-https"},
			},
		}}),
	), "Site DistributionConfig.CacheBehaviors[0].ViewerProtocolPolicy",
		"undecided Site DistributionConfig.CacheBehaviors[1].ViewerProtocolPolicy")
}

func TestListenerIsJudgedAgainstEveryVariantOfItsLoadBalancer(t *testing.T) {
	internal := cfnEnc("AWS::ElasticLoadBalancingV2::LoadBalancer", "Lb", map[string]any{"Scheme": "internal"})
	public := cfnEnc("AWS::ElasticLoadBalancingV2::LoadBalancer", "Lb", map[string]any{"Scheme": "internet-facing"})
	l := cfnEnc("AWS::ElasticLoadBalancingV2::Listener", "Http", map[string]any{
		"LoadBalancerArn": unknownVal, "Protocol": "HTTP",
		"DefaultActions": []any{map[string]any{"Type": "forward"}},
	})
	l.AddRef("Lb", graph.P("LoadBalancerArn"))
	encExpect(t, encRun(t, elbHTTPListener, internal, public, l), "Http Protocol")
}
