package aws

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestSplitCIDRsCoveringTheFamilyAreWorldOpen(t *testing.T) {
	cases := []struct {
		name  string
		cidrs []string
		open  int
		full  bool
	}{
		{"halves", []string{"0.0.0.0/1", "128.0.0.0/1"}, 2, true},
		{"quarters out of order", []string{"192.0.0.0/2", "0.0.0.0/2", "128.0.0.0/2", "64.0.0.0/2"}, 4, true},
		{"nested and overlapping", []string{"0.0.0.0/1", "10.0.0.0/8", "128.0.0.0/2", "192.0.0.0/2"}, 4, true},
		{"ipv6 halves", []string{"::/1", "8000::/1"}, 2, true},
		{"one wide block", []string{"128.0.0.0/1"}, 1, false},
		{"all global unicast ipv6", []string{"2000::/3"}, 1, false},
		{"below the threshold", []string{"0.0.0.0/5", "10.0.0.0/8"}, 0, false},
		{"private ranges", []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}, 0, false},
		{"families do not add up", []string{"0.0.0.0/5", "::/5"}, 0, false},
		{"slash zero wins", []string{"0.0.0.0/1", "0.0.0.0/0"}, 1, true},
	}
	for _, c := range cases {
		var cands []netCIDRSource
		for i, s := range c.cidrs {
			p, ok := parseNetCIDR(s)
			if !ok {
				t.Fatalf("%s: parseNetCIDR(%q) failed", c.name, s)
			}
			cands = append(cands, netCIDRSource{path: graph.P("cidr_blocks", i), cidr: s, prefix: p})
		}
		got := worldSources(cands)
		if len(got) != c.open {
			t.Errorf("%s: %d world-open sources, want %d (%v)", c.name, len(got), c.open, got)
			continue
		}
		for _, s := range got {
			if s.full != c.full {
				t.Errorf("%s: source %s full = %v, want %v", c.name, s.cidr, s.full, c.full)
			}
		}
	}
}

func TestMergePrefixesJoinsSiblingsOnly(t *testing.T) {
	in := []netip.Prefix{
		netip.MustParsePrefix("10.0.1.0/24"), netip.MustParsePrefix("10.0.0.0/24"),
		netip.MustParsePrefix("10.0.3.0/24"),
	}
	got := mergePrefixes(in)
	want := []string{"10.0.0.0/23", "10.0.3.0/24"}
	if len(got) != len(want) {
		t.Fatalf("mergePrefixes = %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("mergePrefixes[%d] = %v, want %s", i, got[i], want[i])
		}
	}
}

func TestParseNetCIDRAcceptsWhatAWSAccepts(t *testing.T) {
	for _, s := range []string{" 10.0.0.1/8 ", "0.0.0.0/00", "192.168.1.0/0", "::0/0"} {
		if _, ok := parseNetCIDR(s); !ok {
			t.Errorf("parseNetCIDR(%q) failed", s)
		}
	}
	for _, s := range []string{"", "pl-123", "10.0.0.0", "10.0.0.0/33", "::/129", "fe80::1%eth0/64", "10.0.0.0/-1"} {
		if _, ok := parseNetCIDR(s); ok {
			t.Errorf("parseNetCIDR(%q) succeeded", s)
		}
	}
}

// TestNarrowSourcesSkipMergingSafely checks the shortcut of worldSources: whenever
// mayCoverWorldShare says no family can be world-open, merging the prefixes would have
// found none either.
func TestNarrowSourcesSkipMergingSafely(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	skipped := 0
	for i := 0; i < 20000; i++ {
		var cands []netCIDRSource
		for n := 1 + rng.IntN(40); n > 0; n-- {
			// Mostly narrower than worldShare, so that both answers are common.
			bits := 4 + rng.IntN(12)
			if rng.IntN(20) == 0 {
				bits = rng.IntN(5)
			}
			var p netip.Prefix
			if rng.IntN(2) == 0 {
				a := netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), 0, 0})
				p, _ = a.Prefix(bits)
			} else {
				a := netip.AddrFrom16([16]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
				p, _ = a.Prefix(bits * 4)
			}
			cands = append(cands, netCIDRSource{path: graph.P("cidr_blocks", len(cands)), cidr: p.String(), prefix: p})
		}
		if mayCoverWorldShare(cands) {
			continue
		}
		skipped++
		for _, v6 := range []bool{false, true} {
			var ps []netip.Prefix
			for _, c := range cands {
				if c.prefix.Addr().Is6() == v6 {
					if c.prefix.Bits() == 0 {
						t.Fatalf("%v: a /0 was skipped", cands)
					}
					ps = append(ps, c.prefix)
				}
			}
			if m := mergePrefixes(ps); len(ps) > 0 && prefixesShare(m) >= worldShare {
				t.Fatalf("%v: merged share %v was skipped", ps, prefixesShare(m))
			}
		}
	}
	if skipped < 1000 {
		t.Errorf("only %d of 20000 cases took the shortcut", skipped)
	}
}

func TestVPCRangeReasons(t *testing.T) {
	cases := map[string]bool{
		"aws_vpc.main.cidr_block is known only after apply":                          true,
		"aws_vpc.main.ipv6_cidr_block is known only after apply":                     true,
		"aws_default_subnet.a.cidr_block is known only after apply":                  true,
		"aws_vpc_ipv4_cidr_block_association.x.cidr_block is known only after apply": true,
		"data.aws_subnet.app.cidr_block is read at apply time":                       true,
		"data.aws_vpc.shared.ipv6_cidr_block is read at apply time":                  true,
		// Not a block of the VPC, or not named.
		"aws_vpc.main.id is known only after apply":                                       false,
		"aws_vpc.main.tags_all is known only after apply":                                 false,
		"aws_vpc_ipv4_cidr_block_association.x.ipv6_cidr_block is known only after apply": false,
		"aws_instance.web.cidr_block is known only after apply":                           false,
		"data.aws_vpc.shared is read at apply time":                                       false,
		"aws_vpc.main.cidr_block is read at apply time":                                   false,
		"data.aws_vpc.shared.cidr_block is known only after apply":                        false,
		"var.cidr has no value":                                                           false,
		"aws_vpc.main.cidr_block.x is known only after apply":                             false,
	}
	for why, want := range cases {
		if got := isVPCRangeReason(why); got != want {
			t.Errorf("isVPCRangeReason(%q) = %v, want %v", why, got, want)
		}
	}
}

func TestDataSourceBlockNamedByTheParserIsNotWorldOpen(t *testing.T) {
	// The parser names a data source's attribute in this form when it can; the check
	// then decides the rule as it does for the managed resources.
	rule := func(why ...string) []string {
		r := netSG(cty.ObjectVal(map[string]cty.Value{
			"protocol":    cty.StringVal("tcp"),
			"from_port":   cty.NumberIntVal(22),
			"to_port":     cty.NumberIntVal(22),
			"cidr_blocks": cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)}),
		}))
		r.SetAttrInfo(graph.P("ingress", 0, "cidr_blocks"), graph.AttrInfo{Unknown: why})
		return netOutcomes(t, r)
	}
	expectNetOutcomes(t, rule("data.aws_vpc.shared.cidr_block is read at apply time"))
	expectNetOutcomes(t, rule("data.aws_vpc.shared.cidr_block is read at apply time", "var.extra has no value"),
		"undecided aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]")
	expectNetOutcomes(t, rule("data.aws_vpc.shared is read at apply time"),
		"undecided aws-ec2-sg-open-admin-port ingress[0].cidr_blocks[0]")
}
