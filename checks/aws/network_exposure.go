package aws

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// netExposure is what a world-open inbound rule exposes. Every rule has exactly one, so
// that one misconfiguration is one finding: each network check reports one exposure, and
// classifyIngress picks the most specific that applies (all ports, then remote
// administration, then databases, then a wide range, then any other port).
type netExposure int

const (
	exposeNone netExposure = iota
	exposeAllPorts
	exposeAdmin
	exposeDatabase
	exposeRange
	exposePort
	exposeNACLAll
	exposeNACLAdmin
)

// ephemeralFrom is the lowest port of the ephemeral range AWS recommends opening inbound
// on network ACLs for return traffic (1024-65535). NACLs are stateless, so that rule is
// needed by every subnet whose instances open outbound connections.
const ephemeralFrom = 1024

// classifyIngress returns the exposure of a rule whose protocol and ports are known. It
// does not look at the sources: callers decide about world-openness.
func classifyIngress(r ingressRule) netExposure {
	if r.kind == networkACLRule {
		switch {
		case r.proto == protoAll:
			return exposeNACLAll
		case !r.proto.hasPorts():
			return exposeNone
		case coversAllPortNumbers(r.from, r.to):
			return exposeNACLAll
		case r.from >= ephemeralFrom && r.to >= 65535:
			// The return-traffic rule: it does include RDP and WinRM, but a NACL
			// cannot be written without it, and the security group is what keeps
			// those ports closed.
			return exposeNone
		case len(r.reachableServices(serviceAdmin)) > 0:
			return exposeNACLAdmin
		}
		return exposeNone
	}
	switch {
	case r.proto == protoAll:
		return exposeAllPorts
	case !r.proto.hasPorts():
		// ICMP, GRE, ESP...: no service port is exposed.
		return exposeNone
	case r.to == 0:
		// Port 0 is reserved; nothing listens on it.
		return exposeNone
	case coversAllPortNumbers(r.from, r.to):
		return exposeAllPorts
	case len(r.reachableServices(serviceAdmin)) > 0:
		return exposeAdmin
	case len(r.reachableServices(serviceDatabase)) > 0:
		return exposeDatabase
	case r.to-r.from+1 > netWideRange:
		return exposeRange
	case isWebPort(r.proto, r.from, r.to):
		return exposeNone
	}
	return exposePort
}

// mayExposeIngress reports whether a rule whose protocol or ports are unknown may turn
// out to have exposure e. It tries every protocol when the protocol is unknown and, when
// one end of the port range is known, every value of the other end at which the
// classification can change; with both ends unknown, anything is possible.
func mayExposeIngress(r ingressRule, e netExposure) bool {
	if r.kind == networkACLRule && e != exposeNACLAll && e != exposeNACLAdmin {
		return false
	}
	if r.kind == securityGroupRule && (e < exposeAllPorts || e > exposePort) {
		return false
	}
	protos := []netProto{r.proto}
	if r.protoUnknown {
		protos = []netProto{protoAll, protoTCP, protoUDP, protoSCTP, protoNone}
	}
	for _, p := range protos {
		c := r
		c.proto = p
		if !p.hasPorts() {
			if classifyIngress(c) == e {
				return true
			}
			continue
		}
		if r.fromUnknown && r.toUnknown {
			return true
		}
		for _, from := range portCandidates(r.fromUnknown, r.from, r.to, true) {
			for _, to := range portCandidates(r.toUnknown, r.to, from, false) {
				if from > to {
					continue
				}
				c.from, c.to = from, to
				if classifyIngress(c) == e {
					return true
				}
			}
		}
	}
	return false
}

// portCandidates returns the single known value of one end of a port range or, when it
// is unknown, the values where the classification of the range can change given the
// other end: the ends of the port space, the edges of every listed service, the web
// ports, the ephemeral boundary and the wide-range threshold.
func portCandidates(unknown bool, known, other int, low bool) []int {
	if !unknown {
		return []int{known}
	}
	cands := []int{0, 1, 80, 443, ephemeralFrom - 1, ephemeralFrom, 65535, other}
	for _, d := range []int{netWideRange - 1, netWideRange, netWideRange + 1} {
		if low {
			cands = append(cands, other-d)
		} else {
			cands = append(cands, other+d)
		}
	}
	for _, s := range netServices {
		cands = append(cands, s.from-1, s.from, s.to, s.to+1)
	}
	var out []int
	for _, c := range cands {
		if c >= 0 && c <= 65535 {
			out = append(out, c)
		}
	}
	return out
}

