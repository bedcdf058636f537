package aws

import (
	"github.com/iacscan/iacscan/parser/graph"
)

// s3Bucket gathers everything in a scan that configures one bucket: the bucket resource
// itself (absent when only companion resources name a bucket defined elsewhere) and the
// companion resources that point at it (provider v4+ splits ACLs, policies, public access
// blocks and ownership controls into their own resources).
type s3Bucket struct {
	// Bucket is the aws_s3_bucket, or nil when the bucket is only named by companions.
	Bucket *graph.Resource
	// Scope is where unlinked companions may belong to this bucket.
	Scope      string
	ACLs       []*graph.Resource
	Policies   []*graph.Resource
	Blocks     []*graph.Resource
	Ownerships []*graph.Resource
}

// s3Facts is the S3 picture of one scan.
type s3Facts struct {
	Buckets []*s3Bucket
	// Unlinked holds public access blocks and ownership controls, by Scope, whose bucket
	// is unknown statically and refers to no bucket in the scan: each may belong to any
	// bucket of its scope.
	Unlinked map[string][]*graph.Resource
	// Account holds the account-level public access blocks.
	Account []*graph.Resource
}

// Resource types of companion resources, in the order they are attached.
const (
	tfBucket        = "aws_s3_bucket"
	tfBucketACL     = "aws_s3_bucket_acl"
	tfBucketPolicy  = "aws_s3_bucket_policy"
	tfBucketPAB     = "aws_s3_bucket_public_access_block"
	tfBucketOwner   = "aws_s3_bucket_ownership_controls"
	tfAccountPAB    = "aws_s3_account_public_access_block"
	tfPolicyDocType = "aws_iam_policy_document"
)

// collectS3 builds the S3 picture from the graph. A companion resource belongs to a
// bucket when its bucket argument refers to the bucket resource (bucket =
// aws_s3_bucket.x.id or .bucket), or when it is a literal name equal to the bucket's
// bucket argument. A literal name that matches no bucket in the scan still groups the
// companions that name it, since they configure the same bucket.
func collectS3(g *graph.Graph) *s3Facts {
	f := &s3Facts{Unlinked: map[string][]*graph.Resource{}}
	byRes := map[*graph.Resource]*s3Bucket{}
	byName := map[string][]*s3Bucket{}
	outside := map[string]*s3Bucket{}
	for _, r := range g.Resources(tfBucket) {
		if r.Format != graph.Terraform {
			continue
		}
		b := &s3Bucket{Bucket: r, Scope: r.Scope}
		byRes[r] = b
		f.Buckets = append(f.Buckets, b)
		if name, ok := r.Get("bucket").Str(); ok && name != "" {
			byName[name] = append(byName[name], b)
		}
	}
	for _, typ := range []string{tfBucketACL, tfBucketPolicy, tfBucketPAB, tfBucketOwner} {
		for _, r := range g.Resources(typ) {
			if r.Format != graph.Terraform {
				continue
			}
			targets := linkedBuckets(g, r, byRes)
			if len(targets) == 0 {
				name, ok := r.Get("bucket").Str()
				switch {
				case ok && len(byName[name]) > 0:
					targets = byName[name]
				case ok:
					b := outside[name]
					if b == nil {
						b = &s3Bucket{Scope: r.Scope}
						outside[name] = b
						f.Buckets = append(f.Buckets, b)
					}
					targets = []*s3Bucket{b}
				}
			}
			if len(targets) == 0 {
				switch typ {
				case tfBucketPAB, tfBucketOwner:
					f.Unlinked[r.Scope] = append(f.Unlinked[r.Scope], r)
				case tfBucketACL, tfBucketPolicy:
					// An ACL or policy on a bucket we cannot identify is still judged,
					// with only account-level settings known to apply.
					b := &s3Bucket{Scope: r.Scope}
					f.Buckets = append(f.Buckets, b)
					targets = []*s3Bucket{b}
				}
			}
			for _, b := range targets {
				switch typ {
				case tfBucketACL:
					b.ACLs = append(b.ACLs, r)
				case tfBucketPolicy:
					b.Policies = append(b.Policies, r)
				case tfBucketPAB:
					b.Blocks = append(b.Blocks, r)
				case tfBucketOwner:
					b.Ownerships = append(b.Ownerships, r)
				}
			}
		}
	}
	for _, r := range g.Resources(tfAccountPAB) {
		if r.Format == graph.Terraform {
			f.Account = append(f.Account, r)
		}
	}
	return f
}

