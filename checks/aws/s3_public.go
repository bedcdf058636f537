package aws

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// exposure is one way a bucket is open to the public: the attribute that opens it and
// what it lets strangers do.
type exposure struct {
	Resource *graph.Resource
	Path     graph.Path
	Message  string
	Related  []graph.Related
}

// cannedPublic maps the canned ACLs that grant access beyond the owner's account to what
// they let others do, as Terraform (acl) and CloudFormation (AccessControl) spell them.
var cannedPublic = map[string]string{
	"public-read":        aclPublicRead,
	"public-read-write":  aclPublicReadWrite,
	"authenticated-read": aclAuthenticatedRead,
	"PublicRead":         aclPublicRead,
	"PublicReadWrite":    aclPublicReadWrite,
	"AuthenticatedRead":  aclAuthenticatedRead,
}

const (
	aclPublicRead        = "lets anyone on the internet list the bucket's objects"
	aclPublicReadWrite   = "lets anyone on the internet list the bucket and create, overwrite or delete objects in it"
	aclAuthenticatedRead = "lets every AWS account in the world, not only yours, list the bucket's objects"
)

// publicGroups maps the S3 predefined groups that mean "everyone" to who that is.
var publicGroups = []struct{ suffix, name, who string }{
	{"/global/AllUsers", "AllUsers", "anyone on the internet"},
	{"/global/AuthenticatedUsers", "AuthenticatedUsers", "every AWS account in the world, not only yours,"},
}

// grantEffect says what an ACL permission on a bucket allows.
var grantEffect = map[string]string{
	"READ":         "list the bucket's objects",
	"WRITE":        "create, overwrite or delete objects in the bucket",
	"READ_ACP":     "read the bucket's ACL",
	"WRITE_ACP":    "change the bucket's ACL and so grant themselves anything",
	"FULL_CONTROL": "list, write and re-grant the bucket",
}

// aclExposures returns the public ACL grants of b that take effect, and the unknown
// values that keep the decision open. A grant has no effect when ownership controls
// disable ACLs (BucketOwnerEnforced) or a public access block sets ignore_public_acls.
func (f *s3Facts) aclExposures(b *s3Bucket) ([]exposure, []UnknownAt) {
	var cands []exposure
	var unknown []UnknownAt
	if r := b.Bucket; r != nil && r.Format == graph.CloudFormation {
		// CloudFormation has only the canned ACL; grants to other accounts are
		// written in a bucket policy.
		cannedACL(r, graph.P("AccessControl"), &cands, &unknown)
	} else if r != nil {
		cannedACL(r, graph.P("acl"), &cands, &unknown)
		grants := r.Get("grant")
		if !grants.IsKnown() {
			unknown = append(unknown, UnknownAt{Resource: r, Path: grants.Path()})
		}
		for _, g := range grants.List() {
			grantACL(r, g, g.Get("type"), g.Get("uri"), g.Get("permissions"), &cands, &unknown)
		}
	}
	for _, r := range b.ACLs {
		cannedACL(r, graph.P("acl"), &cands, &unknown)
		acp := r.Get("access_control_policy")
		if !acp.IsKnown() {
			unknown = append(unknown, UnknownAt{Resource: r, Path: acp.Path()})
		}
		for _, pol := range acp.List() {
			grants := pol.Get("grant")
			if !grants.IsKnown() {
				unknown = append(unknown, UnknownAt{Resource: r, Path: grants.Path()})
			}
			for _, g := range grants.List() {
				grantee := g.Get("grantee")
				if !grantee.IsKnown() {
					unknown = append(unknown, UnknownAt{Resource: r, Path: grantee.Path()})
				}
				for _, ge := range grantee.List() {
					grantACL(r, g, ge.Get("type"), ge.Get("uri"), g.Get("permission"), &cands, &unknown)
				}
			}
		}
	}
	if len(cands) == 0 && len(unknown) == 0 {
		return nil, nil
	}
	own := f.ownershipEnforced(b)
	ignore := f.blockFlag(b, "ignore_public_acls")
	if own.State == triTrue || ignore.State == triTrue {
		return nil, nil
	}
	if len(cands) == 0 {
		return nil, unknown
	}
	if own.State == triUnknown || ignore.State == triUnknown {
		// A public grant is known; only the settings that could neutralize it are open.
		return nil, append(own.Unknown, ignore.Unknown...)
	}
	rel := offRelated(ignore, "ignore_public_acls", "so the ACL takes effect")
	for i := range cands {
		cands[i].Related = append(bucketRelated(b, cands[i].Resource), rel...)
	}
	// The bucket is decided public by ACL: an unknown grant or ACL beside the public one
	// cannot undo that.
	return cands, nil
}

