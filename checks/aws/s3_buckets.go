package aws

import (
	"strings"
	"sync"

	"github.com/iacscan/iacscan/checks/internal/pergraph"
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

	// policy is the bucket's public exposures through its policies, read on first use:
	// aws-s3-public-policy reports them, and aws-s3-no-public-access-block leaves the
	// buckets it reports to it. Reading them parses every policy of the bucket; the ACL
	// exposures, a few reads, are not worth keeping.
	policy exposureMemo
}

// exposureMemo holds what a bucket's exposures were found to be, read once by whichever
// check asks first (the checks run concurrently) and then shared read-only.
type exposureMemo struct {
	once    sync.Once
	found   []exposure
	unknown []UnknownAt
	// panicked is what reading panicked with: every check that asks fails alike rather
	// than seeing no exposure.
	panicked any
}

// get returns the memoized exposures, calling read the first time.
func (m *exposureMemo) get(read func() ([]exposure, []UnknownAt)) ([]exposure, []UnknownAt) {
	m.once.Do(func() {
		defer func() { m.panicked = recover() }()
		m.found, m.unknown = read()
	})
	if m.panicked != nil {
		panic(m.panicked)
	}
	return m.found, m.unknown
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

	cfnBucket       = "AWS::S3::Bucket"
	cfnBucketPolicy = "AWS::S3::BucketPolicy"
	// cfnPAB and cfnOwnership are the properties of AWS::S3::Bucket that hold its public
	// access block and ownership controls.
	cfnPAB       = "PublicAccessBlockConfiguration"
	cfnOwnership = "OwnershipControls"
)

// s3Cache holds each graph's S3 picture: four checks start from it, and none changes it
// once it is built.
var s3Cache pergraph.Cache[struct{}, *s3Facts]

// collectS3 returns the S3 picture of the graph, built once per graph and shared: callers
// must not modify it.
func collectS3(g *graph.Graph) *s3Facts {
	return s3Cache.Get(g, struct{}{}, func() *s3Facts { return readS3(g) })
}

// readS3 builds the S3 picture from the graph, from every format that declares buckets:
// Terraform's split resources and CloudFormation's AWS::S3::Bucket, which holds its public
// access block and ownership controls as properties of the bucket itself.
func readS3(g *graph.Graph) *s3Facts {
	f := &s3Facts{Unlinked: map[string][]*graph.Resource{}}
	f.collectTerraform(g)
	f.collectCloudFormation(g)
	return f
}

// collectTerraform adds the Terraform buckets and companions. A companion resource
// belongs to a bucket when its bucket argument refers to the bucket resource (bucket =
// aws_s3_bucket.x.id or .bucket), or when it is a literal name equal to the bucket's
// bucket argument. A literal name that matches no bucket in the scan still groups the
// companions that name it, since they configure the same bucket.
func (f *s3Facts) collectTerraform(g *graph.Graph) {
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
			targets := linkedBuckets(g, r, "bucket", byRes)
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
}

// collectCloudFormation adds the CloudFormation buckets and bucket policies. The bucket
// is its own public access block (PublicAccessBlockConfiguration) and ownership control
// (OwnershipControls) when it has those properties; an AWS::S3::BucketPolicy belongs to
// the bucket its Bucket property refers to (Ref), or whose BucketName equals its literal
// Bucket. CloudFormation has no account-level public access block resource, so account
// blocks come only from Terraform in the same scan.
func (f *s3Facts) collectCloudFormation(g *graph.Graph) {
	byRes := map[*graph.Resource]*s3Bucket{}
	byName := map[string][]*s3Bucket{}
	outside := map[string]*s3Bucket{}
	for _, r := range g.Resources(cfnBucket) {
		if r.Format != graph.CloudFormation {
			continue
		}
		b := &s3Bucket{Bucket: r, Scope: r.Scope}
		if r.Get(cfnPAB).Exists() {
			b.Blocks = append(b.Blocks, r)
		}
		if r.Get(cfnOwnership).Exists() {
			b.Ownerships = append(b.Ownerships, r)
		}
		byRes[r] = b
		f.Buckets = append(f.Buckets, b)
		if name, ok := r.Get("BucketName").Str(); ok && name != "" {
			byName[name] = append(byName[name], b)
		}
	}
	for _, r := range g.Resources(cfnBucketPolicy) {
		if r.Format != graph.CloudFormation {
			continue
		}
		var targets []*s3Bucket
		linked := linkedBuckets(g, r, "Bucket", byRes)
		for _, b := range linked {
			// Variants of the policy and the bucket made for an undecided condition
			// only meet when they assume the same about it.
			if sameAssumptions(r, b.Bucket) {
				targets = append(targets, b)
			}
		}
		if len(linked) == 0 {
			name, ok := r.Get("Bucket").Str()
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
			default:
				// A bucket from another stack (a parameter, Fn::ImportValue): the
				// policy is judged on its own.
				b := &s3Bucket{Scope: r.Scope}
				f.Buckets = append(f.Buckets, b)
				targets = []*s3Bucket{b}
			}
		}
		for _, b := range targets {
			b.Policies = append(b.Policies, r)
		}
	}
}

