package aws

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

func netRes(typ string, attrs map[string]cty.Value) *graph.Resource {
	return &graph.Resource{
		Format: graph.Terraform, Type: typ, Address: typ + ".x",
		Attrs: cty.ObjectVal(attrs),
		Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 1, Column: 1}},
	}
}

func netStrs(ss ...string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	var vs []cty.Value
	for _, s := range ss {
		vs = append(vs, cty.StringVal(s))
	}
	return cty.ListVal(vs)
}

func netSGBlock(proto string, from, to int64, cidrs ...string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"protocol":         cty.StringVal(proto),
		"from_port":        cty.NumberIntVal(from),
		"to_port":          cty.NumberIntVal(to),
		"cidr_blocks":      netStrs(cidrs...),
		"ipv6_cidr_blocks": cty.NullVal(cty.List(cty.String)),
	})
}

func netSG(blocks ...cty.Value) *graph.Resource {
	return netRes("aws_security_group", map[string]cty.Value{"ingress": cty.TupleVal(blocks)})
}

// netOutcomes runs every network check over rs and renders what they said as
// "<check-id> <path>" for findings and "undecided <check-id> <path>".
func netOutcomes(t *testing.T, rs ...*graph.Resource) []string {
	t.Helper()
	g := graph.New(rs)
	var out []string
	for _, c := range networkChecks() {
		p := check.NewPass(g)
		c.Run(p)
		for _, f := range p.Findings() {
			if f.Message == "" {
				t.Errorf("%s: empty message", c.ID)
			}
			out = append(out, c.ID+" "+f.Path.String())
		}
		for _, u := range p.Undecideds() {
			out = append(out, "undecided "+c.ID+" "+u.Path.String())
		}
	}
	sort.Strings(out)
	return out
}

func expectNetOutcomes(t *testing.T, got []string, want ...string) {
	t.Helper()
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestEachWorldOpenRuleHasOneMostSpecificFinding(t *testing.T) {
	cases := []struct {
		name string
		rule cty.Value
		want []string
	}{
		{"all protocols", netSGBlock("-1", 0, 0, "0.0.0.0/0"), []string{"aws-ec2-sg-open-all-ports ingress[0].cidr_blocks[0]"}},
		{"all spelled out", netSGBlock("all", 0, 0, "0.0.0.0/0"), []string{"aws-ec2-sg-open-all-ports ingress[0].cidr_blocks[0]"}},
		{"every tcp port", netSGBlock("tcp", 0, 65535, "0.0.0.0/0"), []string{"aws-ec2-sg-open-all-ports ingress[0].cidr_blocks[0]"}},
		{"ssh", netSGBlock("tcp", 22, 22, "0.0.0.0/0"), []string{"aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]"}},
		{"ssh by protocol number", netSGBlock("6", 22, 22, "0.0.0.0/0"), []string{"aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]"}},
		{"range containing rdp", netSGBlock("tcp", 3000, 4000, "0.0.0.0/0"), []string{"aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]"}},
		{"rdp over udp", netSGBlock("udp", 3389, 3389, "0.0.0.0/0"), []string{"aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]"}},
		{"postgres", netSGBlock("tcp", 5432, 5432, "0.0.0.0/0"), []string{"aws-ec2-sg-open-database-port ingress[0].cidr_blocks[0]"}},
		{"range with mysql", netSGBlock("tcp", 3300, 3310, "0.0.0.0/0"), []string{"aws-ec2-sg-open-database-port ingress[0].cidr_blocks[0]"}},
		{"wide range", netSGBlock("tcp", 10000, 10100, "0.0.0.0/0"), []string{"aws-ec2-sg-open-port-range ingress[0].cidr_blocks[0]"}},
		{"eleven ports", netSGBlock("tcp", 8000, 8010, "0.0.0.0/0"), []string{"aws-ec2-sg-open-port-range ingress[0].cidr_blocks[0]"}},
		{"ten ports", netSGBlock("tcp", 8000, 8009, "0.0.0.0/0"), []string{"aws-ec2-sg-open-port ingress[0].cidr_blocks[0]"}},
		{"other port", netSGBlock("tcp", 8080, 8080, "0.0.0.0/0"), []string{"aws-ec2-sg-open-port ingress[0].cidr_blocks[0]"}},
		{"https", netSGBlock("tcp", 443, 443, "0.0.0.0/0"), nil},
		{"http", netSGBlock("tcp", 80, 80, "0.0.0.0/0"), nil},
		{"quic", netSGBlock("udp", 443, 443, "0.0.0.0/0"), nil},
		{"icmp", netSGBlock("icmp", -1, -1, "0.0.0.0/0"), nil},
		{"private ssh", netSGBlock("tcp", 22, 22, "10.0.0.0/8"), nil},
		{"world in second place", netSGBlock("tcp", 22, 22, "10.0.0.0/8", "0.0.0.0/00"), []string{"aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[1]"}},
		{"not a cidr", netSGBlock("tcp", 22, 22, "0.0.0.0"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectNetOutcomes(t, netOutcomes(t, netSG(c.rule)), c.want...)
		})
	}
}

func TestPortsWrittenAsStringsAreRead(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.StringVal("TCP"),
		"from_port":   cty.StringVal("22"),
		"to_port":     cty.StringVal("22"),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	}))
	expectNetOutcomes(t, netOutcomes(t, r), "aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]")
}

