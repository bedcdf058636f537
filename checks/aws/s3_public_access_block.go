package aws

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// blockFlags are the four public access block settings, in the order the API lists them,
// with what leaving each off allows on one bucket, and across an account.
var blockFlags = []struct{ name, consequence, accountConsequence string }{
	{"block_public_acls",
		"new public ACLs on the bucket and its objects are accepted",
		"new public ACLs are accepted on any bucket without its own block"},
	{"block_public_policy",
		"a bucket policy that grants public access is accepted",
		"public bucket policies are accepted on any bucket without its own block"},
	{"ignore_public_acls",
		"public ACLs on the bucket and its objects take effect",
		"public ACLs take effect on any bucket without its own block"},
	{"restrict_public_buckets",
		"a public bucket policy lets anyone use the bucket",
		"a public bucket policy lets anyone use any bucket without its own block"},
}

// accountFlag is the combined state of one flag across the account-level blocks.
func (f *s3Facts) accountFlag(flag string) setting {
	var s setting
	for _, r := range f.Account {
		s.add(blockState(r, flag))
	}
	return s
}

// accountComplete tells whether an account-level block turns all four flags on.
func (f *s3Facts) accountComplete() setting {
	var s setting
	for _, r := range f.Account {
		state := triTrue
		var unknown []UnknownAt
		for _, fl := range blockFlags {
			switch st, at := blockState(r, fl.name); st {
			case triFalse:
				state = triFalse
			case triUnknown:
				unknown = append(unknown, at)
			}
			if state == triFalse {
				break
			}
		}
		if state == triFalse {
			s.add(triFalse, UnknownAt{Resource: r})
			continue
		}
		if len(unknown) > 0 {
			for _, u := range unknown {
				s.add(triUnknown, u)
			}
			continue
		}
		s.add(triTrue, UnknownAt{Resource: r})
	}
	return s
}

// reportWeakBlock reports the flags of a public access block r that are off: an
// aws_s3_bucket_public_access_block or aws_s3_account_public_access_block, or an
// AWS::S3::Bucket with a PublicAccessBlockConfiguration. A flag written as false is
// reported on its line; flags left out (false in both formats) are reported together at
// the block header (the PublicAccessBlockConfiguration line in CloudFormation). When
// account is non-nil (a bucket-level
// block), a flag that the account-level block turns on is not reported: S3 applies the
// stricter of the two. A nil account means r is the account-level block itself.
func reportWeakBlock(p *check.Pass, r *graph.Resource, account func(string) setting) {
	var missing, consequences []string
	var paths []graph.Path
	for _, fl := range blockFlags {
		state, at := blockState(r, fl.name)
		if state == triTrue {
			continue
		}
		if account != nil {
			acct := account(fl.name)
			if acct.State == triTrue {
				continue
			}
			if state == triFalse && acct.State == triUnknown {
				for _, u := range acct.Unknown {
					p.Undecided(u.Resource, u.Path)
				}
				continue
			}
		}
		if state == triUnknown {
			p.Undecided(r, at.Path)
			continue
		}
		consequence := fl.consequence
		if account == nil {
			consequence = fl.accountConsequence
		}
		if r.Get(at.Path...).Exists() {
			p.Reportf(r, at.Path, "%s = false: %s", flagName(r, fl.name), consequence)
			continue
		}
		missing = append(missing, flagName(r, fl.name))
		paths = append(paths, at.Path)
		consequences = append(consequences, consequence)
	}
	if len(missing) == 0 {
		return
	}
	verb := "is"
	if len(missing) > 1 {
		verb = "are"
	}
	p.Reportf(r, paths[0], "%s %s not set and default to false: %s",
		strings.Join(missing, ", "), verb, strings.Join(consequences, "; "))
}