// bucketRelated points at the bucket when the finding is on a companion resource, so that
// the report names the bucket that is public.
func bucketRelated(b *s3Bucket, on *graph.Resource) []graph.Related {
	if b.Bucket == nil || b.Bucket == on {
		return nil
	}
	return []graph.Related{{Range: b.Bucket.RangeOf(), Message: "the bucket it applies to"}}
}

// offRelated points at the bucket-level public access block flags written as false, to
// show why a public grant takes effect.
func offRelated(s setting, flag, why string) []graph.Related {
	var out []graph.Related
	for _, at := range s.Off {
		r := at.Resource
		if (r.Type == tfBucketPAB || r.Type == cfnBucket) && r.Get(at.Path...).Exists() {
			out = append(out, graph.Related{Range: r.RangeOf(at.Path...), Message: flagName(r, flag) + " is false here, " + why})
		}
	}
	return out
}

func cannedACL(r *graph.Resource, path graph.Path, cands *[]exposure, unknown *[]UnknownAt) {
	v := r.Get(path...)
	if !v.Exists() {
		return
	}
	if !v.IsKnown() {
		*unknown = append(*unknown, UnknownAt{Resource: r, Path: path})
		return
	}
	acl, _ := v.Str()
	if effect, ok := cannedPublic[acl]; ok {
		// Name the setting as the file does: a CloudFormation user knows AccessControl.
		name := "ACL"
		if r.Format == graph.CloudFormation {
			name = "AccessControl"
		}
		*cands = append(*cands, exposure{Resource: r, Path: path, Message: fmt.Sprintf("%s %q %s", name, acl, effect)})
	}
}

// grantACL judges one grant: public when its grantee is the AllUsers or
// AuthenticatedUsers group, whatever the permission.
func grantACL(r *graph.Resource, grant, typ, uri, perm graph.Value, cands *[]exposure, unknown *[]UnknownAt) {
	if t, ok := typ.Str(); ok && t != "Group" {
		return
	}
	if !grant.IsKnown() || !uri.IsKnown() || !typ.IsKnown() {
		*unknown = append(*unknown, UnknownAt{Resource: r, Path: uri.Path()})
		return
	}
	u, _ := uri.Str()
	for _, g := range publicGroups {
		if !strings.HasSuffix(u, g.suffix) {
			continue
		}
		perms := perm.Strings()
		what := "access the bucket"
		if len(perms) > 0 {
			var effects []string
			for _, p := range perms {
				if e, ok := grantEffect[p]; ok {
					effects = append(effects, e)
				}
			}
			if len(effects) > 0 {
				what = strings.Join(effects, " and ")
			}
		}
		permText := strings.Join(perms, ", ")
		if permText == "" {
			permText = "access"
		}
		*cands = append(*cands, exposure{
			Resource: r, Path: uri.Path(),
			Message: fmt.Sprintf("grant of %s to the %s group lets %s %s", permText, g.name, g.who, what),
		})
		return
	}
}

// policyExposures returns the bucket policies of b with a public statement that takes
// effect, and the unknown values that keep the decision open. A public policy has no
// effect when a public access block sets restrict_public_buckets.
// They are read once per bucket and shared: callers must not modify them.
func (f *s3Facts) policyExposures(g *graph.Graph, b *s3Bucket) ([]exposure, []UnknownAt) {
	return b.policy.get(func() ([]exposure, []UnknownAt) { return f.readPolicyExposures(g, b) })
}

