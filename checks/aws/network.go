package aws

import (
	"github.com/iacscan/iacscan/checks/check"
)

// networkChecks returns the open-network checks for security groups and network ACLs.
// Each world-open inbound rule gets at most one finding: the checks share classify, which
// gives every rule exactly one exposure, most specific first.
func networkChecks() []*check.Check {
	return []*check.Check{
		sgOpenAllPorts,
		sgOpenAdminPort,
		sgOpenDatabasePort,
		sgOpenPortRange,
		sgOpenPort,
		naclOpenAllTraffic,
		naclOpenAdminPort,
	}
}

const (
	linkSGRules     = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
	linkSGResource  = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group"
	linkSGIngress   = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_security_group_ingress_rule"
	linkNACL        = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"
	linkNACLRule    = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/network_acl_rule"
	linkSSM         = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html"
	linkHubEC2      = "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html"
	linkPrefixLists = "https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html"
	linkCFNSG       = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html"
	linkCFNSGIn     = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroupingress.html"
	linkCFNNACL     = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-networkaclentry.html"
)

// sgScope is the part of every security-group description that says what is read.
const sgScope = ` Rules are read from Terraform aws_security_group and aws_default_security_group ` +
	`(inline ingress blocks, dynamic blocks and the ingress = [...] attribute syntax), ` +
	`aws_security_group_rule with type = "ingress" and aws_vpc_security_group_ingress_rule, ` +
	`and from CloudFormation AWS::EC2::SecurityGroup (SecurityGroupIngress) and ` +
	`AWS::EC2::SecurityGroupIngress (IpProtocol, FromPort, ToPort). A source is world-open ` +
	`when its CIDR has prefix length 0 (0.0.0.0/0, ::/0) in cidr_blocks, ipv6_cidr_blocks, ` +
	`cidr_ipv4, cidr_ipv6, CidrIp or CidrIpv6.` + netWideScope + ` Private ranges, prefix ` +
	`lists (SourcePrefixListId), self and security-group sources (SourceSecurityGroupId) ` +
	`are not world-open. Values from Terraform variables, locals and module inputs and from ` +
	`CloudFormation parameters, mappings and conditions are evaluated; a rule that this ` +
	`check could report but whose sources, protocol or ports are not known statically (a ` +
	`variable or parameter without a value) is recorded as undecided, not reported. A ` +
	`CloudFormation value chosen by a condition that cannot be decided statically is ` +
	`reported when one of its branches opens the rule, with the condition named.` + vpcRangeScope +
	sgPrecedence

// netWideScope says which sources other than a /0 count as the internet.
const netWideScope = ` The CIDRs of one address family in a rule are also world-open when ` +
	`together they cover the whole family (0.0.0.0/1 with 128.0.0.0/1, four /2 quarters, ` +
	`::/1 with 8000::/1), or at least a sixteenth of it (a /4 or wider): 128.0.0.0/1 alone ` +
	`is two billion addresses that scanners sweep like any other, and 2000::/3 is all ` +
	`global unicast IPv6. No organisation owns a range that wide (the largest IPv4 ` +
	`allocations are /8), so nothing legitimate is caught. CIDRs are combined within one ` +
	`rule only, not across separate rules of the same group.`

// sgPrecedence explains how one rule yields one finding.
const sgPrecedence = ` Each world-open rule is reported by exactly one of the security-group checks, the ` +
	`most specific that applies: all ports (aws-ec2-sg-open-all-ports), then remote ` +
	`administration ports (aws-ec2-sg-open-admin-port), then database and cache ports ` +
	`(aws-ec2-sg-open-database-port), then a range of more than 10 ports ` +
	`(aws-ec2-sg-open-port-range), then any other port (aws-ec2-sg-open-port). A rule that ` +
	`lists 0.0.0.0/0 and ::/0 is one finding, on the first world-open source.`

