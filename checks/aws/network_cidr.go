package aws

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// worldShare is the share of an address family from which a rule's sources count as the
// internet. Whole-family coverage (0.0.0.0/0, or 0.0.0.0/1 with 128.0.0.0/1) obviously
// counts; so does a single very wide public block: 128.0.0.0/1 alone is two billion
// addresses that internet-wide scanners sweep like any other, and 2000::/3 is every
// global unicast IPv6 address in use. A sixteenth of the family (a /4 or wider) is far
// above any range an organisation owns (the largest IPv4 allocations are /8) and far
// below what someone writing 0.0.0.0/1 is trying to reach, so nothing legitimate sits
// near the threshold.
const worldShare = 1.0 / 16

// netCIDRSource is a known CIDR source of a rule, before deciding whether it is part of
// a world-open set.
type netCIDRSource struct {
	path   graph.Path
	cidr   string
	prefix netip.Prefix
}

// parseNetCIDR reads a CIDR as AWS accepts it: surrounding spaces are ignored, the host
// bits need not be zero (192.168.1.0/0 is 0.0.0.0/0) and the prefix length may carry
// leading zeros (0.0.0.0/00), which net/netip's prefix parser rejects.
func parseNetCIDR(cidr string) (netip.Prefix, bool) {
	addr, bits, ok := strings.Cut(strings.TrimSpace(cidr), "/")
	if !ok {
		return netip.Prefix{}, false
	}
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(bits))
	if err != nil || n < 0 || n > a.BitLen() {
		return netip.Prefix{}, false
	}
	p, err := a.Prefix(n)
	if err != nil {
		return netip.Prefix{}, false
	}
	return p, true
}

