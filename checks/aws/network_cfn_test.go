package aws

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// cfnRes builds a CloudFormation resource as the template reader does: logical ID as
// address, the template as scope, Properties as attributes.
func cfnRes(typ, id string, props map[string]cty.Value) *graph.Resource {
	return &graph.Resource{
		Format: graph.CloudFormation, Type: typ, Address: id, Scope: "template.yaml",
		Attrs: cty.ObjectVal(props), Meta: map[string]string{},
		Range: graph.Range{File: "template.yaml", Start: graph.Pos{Line: 1, Column: 1}},
	}
}

func cfnSGRule(proto cty.Value, from, to int64, source string, cidr string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"IpProtocol": proto, "FromPort": cty.NumberIntVal(from), "ToPort": cty.NumberIntVal(to),
		source: cty.StringVal(cidr),
	})
}

func cfnACLEntryRes(id string, no int64, action string, proto int64, from, to int64, cidr string) *graph.Resource {
	props := map[string]cty.Value{
		"NetworkAclId": cty.UnknownVal(cty.String), "RuleNumber": cty.NumberIntVal(no),
		"RuleAction": cty.StringVal(action), "Protocol": cty.NumberIntVal(proto),
		"CidrBlock": cty.StringVal(cidr),
	}
	if proto != -1 {
		props["PortRange"] = cty.ObjectVal(map[string]cty.Value{"From": cty.NumberIntVal(from), "To": cty.NumberIntVal(to)})
	}
	r := cfnRes("AWS::EC2::NetworkAclEntry", id, props)
	r.AddRef("Acl", graph.P("NetworkAclId"))
	return r
}

func TestCloudFormationSecurityGroupRules(t *testing.T) {
	sg := cfnRes("AWS::EC2::SecurityGroup", "WebSG", map[string]cty.Value{
		"GroupDescription": cty.StringVal("web"),
		"SecurityGroupIngress": cty.TupleVal([]cty.Value{
			cfnSGRule(cty.StringVal("tcp"), 22, 22, "CidrIp", "0.0.0.0/0"),
			cfnSGRule(cty.NumberIntVal(-1), -1, -1, "CidrIpv6", "::/0"),
			cfnSGRule(cty.StringVal("6"), 5432, 5432, "CidrIp", "0.0.0.0/0"),
			cfnSGRule(cty.StringVal("tcp"), 22, 22, "SourcePrefixListId", "pl-123"),
			cfnSGRule(cty.StringVal("icmp"), -1, -1, "CidrIp", "0.0.0.0/0"),
		}),
	})
	standalone := cfnRes("AWS::EC2::SecurityGroupIngress", "Grafana", map[string]cty.Value{
		"GroupId": cty.UnknownVal(cty.String), "IpProtocol": cty.StringVal("tcp"),
		"FromPort": cty.StringVal("3000"), "ToPort": cty.StringVal("3000"), "CidrIp": cty.StringVal("0.0.0.0/0"),
	})
	expectNetOutcomes(t, netOutcomes(t, sg, standalone),
		"aws-ec2-sg-open-admin-port SecurityGroupIngress[0].CidrIp",
		"aws-ec2-sg-open-all-ports SecurityGroupIngress[1].CidrIpv6",
		"aws-ec2-sg-open-database-port SecurityGroupIngress[2].CidrIp",
		"aws-ec2-sg-open-port CidrIp",
	)
}

func TestSameRuleInTerraformAndCloudFormationGivesTheSameFinding(t *testing.T) {
	tf := netSG(netSGBlock("tcp", 3389, 3389, "0.0.0.0/0"))
	cfn := cfnRes("AWS::EC2::SecurityGroup", "WebSG", map[string]cty.Value{
		"SecurityGroupIngress": cty.TupleVal([]cty.Value{cfnSGRule(cty.StringVal("tcp"), 3389, 3389, "CidrIp", "0.0.0.0/0")}),
	})
	g := graph.New([]*graph.Resource{tf, cfn})
	var got []string
	for _, c := range networkChecks() {
		p := check.NewPass(g)
		c.Run(p)
		for _, f := range p.Findings() {
			got = append(got, c.ID+": "+f.Message)
		}
	}
	if len(got) != 2 || got[0] != got[1] {
		t.Errorf("want one identical finding per format, got %q", got)
	}
}

func TestCloudFormationNetworkACLEntries(t *testing.T) {
	acl := cfnRes("AWS::EC2::NetworkAcl", "Acl", map[string]cty.Value{})
	allowAll := cfnACLEntryRes("AllowAll", 100, "allow", -1, 0, 0, "0.0.0.0/0")
	ssh := cfnACLEntryRes("Ssh", 110, "allow", 6, 22, 22, "0.0.0.0/0")
	ephemeral := cfnACLEntryRes("Ephemeral", 120, "allow", 6, 1024, 65535, "0.0.0.0/0")
	out := cfnACLEntryRes("Out", 100, "allow", -1, 0, 0, "0.0.0.0/0")
	out.Attrs = cty.ObjectVal(map[string]cty.Value{
		"RuleNumber": cty.NumberIntVal(100), "RuleAction": cty.StringVal("allow"),
		"Protocol": cty.NumberIntVal(-1), "Egress": cty.True, "CidrBlock": cty.StringVal("0.0.0.0/0"),
	})
	expectNetOutcomes(t, netOutcomes(t, acl, allowAll, ssh, ephemeral, out),
		"aws-vpc-nacl-open-all-traffic CidrBlock",
		"aws-vpc-nacl-open-admin-port CidrBlock",
	)
}

