package aws

import (
	"fmt"

	"github.com/iacscan/iacscan/parser/graph"
)

// onDefaultNACL reports whether rule r belongs to the default network ACL of a VPC:
// Terraform aws_default_network_acl, an aws_network_acl_rule attached to it or to a VPC's
// default_network_acl_id, or a CloudFormation entry whose NetworkAclId is a VPC's
// DefaultNetworkAcl. A VPC's only ACL-valued attribute is its default ACL, so a reference
// to a VPC from the ACL attribute is one to the default ACL.
func onDefaultNACL(g *graph.Graph, r ingressRule) bool {
	attr := ""
	switch r.res.Type {
	case "aws_default_network_acl":
		return true
	case "aws_network_acl_rule":
		attr = "network_acl_id"
	case "AWS::EC2::NetworkAclEntry":
		attr = "NetworkAclId"
	default:
		return false
	}
	for _, e := range g.Out(r.res) {
		if len(e.Attr) == 0 || e.Attr[0] != attr {
			continue
		}
		switch e.To.Type {
		case "aws_default_network_acl", "aws_vpc", "AWS::EC2::VPC":
			return true
		}
	}
	return false
}

// ownerKey identifies the security group or network ACL a rule belongs to: the resource
// itself for inline rules, the group or ACL a rule resource refers to, or the literal ID
// it names. A rule whose owner cannot be identified is its own key. Conditions are part
// of the key: variants of CloudFormation resources under different assumptions are
// judged apart, and the engine merges their identical findings.
func ownerKey(g *graph.Graph, r ingressRule) string {
	cond := "\x00" + r.res.Meta["conditions"]
	own := r.res.Scope + "\x00" + r.res.Address + cond
	attr, _ := ruleOwnerAttr(r.res.Type)
	if attr == "" {
		return own
	}
	for _, e := range g.Out(r.res) {
		if len(e.Attr) > 0 && e.Attr[0] == attr {
			return e.To.Scope + "\x00" + e.To.Address + cond
		}
	}
	if id, ok := r.res.Get(attr).Str(); ok {
		return r.res.Scope + "\x00literal\x00" + id + cond
	}
	return own
}

// mergeSameExposure groups the reported entries of one network ACL that open the same
// protocol and ports, typically rule 100 for 0.0.0.0/0 and rule 101 for ::/0 (an entry
// takes one CIDR): they are one exposure, so they make one finding. The rule evaluated first (lowest known
// network ACL rule number, else the first written) carries it, with the union of the
// sources; the others become related locations. Groups keep the order of their first
// rule.
func mergeSameExposure(g *graph.Graph, rules []ingressRule) []ingressRule {
	var keys []string
	groups := map[string][]ingressRule{}
	for _, r := range rules {
		k := fmt.Sprintf("%s\x00%d\x00%d\x00%d", ownerKey(g, r), r.proto, r.from, r.to)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	var out []ingressRule
	for _, k := range keys {
		grp := groups[k]
		first := 0
		for i, r := range grp {
			if r.ruleNoOK && (!grp[first].ruleNoOK || r.ruleNo < grp[first].ruleNo) {
				first = i
			}
		}
		lead := grp[first]
		lead.open = append([]netSource(nil), lead.open...)
		for i, r := range grp {
			if i == first {
				continue
			}
			lead.open = append(lead.open, r.open...)
			lead.merged = append(lead.merged, r)
		}
		out = append(out, lead)
	}
	return out
}

// mergedRelated names the rules merged into r's finding.
func (r ingressRule) mergedRelated() []graph.Related {
	var rel []graph.Related
	for _, m := range r.merged {
		what, owner := "another rule", "security group"
		if m.kind == networkACLRule {
			what, owner = "another entry", "network ACL"
			if m.ruleNoOK {
				what = fmt.Sprintf("rule %d", m.ruleNo)
			}
		}
		rel = append(rel, graph.Related{
			Range:   m.res.RangeOf(m.open[0].path...),
			Message: fmt.Sprintf("%s of the same %s allows the same traffic from %s", what, owner, m.openText()),
		})
	}
	return rel
}