func TestIPv4AndIPv6WorldSourcesAreOneFinding(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":         cty.StringVal("tcp"),
		"from_port":        cty.NumberIntVal(22),
		"to_port":          cty.NumberIntVal(22),
		"cidr_blocks":      netStrs("0.0.0.0/0"),
		"ipv6_cidr_blocks": netStrs("::/0"),
	}))
	g := graph.New([]*graph.Resource{r})
	p := check.NewPass(g)
	sgOpenAdminPort.Run(p)
	if len(p.Findings()) != 1 {
		t.Fatalf("got %d findings, want 1", len(p.Findings()))
	}
	if msg := p.Findings()[0].Message; !strings.Contains(msg, "0.0.0.0/0 and ::/0") || !strings.Contains(msg, "SSH") {
		t.Errorf("message %q does not name both sources and the service", msg)
	}
}

func TestUnknownSourceIsUndecidedForTheRuleClassOnly(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.StringVal("tcp"),
		"from_port":   cty.NumberIntVal(22),
		"to_port":     cty.NumberIntVal(22),
		"cidr_blocks": cty.UnknownVal(cty.List(cty.String)),
	}))
	expectNetOutcomes(t, netOutcomes(t, r), "undecided aws-ec2-sg-open-admin-port ingress[0].cidr_blocks")
}

func TestUnknownSourceOnWebPortIsNotUndecided(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.StringVal("tcp"),
		"from_port":   cty.NumberIntVal(443),
		"to_port":     cty.NumberIntVal(443),
		"cidr_blocks": cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)}),
	}))
	expectNetOutcomes(t, netOutcomes(t, r))
}

func TestKnownWorldSourceBesideUnknownOneIsReported(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.StringVal("tcp"),
		"from_port":   cty.NumberIntVal(3306),
		"to_port":     cty.NumberIntVal(3306),
		"cidr_blocks": cty.ListVal([]cty.Value{cty.UnknownVal(cty.String), cty.StringVal("0.0.0.0/0")}),
	}))
	expectNetOutcomes(t, netOutcomes(t, r), "aws-ec2-sg-open-database-port ingress[0].cidr_blocks[1]")
}

func TestUnknownPortOnWorldRuleIsUndecidedForEverySecurityGroupCheck(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.StringVal("tcp"),
		"from_port":   cty.UnknownVal(cty.Number),
		"to_port":     cty.UnknownVal(cty.Number),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	}))
	expectNetOutcomes(t, netOutcomes(t, r),
		"undecided aws-ec2-sg-open-all-ports ingress[0].from_port",
		"undecided aws-ec2-sg-open-admin-port ingress[0].from_port",
		"undecided aws-ec2-sg-open-database-port ingress[0].from_port",
		"undecided aws-ec2-sg-open-port-range ingress[0].from_port",
		"undecided aws-ec2-sg-open-port ingress[0].from_port",
	)
}

func TestUnknownIngressListIsUndecided(t *testing.T) {
	r := netRes("aws_security_group", map[string]cty.Value{"ingress": cty.DynamicVal})
	got := netOutcomes(t, r)
	if len(got) != 5 || !strings.HasPrefix(got[0], "undecided ") {
		t.Errorf("got %v, want five undecided", got)
	}
}