func TestCloudFormationDenyEntryWithLowerNumberClosesThePort(t *testing.T) {
	acl := cfnRes("AWS::EC2::NetworkAcl", "Acl", map[string]cty.Value{})
	deny := cfnACLEntryRes("DenySsh", 90, "deny", 6, 22, 22, "0.0.0.0/0")
	allow := cfnACLEntryRes("Ssh", 100, "allow", 6, 22, 22, "0.0.0.0/0")
	expectNetOutcomes(t, netOutcomes(t, acl, deny, allow))

	late := cfnACLEntryRes("DenySsh", 110, "deny", 6, 22, 22, "0.0.0.0/0")
	expectNetOutcomes(t, netOutcomes(t, acl, late, allow), "aws-vpc-nacl-open-admin-port CidrBlock")
}

func TestCloudFormationDenyUnderAnAssumptionTheAllowDoesNotShareIsNotRelied(t *testing.T) {
	acl := cfnRes("AWS::EC2::NetworkAcl", "Acl", map[string]cty.Value{})
	deny := cfnACLEntryRes("DenySsh", 90, "deny", 6, 22, 22, "0.0.0.0/0")
	deny.Meta["condition"], deny.Meta["conditions"] = "Hardened", "Hardened=true"
	allow := cfnACLEntryRes("Ssh", 100, "allow", 6, 22, 22, "0.0.0.0/0")
	expectNetOutcomes(t, netOutcomes(t, acl, deny, allow), "aws-vpc-nacl-open-admin-port CidrBlock")

	// The allow entry made under the same assumption is closed by it.
	allow.Meta["conditions"] = "Hardened=true"
	expectNetOutcomes(t, netOutcomes(t, acl, deny, allow))
}

func TestCloudFormationVariantsOfTheAllowEntryDoNotCloseEachOther(t *testing.T) {
	acl := cfnRes("AWS::EC2::NetworkAcl", "Acl", map[string]cty.Value{})
	asDeny := cfnACLEntryRes("Ssh", 90, "deny", 6, 22, 22, "0.0.0.0/0")
	asDeny.Meta["conditions"] = "Locked=true"
	asAllow := cfnACLEntryRes("Ssh", 90, "allow", 6, 22, 22, "0.0.0.0/0")
	asAllow.Meta["conditions"] = "Locked=false"
	expectNetOutcomes(t, netOutcomes(t, acl, asDeny, asAllow), "aws-vpc-nacl-open-admin-port CidrBlock")
}

func TestCloudFormationVariantsGiveOneUndecided(t *testing.T) {
	variant := func(cond string) *graph.Resource {
		r := cfnRes("AWS::EC2::SecurityGroupIngress", "Ssh", map[string]cty.Value{
			"IpProtocol": cty.StringVal("tcp"), "FromPort": cty.NumberIntVal(22), "ToPort": cty.NumberIntVal(22),
			"CidrIp": cty.UnknownVal(cty.String), "Description": cty.StringVal(cond),
		})
		r.Meta["conditions"] = cond
		return r
	}
	expectNetOutcomes(t, netOutcomes(t, variant("A=true"), variant("A=false")),
		"undecided aws-ec2-sg-open-admin-port CidrIp")
}

func TestCloudFormationVPCRangeSourceIsDecided(t *testing.T) {
	vpc := cfnRes("AWS::EC2::VPC", "Vpc", map[string]cty.Value{"CidrBlock": cty.StringVal("10.0.0.0/16")})
	rule := func(id, why string) *graph.Resource {
		r := cfnRes("AWS::EC2::SecurityGroupIngress", id, map[string]cty.Value{
			"IpProtocol": cty.StringVal("tcp"), "FromPort": cty.NumberIntVal(22), "ToPort": cty.NumberIntVal(22),
			"CidrIp": cty.UnknownVal(cty.String),
		})
		r.AddRef("Vpc", graph.P("CidrIp"))
		r.SetAttrInfo(graph.P("CidrIp"), graph.AttrInfo{Unknown: []string{why}})
		return r
	}
	fromVPC := rule("FromVpc", "Vpc.CidrBlock is known only after deployment")
	mixed := rule("Mixed", "parameter Extra has no default")
	expectNetOutcomes(t, netOutcomes(t, vpc, fromVPC, mixed), "undecided aws-ec2-sg-open-admin-port CidrIp")
}
