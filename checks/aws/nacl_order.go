package aws

import (
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
// evaluated before it. The entries are the ACL's inline ingress blocks and the
// aws_network_acl_rule resources attached to it, found through references or, for rules
// naming the ACL by a literal ID, through that ID.
func naclDeniesBefore(g *graph.Graph, r ingressRule) []naclDeny {
	if !r.ruleNoOK {
		return nil
	}
	var acls []*graph.Resource
	var standalone []*graph.Resource
	switch r.res.Type {
	case "aws_network_acl", "aws_default_network_acl":
		acls = []*graph.Resource{r.res}
	case "aws_network_acl_rule":
		acls = g.References(r.res, "aws_network_acl", "aws_default_network_acl")
		if len(acls) == 0 {
			standalone = sameLiteralACL(g, r.res)
		}
	}
	for _, acl := range acls {
		standalone = append(standalone, g.ReferencedVia(acl, "network_acl_id", "aws_network_acl_rule")...)
	}
	var all []naclDeny
	for _, acl := range acls {
		for _, b := range acl.Get("ingress").List() {
			if d, ok := naclDenyEntry(acl, b.Path(), "rule_no", "action"); ok {
				all = append(all, d)
			}
		}
	}
	for _, sr := range standalone {
		if sr == r.res {
			continue
		}
		if egress, ok := sr.Get("egress").Bool(); ok && egress {
			continue
		} else if !ok && sr.Get("egress").Exists() {
			continue
		}
		if d, ok := naclDenyEntry(sr, nil, "rule_number", "rule_action"); ok {
			all = append(all, d)
		}
	}
	var out []naclDeny
	for _, d := range all {
		if d.ruleNo < r.ruleNo {
			out = append(out, d)
		}
	}
	return out
}

// sameLiteralACL returns the other aws_network_acl_rule resources of the same scope
// whose network_acl_id is the same known string as that of r.
func sameLiteralACL(g *graph.Graph, r *graph.Resource) []*graph.Resource {
	id, ok := r.Get("network_acl_id").Str()
	if !ok {
		return nil
	}
	var out []*graph.Resource
	for _, o := range g.Resources("aws_network_acl_rule") {
		if o == r || o.Scope != r.Scope {
			continue
		}
		if oid, ok := o.Get("network_acl_id").Str(); ok && oid == id {
			out = append(out, o)
		}
	}
	return out
}

// naclDenyEntry reads the entry at base as a world-matching deny entry; it reports false
// for anything else, including entries with values not known statically (an unknown
// entry cannot be relied on to close a port).
func naclDenyEntry(r *graph.Resource, base graph.Path, ruleNoAttr, actionAttr string) (naclDeny, bool) {
	at := func(name string) graph.Value { return r.Get(append(append(graph.Path{}, base...), name)...) }
	action, ok := at(actionAttr).Str()
	if !ok || !strings.EqualFold(strings.TrimSpace(action), "deny") {
		return naclDeny{}, false
	}
	no, ok := at(ruleNoAttr).Int()
	if !ok {
		return naclDeny{}, false
	}
	e := readIngressRule(r, networkACLRule, base, naclSpec)
	if len(e.shapeUnknown) > 0 || (e.proto != protoAll && !e.proto.hasPorts()) {
		return naclDeny{}, false
	}
	d := naclDeny{ruleNo: no, proto: e.proto, from: e.from, to: e.to}
	for _, s := range e.open {
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