func TestSecurityGroupSourcesAreNotWorldOpen(t *testing.T) {
	r := netRes("aws_security_group_rule", map[string]cty.Value{
		"type":                     cty.StringVal("ingress"),
		"protocol":                 cty.StringVal("tcp"),
		"from_port":                cty.NumberIntVal(22),
		"to_port":                  cty.NumberIntVal(22),
		"self":                     cty.True,
		"source_security_group_id": cty.StringVal("sg-123"),
		"cidr_blocks":              cty.NullVal(cty.List(cty.String)),
	})
	expectNetOutcomes(t, netOutcomes(t, r))
}

func TestStandaloneRules(t *testing.T) {
	ingress := netRes("aws_security_group_rule", map[string]cty.Value{
		"type": cty.StringVal("ingress"), "protocol": cty.StringVal("tcp"),
		"from_port": cty.NumberIntVal(3389), "to_port": cty.NumberIntVal(3389),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	})
	egress := netRes("aws_security_group_rule", map[string]cty.Value{
		"type": cty.StringVal("egress"), "protocol": cty.StringVal("-1"),
		"from_port": cty.NumberIntVal(0), "to_port": cty.NumberIntVal(0),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	})
	egress.Address = "aws_security_group_rule.egress"
	vpcRule := netRes("aws_vpc_security_group_ingress_rule", map[string]cty.Value{
		"ip_protocol": cty.StringVal("-1"), "cidr_ipv6": cty.StringVal("::/0"),
	})
	unknownType := netRes("aws_security_group_rule", map[string]cty.Value{
		"type": cty.UnknownVal(cty.String), "protocol": cty.StringVal("tcp"),
		"from_port": cty.NumberIntVal(6379), "to_port": cty.NumberIntVal(6379),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	})
	unknownType.Address = "aws_security_group_rule.unknown"
	expectNetOutcomes(t, netOutcomes(t, ingress, egress, vpcRule, unknownType),
		"aws-ec2-sg-open-admin-port cidr_blocks[0]",
		"aws-ec2-sg-open-all-ports cidr_ipv6",
		"undecided aws-ec2-sg-open-database-port type",
	)
}

func netNACLBlock(action, proto string, from, to int64, cidr string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"rule_no": cty.NumberIntVal(100), "action": cty.StringVal(action),
		"protocol": cty.StringVal(proto), "from_port": cty.NumberIntVal(from), "to_port": cty.NumberIntVal(to),
		"cidr_block": cty.StringVal(cidr),
	})
}

func TestNetworkACLRules(t *testing.T) {
	cases := []struct {
		name  string
		block cty.Value
		want  []string
	}{
		{"allow all", netNACLBlock("allow", "-1", 0, 0, "0.0.0.0/0"), []string{"aws-vpc-nacl-open-all-traffic ingress[0].cidr_block"}},
		{"all tcp ports", netNACLBlock("allow", "tcp", 0, 65535, "0.0.0.0/0"), []string{"aws-vpc-nacl-open-all-traffic ingress[0].cidr_block"}},
		{"ssh", netNACLBlock("allow", "tcp", 22, 22, "0.0.0.0/0"), []string{"aws-vpc-nacl-open-admin-port ingress[0].cidr_block"}},
		{"low ports", netNACLBlock("allow", "6", 0, 1024, "0.0.0.0/0"), []string{"aws-vpc-nacl-open-admin-port ingress[0].cidr_block"}},
		{"ephemeral return traffic", netNACLBlock("allow", "tcp", 1024, 65535, "0.0.0.0/0"), nil},
		{"deny ssh", netNACLBlock("deny", "tcp", 22, 22, "0.0.0.0/0"), nil},
		{"private all", netNACLBlock("allow", "-1", 0, 0, "10.0.0.0/16"), nil},
		{"https", netNACLBlock("allow", "tcp", 443, 443, "0.0.0.0/0"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := netRes("aws_network_acl", map[string]cty.Value{"ingress": cty.SetVal([]cty.Value{c.block})})
			expectNetOutcomes(t, netOutcomes(t, r), c.want...)
		})
	}
}