// linkedBuckets returns the buckets the companion r refers to through its bucket
// argument.
func linkedBuckets(g *graph.Graph, r *graph.Resource, byRes map[*graph.Resource]*s3Bucket) []*s3Bucket {
	var out []*s3Bucket
	seen := map[*s3Bucket]bool{}
	for _, e := range g.Out(r) {
		if len(e.Attr) == 0 || e.Attr[0] != "bucket" {
			continue
		}
		if b := byRes[e.To]; b != nil && !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out
}

// tri is a three-valued truth: a setting known on, known off, or unknown statically.
type tri int

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

// setting is the combined state of one setting across several resources, with the
// places that decide it: where it is on, where it is unknown, where it is off.
type setting struct {
	State   tri
	On      []UnknownAt
	Unknown []UnknownAt
	Off     []UnknownAt
}

// add folds one resource's value of the setting into s: any "on" wins (S3 applies the
// most restrictive combination of bucket-level and account-level blocks), otherwise any
// unknown leaves it open.
func (s *setting) add(state tri, at UnknownAt) {
	switch state {
	case triTrue:
		s.On = append(s.On, at)
	case triUnknown:
		s.Unknown = append(s.Unknown, at)
	default:
		s.Off = append(s.Off, at)
	}
	switch {
	case len(s.On) > 0:
		s.State = triTrue
	case len(s.Unknown) > 0:
		s.State = triUnknown
	default:
		s.State = triFalse
	}
}

// boolFlag reads a boolean argument whose provider default is false.
func boolFlag(r *graph.Resource, name string) tri {
	v := r.Get(name)
	if !v.Exists() {
		return triFalse
	}
	if !v.IsKnown() {
		return triUnknown
	}
	b, ok := v.Bool()
	if !ok {
		return triUnknown
	}
	if b {
		return triTrue
	}
	return triFalse
}

// blockFlag is the effective state of one public access block flag for b: on when the
// bucket's own block or an account-level block turns it on; unknown when a block that
// could apply has it unknown (including blocks of the same scope whose bucket is
// unknown).
func (f *s3Facts) blockFlag(b *s3Bucket, flag string) setting {
	var s setting
	for _, r := range b.Blocks {
		s.add(boolFlag(r, flag), UnknownAt{Resource: r, Path: graph.P(flag)})
	}
	for _, r := range f.Account {
		s.add(boolFlag(r, flag), UnknownAt{Resource: r, Path: graph.P(flag)})
	}
	for _, r := range f.Unlinked[b.Scope] {
		if r.Type != tfBucketPAB {
			continue
		}
		// A block that may or may not be this bucket's can only leave it open.
		if st := boolFlag(r, flag); st != triFalse {
			s.add(triUnknown, UnknownAt{Resource: r, Path: graph.P("bucket")})
		}
	}
	return s
}

// ownershipEnforced tells whether the bucket's ownership controls disable ACLs
// (BucketOwnerEnforced), in which case no ACL has any effect.
func (f *s3Facts) ownershipEnforced(b *s3Bucket) setting {
	var s setting
	for _, r := range b.Ownerships {
		st, at := ownershipState(r)
		s.add(st, at)
	}
	for _, r := range f.Unlinked[b.Scope] {
		if r.Type != tfBucketOwner {
			continue
		}
		if st, _ := ownershipState(r); st != triFalse {
			s.add(triUnknown, UnknownAt{Resource: r, Path: graph.P("bucket")})
		}
	}
	return s
}

func ownershipState(r *graph.Resource) (tri, UnknownAt) {
	rules := r.Get("rule")
	if !rules.IsKnown() {
		return triUnknown, UnknownAt{Resource: r, Path: rules.Path()}
	}
	for _, rule := range rules.List() {
		v := rule.Get("object_ownership")
		if !v.IsKnown() || !rule.IsKnown() {
			return triUnknown, UnknownAt{Resource: r, Path: v.Path()}
		}
		if s, _ := v.Str(); s == "BucketOwnerEnforced" {
			return triTrue, UnknownAt{Resource: r, Path: v.Path()}
		}
	}
	return triFalse, UnknownAt{Resource: r, Path: graph.P("rule")}
}
