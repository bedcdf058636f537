package aws

import (
	"slices"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// netRuleKind says which firewall a rule belongs to: security groups are stateful and
// attached to network interfaces, network ACLs stateless and attached to subnets.
type netRuleKind int

const (
	securityGroupRule netRuleKind = iota + 1
	networkACLRule
)

// netSource is one world-open source of a rule: the CIDR as written and where. full says
// that the rule's sources of this family cover every address of it; split that this
// source is world-open only together with the others of its family, or as a very wide
// block (see worldShare), not as a /0 of its own.
type netSource struct {
	path  graph.Path
	cidr  string
	full  bool
	split bool
}

// ingressRule is the facts about one inbound allow rule that decide its exposure,
// whatever resource type or format it was written in.
type ingressRule struct {
	res  *graph.Resource
	kind netRuleKind
	// path is the rule within the resource (ingress[2]), empty for a resource that is one
	// rule (aws_security_group_rule).
	path graph.Path
	// proto, from and to are meaningful when shapeUnknown is empty; from/to only when
	// proto has ports.
	proto    netProto
	from, to int
	// open lists the world-open sources known statically.
	open []netSource
	// unknownSources are source attributes whose value is not known statically: the rule
	// may be world-open through them.
	unknownSources []graph.Path
	// shapePaths are where the protocol and ports were read, for their origins.
	shapePaths []graph.Path
	// shapeUnknown are protocol or port values not known statically; the flags say
	// which.
	shapeUnknown                         []graph.Path
	protoUnknown, fromUnknown, toUnknown bool
	// gateUnknown is a value that decides whether this is an inbound allow rule at all
	// (type, egress, action) and is not known statically.
	gateUnknown graph.Path
	// ruleNo orders network ACL entries (rule_no, rule_number); ruleNoOK says it is known.
	ruleNo   int64
	ruleNoOK bool
	// denied lists the world-matching deny entries of the same network ACL that are
	// evaluated before this rule: the traffic they match never reaches it.
	denied []naclDeny
	// merged are other rules of the same network ACL with the same exposure, reported
	// with this one (see mergeNACLAllTraffic).
	merged []ingressRule
}

// mayBeOpen reports whether the rule is, or may be, open to the world.
func (r ingressRule) mayBeOpen() bool { return len(r.open) > 0 || len(r.unknownSources) > 0 }

// firstUnknown is where an undecided verdict on the rule points: the first value, in the
// order gate, protocol and ports, sources, that is not known statically and keeps the
// decision open.
func (r ingressRule) firstUnknown() graph.Path {
	switch {
	case r.gateUnknown != nil:
		return r.gateUnknown
	case len(r.shapeUnknown) > 0:
		return r.shapeUnknown[0]
	case len(r.open) == 0 && len(r.unknownSources) > 0:
		return r.unknownSources[0]
	}
	return nil
}

// openText renders the world-open sources: "0.0.0.0/0 and ::/0", or for sources that
// are world-open only together, "0.0.0.0/1 and 128.0.0.0/1 (together every IPv4
// address)".
func (r ingressRule) openText() string {
	var parts []string
	for _, v6 := range []bool{false, true} {
		var cidrs []string
		seen := map[string]bool{}
		split, full := false, false
		for _, s := range r.open {
			if strings.Contains(s.cidr, ":") != v6 {
				continue
			}
			split, full = split || s.split, s.full
			c := strings.TrimSpace(s.cidr)
			if !seen[c] {
				seen[c] = true
				cidrs = append(cidrs, c)
			}
		}
		if len(cidrs) == 0 {
			continue
		}
		text := netJoinAnd(cidrs)
		fam := "IPv4"
		if v6 {
			fam = "IPv6"
		}
		switch {
		case split && full:
			text += " (together every " + fam + " address)"
		case split:
			text += " (at least a sixteenth of all " + fam + " addresses)"
		}
		parts = append(parts, text)
	}
	return netJoinAnd(parts)
}

// securityGroupTypes and networkACLTypes are the resource types rules are read from.
var (
	securityGroupTypes = []string{
		"aws_security_group", "aws_default_security_group",
		"aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
		"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
	}
	networkACLTypes = []string{
		"aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule",
		"AWS::EC2::NetworkAclEntry",
	}
)

// ingressRules returns the inbound allow rules of kind, of the resources of types in the
// graph, that are or may be open to the world (mayBeOpen): the only rules the open-network
// checks judge. They come in resource order and, within a resource, in rule order.
func ingressRules(g *graph.Graph, kind netRuleKind, types []string) []ingressRule {
	var out []ingressRule
	for _, r := range g.Resources(types...) {
		var rules []ingressRule
		switch r.Format {
		case graph.Terraform:
			rules = terraformIngressRules(r)
			for i := range rules {
				if rules[i].wholeRule() {
					// The reasons of a whole unknown rule list say nothing about
					// its sources alone.
					continue
				}
				rules[i].unknownSources = slices.DeleteFunc(rules[i].unknownSources, func(p graph.Path) bool {
					return tfVPCAddressRange(r, p)
				})
			}
		case graph.CloudFormation:
			rules = cloudFormationIngressRules(r)
			for i := range rules {
				rules[i].unknownSources = slices.DeleteFunc(rules[i].unknownSources, func(p graph.Path) bool {
					return cfnVPCAddressRange(g, r, p)
				})
			}
		}
		for _, rule := range rules {
			if rule.kind != kind || !rule.mayBeOpen() {
				continue
			}
			if rule.kind == networkACLRule {
				rule.denied = naclDeniesBefore(g, rule)
			}
			out = append(out, rule.clipped())
		}
	}
	return slices.Clip(out)
}

// clipped returns r with every list capped at its length. The rules are shared by the
// checks (sharedIngressRules), so a check that appends to a rule's list gets a new
// backing array rather than writing into the shared one's spare room.
func (r ingressRule) clipped() ingressRule {
	r.path = slices.Clip(r.path)
	r.open = slices.Clip(r.open)
	r.unknownSources = slices.Clip(r.unknownSources)
	r.shapePaths = slices.Clip(r.shapePaths)
	r.shapeUnknown = slices.Clip(r.shapeUnknown)
	r.gateUnknown = slices.Clip(r.gateUnknown)
	r.denied = slices.Clip(r.denied)
	r.merged = slices.Clip(r.merged)
	return r
}

// netRuleSpec names where a rule type keeps its protocol, port range and CIDR sources,
// relative to the rule.
type netRuleSpec struct {
	proto, from, to graph.Path
	sources         []graph.Path
}

var (
	sgBlockSpec = netRuleSpec{
		graph.P("protocol"), graph.P("from_port"), graph.P("to_port"),
		[]graph.Path{graph.P("cidr_blocks"), graph.P("ipv6_cidr_blocks")},
	}
	sgVPCRuleSpec = netRuleSpec{
		graph.P("ip_protocol"), graph.P("from_port"), graph.P("to_port"),
		[]graph.Path{graph.P("cidr_ipv4"), graph.P("cidr_ipv6")},
	}
	naclSpec = netRuleSpec{
		graph.P("protocol"), graph.P("from_port"), graph.P("to_port"),
		[]graph.Path{graph.P("cidr_block"), graph.P("ipv6_cidr_block")},
	}
	// cfnSGSpec reads an entry of SecurityGroupIngress and AWS::EC2::SecurityGroupIngress.
	// SourcePrefixListId, SourceSecurityGroupId and SourceSecurityGroupName name managed
	// sources, never the whole internet, so they are not read.
	cfnSGSpec = netRuleSpec{
		graph.P("IpProtocol"), graph.P("FromPort"), graph.P("ToPort"),
		[]graph.Path{graph.P("CidrIp"), graph.P("CidrIpv6")},
	}
	cfnNACLSpec = netRuleSpec{
		graph.P("Protocol"), graph.P("PortRange", "From"), graph.P("PortRange", "To"),
		[]graph.Path{graph.P("CidrBlock"), graph.P("Ipv6CidrBlock")},
	}
)

// terraformIngressRules extracts the inbound allow rules of one Terraform resource.
func terraformIngressRules(r *graph.Resource) []ingressRule {
	switch r.Type {
	case "aws_security_group", "aws_default_security_group":
		// Inline ingress blocks, dynamic blocks (expanded by the parser) and the
		// attribute syntax ingress = [{...}] all arrive as a list of objects.
		return ingressBlockRules(r, "ingress", securityGroupRule, sgBlockSpec, "")
	case "aws_network_acl", "aws_default_network_acl":
		return ingressBlockRules(r, "ingress", networkACLRule, naclSpec, tfNACLInline.action)
	case "aws_security_group_rule":
		rule := readIngressRule(r, securityGroupRule, r.Get(), sgBlockSpec)
		t := r.Get("type")
		if !t.IsKnown() {
			rule.gateUnknown = t.Path()
		} else if s, _ := t.Str(); !strings.EqualFold(strings.TrimSpace(s), "ingress") {
			return nil
		}
		return []ingressRule{rule}
	case "aws_vpc_security_group_ingress_rule":
		return []ingressRule{readIngressRule(r, securityGroupRule, r.Get(), sgVPCRuleSpec)}
	case "aws_network_acl_rule":
		return naclEntryRule(r, tfNACLRuleEntry)
	}
	return nil
}

// cloudFormationIngressRules extracts the inbound allow rules of one CloudFormation
// resource. AWS::EC2::NetworkAcl holds no entries itself: each is an
// AWS::EC2::NetworkAclEntry.
func cloudFormationIngressRules(r *graph.Resource) []ingressRule {
	switch r.Type {
	case "AWS::EC2::SecurityGroup":
		return ingressBlockRules(r, "SecurityGroupIngress", securityGroupRule, cfnSGSpec, "")
	case "AWS::EC2::SecurityGroupIngress":
		return []ingressRule{readIngressRule(r, securityGroupRule, r.Get(), cfnSGSpec)}
	case "AWS::EC2::NetworkAclEntry":
		return naclEntryRule(r, cfnNACLEntry)
	}
	return nil
}

// cfnVPCRangeAttrs names, per CloudFormation resource type, the Fn::GetAtt attributes that
// hold a VPC's or subnet's own addresses: AWS allows VPC blocks from /16 to /28 (IPv4) and
// /44 to /60 (IPv6), and subnets are narrower still, so none of them is world-open.
// Ipv6CidrBlocks is a list; a rule picks one element with Fn::Select.
var cfnVPCRangeAttrs = map[string][]string{
	"AWS::EC2::VPC":    {"CidrBlock", "Ipv6CidrBlocks"},
	"AWS::EC2::Subnet": {"CidrBlock", "Ipv6CidrBlocks"},
}

// cfnVPCAddressRange reports whether the source at p of a CloudFormation resource, not
// known statically, is known to be a VPC or subnet range: it is made only from the
// address attributes of such resources (CidrIp: !GetAtt VPC.CidrBlock, the most common
// source of all, or a subnet of it picked with Fn::Select and Fn::Cidr). Every reason the
// parser gives for the value must name one of those attributes; any other unknown input
// (a parameter without a default, an imported value, another attribute of the VPC) keeps
// the source undecided.
func cfnVPCAddressRange(g *graph.Graph, r *graph.Resource, p graph.Path) bool {
	var names []string
	for _, e := range g.Out(r) {
		if e.Attr.String() != p.String() {
			continue
		}
		attrs, ok := cfnVPCRangeAttrs[e.To.Type]
		if !ok {
			return false
		}
		for _, a := range attrs {
			names = append(names, e.To.Address+"."+a+" ")
		}
	}
	if len(names) == 0 {
		return false
	}
	info := r.AttrInfo(p)
	if info == nil || len(info.Unknown) == 0 {
		return false
	}
	for _, why := range info.Unknown {
		if why == "Fn::Cidr is not evaluated" {
			continue
		}
		if !slices.ContainsFunc(names, func(name string) bool { return strings.HasPrefix(why, name) }) {
			return false
		}
	}
	return true
}

// naclEntryAttrs names the attributes of a network ACL entry written as a resource of its
// own (aws_network_acl_rule, AWS::EC2::NetworkAclEntry) or as an inline block (egress
// empty: inline blocks are inbound by being under ingress).
type naclEntryAttrs struct {
	ruleNo, action, egress string
	spec                   netRuleSpec
}

var (
	tfNACLInline    = naclEntryAttrs{"rule_no", "action", "", naclSpec}
	tfNACLRuleEntry = naclEntryAttrs{"rule_number", "rule_action", "egress", naclSpec}
	cfnNACLEntry    = naclEntryAttrs{"RuleNumber", "RuleAction", "Egress", cfnNACLSpec}
)

// naclEntryRule reads a network ACL entry resource as an inbound allow rule, or nothing
// when it is known to be outbound or a deny.
func naclEntryRule(r *graph.Resource, a naclEntryAttrs) []ingressRule {
	rule := readIngressRule(r, networkACLRule, r.Get(), a.spec)
	rule.ruleNo, rule.ruleNoOK = r.Get(a.ruleNo).Int()
	// Egress defaults to false in both formats: an entry without it is inbound.
	egress := r.Get(a.egress)
	if !egress.IsKnown() {
		rule.gateUnknown = egress.Path()
	} else if b, ok := egress.Bool(); ok && b {
		return nil
	}
	if !netGateAllows(&rule, r.Get(a.action)) {
		return nil
	}
	return []ingressRule{rule}
}

// netGateAllows reads a NACL rule action: it reports false for a known action other than
// allow, and records an unknown action on the rule.
func netGateAllows(rule *ingressRule, action graph.Value) bool {
	if !action.IsKnown() {
		if rule.gateUnknown == nil {
			rule.gateUnknown = action.Path()
		}
		return true
	}
	s, ok := action.Str()
	return ok && strings.EqualFold(strings.TrimSpace(s), "allow")
}

// ingressBlockRules reads the inbound rules listed under key of a security group or network
// ACL, keeping only those that may be open to the world: ingressRules keeps no others, and
// dropping them here saves reading their other fields. When action is set,
// blocks whose action is not allow are skipped.
func ingressBlockRules(r *graph.Resource, key string, kind netRuleKind, spec netRuleSpec, action string) []ingressRule {
	blocks := r.Get(key)
	if !blocks.IsKnown() {
		// The whole list is unknown (ingress = var.rules without a value, a dynamic
		// block over an unknown collection): any rule may be in it.
		p := blocks.Path()
		return []ingressRule{wholeRuleUnknown(r, kind, p)}
	}
	var out []ingressRule
	for _, b := range blocks.List() {
		if !b.IsKnown() {
			p := b.Path()
			out = append(out, wholeRuleUnknown(r, kind, p))
			continue
		}
		rule := readIngressRule(r, kind, b, spec)
		if !rule.mayBeOpen() {
			continue
		}
		if kind == networkACLRule {
			rule.ruleNo, rule.ruleNoOK = b.Get(tfNACLInline.ruleNo).Int()
		}
		if action != "" && !netGateAllows(&rule, b.Get(action)) {
			continue
		}
		out = append(out, rule)
	}
	return out
}

// wholeRule reports whether r stands for a rule, or list of rules, of which nothing is
// known (see wholeRuleUnknown).
func (r ingressRule) wholeRule() bool {
	return len(r.unknownSources) == 1 && r.unknownSources[0].String() == r.path.String()
}

// wholeRuleUnknown is a rule (or list of rules) at p of which nothing is known.
func wholeRuleUnknown(r *graph.Resource, kind netRuleKind, p graph.Path) ingressRule {
	return ingressRule{
		res: r, kind: kind, path: p,
		shapeUnknown: []graph.Path{p}, unknownSources: []graph.Path{p},
		protoUnknown: true, fromUnknown: true, toUnknown: true,
	}
}

// readIngressRule reads the world-open sources, protocol and ports of the rule whose value
// is v (the resource's root for a resource that is one rule). Values are read from v rather
// than from the resource's root: each step of a path costs a copy of the path so far. A
// rule that cannot be open (no world-open and no unknown source) is returned without its
// protocol and ports, which no check then looks at (see ingressRules).
func readIngressRule(r *graph.Resource, kind netRuleKind, v graph.Value, spec netRuleSpec) ingressRule {
	rule := ingressRule{res: r, kind: kind, path: v.Path()}

	// The world-open sources are decided over all the rule's CIDRs at once, so that
	// split blocks (0.0.0.0/1 and 128.0.0.0/1) count as the whole internet they cover.
	// A rule names a few CIDRs: they are gathered on the stack.
	var buf [4]netCIDRSource
	cands := buf[:0]
	add := func(v graph.Value) {
		if s, ok := v.Str(); ok {
			if p, ok := parseNetCIDR(s); ok {
				cands = append(cands, netCIDRSource{path: v.Path(), cidr: s, prefix: p})
			}
		}
	}
	for _, src := range spec.sources {
		sv := v.Get(src...)
		if !sv.IsKnown() {
			rule.unknownSources = append(rule.unknownSources, sv.Path())
			continue
		}
		if _, ok := sv.Str(); ok {
			add(sv)
			continue
		}
		for _, e := range sv.List() {
			if !e.IsKnown() {
				rule.unknownSources = append(rule.unknownSources, e.Path())
				continue
			}
			add(e)
		}
	}
	if len(cands) > 0 {
		rule.open = worldSources(cands)
	}
	if !rule.mayBeOpen() {
		return rule
	}

	pv := v.Get(spec.proto...)
	rule.shapePaths = append(rule.shapePaths, pv.Path())
	if !pv.IsKnown() {
		rule.protoUnknown = true
		rule.shapeUnknown = append(rule.shapeUnknown, pv.Path())
	} else if s, ok := pv.Str(); ok {
		rule.proto = parseNetProto(s)
	}
	if rule.proto.hasPorts() || rule.protoUnknown {
		fv, tv := v.Get(spec.from...), v.Get(spec.to...)
		rule.shapePaths = append(rule.shapePaths, fv.Path(), tv.Path())
		rule.fromUnknown, rule.toUnknown = !fv.IsKnown(), !tv.IsKnown()
		if rule.fromUnknown {
			rule.shapeUnknown = append(rule.shapeUnknown, fv.Path())
		}
		if rule.toUnknown {
			rule.shapeUnknown = append(rule.shapeUnknown, tv.Path())
		}
		from, fromOK := readNetPort(fv)
		to, toOK := readNetPort(tv)
		rule.from, rule.to = from, to
		if (!fromOK && !rule.fromUnknown) || (!toOK && !rule.toUnknown) || (fromOK && toOK && from > to) {
			// Absent or impossible ports: AWS rejects a TCP/UDP rule like that, so
			// only the all-protocols reading of an unknown protocol remains.
			if rule.protoUnknown {
				rule.fromUnknown, rule.toUnknown = false, false
				rule.from, rule.to = 0, 0
			} else {
				rule.proto = protoNone
			}
		}
	}
	return rule
}

// readNetPort reads one port when it is known and a valid port number (not the -1 that
// ICMP and all-protocol rules carry).
func readNetPort(v graph.Value) (int, bool) {
	n, ok := v.Int()
	if !ok || n < 0 || n > 65535 {
		return 0, false
	}
	return int(n), true
}