func TestNetworkACLRuleResource(t *testing.T) {
	rule := func(egress cty.Value, action string) *graph.Resource {
		return netRes("aws_network_acl_rule", map[string]cty.Value{
			"egress": egress, "rule_action": cty.StringVal(action), "protocol": cty.StringVal("tcp"),
			"from_port": cty.NumberIntVal(3389), "to_port": cty.NumberIntVal(3389),
			"cidr_block": cty.StringVal("0.0.0.0/0"),
		})
	}
	expectNetOutcomes(t, netOutcomes(t, rule(cty.NullVal(cty.Bool), "allow")), "aws-vpc-nacl-open-admin-port cidr_block")
	expectNetOutcomes(t, netOutcomes(t, rule(cty.StringVal("false"), "allow")), "aws-vpc-nacl-open-admin-port cidr_block")
	expectNetOutcomes(t, netOutcomes(t, rule(cty.True, "allow")))
	expectNetOutcomes(t, netOutcomes(t, rule(cty.False, "deny")))
	expectNetOutcomes(t, netOutcomes(t, rule(cty.UnknownVal(cty.Bool), "allow")), "undecided aws-vpc-nacl-open-admin-port egress")
}

func TestWorldOpenCIDR(t *testing.T) {
	cases := []struct {
		cidr string
		want bool
	}{
		{"0.0.0.0/0", true}, {"::/0", true}, {"0.0.0.0/00", true}, {" 0.0.0.0/0 ", true}, {"::0/0", true},
		{"10.0.0.0/8", false}, {"0.0.0.0/1", false}, {"0.0.0.0", false}, {"", false}, {"pl-123", false},
	}
	for _, c := range cases {
		if got := worldOpenCIDR(c.cidr); got != c.want {
			t.Errorf("worldOpenCIDR(%q) = %v, want %v", c.cidr, got, c.want)
		}
	}
}

func TestNetworkACLAllowBehindEarlierDenyIsNotReported(t *testing.T) {
	acl := func(blocks ...cty.Value) *graph.Resource {
		return netRes("aws_network_acl", map[string]cty.Value{"ingress": cty.TupleVal(blocks)})
	}
	entry := func(no int64, action string, from, to int64) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{
			"rule_no": cty.NumberIntVal(no), "action": cty.StringVal(action),
			"protocol": cty.StringVal("tcp"), "from_port": cty.NumberIntVal(from), "to_port": cty.NumberIntVal(to),
			"cidr_block": cty.StringVal("0.0.0.0/0"),
		})
	}
	expectNetOutcomes(t, netOutcomes(t, acl(entry(90, "deny", 22, 22), entry(100, "allow", 22, 22))))
	expectNetOutcomes(t, netOutcomes(t, acl(entry(90, "deny", 0, 1023), entry(100, "allow", 0, 1023))))
	expectNetOutcomes(t, netOutcomes(t, acl(entry(110, "deny", 22, 22), entry(100, "allow", 22, 22))),
		"aws-vpc-nacl-open-admin-port ingress[1].cidr_block")
	expectNetOutcomes(t, netOutcomes(t, acl(entry(90, "deny", 22, 22), entry(100, "allow", 20, 23))),
		"aws-vpc-nacl-open-admin-port ingress[1].cidr_block")
}

func TestNetworkACLDenyRuleResourceClosesInlineAllow(t *testing.T) {
	acl := netRes("aws_network_acl", map[string]cty.Value{"ingress": cty.TupleVal([]cty.Value{
		cty.ObjectVal(map[string]cty.Value{
			"rule_no": cty.NumberIntVal(100), "action": cty.StringVal("allow"),
			"protocol": cty.StringVal("tcp"), "from_port": cty.NumberIntVal(3389), "to_port": cty.NumberIntVal(3389),
			"cidr_block": cty.StringVal("0.0.0.0/0"),
		}),
	})})
	acl.Scope = "root"
	deny := netRes("aws_network_acl_rule", map[string]cty.Value{
		"network_acl_id": cty.UnknownVal(cty.String), "rule_number": cty.NumberIntVal(50),
		"egress": cty.False, "rule_action": cty.StringVal("deny"), "protocol": cty.StringVal("-1"),
		"cidr_block": cty.StringVal("0.0.0.0/0"),
	})
	deny.Scope = "root"
	deny.AddRef(acl.Address, graph.P("network_acl_id"))
	expectNetOutcomes(t, netOutcomes(t, acl, deny))
}