// mergePrefixes returns the smallest set of disjoint prefixes covering the same addresses
// as ps, which must all be of one family, sorted by address: contained prefixes are
// dropped and sibling halves joined into their parent until none are left.
func mergePrefixes(ps []netip.Prefix) []netip.Prefix {
	sorted := slices.Clone(ps)
	slices.SortFunc(sorted, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	var out []netip.Prefix
	for _, p := range sorted {
		// Sorted by address with wider first, a prefix can only be inside the last kept
		// one: the kept prefixes are disjoint and in address order.
		if n := len(out); n > 0 && out[n-1].Overlaps(p) {
			continue
		}
		out = append(out, p)
		// Join the two last prefixes while they are the halves of one parent; as in a
		// binary counter, each join may complete another pair.
		for len(out) >= 2 {
			a, b := out[len(out)-2], out[len(out)-1]
			if a.Bits() != b.Bits() || a.Bits() == 0 {
				break
			}
			parent, err := a.Addr().Prefix(a.Bits() - 1)
			if err != nil || parent.Addr() != a.Addr() || !parent.Contains(b.Addr()) {
				break
			}
			out = append(out[:len(out)-2], parent)
		}
	}
	return out
}

// prefixesShare returns the share of their family that disjoint prefixes cover.
func prefixesShare(ps []netip.Prefix) float64 {
	share := 0.0
	for _, p := range ps {
		share += 1 / float64(uint64(1)<<min(p.Bits(), 63))
	}
	return share
}

// worldSources returns the sources of a rule that make it world-open, per address family:
// the /0 sources when there are any; otherwise, when the family's sources together cover
// the whole family or at least worldShare of it, all of that family's sources. full says
// the family is covered entirely, which is what a deny entry needs to close a port to
// everyone.
func worldSources(cands []netCIDRSource) []netSource {
	if !mayCoverWorldShare(cands) {
		return nil
	}
	var out []netSource
	for _, v6 := range []bool{false, true} {
		// A family has a few sources: they are gathered on the stack.
		var famBuf [4]netCIDRSource
		var psBuf [4]netip.Prefix
		fam, ps := famBuf[:0], psBuf[:0]
		for _, c := range cands {
			if c.prefix.Addr().Is6() == v6 {
				fam = append(fam, c)
				ps = append(ps, c.prefix)
			}
		}
		if len(fam) == 0 {
			continue
		}
		// The /0 sources, when there are any, are the family's world-open sources.
		before := len(out)
		for _, c := range fam {
			if c.prefix.Bits() == 0 {
				out = append(out, netSource{path: c.path, cidr: c.cidr, full: true})
			}
		}
		if len(out) > before {
			continue
		}
		merged := mergePrefixes(ps)
		full := len(merged) == 1 && merged[0].Bits() == 0
		if !full && prefixesShare(merged) < worldShare {
			continue
		}
		for _, c := range fam {
			out = append(out, netSource{path: c.path, cidr: c.cidr, full: full, split: true})
		}
	}
	// Keep the order in which the sources were written, so that the finding points at
	// the first of them.
	slices.SortStableFunc(out, func(a, b netSource) int {
		return indexOfSource(cands, a.path) - indexOfSource(cands, b.path)
	})
	return out
}

// mayCoverWorldShare reports whether the sources of some family could be world-open. Most
// rules name private or narrow ranges: prefixes that would hold less than worldShare of
// their family even if none overlapped cannot cover it after merging either, so the
// merging is skipped. The sum is compared with half the threshold, a margin far wider
// than its rounding.
func mayCoverWorldShare(cands []netCIDRSource) bool {
	var v4, v6 float64
	for _, c := range cands {
		share := 1 / float64(uint64(1)<<min(c.prefix.Bits(), 63))
		if c.prefix.Addr().Is6() {
			v6 += share
		} else {
			v4 += share
		}
	}
	return v4 >= worldShare/2 || v6 >= worldShare/2
}

// indexOfSource is the position of the candidate at p.
func indexOfSource(cands []netCIDRSource, p graph.Path) int {
	for i, c := range cands {
		if c.path.String() == p.String() {
			return i
		}
	}
	return len(cands)
}

// tfVPCRangeAttrs names, per Terraform resource type, the attributes that hold a VPC's or
// subnet's own address block. AWS allows VPC blocks from /16 to /28 (IPv4) and /44 to /60
// (IPv6, /56 when Amazon provides it), and subnets are narrower still, so such a block is
// never world-open however the rest of the rule reads. The data sources of the same types
// return the same blocks.
var tfVPCRangeAttrs = map[string][]string{
	"aws_vpc":                             {"cidr_block", "ipv6_cidr_block"},
	"aws_default_vpc":                     {"cidr_block", "ipv6_cidr_block"},
	"aws_subnet":                          {"cidr_block", "ipv6_cidr_block"},
	"aws_default_subnet":                  {"cidr_block", "ipv6_cidr_block"},
	"aws_vpc_ipv4_cidr_block_association": {"cidr_block"},
	"aws_vpc_ipv6_cidr_block_association": {"ipv6_cidr_block"},
}

// tfVPCAddressRange reports whether the source at p of a Terraform resource, not known
// statically, is known to be a VPC or subnet range: every reason the parser gives for it
// names one of the attributes in tfVPCRangeAttrs as the input that is unknown, directly
// (cidr_blocks = [aws_vpc.main.ipv6_cidr_block]) or through what was computed from it (a
// subnet's cidrsubnet(aws_vpc.main.cidr_block, 8, 1), a module output). Any other unknown
// input (a variable without a value, another attribute of the VPC such as a tag) keeps the
// source undecided. A data source is named with the attribute read from it
// ("data.aws_vpc.x.cidr_block is read at apply time"); a reason that names the data source
// alone (a whole-object read) keeps the source undecided.
func tfVPCAddressRange(r *graph.Resource, p graph.Path) bool {
	// UnknownOf also looks at the enclosing attributes: the parser records the reasons for
	// a list of sources, not for each element. When it recorded none, its answer names no
	// VPC attribute and the source stays undecided.
	for _, why := range r.UnknownOf(p...) {
		if !isVPCRangeReason(why) {
			return false
		}
	}
	return true
}

// isVPCRangeReason reports whether an unknown-value reason names a VPC or subnet block as
// the unknown input: "aws_vpc.main.cidr_block is known only after apply", or for a data
// source "data.aws_subnet.app.cidr_block is read at apply time". The resource's own
// address carries no module path, so the reason reads the same inside a module.
func isVPCRangeReason(why string) bool {
	ref, ok := strings.CutSuffix(why, " is known only after apply")
	if !ok {
		if ref, ok = strings.CutSuffix(why, " is read at apply time"); !ok {
			return false
		}
		if ref, ok = strings.CutPrefix(ref, "data."); !ok {
			return false
		}
	}
	typ, rest, _ := strings.Cut(ref, ".")
	name, attr, _ := strings.Cut(rest, ".")
	if name == "" || strings.Contains(attr, ".") {
		return false
	}
	return slices.Contains(tfVPCRangeAttrs[typ], attr)
}
