package aws

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// naclDeny is an inbound deny entry of a network ACL, known statically, that matches
// traffic from the whole internet of one or both address families. Network ACL entries
// are evaluated in rule-number order and the first match decides, so such an entry
// closes its ports to every allow entry with a higher number.
type naclDeny struct {
	ruleNo   int64
	proto    netProto
	from, to int
	v4, v6   bool
}

// naclDeniesBefore returns the deny entries of the network ACL of rule r that are
// evaluated before it. For Terraform the entries are the ACL's inline ingress blocks and
// the aws_network_acl_rule resources attached to it; for CloudFormation the
// AWS::EC2::NetworkAclEntry resources of the same ACL. Entries are found through
// references to the ACL or, for entries naming it by a literal ID, through that ID.
func naclDeniesBefore(g *graph.Graph, r ingressRule) []naclDeny {
	if !r.ruleNoOK {
		return nil
	}
	var all []naclDeny
	switch r.res.Type {
	case "aws_network_acl", "aws_default_network_acl":
		all = naclEntryDenies(g, r, []*graph.Resource{r.res}, "network_acl_id", "aws_network_acl_rule", tfNACLRuleEntry)
	case "aws_network_acl_rule":
		acls := g.References(r.res, "aws_network_acl", "aws_default_network_acl")
		all = naclEntryDenies(g, r, acls, "network_acl_id", "aws_network_acl_rule", tfNACLRuleEntry)
	case "AWS::EC2::NetworkAclEntry":
		// NetworkAclId is a Ref to an AWS::EC2::NetworkAcl or, for the default ACL of a
		// VPC, a GetAtt of the VPC's DefaultNetworkAcl: either resource stands for the ACL.
		var acls []*graph.Resource
		for _, e := range g.Out(r.res) {
			if len(e.Attr) > 0 && e.Attr[0] == "NetworkAclId" && !slices.Contains(acls, e.To) {
				acls = append(acls, e.To)
			}
		}
		all = naclEntryDenies(g, r, acls, "NetworkAclId", "AWS::EC2::NetworkAclEntry", cfnNACLEntry)
	}
	var out []naclDeny
	for _, d := range all {
		if d.ruleNo < r.ruleNo {
			out = append(out, d)
		}
	}
	return out
}

// naclEntryDenies returns the world-matching inbound deny entries of the ACLs acls (the
// inline ingress blocks of Terraform ACLs, and the entry resources of entryType that refer
// to them through aclAttr) or, when no ACL resource is known, of the entry resources that
// name the same literal ACL ID as the resource of rule r.
func naclEntryDenies(g *graph.Graph, r ingressRule, acls []*graph.Resource, aclAttr, entryType string, a naclEntryAttrs) []naclDeny {
	var entries []*graph.Resource
	if len(acls) == 0 && r.res.Type == entryType {
		entries = sameLiteralACL(g, r.res, aclAttr)
	}
	var all []naclDeny
	for _, acl := range acls {
		if acl.Format == graph.Terraform {
			for _, b := range acl.Get("ingress").List() {
				if d, ok := naclDenyEntry(acl, b, tfNACLInline); ok {
					all = append(all, d)
				}
			}
		}
		for _, e := range g.ReferencedVia(acl, aclAttr, entryType) {
			if !slices.Contains(entries, e) {
				entries = append(entries, e)
			}
		}
	}
	for _, e := range entries {
		// The rule's own resource, and the other variants of it that CloudFormation
		// conditions make, are not entries before it.
		if e == r.res || (e.Address == r.res.Address && e.Scope == r.res.Scope) {
			continue
		}
		if !assumesNoMoreThan(e, r.res) {
			continue
		}
		egress := e.Get(a.egress)
		if b, ok := egress.Bool(); (ok && b) || (!ok && egress.Exists()) {
			continue
		}
		if d, ok := naclDenyEntry(e, e.Get(), a); ok {
			all = append(all, d)
		}
	}
	return all
}

