package aws

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var elasticacheAtRestUnencrypted = &check.Check{
	ID:       "aws-elasticache-at-rest-unencrypted",
	Title:    "ElastiCache replication group is not encrypted at rest",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "A Redis OSS replication group created without encryption at rest keeps its " +
		"data on disk during syncs and swaps, and its backups (which can be exported to S3), " +
		"in plaintext; the setting cannot be changed after creation. Medium: caches often " +
		"hold sessions and copies of database rows.\n\n" +
		"Reported: aws_elasticache_replication_group with at_rest_encryption_enabled = " +
		"false, or not set when the engine is Redis OSS (engine not set or \"redis\"), whose " +
		"default is false. Not reported: Valkey replication groups without the argument, " +
		"which AWS encrypts at rest by default; members of a global datastore " +
		"(global_replication_group_id), whose encryption is the global datastore's; " +
		"ElastiCache Serverless caches, which are always encrypted; aws_elasticache_cluster, " +
		"which has no at-rest setting (use a replication group). A value that cannot be " +
		"known statically is recorded as undecided.\n\n" +
		"CloudFormation: AWS::ElastiCache::ReplicationGroup with AtRestEncryptionEnabled false, " +
		"or not set with Engine redis or not set; GlobalReplicationGroupId members are skipped.",
	Remediation: "Set at_rest_encryption_enabled = true (AtRestEncryptionEnabled: true in " +
		"CloudFormation, optionally with a KMS key); an existing group has to be recreated from " +
		"a backup.\n\n" +
		"```hcl\nresource \"aws_elasticache_replication_group\" \"cache\" {\n" +
		"  replication_group_id       = \"cache\"\n  description                = \"sessions\"\n" +
		"  node_type                  = \"cache.t4g.small\"\n" +
		"  at_rest_encryption_enabled = true\n  transit_encryption_enabled = true\n}\n```\n\n" +
		"```yaml\nCache:\n  Type: AWS::ElastiCache::ReplicationGroup\n  Properties:\n" +
		"    ReplicationGroupDescription: sessions\n    CacheNodeType: cache.t4g.small\n" +
		"    AtRestEncryptionEnabled: true\n    TransitEncryptionEnabled: true\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
		"https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#at_rest_encryption_enabled",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources(replicationGroupTypes...) {
			c, ok := cacheFacts(r)
			if !ok || isWritten(c.Global) {
				continue
			}
			switch readFlag(c.AtRest) {
			case flagUnknown:
				p.Undecided(r, c.AtRest.Path())
			case flagFalse:
				p.Reportf(r, c.AtRest.Path(), "%s stores cached data and backups unencrypted", falseAsWritten(r, c.AtRestName))
			case flagAbsent:
				engine := readText(c.Engine)
				if !engine.Known {
					p.Undecided(r, c.Engine.Path())
					continue
				}
				// Valkey replication groups are encrypted at rest unless told otherwise.
				if strings.EqualFold(engine.Value, "valkey") {
					continue
				}
				p.Reportf(r, c.AtRest.Path(), "%s is not set (the default for Redis OSS is false), so cached data and backups are stored unencrypted", c.AtRestName)
			}
		}
	},
}