func TestNetworkACLRulesSharingALiteralIDAreOneACL(t *testing.T) {
	rule := func(name string, no int64, action string) *graph.Resource {
		r := netRes("aws_network_acl_rule", map[string]cty.Value{
			"network_acl_id": cty.StringVal("acl-1"), "rule_number": cty.NumberIntVal(no),
			"rule_action": cty.StringVal(action), "protocol": cty.StringVal("tcp"),
			"from_port": cty.NumberIntVal(22), "to_port": cty.NumberIntVal(22),
			"cidr_block": cty.StringVal("0.0.0.0/0"),
		})
		r.Address = "aws_network_acl_rule." + name
		return r
	}
	expectNetOutcomes(t, netOutcomes(t, rule("deny", 10, "deny"), rule("allow", 20, "allow")))
	expectNetOutcomes(t, netOutcomes(t, rule("deny", 30, "deny"), rule("allow", 20, "allow")), "aws-vpc-nacl-open-admin-port cidr_block")
}

func TestMessagesNameProtocolPortsServicesAndSources(t *testing.T) {
	cases := []struct {
		rule cty.Value
		want string
	}{
		{netSGBlock("tcp", 22, 22, "0.0.0.0/0"), "TCP port 22 (SSH) is open to 0.0.0.0/0: "},
		{netSGBlock("tcp", 5985, 5986, "0.0.0.0/0"), "TCP ports 5985-5986 (WinRM) are open to 0.0.0.0/0: "},
		{netSGBlock("tcp", 0, 1024, "0.0.0.0/0"), "TCP ports 0-1024 are open to 0.0.0.0/0, including remote administration: SSH (22), Telnet (23), MS RPC (135) and 2 more; "},
		{netSGBlock("tcp", 27017, 27017, "0.0.0.0/0"), "TCP port 27017 (MongoDB/DocumentDB) is open to 0.0.0.0/0: "},
		{netSGBlock("udp", 10000, 20000, "0.0.0.0/0"), "UDP ports 10000-20000 are open to 0.0.0.0/0, including data stores: Memcached (11211); "},
		{netSGBlock("-1", 0, 0, "0.0.0.0/0"), "all protocols and ports are open to 0.0.0.0/0: "},
		{netSGBlock("udp", 16384, 32767, "0.0.0.0/0"), "UDP ports 16384-32767 (16384 ports) are open to 0.0.0.0/0: "},
		{netSGBlock("tcp", 8080, 8080, "0.0.0.0/0"), "TCP port 8080 is open to 0.0.0.0/0: "},
	}
	for _, c := range cases {
		g := graph.New([]*graph.Resource{netSG(c.rule)})
		var msgs []string
		for _, chk := range networkChecks() {
			p := check.NewPass(g)
			chk.Run(p)
			for _, f := range p.Findings() {
				msgs = append(msgs, f.Message)
			}
		}
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], c.want) {
			t.Errorf("got %q, want one message starting %q", msgs, c.want)
		}
	}
}

func TestKnownPortEndNarrowsTheUndecidedChecks(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.StringVal("tcp"),
		"from_port":   cty.NumberIntVal(30000),
		"to_port":     cty.UnknownVal(cty.Number),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	}))
	expectNetOutcomes(t, netOutcomes(t, r),
		"undecided aws-ec2-sg-open-port-range ingress[0].to_port",
		"undecided aws-ec2-sg-open-port ingress[0].to_port",
	)
}

func TestUnknownProtocolWithZeroPortsCanOnlyMeanAllTraffic(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.UnknownVal(cty.String),
		"from_port":   cty.NumberIntVal(0),
		"to_port":     cty.NumberIntVal(0),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	}))
	expectNetOutcomes(t, netOutcomes(t, r), "undecided aws-ec2-sg-open-all-ports ingress[0].protocol")
}

func TestUnknownProtocolOnSSHPortMayBeAdminOrAllTraffic(t *testing.T) {
	r := netSG(cty.ObjectVal(map[string]cty.Value{
		"protocol":    cty.UnknownVal(cty.String),
		"from_port":   cty.NumberIntVal(22),
		"to_port":     cty.NumberIntVal(22),
		"cidr_blocks": netStrs("0.0.0.0/0"),
	}))
	expectNetOutcomes(t, netOutcomes(t, r),
		"undecided aws-ec2-sg-open-all-ports ingress[0].protocol",
		"undecided aws-ec2-sg-open-admin-port ingress[0].protocol",
		"undecided aws-ec2-sg-open-port ingress[0].protocol",
	)
}
