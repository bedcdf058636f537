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
		"(origin_protocol_policy) is not covered by this check.\n\n" +
		"CloudFormation: AWS::CloudFront::Distribution DistributionConfig.DefaultCacheBehavior " +
		"and every DistributionConfig.CacheBehaviors entry with ViewerProtocolPolicy allow-all.",
	Remediation: "Redirect HTTP to HTTPS (or serve HTTPS only) in every cache behavior.\n\n" +
		"```hcl\n  default_cache_behavior {\n    # ...\n" +
		"    viewer_protocol_policy = \"redirect-to-https\"\n  }\n```\n\n" +
		"```yaml\n    DistributionConfig:\n      DefaultCacheBehavior:\n        # ...\n" +
		"        ViewerProtocolPolicy: redirect-to-https\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#viewer_protocol_policy",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distribution-defaultcachebehavior.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources(distributionTypes...) {
			n, ok := distributionNamesFor(r)
			if !ok {
				continue
			}
			for _, path := range n.behaviors {
				bs, known := nestedBlocks(r.Get(path...))
				if !known {
					p.Undecided(r, path)
					continue
				}
				for _, b := range bs {
					v := b.Get(n.policy)
					t := readText(v)
					switch {
					case !t.Known:
						p.Undecided(r, v.Path())
					case strings.EqualFold(t.Value, "allow-all"):
						p.Reportf(r, v.Path(), "%s serves viewers over plain HTTP instead of redirecting them to HTTPS", asWrittenText(r, n.policy, t.Value))
					}
				}
			}
		}
	},
}

// distributionTypes are the CloudFront distribution types of every format.
var distributionTypes = []string{"aws_cloudfront_distribution", "AWS::CloudFront::Distribution"}

// distributionNames say where, in one format, a distribution keeps the settings the
// CloudFront checks read.
type distributionNames struct {
	// behaviors are the paths of the default and ordered cache behaviors; policy the
	// viewer protocol policy within each.
	behaviors []graph.Path
	policy    string
	// cert is the path of the viewer certificate, and the rest its settings.
	cert                              graph.Path
	defaultCert, acm, iam, minVersion string
}

// distributionNamesFor returns where r's format keeps the distribution settings.
func distributionNamesFor(r *graph.Resource) (distributionNames, bool) {
	switch r.Format {
	case graph.Terraform:
		return distributionNames{
			behaviors: []graph.Path{graph.P("default_cache_behavior"), graph.P("ordered_cache_behavior")},
			policy:    "viewer_protocol_policy",
			cert:      graph.P("viewer_certificate"), defaultCert: "cloudfront_default_certificate",
			acm: "acm_certificate_arn", iam: "iam_certificate_id", minVersion: "minimum_protocol_version",
		}, true
	case graph.CloudFormation:
		return distributionNames{
			behaviors: []graph.Path{graph.P("DistributionConfig", "DefaultCacheBehavior"), graph.P("DistributionConfig", "CacheBehaviors")},
			policy:    "ViewerProtocolPolicy",
			cert:      graph.P("DistributionConfig", "ViewerCertificate"), defaultCert: "CloudFrontDefaultCertificate",
			acm: "AcmCertificateArn", iam: "IamCertificateId", minVersion: "MinimumProtocolVersion",
		}, true
	}
	return distributionNames{}, false
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
		"known statically is recorded as undecided.\n\n" +
		"CloudFormation: DistributionConfig.ViewerCertificate with AcmCertificateArn or " +
		"IamCertificateId and MinimumProtocolVersion outdated or not set; a distribution " +
		"without ViewerCertificate uses the default certificate and is not reported.",
	Remediation: "Use a TLSv1.2 security policy (TLSv1.2_2021 is the current recommendation).\n\n" +
		"```hcl\n  viewer_certificate {\n    acm_certificate_arn      = aws_acm_certificate.site.arn\n" +
		"    ssl_support_method       = \"sni-only\"\n    minimum_protocol_version = \"TLSv1.2_2021\"\n  }\n```\n\n" +
		"```yaml\n      ViewerCertificate:\n        AcmCertificateArn: !Ref SiteCertificate\n" +
		"        SslSupportMethod: sni-only\n        MinimumProtocolVersion: TLSv1.2_2021\n```",
	Links: []string{
		"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#minimum_protocol_version",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-distribution-viewercertificate.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources(distributionTypes...) {
			n, ok := distributionNamesFor(r)
			if !ok {
				continue
			}
			certs, known := nestedBlocks(r.Get(n.cert...))
			if !known {
				p.Undecided(r, n.cert)
				continue
			}
			for _, c := range certs {
				def := c.Get(n.defaultCert)
				switch readFlag(def) {
				case flagUnknown:
					p.Undecided(r, def.Path())
					continue
				case flagTrue:
					continue
				}
				// Without a custom certificate there is no policy to judge.
				if !isWritten(c.Get(n.acm)) && !isWritten(c.Get(n.iam)) {
					continue
				}
				v := c.Get(n.minVersion)
				t := readText(v)
				switch {
				case !t.Known:
					p.Undecided(r, v.Path())
				case !t.Set:
					p.Reportf(r, v.Path(), "%s is not set (the default is TLSv1), so viewers can connect with TLS 1.0", n.minVersion)
				case outdatedTLSPolicies[strings.ToLower(t.Value)]:
					p.Reportf(r, v.Path(), "%s lets viewers connect with protocols older than TLS 1.2", asWrittenText(r, n.minVersion, t.Value))
				}
			}
		}
	},
}
