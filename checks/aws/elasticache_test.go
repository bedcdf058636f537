package aws

import "testing"

func TestElastiCacheAtRestDefaultDependsOnEngine(t *testing.T) {
	got := encRun(t, elasticacheAtRestUnencrypted,
		encRes("aws_elasticache_replication_group", "redis_default", map[string]any{"node_type": "cache.t4g.small"}),
		encRes("aws_elasticache_replication_group", "redis", map[string]any{"engine": "redis"}),
		encRes("aws_elasticache_replication_group", "valkey", map[string]any{"engine": "valkey"}),
		encRes("aws_elasticache_replication_group", "valkey_off", map[string]any{"engine": "valkey", "at_rest_encryption_enabled": false}),
		encRes("aws_elasticache_replication_group", "on", map[string]any{"at_rest_encryption_enabled": true}),
		encRes("aws_elasticache_replication_group", "engine_var", map[string]any{"engine": unknownVal}),
		encRes("aws_elasticache_replication_group", "global", map[string]any{"global_replication_group_id": "g"}),
	)
	encExpect(t, got,
		"aws_elasticache_replication_group.redis_default at_rest_encryption_enabled",
		"aws_elasticache_replication_group.redis at_rest_encryption_enabled",
		"aws_elasticache_replication_group.valkey_off at_rest_encryption_enabled",
		"undecided aws_elasticache_replication_group.engine_var engine",
	)
}

func TestElastiCacheInTransitPreferredModeIsReported(t *testing.T) {
	got := encRun(t, elasticacheInTransitUnencrypted,
		encRes("aws_elasticache_replication_group", "missing", map[string]any{"engine": "valkey"}),
		encRes("aws_elasticache_replication_group", "off", map[string]any{"transit_encryption_enabled": false}),
		encRes("aws_elasticache_replication_group", "on", map[string]any{"transit_encryption_enabled": true}),
		encRes("aws_elasticache_replication_group", "required", map[string]any{"transit_encryption_enabled": true, "transit_encryption_mode": "required"}),
		encRes("aws_elasticache_replication_group", "preferred", map[string]any{"transit_encryption_enabled": true, "transit_encryption_mode": "preferred"}),
		encRes("aws_elasticache_replication_group", "var", map[string]any{"transit_encryption_enabled": unknownVal}),
	)
	encExpect(t, got,
		"aws_elasticache_replication_group.missing transit_encryption_enabled",
		"aws_elasticache_replication_group.off transit_encryption_enabled",
		"aws_elasticache_replication_group.preferred transit_encryption_mode",
		"undecided aws_elasticache_replication_group.var transit_encryption_enabled",
	)
}