// describeIngress says what a world-open rule of exposure e exposes and what follows from it.
func describeIngress(r ingressRule, e netExposure) string {
	to := r.openText()
	ports := netPortsText(r.proto, r.from, r.to)
	are := "are"
	if r.from == r.to {
		are = "is"
	}
	switch e {
	case exposeAllPorts:
		if r.proto == protoAll {
			return fmt.Sprintf("all protocols and ports are open to %s: every service listening on the attached resources is reachable from the internet", to)
		}
		return fmt.Sprintf("all %s ports (%d-%d) are open to %s: every %s service on the attached resources is reachable from the internet", r.proto, r.from, r.to, to, r.proto)
	case exposeAdmin:
		ss := r.reachableServices(serviceAdmin)
		if len(ss) == 1 && ss[0].from <= r.from && ss[0].to >= r.to {
			return fmt.Sprintf("%s (%s) %s open to %s: anyone on the internet can attempt to log in or take remote control", ports, ss[0].name, are, to)
		}
		return fmt.Sprintf("%s %s open to %s, including remote administration: %s; anyone on the internet can attempt to log in or take remote control", ports, are, to, netServicesText(ss))
	case exposeDatabase:
		ss := r.reachableServices(serviceDatabase)
		if len(ss) == 1 && ss[0].from <= r.from && ss[0].to >= r.to {
			return fmt.Sprintf("%s (%s) %s open to %s: the data store can be reached from the internet, where it is scanned for weak credentials and unpatched flaws", ports, ss[0].name, are, to)
		}
		return fmt.Sprintf("%s %s open to %s, including data stores: %s; they can be reached from the internet, where they are scanned for weak credentials and unpatched flaws", ports, are, to, netServicesText(ss))
	case exposeRange:
		return fmt.Sprintf("%s (%d ports) are open to %s: whatever listens in that range is reachable from the internet", ports, r.to-r.from+1, to)
	case exposePort:
		if r.from == r.to {
			return fmt.Sprintf("%s is open to %s: the service behind it is reachable from the internet", ports, to)
		}
		return fmt.Sprintf("%s are open to %s: the services behind them are reachable from the internet", ports, to)
	case exposeNACLAll:
		if r.proto == protoAll {
			return fmt.Sprintf("all traffic is allowed in from %s: the network ACL filters nothing inbound, leaving security groups as the only filter", to)
		}
		return fmt.Sprintf("all %s ports (%d-%d) are allowed in from %s: the network ACL filters no inbound %s traffic, leaving security groups as the only filter", r.proto, r.from, r.to, to, r.proto)
	case exposeNACLAdmin:
		ss := r.reachableServices(serviceAdmin)
		if len(ss) == 1 && ss[0].from <= r.from && ss[0].to >= r.to {
			return fmt.Sprintf("%s (%s) %s allowed in from %s at the subnet boundary: only security groups stand between the internet and remote administration", ports, ss[0].name, are, to)
		}
		return fmt.Sprintf("%s %s allowed in from %s at the subnet boundary, including remote administration: %s", ports, are, to, netServicesText(ss))
	}
	return ""
}

// runIngressExposure is the Run of every open-network check: it reports the world-open
// rules of exposure want, and records as undecided the rules that may have it but depend
// on values not known statically.
func runIngressExposure(p *check.Pass, kind netRuleKind, want netExposure) {
	// Variants of one CloudFormation resource (one per assumption about an undecided
	// condition) share an address; a value unknown in several of them is one undecided
	// decision, not one per variant.
	undecided := map[string]bool{}
	undecide := func(r ingressRule) {
		at := r.firstUnknown()
		k := r.res.Scope + "\x00" + r.res.Address + "\x00" + at.String()
		if !undecided[k] {
			undecided[k] = true
			p.Undecided(r.res, at)
		}
	}
	var reported []ingressRule
	// Only rules of kind that may be open are in the list (ingressRules).
	for _, r := range sharedIngressRules(p.Graph, kind) {
		// The default network ACL of every VPC allows all inbound traffic; managing it
		// with the same rules (as terraform-aws-modules/vpc does by default) adds no
		// exposure, so only narrower rules of it (an administration port) are judged.
		if want == exposeNACLAll && onDefaultNACL(p.Graph, r) {
			continue
		}
		if len(r.shapeUnknown) > 0 {
			if mayExposeIngress(r, want) {
				undecide(r)
			}
			continue
		}
		if classifyIngress(r) != want {
			continue
		}
		if r.gateUnknown != nil || len(r.open) == 0 {
			undecide(r)
			continue
		}
		reported = append(reported, r)
	}
	if kind == networkACLRule {
		reported = mergeSameExposure(p.Graph, reported)
	}
	for _, r := range reported {
		p.Report(check.Finding{
			Resource: r.res, Path: r.open[0].path, Message: describeIngress(r, want),
			Related: append(ingressRelated(p.Graph, r), r.mergedRelated()...),
		})
	}
}

// ingressRelated returns the places that decided a reported rule besides its source
// (whose origins the engine adds): where its protocol and ports came from when they were
// written elsewhere (a variable default, a parameter default, a mapping); for a rule
// written as a resource of its own, the security group or network ACL it belongs to; and,
// for a CloudFormation resource whose own Condition cannot be decided statically, its
// logical ID with that condition.
func ingressRelated(g *graph.Graph, r ingressRule) []graph.Related {
	var rel []graph.Related
	for _, p := range r.shapePaths {
		rel = append(rel, r.res.OriginsOf(p...)...)
	}
	if attr, what := ruleOwnerAttr(r.res.Type); attr != "" {
		for _, e := range g.Out(r.res) {
			if len(e.Attr) == 0 || e.Attr[0] != attr || e.To.DefRange.IsZero() {
				continue
			}
			rel = append(rel, graph.Related{Range: e.To.DefRange, Message: fmt.Sprintf("the %s %s this rule belongs to", what, e.To.Address)})
		}
	}
	if c := r.res.Meta["condition"]; c != "" && slices.Contains(strings.Split(r.res.Meta["conditions"], ","), c+"=true") {
		rel = append(rel, graph.Related{
			Range:   r.res.DefRange,
			Message: fmt.Sprintf("created only when condition %s is true, which cannot be decided statically", c),
		})
	}
	return rel
}

// ruleOwnerAttr names the attribute by which a rule written as a resource of its own
// names its security group or network ACL, and what that owner is.
func ruleOwnerAttr(typ string) (attr, what string) {
	switch typ {
	case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule":
		return "security_group_id", "security group"
	case "AWS::EC2::SecurityGroupIngress":
		return "GroupId", "security group"
	case "aws_network_acl_rule":
		return "network_acl_id", "network ACL"
	case "AWS::EC2::NetworkAclEntry":
		return "NetworkAclId", "network ACL"
	}
	return "", ""
}

// netFormats is the Formats of the network checks: ingressRules has a reader for each.
var netFormats = []graph.Format{graph.Terraform, graph.CloudFormation}
