package aws

import "testing"

func TestCloudFrontAllowAllIsReportedPerBehavior(t *testing.T) {
	b := func(policy any) map[string]any { return map[string]any{"viewer_protocol_policy": policy} }
	got := encRun(t, cloudfrontAllowsHTTP,
		encRes("aws_cloudfront_distribution", "d", map[string]any{
			"default_cache_behavior": []any{b("redirect-to-https")},
			"ordered_cache_behavior": []any{b("allow-all"), b("https-only"), b(unknownVal)},
		}),
		encRes("aws_cloudfront_distribution", "e", map[string]any{
			"default_cache_behavior": []any{b("allow-all")},
		}),
	)
	encExpect(t, got,
		"aws_cloudfront_distribution.d ordered_cache_behavior[0].viewer_protocol_policy",
		"aws_cloudfront_distribution.e default_cache_behavior[0].viewer_protocol_policy",
		"undecided aws_cloudfront_distribution.d ordered_cache_behavior[2].viewer_protocol_policy",
	)
}

func TestCloudFrontOutdatedTLSOnlyWithCustomCertificate(t *testing.T) {
	cert := func(attrs map[string]any) map[string]any {
		return map[string]any{"viewer_certificate": []any{attrs}}
	}
	got := encRun(t, cloudfrontOutdatedTLS,
		encRes("aws_cloudfront_distribution", "default_cert", cert(map[string]any{"cloudfront_default_certificate": true})),
		encRes("aws_cloudfront_distribution", "no_version", cert(map[string]any{"acm_certificate_arn": "arn:acm", "ssl_support_method": "sni-only"})),
		encRes("aws_cloudfront_distribution", "tls1", cert(map[string]any{"acm_certificate_arn": "arn:acm", "minimum_protocol_version": "TLSv1"})),
		encRes("aws_cloudfront_distribution", "tls11", cert(map[string]any{"iam_certificate_id": "x", "minimum_protocol_version": "TLSv1.1_2016"})),
		encRes("aws_cloudfront_distribution", "tls12", cert(map[string]any{"acm_certificate_arn": unknownVal, "minimum_protocol_version": "TLSv1.2_2021"})),
		encRes("aws_cloudfront_distribution", "var", cert(map[string]any{"acm_certificate_arn": "arn:acm", "minimum_protocol_version": unknownVal})),
	)
	encExpect(t, got,
		"aws_cloudfront_distribution.no_version viewer_certificate[0].minimum_protocol_version",
		"aws_cloudfront_distribution.tls1 viewer_certificate[0].minimum_protocol_version",
		"aws_cloudfront_distribution.tls11 viewer_certificate[0].minimum_protocol_version",
		"undecided aws_cloudfront_distribution.var viewer_certificate[0].minimum_protocol_version",
	)
}