// runBucketBlockDisabled reports bucket-level public access blocks with a flag off.
func runBucketBlockDisabled(p *check.Pass) {
	f := collectS3(p.Graph)
	for _, r := range p.Graph.Resources(tfBucketPAB) {
		if r.Format != graph.Terraform {
			continue
		}
		reportWeakBlock(p, r, f.accountFlag)
	}
	for _, r := range p.Graph.Resources(cfnBucket) {
		// A bucket without the property keeps what S3 gives new buckets (all four on)
		// or what it had; that is aws-s3-no-public-access-block's concern.
		if r.Format != graph.CloudFormation || !r.Get(cfnPAB).Exists() {
			continue
		}
		reportWeakBlock(p, r, f.accountFlag)
	}
}

// runAccountBlockDisabled reports account-level public access blocks with a flag off.
func runAccountBlockDisabled(p *check.Pass) {
	for _, r := range p.Graph.Resources(tfAccountPAB) {
		if r.Format != graph.Terraform {
			continue
		}
		reportWeakBlock(p, r, nil)
	}
}

// runNoBlock reports buckets that no public access block covers. A bucket already
// reported as public by aws-s3-public-acl or aws-s3-public-policy is left to that finding.
func runNoBlock(p *check.Pass) {
	f := collectS3(p.Graph)
	acct := f.accountComplete()
	if acct.State == triTrue {
		return
	}
	for _, b := range f.Buckets {
		if b.Bucket == nil || len(b.Blocks) > 0 {
			continue
		}
		var maybe []*graph.Resource
		for _, r := range f.Unlinked[b.Scope] {
			if r.Type == tfBucketPAB {
				maybe = append(maybe, r)
			}
		}
		if len(maybe) > 0 {
			for _, r := range maybe {
				p.Undecided(r, graph.P("bucket"))
			}
			continue
		}
		if acct.State == triUnknown {
			for _, u := range acct.Unknown {
				p.Undecided(u.Resource, u.Path)
			}
			continue
		}
		if acl, _ := f.aclExposures(b); len(acl) > 0 {
			continue
		}
		if pol, _ := f.policyExposures(p.Graph, b); len(pol) > 0 {
			continue
		}
		msg := "no aws_s3_bucket_public_access_block refers to the bucket"
		if len(f.Account) == 0 {
			msg += " and no account-level block is in the scan"
		} else {
			msg += " and the account-level block does not turn on all four flags"
		}
		if b.Bucket.Format == graph.CloudFormation {
			// The finding goes where the missing property belongs (the logical ID
			// line); the message says what S3's own default does and does not cover.
			msg = "the bucket declares no PublicAccessBlockConfiguration"
			if len(f.Account) > 0 {
				msg += " and the account-level block does not turn on all four flags"
			}
			p.Reportf(b.Bucket, graph.P(cfnPAB), "%s, so Block Public Access is whatever S3 set when the bucket was created (off before April 2023) and nothing declared here keeps a later ACL or bucket policy from making it public", msg)
			continue
		}
		p.Reportf(b.Bucket, nil, "%s, so nothing declared here stops a later ACL or bucket policy from making it public", msg)
	}
}

// runPublicACL reports ACLs that make a bucket public.
func runPublicACL(p *check.Pass) {
	f := collectS3(p.Graph)
	for _, b := range f.Buckets {
		found, unknown := f.aclExposures(b)
		report(p, found, unknown)
	}
}

// runPublicPolicy reports bucket policies that make a bucket public.
func runPublicPolicy(p *check.Pass) {
	f := collectS3(p.Graph)
	for _, b := range f.Buckets {
		found, unknown := f.policyExposures(p.Graph, b)
		report(p, found, unknown)
	}
}

// report records exposures as findings and unknowns as undecided, once each even when a
// companion resource belongs to several buckets (count instances).
func report(p *check.Pass, found []exposure, unknown []UnknownAt) {
	for _, e := range found {
		p.Report(check.Finding{Resource: e.Resource, Path: e.Path, Message: e.Message, Related: e.Related})
	}
	seen := map[string]bool{}
	for _, u := range unknown {
		k := fmt.Sprintf("%p|%s", u.Resource, u.Path.String())
		if seen[k] {
			continue
		}
		seen[k] = true
		if len(u.Reasons) > 0 {
			p.UndecidedBecause(u.Resource, u.Path, u.Reasons...)
			continue
		}
		p.Undecided(u.Resource, u.Path)
	}
}