// assumesNoMoreThan reports whether every condition that variant e of a CloudFormation
// resource assumes is assumed alike by r. Only then does e exist, as it is, wherever r
// does: an entry that is a deny under an assumption r does not make (or that exists only
// when an undecided Condition holds) cannot be relied on to close a port to r.
// Terraform resources assume nothing.
func assumesNoMoreThan(e, r *graph.Resource) bool {
	ec := e.Meta["conditions"]
	if ec == "" {
		return true
	}
	rc := strings.Split(r.Meta["conditions"], ",")
	for _, c := range strings.Split(ec, ",") {
		if !slices.Contains(rc, c) {
			return false
		}
	}
	return true
}

// sameLiteralACL returns the other entry resources of r's type and scope whose aclAttr
// is the same known string as that of r.
func sameLiteralACL(g *graph.Graph, r *graph.Resource, aclAttr string) []*graph.Resource {
	id, ok := r.Get(aclAttr).Str()
	if !ok {
		return nil
	}
	var out []*graph.Resource
	for _, o := range g.Resources(r.Type) {
		if o == r || o.Scope != r.Scope {
			continue
		}
		if oid, ok := o.Get(aclAttr).Str(); ok && oid == id {
			out = append(out, o)
		}
	}
	return out
}

// naclDenyEntry reads the entry whose value is v (an inline block, or the root of an entry
// resource) of r as a world-matching deny entry; it reports false for anything else,
// including entries with values not known statically (an unknown entry cannot be relied
// on to close a port).
func naclDenyEntry(r *graph.Resource, v graph.Value, a naclEntryAttrs) (naclDeny, bool) {
	action, ok := v.Get(a.action).Str()
	if !ok || !strings.EqualFold(strings.TrimSpace(action), "deny") {
		return naclDeny{}, false
	}
	no, ok := v.Get(a.ruleNo).Int()
	if !ok {
		return naclDeny{}, false
	}
	// An entry that matches no world-wide source comes back from readIngressRule without
	// its protocol and ports and with no open source: the loop below then gives it nothing
	// to close, which is right, since it closes no port to the whole internet.
	e := readIngressRule(r, networkACLRule, v, a.spec)
	if len(e.shapeUnknown) > 0 || (e.proto != protoAll && !e.proto.hasPorts()) {
		return naclDeny{}, false
	}
	d := naclDeny{ruleNo: no, proto: e.proto, from: e.from, to: e.to}
	for _, s := range e.open {
		// A deny entry closes a port to the internet only if it matches all of it:
		// denying 128.0.0.0/1 still lets the other half in.
		if !s.full {
			continue
		}
		if strings.Contains(s.cidr, ":") {
			d.v6 = true
		} else {
			d.v4 = true
		}
	}
	return d, d.v4 || d.v6
}

// reachable reports whether some of the ports of service s that the rule allows are
// not closed by earlier deny entries, for some address family the rule is open to.
// When the rule's world-open sources are not known, both families count.
func (r ingressRule) reachable(s netService) bool {
	if len(r.denied) == 0 {
		return true
	}
	lo, hi := max(s.from, r.from), min(s.to, r.to)
	v4, v6 := len(r.open) == 0, len(r.open) == 0
	for _, o := range r.open {
		if strings.Contains(o.cidr, ":") {
			v6 = true
		} else {
			v4 = true
		}
	}
	closed := func(ipv6 bool) bool {
		for _, d := range r.denied {
			if (ipv6 && !d.v6) || (!ipv6 && !d.v4) {
				continue
			}
			if d.proto == protoAll || (d.proto == r.proto && d.from <= lo && d.to >= hi) {
				return true
			}
		}
		return false
	}
	return (v4 && !closed(false)) || (v6 && !closed(true))
}

// reachableServices returns the services of kind within the rule's ports that earlier
// deny entries leave open.
func (r ingressRule) reachableServices(kind netServiceKind) []netService {
	var out []netService
	for _, s := range netServicesIn(r.proto, r.from, r.to, kind) {
		if r.reachable(s) {
			out = append(out, s)
		}
	}
	return out
}