var elasticacheInTransitUnencrypted = &check.Check{
	ID:       "aws-elasticache-in-transit-unencrypted",
	Title:    "ElastiCache replication group accepts unencrypted connections",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "Without encryption in transit, clients and replicas talk to a Redis OSS or " +
		"Valkey replication group in plaintext, and AUTH tokens cannot be used at all (they " +
		"require TLS): anything that can reach the port inside the VPC can read and write " +
		"the cache, and anyone on the path can read the traffic. Medium: the exposure is " +
		"limited to the network the cache is reachable from.\n\n" +
		"Reported: aws_elasticache_replication_group with transit_encryption_enabled = false " +
		"or not set (the default is false for both engines), and with " +
		"transit_encryption_mode = \"preferred\", which still accepts unencrypted " +
		"connections (a step meant for migrations). Not reported: members of a global " +
		"datastore (global_replication_group_id), whose setting is the global datastore's; " +
		"ElastiCache Serverless caches, which always use TLS; Memcached clusters " +
		"(aws_elasticache_cluster), out of scope. A value that cannot be known statically " +
		"is recorded as undecided.\n\n" +
		"CloudFormation: AWS::ElastiCache::ReplicationGroup with TransitEncryptionEnabled " +
		"false or not set, or TransitEncryptionMode preferred; GlobalReplicationGroupId " +
		"members are skipped.",
	Remediation: "Set transit_encryption_enabled = true (with transit_encryption_mode = " +
		"\"required\" once clients use TLS), and add an auth_token or RBAC user group; in " +
		"CloudFormation TransitEncryptionEnabled: true and TransitEncryptionMode: required.\n\n" +
		"```hcl\nresource \"aws_elasticache_replication_group\" \"cache\" {\n" +
		"  replication_group_id       = \"cache\"\n  description                = \"sessions\"\n" +
		"  node_type                  = \"cache.t4g.small\"\n" +
		"  transit_encryption_enabled = true\n  transit_encryption_mode    = \"required\"\n}\n```\n\n" +
		"```yaml\nCache:\n  Type: AWS::ElastiCache::ReplicationGroup\n  Properties:\n" +
		"    ReplicationGroupDescription: sessions\n    CacheNodeType: cache.t4g.small\n" +
		"    TransitEncryptionEnabled: true\n    TransitEncryptionMode: required\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#transit_encryption_enabled",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources(replicationGroupTypes...) {
			c, ok := cacheFacts(r)
			if !ok || isWritten(c.Global) {
				continue
			}
			switch readFlag(c.Transit) {
			case flagUnknown:
				p.Undecided(r, c.Transit.Path())
			case flagFalse:
				p.Reportf(r, c.Transit.Path(), "%s makes clients connect in plaintext and rules out AUTH tokens", falseAsWritten(r, c.TransitName))
			case flagAbsent:
				p.Reportf(r, c.Transit.Path(), "%s is not set (the default is false), so clients connect in plaintext and AUTH tokens cannot be used", c.TransitName)
			case flagTrue:
				mode := readText(c.Mode)
				if !mode.Known {
					p.Undecided(r, c.Mode.Path())
					continue
				}
				if strings.EqualFold(mode.Value, "preferred") {
					p.Reportf(r, c.Mode.Path(), "%s still accepts unencrypted connections", asWrittenText(r, c.ModeName, mode.Value))
				}
			}
		}
	},
}

// cacheEncryption is what decides how an ElastiCache replication group encrypts data.
type cacheEncryption struct {
	AtRest, Transit, Mode, Engine graph.Value
	// Global is the global datastore the group joins, whose settings it takes.
	Global graph.Value
	// The settings' names as the format writes them, for messages.
	AtRestName, TransitName, ModeName string
}

// replicationGroupTypes are the replication group types of every format.
var replicationGroupTypes = []string{"aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup"}

// cacheFacts extracts the encryption settings of a replication group.
func cacheFacts(r *graph.Resource) (cacheEncryption, bool) {
	switch r.Format {
	case graph.Terraform:
		return cacheEncryption{
			AtRest:      r.Get("at_rest_encryption_enabled"),
			Transit:     r.Get("transit_encryption_enabled"),
			Mode:        r.Get("transit_encryption_mode"),
			Engine:      r.Get("engine"),
			Global:      r.Get("global_replication_group_id"),
			AtRestName:  "at_rest_encryption_enabled",
			TransitName: "transit_encryption_enabled",
			ModeName:    "transit_encryption_mode",
		}, true
	case graph.CloudFormation:
		return cacheEncryption{
			AtRest:      r.Get("AtRestEncryptionEnabled"),
			Transit:     r.Get("TransitEncryptionEnabled"),
			Mode:        r.Get("TransitEncryptionMode"),
			Engine:      r.Get("Engine"),
			Global:      r.Get("GlobalReplicationGroupId"),
			AtRestName:  "AtRestEncryptionEnabled",
			TransitName: "TransitEncryptionEnabled",
			ModeName:    "TransitEncryptionMode",
		}, true
	}
	return cacheEncryption{}, false
}