// sameAssumptions reports whether two CloudFormation resources can exist together: a
// resource expanded into variants for undecided conditions names its assumptions in
// Meta["conditions"] ("IsProd=true,HasKey=false"), and two variants that assume the
// opposite about one condition never coexist.
func sameAssumptions(a, b *graph.Resource) bool {
	if a == nil || b == nil {
		return true
	}
	as := map[string]string{}
	for _, kv := range strings.Split(a.Meta["conditions"], ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			as[k] = v
		}
	}
	for _, kv := range strings.Split(b.Meta["conditions"], ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			if w, seen := as[k]; seen && w != v {
				return false
			}
		}
	}
	return true
}

// linkedBuckets returns the buckets the companion r refers to through its attribute
// attr (bucket in Terraform, Bucket in CloudFormation).
func linkedBuckets(g *graph.Graph, r *graph.Resource, attr string, byRes map[*graph.Resource]*s3Bucket) []*s3Bucket {
	var out []*s3Bucket
	seen := map[*s3Bucket]bool{}
	for _, e := range g.Out(r) {
		if len(e.Attr) == 0 || e.Attr[0] != attr {
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

// boolFlag reads a boolean argument whose default is false.
func boolFlag(r *graph.Resource, name string) tri {
	return boolAt(r, graph.P(name))
}

// boolAt reads the boolean at path, false when it is not written.
func boolAt(r *graph.Resource, path graph.Path) tri {
	v := r.Get(path...)
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

// cfnBlockFlags maps the public access block flags, named as Terraform names them, to
// their CloudFormation property names.
var cfnBlockFlags = map[string]string{
	"block_public_acls":       "BlockPublicAcls",
	"block_public_policy":     "BlockPublicPolicy",
	"ignore_public_acls":      "IgnorePublicAcls",
	"restrict_public_buckets": "RestrictPublicBuckets",
}

// flagPath is where the public access block r holds the flag (named as Terraform
// names it): an argument of the Terraform block resource, or a field of a
// CloudFormation bucket's PublicAccessBlockConfiguration.
func flagPath(r *graph.Resource, flag string) graph.Path {
	if ps, ok := blockFlagPaths[flag]; ok {
		if r.Format == graph.CloudFormation {
			return ps.cfn
		}
		return ps.tf
	}
	if r.Format == graph.CloudFormation {
		return graph.P(cfnPAB, cfnBlockFlags[flag])
	}
	return graph.P(flag)
}

// blockFlagPaths holds flagPath's answers for the four flags, built once: the S3 checks
// ask for them for every block and bucket, several times. Like every path, they are
// never modified, so one copy serves every finding.
var blockFlagPaths = func() map[string]struct{ tf, cfn graph.Path } {
	m := map[string]struct{ tf, cfn graph.Path }{}
	for flag, name := range cfnBlockFlags {
		m[flag] = struct{ tf, cfn graph.Path }{graph.P(flag), graph.P(cfnPAB, name)}
	}
	return m
}()

// flagName is the flag's name as written in r's format, for messages.
func flagName(r *graph.Resource, flag string) string {
	if r.Format == graph.CloudFormation {
		return cfnBlockFlags[flag]
	}
	return flag
}

// blockState reads one flag of the public access block r. A flag left out is off in
// both formats: the provider defaults it to false, and CloudFormation sends the whole
// configuration, which replaces the bucket's settings, with the flag false.
func blockState(r *graph.Resource, flag string) (tri, UnknownAt) {
	path := flagPath(r, flag)
	return boolAt(r, path), UnknownAt{Resource: r, Path: path}
}

// blockFlag is the effective state of one public access block flag for b: on when the
// bucket's own block or an account-level block turns it on; unknown when a block that
// could apply has it unknown (including blocks of the same scope whose bucket is
// unknown).
func (f *s3Facts) blockFlag(b *s3Bucket, flag string) setting {
	var s setting
	for _, r := range b.Blocks {
		s.add(blockState(r, flag))
	}
	for _, r := range f.Account {
		s.add(blockState(r, flag))
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

// ownershipState reads whether r (aws_s3_bucket_ownership_controls, or an
// AWS::S3::Bucket with OwnershipControls) disables ACLs.
func ownershipState(r *graph.Resource) (tri, UnknownAt) {
	rulesPath, field := graph.P("rule"), "object_ownership"
	if r.Format == graph.CloudFormation {
		rulesPath, field = graph.P(cfnOwnership, "Rules"), "ObjectOwnership"
	}
	rules := r.Get(rulesPath...)
	if !rules.IsKnown() {
		return triUnknown, UnknownAt{Resource: r, Path: rules.Path()}
	}
	for _, rule := range rules.List() {
		v := rule.Get(field)
		if !v.IsKnown() || !rule.IsKnown() {
			return triUnknown, UnknownAt{Resource: r, Path: v.Path()}
		}
		if s, _ := v.Str(); s == "BucketOwnerEnforced" {
			return triTrue, UnknownAt{Resource: r, Path: v.Path()}
		}
	}
	return triFalse, UnknownAt{Resource: r, Path: rulesPath}
}