// readPolicyExposures is policyExposures, read afresh.
func (f *s3Facts) readPolicyExposures(g *graph.Graph, b *s3Bucket) ([]exposure, []UnknownAt) {
	var srcs []*graph.Resource
	if b.Bucket != nil {
		srcs = append(srcs, b.Bucket)
	}
	srcs = append(srcs, b.Policies...)
	var cands []exposure
	var unknown []UnknownAt
	for _, r := range srcs {
		attr := graph.P("policy")
		if r.Format == graph.CloudFormation {
			attr = graph.P("PolicyDocument")
		}
		if !r.Get(attr...).Exists() {
			continue
		}
		pol := PolicyAt(g, r, attr)
		var public []Statement
		var open []UnknownAt
		for _, st := range pol.Statements {
			pub, und := st.Public()
			if pub {
				public = append(public, st)
			}
			open = append(open, und...)
		}
		if len(public) == 0 {
			unknown = append(unknown, append(pol.Unknown, open...)...)
			continue
		}
		// One public statement decides the policy: what else in it is unknown (other
		// statements, documents merged in) cannot make it less public.
		st := public[0]
		who := `any principal ("*")`
		if st.NotPrincipal {
			who = "every principal except those in NotPrincipal"
		}
		msg := fmt.Sprintf("policy %s allows %s to %s %s, so anyone on the internet can use it", st.Describe(), st.ActionSummary(), who, st.CallerLimitText())
		switch n := len(public) - 1; {
		case n == 1:
			msg += " (and 1 more public statement)"
		case n > 1:
			msg += fmt.Sprintf(" (and %d more public statements)", n)
		}
		// A statement written in the resource itself (a CloudFormation PolicyDocument)
		// is located exactly: the finding points at its principal. A JSON string has no
		// inner positions, so the finding points at the policy attribute.
		at := attr
		if st.Source == r {
			at = publicPrincipalPath(r, st)
		}
		var rel []graph.Related
		for i, s := range public {
			if s.Source != nil && (i != 0 || s.Source != r) {
				rel = append(rel, graph.Related{Range: s.Source.RangeOf(s.Path...), Message: "public " + s.Describe() + " written here"})
			}
		}
		cands = append(cands, exposure{Resource: r, Path: at, Message: msg, Related: rel})
	}
	if len(cands) == 0 && len(unknown) == 0 {
		return nil, nil
	}
	restrict := f.blockFlag(b, "restrict_public_buckets")
	if restrict.State == triTrue {
		return nil, nil
	}
	if len(cands) == 0 {
		return nil, unknown
	}
	if restrict.State == triUnknown {
		// Only the flag keeps the decision open: the policies are public.
		return nil, restrict.Unknown
	}
	rel := offRelated(restrict, "restrict_public_buckets", "so the policy takes effect")
	for i := range cands {
		cands[i].Related = append(append(cands[i].Related, bucketRelated(b, cands[i].Resource)...), rel...)
	}
	// The bucket is decided public; another policy of it that is unknown cannot change
	// that, and listing it as undecided too would contradict the finding.
	return cands, nil
}

// publicPrincipalPath locates what makes a statement written in r public: the "*"
// among its principals, or its NotPrincipal as a whole.
func publicPrincipalPath(r *graph.Resource, st Statement) graph.Path {
	if st.NotPrincipal {
		return st.Path.Child("NotPrincipal")
	}
	p := st.Path.Child("Principal")
	v := r.Get(p...)
	for _, typ := range v.Keys() {
		ids := v.Get(typ)
		if s, ok := ids.Str(); ok && s == "*" {
			return ids.Path()
		}
		for _, e := range ids.List() {
			if s, ok := e.Str(); ok && s == "*" {
				return e.Path()
			}
		}
	}
	return p
}
