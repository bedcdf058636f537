package aws

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var cloudfrontAllowsHTTP = &check.Check{
	ID:       "aws-cloudfront-allows-http",
	Title:    "CloudFront distribution serves viewers over plain HTTP",
	Severity: check.High,
	Category: check.CategoryEncryption,
	Description: "A cache behavior with viewer_protocol_policy = \"allow-all\" answers plain HTTP " +
		"requests instead of redirecting them: pages, cookies and tokens travel unencrypted " +
		"between viewers and the edge, where anyone on the path can read and alter them. " +
		"High: the exposure is to the whole internet path and needs no access to the " +
		"account.\n\n" +
		"Reported: aws_cloudfront_distribution default_cache_behavior and every " +
		"ordered_cache_behavior with viewer_protocol_policy = \"allow-all\". Not reported: " +
		"\"redirect-to-https\" and \"https-only\". A value that cannot be known statically " +
		"is recorded as undecided. The protocol between CloudFront and the origin " +
		"(origin_protocol_policy) is not covered by this check.",
	Remediation: "Redirect HTTP to HTTPS (or serve HTTPS only) in every cache behavior.\n\n" +
		"```hcl\n  default_cache_behavior {\n    # ...\n" +
		"    viewer_protocol_policy = \"redirect-to-https\"\n  }\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#viewer_protocol_policy",
	},
	Formats: []graph.Format{graph.Terraform},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_cloudfront_distribution") {
			if r.Format != graph.Terraform {
				continue
			}
			for _, name := range []string{"default_cache_behavior", "ordered_cache_behavior"} {
				bs, known := nestedBlocks(r.Get(name))
				if !known {
					p.Undecided(r, graph.P(name))
					continue
				}
				for _, b := range bs {
					v := b.Get("viewer_protocol_policy")
					t := readText(v)
					switch {
					case !t.Known:
						p.Undecided(r, v.Path())
					case strings.EqualFold(t.Value, "allow-all"):
						p.Reportf(r, v.Path(), "viewer_protocol_policy = %q serves viewers over plain HTTP instead of redirecting them to HTTPS", t.Value)
					}
				}
			}
		}
	},
}

// outdatedTLSPolicies are the CloudFront security policies that still accept SSLv3, TLS 1.0
// or TLS 1.1, which RFC 8996 deprecates.
var outdatedTLSPolicies = map[string]bool{
	"sslv3": true, "tlsv1": true, "tlsv1_2016": true, "tlsv1.1_2016": true,
}

var cloudfrontOutdatedTLS = &check.Check{
	ID:       "aws-cloudfront-outdated-tls",
	Title:    "CloudFront distribution accepts TLS versions older than 1.2",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "A distribution with a custom certificate negotiates the oldest protocol its " +
		"security policy allows. TLS 1.0 and 1.1 are deprecated (RFC 8996) and SSLv3 is " +
		"broken; accepting them lets a network attacker push old clients to weak ciphers and " +
		"fails PCI DSS. Medium: exploiting old protocol versions needs an active attacker on " +
		"the path and an old client.\n\n" +
		"Reported: aws_cloudfront_distribution whose viewer_certificate uses a custom " +
		"certificate (acm_certificate_arn or iam_certificate_id) with " +
		"minimum_protocol_version SSLv3, TLSv1, TLSv1_2016 or TLSv1.1_2016, or not set (the " +
		"provider default is TLSv1). Not reported: distributions on the default " +
		"*.cloudfront.net certificate (cloudfront_default_certificate = true), whose " +
		"policy cannot be changed; the fix there is a custom domain. A value that cannot be " +
		"known statically is recorded as undecided.",
	Remediation: "Use a TLSv1.2 security policy (TLSv1.2_2021 is the current recommendation).\n\n" +
		"```hcl\n  viewer_certificate {\n    acm_certificate_arn      = aws_acm_certificate.site.arn\n" +
		"    ssl_support_method       = \"sni-only\"\n    minimum_protocol_version = \"TLSv1.2_2021\"\n  }\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#minimum_protocol_version",
	},
	Formats: []graph.Format{graph.Terraform},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_cloudfront_distribution") {
			if r.Format != graph.Terraform {
				continue
			}
			certs, known := nestedBlocks(r.Get("viewer_certificate"))
			if !known {
				p.Undecided(r, graph.P("viewer_certificate"))
				continue
			}
			for _, c := range certs {
				def := c.Get("cloudfront_default_certificate")
				switch readFlag(def) {
				case flagUnknown:
					p.Undecided(r, def.Path())
					continue
				case flagTrue:
					continue
				}
				// Without a custom certificate there is no policy to judge.
				if !isWritten(c.Get("acm_certificate_arn")) && !isWritten(c.Get("iam_certificate_id")) {
					continue
				}
				v := c.Get("minimum_protocol_version")
				t := readText(v)
				switch {
				case !t.Known:
					p.Undecided(r, v.Path())
				case !t.Set:
					p.Reportf(r, v.Path(), "minimum_protocol_version is not set (the default is TLSv1), so viewers can connect with TLS 1.0")
				case outdatedTLSPolicies[strings.ToLower(t.Value)]:
					p.Reportf(r, v.Path(), "minimum_protocol_version = %q lets viewers connect with protocols older than TLS 1.2", t.Value)
				}
			}
		}
	},
}
