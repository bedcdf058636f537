package aws

import (
	"fmt"
	"strings"
)

// netProto is an IP protocol as far as exposure is concerned: all of them, one that has
// ports, or one that has none (ICMP, GRE, ESP...), which opens no service port.
type netProto int

const (
	protoNone netProto = iota // absent or a protocol without ports
	protoAll
	protoTCP
	protoUDP
	protoSCTP
)

// hasPorts reports whether rules of the protocol select a port range.
func (p netProto) hasPorts() bool { return p == protoTCP || p == protoUDP || p == protoSCTP }

func (p netProto) String() string {
	switch p {
	case protoAll:
		return "all protocols"
	case protoTCP:
		return "TCP"
	case protoUDP:
		return "UDP"
	case protoSCTP:
		return "SCTP"
	}
	return "no port"
}

// parseNetProto reads a protocol as AWS and the Terraform provider accept it: a name in
// any case, or an IANA number, as a string or a number ("-1", -1 and "all" all mean every
// protocol).
func parseNetProto(s string) netProto {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-1", "all":
		return protoAll
	case "tcp", "6":
		return protoTCP
	case "udp", "17":
		return protoUDP
	case "sctp", "132":
		return protoSCTP
	}
	return protoNone
}

// worldOpenCIDR reports whether a CIDR covers every address of its family, i.e. has prefix
// length 0 (0.0.0.0/0, ::/0, and spellings such as 0.0.0.0/00 that net/netip's prefix
// parser rejects for the leading zero but AWS treats alike). Private and host ranges,
// prefix lists and security-group sources are not world-open.
// A rule can also be world-open through several CIDRs together; see worldSources.
func worldOpenCIDR(cidr string) bool {
	p, ok := parseNetCIDR(cidr)
	return ok && p.Bits() == 0
}

// netServiceKind groups the well-known services by how bad their exposure is.
type netServiceKind int

const (
	serviceAdmin netServiceKind = iota + 1
	serviceDatabase
)

// netService is a well-known listener on a port range for the given transports.
type netService struct {
	name     string
	from, to int
	tcp, udp bool
	kind     netServiceKind
}

// netServices lists the listeners whose exposure to the internet is reported specifically.
// Remote administration covers interactive logins and remote-control channels of a host:
// SSH, Telnet, RDP, VNC, WinRM, the Windows RPC/SMB channels used for remote management
// (PsExec, WMI, admin shares) and the unauthenticated-by-default Docker Engine API.
// Databases and caches are the data stores AWS customers run themselves on EC2/ECS or
// expose through RDS, Redshift, ElastiCache, OpenSearch, DocumentDB and Neptune.
var netServices = []netService{
	{"SSH", 22, 22, true, false, serviceAdmin},
	{"Telnet", 23, 23, true, false, serviceAdmin},
	{"MS RPC", 135, 135, true, false, serviceAdmin},
	{"NetBIOS", 139, 139, true, false, serviceAdmin},
	{"SMB", 445, 445, true, false, serviceAdmin},
	{"Docker API", 2375, 2376, true, false, serviceAdmin},
	{"RDP", 3389, 3389, true, true, serviceAdmin},
	{"VNC", 5900, 5900, true, false, serviceAdmin},
	{"WinRM", 5985, 5986, true, false, serviceAdmin},

	{"SQL Server", 1433, 1433, true, false, serviceDatabase},
	{"SQL Server Browser", 1434, 1434, false, true, serviceDatabase},
	{"Oracle", 1521, 1521, true, false, serviceDatabase},
	{"etcd", 2379, 2380, true, false, serviceDatabase},
	{"Oracle", 2483, 2484, true, false, serviceDatabase},
	{"MySQL", 3306, 3306, true, false, serviceDatabase},
	{"PostgreSQL", 5432, 5432, true, false, serviceDatabase},
	{"Redshift", 5439, 5439, true, false, serviceDatabase},
	{"CouchDB", 5984, 5984, true, false, serviceDatabase},
	{"Redis", 6379, 6379, true, false, serviceDatabase},
	{"Cassandra", 7000, 7001, true, false, serviceDatabase},
	{"Cassandra JMX", 7199, 7199, true, false, serviceDatabase},
	{"Neo4j", 7474, 7474, true, false, serviceDatabase},
	{"Neo4j Bolt", 7687, 7687, true, false, serviceDatabase},
	{"InfluxDB", 8086, 8086, true, false, serviceDatabase},
	{"ClickHouse", 8123, 8123, true, false, serviceDatabase},
	{"Neptune", 8182, 8182, true, false, serviceDatabase},
	{"Cassandra CQL", 9042, 9042, true, false, serviceDatabase},
	{"Cassandra Thrift", 9160, 9160, true, false, serviceDatabase},
	{"Elasticsearch/OpenSearch", 9200, 9200, true, false, serviceDatabase},
	{"Elasticsearch/OpenSearch transport", 9300, 9300, true, false, serviceDatabase},
	{"Memcached", 11211, 11211, true, true, serviceDatabase},
	{"CockroachDB", 26257, 26257, true, false, serviceDatabase},
	{"MongoDB/DocumentDB", 27017, 27019, true, false, serviceDatabase},
}

// netServicesIn returns the services of kind that listen somewhere in from..to over proto,
// in port order.
func netServicesIn(proto netProto, from, to int, kind netServiceKind) []netService {
	var out []netService
	for _, s := range netServices {
		if s.kind != kind || s.to < from || s.from > to {
			continue
		}
		if (proto == protoTCP && s.tcp) || (proto == protoUDP && s.udp) {
			out = append(out, s)
		}
	}
	return out
}

// isWebPort reports whether the range is exactly one of the web ports: HTTP 80 and HTTPS
// 443 over TCP, and HTTP/3 (QUIC) 443 over UDP. They are what a public load balancer or
// web server exists to expose.
func isWebPort(proto netProto, from, to int) bool {
	if from != to {
		return false
	}
	switch proto {
	case protoTCP:
		return from == 80 || from == 443
	case protoUDP:
		return from == 443
	}
	return false
}

// coversAllPortNumbers reports whether the range is every port (0-65535, or 1-65535 since port
// 0 is reserved).
func coversAllPortNumbers(from, to int) bool { return from <= 1 && to >= 65535 }

// netWideRange is the number of ports above which a range no longer describes one service
// but a block of whatever happens to listen there.
const netWideRange = 10

// netPortsText renders "TCP port 22" or "TCP ports 0-1024".
func netPortsText(proto netProto, from, to int) string {
	if from == to {
		return fmt.Sprintf("%s port %d", proto, from)
	}
	return fmt.Sprintf("%s ports %d-%d", proto, from, to)
}

// netServicesText renders "SSH (22), Telnet (23) and 2 more".
func netServicesText(ss []netService) string {
	const most = 3
	var parts []string
	for i, s := range ss {
		if i == most {
			break
		}
		if s.from == s.to {
			parts = append(parts, fmt.Sprintf("%s (%d)", s.name, s.from))
		} else {
			parts = append(parts, fmt.Sprintf("%s (%d-%d)", s.name, s.from, s.to))
		}
	}
	if len(ss) > most {
		return strings.Join(parts, ", ") + fmt.Sprintf(" and %d more", len(ss)-most)
	}
	return netJoinAnd(parts)
}

// netJoinAnd renders "a", "a and b", "a, b and c".
func netJoinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