var sgOpenAllPorts = &check.Check{
	ID:       "aws-ec2-sg-open-all-ports",
	Title:    "Security group allows all traffic from the internet",
	Severity: check.Critical,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound security-group rule with protocol -1 ("all"), or a TCP/UDP rule covering ` +
		`every port (0-65535), open to 0.0.0.0/0 or ::/0 removes the security group as a ` +
		`filter: every service on every instance, container, database or endpoint the group ` +
		`is attached to is reachable from the whole internet, including services that listen ` +
		`by accident and were never meant to be exposed. Severity is Critical because the ` +
		`rule exposes remote administration and data stores at once and is found by ` +
		`internet-wide scanners within minutes.` + sgScope,
	Remediation: "Replace the rule by rules for the ports the workload serves, from the sources that need them:\n\n" +
		"```hcl\ningress {\n  protocol    = \"tcp\"\n  from_port   = 443\n  to_port     = 443\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n```\n\n" +
		"In CloudFormation:\n\n" +
		"```yaml\nSecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 443\n    ToPort: 443\n    CidrIp: 0.0.0.0/0\n```",
	Links:      []string{linkSGRules, linkSGResource, linkSGIngress, linkCFNSG, linkCFNSGIn, linkHubEC2},
	Frameworks: []string{"CIS-AWS-3.0:5.2", "CIS-AWS-3.0:5.3"},
	Formats:    netFormats,
	Run:        func(p *check.Pass) { runIngressExposure(p, securityGroupRule, exposeAllPorts) },
}

var sgOpenAdminPort = &check.Check{
	ID:       "aws-ec2-sg-open-admin-port",
	Title:    "Security group allows remote administration from the internet",
	Severity: check.Critical,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound security-group rule open to 0.0.0.0/0 or ::/0 whose port range includes ` +
		`a remote administration port: SSH (22), Telnet (23), RDP (3389, TCP and UDP), VNC ` +
		`(5900), WinRM (5985-5986), the Windows remote-management channels MS RPC (135), ` +
		`NetBIOS (139) and SMB (445), or the Docker Engine API (2375-2376). These ports give ` +
		`interactive control of the host; they are brute-forced and probed for pre-authentication ` +
		`flaws (BlueKeep, EternalBlue) by internet-wide scanners around the clock, and an ` +
		`exposed Docker API or Telnet needs no exploit at all. Severity is Critical because a ` +
		`single weak credential or missed patch gives an attacker the machine. A range that ` +
		`contains one of these ports (e.g. 0-1024) counts.` + sgScope,
	Remediation: "Allow the port only from known administration networks, or close it and use AWS Systems " +
		"Manager Session Manager or EC2 Instance Connect Endpoint instead:\n\n" +
		"```hcl\ningress {\n  protocol    = \"tcp\"\n  from_port   = 22\n  to_port     = 22\n  cidr_blocks = [\"203.0.113.0/24\"] # office VPN\n}\n```\n\n" +
		"In CloudFormation:\n\n" +
		"```yaml\nSecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 22\n    ToPort: 22\n    CidrIp: 203.0.113.0/24 # office VPN\n```",
	Links:      []string{linkSGRules, linkSGResource, linkSGIngress, linkCFNSG, linkCFNSGIn, linkSSM, linkHubEC2},
	Frameworks: []string{"CIS-AWS-3.0:5.2", "CIS-AWS-3.0:5.3"},
	Formats:    netFormats,
	Run:        func(p *check.Pass) { runIngressExposure(p, securityGroupRule, exposeAdmin) },
}

var sgOpenDatabasePort = &check.Check{
	ID:       "aws-ec2-sg-open-database-port",
	Title:    "Security group exposes a database or cache port to the internet",
	Severity: check.High,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound security-group rule open to 0.0.0.0/0 or ::/0 whose port range includes ` +
		`a database, search or cache port: SQL Server (1433, 1434/UDP), Oracle (1521, ` +
		`2483-2484), etcd (2379-2380), MySQL/Aurora (3306), PostgreSQL (5432), Redshift (5439), ` +
		`CouchDB (5984), Redis (6379), Cassandra (7000-7001, 7199, 9042, 9160), Neo4j (7474, ` +
		`7687), InfluxDB (8086), ClickHouse (8123), Neptune (8182), Elasticsearch/OpenSearch ` +
		`(9200, 9300), Memcached (11211, also UDP), CockroachDB (26257) and MongoDB/DocumentDB ` +
		`(27017-27019). Data stores are meant to be reached by applications inside the ` +
		`network; exposed ones are found by scanners, brute-forced, ransomed and dumped, and ` +
		`several of them (Redis, Memcached, Elasticsearch, MongoDB) have no authentication in ` +
		`common deployments. Severity is High: exposure alone is not a breach when ` +
		`authentication is strong, but it is the usual first step of one. A rule that also ` +
		`opens a remote administration port is reported by aws-ec2-sg-open-admin-port instead.` + sgScope,
	Remediation: "Allow the port only from the application's security group or private subnets:\n\n" +
		"```hcl\nresource \"aws_vpc_security_group_ingress_rule\" \"db\" {\n" +
		"  security_group_id            = aws_security_group.db.id\n" +
		"  referenced_security_group_id = aws_security_group.app.id\n" +
		"  ip_protocol                  = \"tcp\"\n  from_port                    = 5432\n  to_port                      = 5432\n}\n```\n\n" +
		"In CloudFormation:\n\n" +
		"```yaml\nDbFromApp:\n  Type: AWS::EC2::SecurityGroupIngress\n  Properties:\n    GroupId: !Ref DbSecurityGroup\n" +
		"    SourceSecurityGroupId: !Ref AppSecurityGroup\n    IpProtocol: tcp\n    FromPort: 5432\n    ToPort: 5432\n```",
	Links:   []string{linkSGRules, linkSGResource, linkSGIngress, linkCFNSG, linkCFNSGIn, linkHubEC2},
	Formats: netFormats,
	Run:     func(p *check.Pass) { runIngressExposure(p, securityGroupRule, exposeDatabase) },
}

var sgOpenPortRange = &check.Check{
	ID:       "aws-ec2-sg-open-port-range",
	Title:    "Security group opens a wide port range to the internet",
	Severity: check.Medium,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound TCP, UDP or SCTP security-group rule open to 0.0.0.0/0 or ::/0 that ` +
		`covers more than 10 ports but not all of them, and contains no remote administration ` +
		`or database port (those are reported by their own checks). A range that wide no ` +
		`longer describes one service: it exposes whatever happens to listen there now or ` +
		`later, such as debug endpoints, metrics exporters and development servers. Severity ` +
		`is Medium because no specific high-risk service is known to be exposed. Ranges that ` +
		`an application really needs (passive FTP, media relays) are better kept and ` +
		`suppressed with a reason.` + sgScope,
	Remediation: "Open only the ports the service listens on:\n\n" +
		"```hcl\ningress {\n  protocol    = \"tcp\"\n  from_port   = 8443\n  to_port     = 8443\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n```\n\n" +
		"In CloudFormation:\n\n" +
		"```yaml\nSecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 8443\n    ToPort: 8443\n    CidrIp: 0.0.0.0/0\n```",
	Links:   []string{linkSGRules, linkSGResource, linkSGIngress, linkCFNSG, linkCFNSGIn},
	Formats: netFormats,
	Run:     func(p *check.Pass) { runIngressExposure(p, securityGroupRule, exposeRange) },
}

var sgOpenPort = &check.Check{
	ID:       "aws-ec2-sg-open-port",
	Title:    "Security group exposes a non-web port to the internet",
	Severity: check.Low,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound TCP, UDP or SCTP security-group rule open to 0.0.0.0/0 or ::/0 for a ` +
		`port or small range (up to 10 ports) that is neither a remote administration nor a ` +
		`database port. The web ports, TCP 80 and 443 and UDP 443 (HTTP/3), are not reported: ` +
		`serving them to everyone is what a public load balancer or web server is for. Other ` +
		`ports (8080, 9090, 3000, 5601...) are often admin consoles, dashboards or development ` +
		`servers that were meant to stay private. Severity is Low because many such exposures ` +
		`are intended (mail, VPN, game servers); review the finding and suppress it with a ` +
		`reason when it is. ICMP and other protocols without ports are not reported.` + sgScope,
	Remediation: "Restrict the source to the networks that need the service, or put the service behind a load " +
		"balancer on 443:\n\n" +
		"```hcl\ningress {\n  protocol    = \"tcp\"\n  from_port   = 8080\n  to_port     = 8080\n  cidr_blocks = [\"10.0.0.0/16\"]\n}\n```\n\n" +
		"In CloudFormation:\n\n" +
		"```yaml\nSecurityGroupIngress:\n  - IpProtocol: tcp\n    FromPort: 8080\n    ToPort: 8080\n    CidrIp: 10.0.0.0/16\n```",
	Links:   []string{linkSGRules, linkSGResource, linkSGIngress, linkCFNSG, linkCFNSGIn, linkPrefixLists},
	Formats: netFormats,
	Run:     func(p *check.Pass) { runIngressExposure(p, securityGroupRule, exposePort) },
}

// naclScope is the part of every network ACL description that says what is read.
const naclScope = ` Rules are read from the inline ingress blocks of Terraform aws_network_acl and ` +
	`aws_default_network_acl with action = "allow", from aws_network_acl_rule with ` +
	`egress = false (the default) and rule_action = "allow", and from CloudFormation ` +
	`AWS::EC2::NetworkAclEntry with Egress false (the default) and RuleAction allow ` +
	`(Protocol -1, 6 or 17, PortRange From/To); a source is world-open when cidr_block, ` +
	`ipv6_cidr_block, CidrBlock or Ipv6CidrBlock has prefix length 0, or is a block of a ` +
	`sixteenth of its family or more (128.0.0.0/1, 2000::/3). A rule is reported ` +
	`by at most one of the two network ACL checks: a rule allowing all traffic or all ports ` +
	`by aws-vpc-nacl-open-all-traffic, a narrower one containing an administration port by ` +
	`aws-vpc-nacl-open-admin-port. Entries are evaluated in rule-number order and the ` +
	`first match wins, so an administration port closed to the internet by a deny entry ` +
	`with a lower number of the same ACL (inline, an aws_network_acl_rule, or an ` +
	`AWS::EC2::NetworkAclEntry whose NetworkAclId refers to the same AWS::EC2::NetworkAcl, ` +
	`or to the same VPC's DefaultNetworkAcl, or is the same literal ID) is not reported; a ` +
	`CloudFormation deny entry that exists only under a condition the allow entry does not ` +
	`share is not relied on. An allow-all rule is still reported when earlier entries deny ` +
	`a few ports, since it still filters almost nothing. An entry whose sources, protocol, ` +
	`ports, direction or action are not known statically is recorded as undecided, not ` +
	`reported; a CloudFormation value chosen by a condition that cannot be decided ` +
	`statically is reported when one of its branches opens the entry, with the condition named.` +
	vpcRangeScope

// vpcRangeScope says which unknown sources are decided all the same.
const vpcRangeScope = ` The address block of a VPC or subnet is never world-open: AWS ` +
	`allows VPC blocks of /16 to /28 (IPv6 /44 to /60) and subnets inside them. A source ` +
	`that is such a block, Terraform's cidr_block or ipv6_cidr_block of aws_vpc, aws_subnet ` +
	`or a VPC CIDR block association (directly, through cidrsubnet() or through a module ` +
	`output) or CloudFormation's Fn::GetAtt CidrBlock or Ipv6CidrBlocks of an AWS::EC2::VPC ` +
	`or AWS::EC2::Subnet (also through Fn::Select and Fn::Cidr), is not world-open even ` +
	`when the block itself is known only after apply or deployment. The same holds for ` +
	`a block read from a Terraform data source (data.aws_vpc.x.cidr_block, ` +
	`data.aws_subnet.x.cidr_block).`

var naclOpenAllTraffic = &check.Check{
	ID:       "aws-vpc-nacl-open-all-traffic",
	Title:    "Network ACL allows all inbound traffic from the internet",
	Severity: check.Low,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound network ACL rule that allows every protocol (protocol -1 or "all"), or ` +
		`every TCP/UDP port, from 0.0.0.0/0 or ::/0. The subnet then has no filtering at its ` +
		`boundary and security groups are the only control, with no second layer when one of ` +
		`them is too open. Severity is Low because this is exactly what the default network ` +
		`ACL of every VPC does, network ACLs are stateless (they must admit return traffic on ` +
		`ephemeral ports anyway) and the stateful security groups remain the primary control; ` +
		`the finding matters mainly for CIS compliance and defence in depth. The default ` +
		`network ACL of a VPC (Terraform aws_default_network_acl and aws_network_acl_rule ` +
		`entries on a VPC's default_network_acl_id, CloudFormation entries on a VPC's ` +
		`DefaultNetworkAcl) is not reported: AWS creates it allowing all traffic, so writing ` +
		`the same rules, as terraform-aws-modules/vpc does by default, adds no exposure, and ` +
		`reporting it would flag every VPC; an administration port opened on it is still ` +
		`reported by aws-vpc-nacl-open-admin-port. Allow-all entries of one ACL that open ` +
		`the same protocol and ports, typically rule 100 for 0.0.0.0/0 and rule 101 for ::/0, ` +
		`are one exposure and one finding, on the entry evaluated first, with the others as ` +
		`related locations.` + naclScope,
	Remediation: "Allow only the ports the subnet serves, plus the ephemeral range for return traffic:\n\n" +
		"```hcl\ningress {\n  rule_no    = 100\n  action     = \"allow\"\n  protocol   = \"tcp\"\n  from_port  = 443\n  to_port    = 443\n  cidr_block = \"0.0.0.0/0\"\n}\n" +
		"ingress {\n  rule_no    = 110\n  action     = \"allow\"\n  protocol   = \"tcp\"\n  from_port  = 1024\n  to_port    = 65535\n  cidr_block = \"0.0.0.0/0\"\n}\n```\n\n" +
		"In CloudFormation, one AWS::EC2::NetworkAclEntry per rule:\n\n" +
		"```yaml\nHttpsIn:\n  Type: AWS::EC2::NetworkAclEntry\n  Properties:\n    NetworkAclId: !Ref PublicAcl\n    RuleNumber: 100\n" +
		"    RuleAction: allow\n    Protocol: 6\n    PortRange: {From: 443, To: 443}\n    CidrBlock: 0.0.0.0/0\n```",
	Links:      []string{linkNACL, linkNACLRule, linkCFNNACL, linkHubEC2},
	Frameworks: []string{"CIS-AWS-3.0:5.1"},
	Formats:    netFormats,
	Run:        func(p *check.Pass) { runIngressExposure(p, networkACLRule, exposeNACLAll) },
}

var naclOpenAdminPort = &check.Check{
	ID:       "aws-vpc-nacl-open-admin-port",
	Title:    "Network ACL allows remote administration ports from the internet",
	Severity: check.Medium,
	Category: check.CategoryOpenNetwork,
	Description: `An inbound network ACL rule that allows, from 0.0.0.0/0 or ::/0, a port range ` +
		`containing a remote administration port (SSH 22, Telnet 23, RDP 3389, VNC 5900, WinRM ` +
		`5985-5986, MS RPC 135, NetBIOS 139, SMB 445, Docker API 2375-2376). Unlike an ` +
		`allow-all rule, such a rule is a deliberate decision to let administration traffic ` +
		`through the subnet boundary, and usually comes with a security group that does the ` +
		`same. Severity is Medium, below the security-group check, because the network ACL ` +
		`alone exposes nothing: the security groups still decide. The ephemeral return-traffic ` +
		`range (a range starting at 1024 or above and ending at 65535), which stateless ` +
		`network ACLs need and which happens to contain 3389 and 5985, is not reported. ` +
		`Entries of one ACL that open the same ports, such as rule 100 for 0.0.0.0/0 and ` +
		`rule 101 for ::/0, are one finding, on the entry evaluated first.` + naclScope,
	Remediation: "Allow administration ports only from known networks, and deny them from everywhere else with a " +
		"lower rule number:\n\n" +
		"```hcl\nresource \"aws_network_acl_rule\" \"ssh_office\" {\n  network_acl_id = aws_network_acl.public.id\n" +
		"  rule_number    = 100\n  egress         = false\n  protocol       = \"tcp\"\n  rule_action    = \"allow\"\n" +
		"  cidr_block     = \"203.0.113.0/24\"\n  from_port      = 22\n  to_port        = 22\n}\n```\n\n" +
		"In CloudFormation:\n\n" +
		"```yaml\nSshFromOffice:\n  Type: AWS::EC2::NetworkAclEntry\n  Properties:\n    NetworkAclId: !Ref PublicAcl\n    RuleNumber: 100\n" +
		"    RuleAction: allow\n    Protocol: 6\n    PortRange: {From: 22, To: 22}\n    CidrBlock: 203.0.113.0/24\n```",
	Links:      []string{linkNACL, linkNACLRule, linkCFNNACL, linkSSM, linkHubEC2},
	Frameworks: []string{"CIS-AWS-3.0:5.1"},
	Formats:    netFormats,
	Run:        func(p *check.Pass) { runIngressExposure(p, networkACLRule, exposeNACLAdmin) },
}
