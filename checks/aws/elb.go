package aws

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var elbHTTPListener = &check.Check{
	ID:       "aws-elb-http-listener",
	Title:    "Internet-facing load balancer listener serves plain HTTP",
	Severity: check.High,
	Category: check.CategoryEncryption,
	Description: "A listener that serves HTTP instead of redirecting to HTTPS sends requests " +
		"and responses, session cookies, credentials and tokens included, in plaintext " +
		"across the internet, where anyone on the path can read and alter them. High: the " +
		"exposure is to the whole network path and needs no access to the account.\n\n" +
		"Reported: aws_lb_listener and aws_alb_listener with protocol = \"HTTP\", or without " +
		"protocol on an application load balancer (where it defaults to HTTP), unless a " +
		"default action redirects to HTTPS (type = \"redirect\" with protocol = \"HTTPS\"), " +
		"the standard way to answer on port 80; and classic aws_elb listeners with " +
		"lb_protocol = \"http\". Not reported: listeners of load balancers declared with " +
		"internal = true, whose traffic stays inside the VPC; network load balancer " +
		"listeners (TCP, UDP: the application protocol cannot be seen, so they are out of " +
		"scope) and classic tcp listeners for the same reason. The load balancer is found " +
		"through load_balancer_arn (a reference in the scan, or a literal ARN, whose " +
		"app/net part tells the type); when it is outside the scan, an explicit HTTP " +
		"listener is reported, and a listener without protocol is recorded as undecided. " +
		"Listener rules (aws_lb_listener_rule) are not taken into account.",
	Remediation: "Serve HTTPS with a certificate, and answer HTTP with a redirect:\n\n" +
		"```hcl\nresource \"aws_lb_listener\" \"http\" {\n  load_balancer_arn = aws_lb.web.arn\n" +
		"  port              = 80\n  protocol          = \"HTTP\"\n\n  default_action {\n" +
		"    type = \"redirect\"\n    redirect {\n      port        = \"443\"\n" +
		"      protocol    = \"HTTPS\"\n      status_code = \"HTTP_301\"\n    }\n  }\n}\n```",
	Links: []string{
		"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener#protocol",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elb#listener",
	},
	Formats: []graph.Format{graph.Terraform},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_lb_listener", "aws_alb_listener") {
			if r.Format == graph.Terraform {
				checkListener(p, r)
			}
		}
		for _, r := range p.Graph.Resources("aws_elb") {
			if r.Format == graph.Terraform {
				checkClassicELB(p, r)
			}
		}
	},
}

// checkListener decides whether an ALB/NLB listener serves plain HTTP to the internet.
func checkListener(p *check.Pass, r *graph.Resource) {
	protoV := r.Get("protocol")
	proto := readText(protoV)
	if !proto.Known {
		p.Undecided(r, protoV.Path())
		return
	}
	if proto.Set && !strings.EqualFold(proto.Value, "HTTP") {
		return
	}
	lb := listenerLB(p.Graph, r)
	if !proto.Set {
		// The default protocol is HTTP only on application load balancers.
		isALB, path, decided := applicationLB(r, lb)
		if !decided {
			if lb != nil {
				p.Undecided(lb, path)
			} else {
				p.Undecided(r, path)
			}
			return
		}
		if !isALB {
			return
		}
	}
	if redirects, at := redirectsToHTTPS(r); at != nil {
		p.Undecided(r, at)
		return
	} else if redirects {
		return
	}
	var related []graph.Related
	if lb != nil {
		switch readFlag(lb.Get("internal")) {
		case flagUnknown:
			p.Undecided(lb, graph.P("internal"))
			return
		case flagTrue:
			return
		}
		related = append(related, graph.Related{Range: lb.DefRange, Message: "the internet-facing load balancer " + lb.Address})
	}
	msg := "protocol = \"" + proto.Value + "\" serves requests and cookies in plaintext, and no default action redirects to HTTPS"
	if !proto.Set {
		msg = "protocol is not set, so the application load balancer listener serves plain HTTP, and no default action redirects to HTTPS"
	}
	p.Report(check.Finding{Resource: r, Path: protoV.Path(), Message: msg, Related: related})
}

// listenerLB returns the load balancer resource a listener's load_balancer_arn refers to,
// or nil when it is not in the scan.
func listenerLB(g *graph.Graph, r *graph.Resource) *graph.Resource {
	for _, e := range g.Out(r) {
		if len(e.Attr) > 0 && e.Attr[0] == "load_balancer_arn" && (e.To.Type == "aws_lb" || e.To.Type == "aws_alb") {
			return e.To
		}
	}
	return nil
}

// applicationLB tells whether the listener's load balancer is an application load
// balancer, from the resource in the scan or from a literal ARN
// (arn:...:loadbalancer/app/name/id). When it cannot tell, decided is false and path
// names the unknown value (on lb when it is not nil, else on the listener).
func applicationLB(r, lb *graph.Resource) (isALB bool, path graph.Path, decided bool) {
	if lb != nil {
		v := lb.Get("load_balancer_type")
		t := readText(v)
		if !t.Known {
			return false, v.Path(), false
		}
		return !t.Set || strings.EqualFold(t.Value, "application"), nil, true
	}
	v := r.Get("load_balancer_arn")
	arn := readText(v)
	if !arn.Known || !arn.Set {
		return false, v.Path(), false
	}
	return strings.Contains(arn.Value, ":loadbalancer/app/"), nil, true
}

// redirectsToHTTPS reports whether a default action of the listener redirects to HTTPS.
// A non-nil at names a value that cannot be known statically and that decides it.
func redirectsToHTTPS(r *graph.Resource) (redirects bool, at graph.Path) {
	actions, known := nestedBlocks(r.Get("default_action"))
	if !known {
		return false, graph.P("default_action")
	}
	var unknown graph.Path
	for _, a := range actions {
		tv := a.Get("type")
		t := readText(tv)
		if !t.Known {
			unknown = tv.Path()
			continue
		}
		if !strings.EqualFold(t.Value, "redirect") {
			continue
		}
		rs, known := nestedBlocks(a.Get("redirect"))
		if !known {
			unknown = a.Get("redirect").Path()
			continue
		}
		for _, rd := range rs {
			pv := rd.Get("protocol")
			proto := readText(pv)
			if !proto.Known {
				unknown = pv.Path()
				continue
			}
			if strings.EqualFold(proto.Value, "HTTPS") {
				return true, nil
			}
		}
	}
	return false, unknown
}

// checkClassicELB reports the http listeners of an internet-facing classic load balancer.
func checkClassicELB(p *check.Pass, r *graph.Resource) {
	ls, known := nestedBlocks(r.Get("listener"))
	if !known {
		p.Undecided(r, graph.P("listener"))
		return
	}
	var plain []graph.Value
	for _, l := range ls {
		v := l.Get("lb_protocol")
		t := readText(v)
		if !t.Known {
			p.Undecided(r, v.Path())
			continue
		}
		if strings.EqualFold(t.Value, "http") {
			plain = append(plain, v)
		}
	}
	if len(plain) == 0 {
		return
	}
	switch readFlag(r.Get("internal")) {
	case flagUnknown:
		p.Undecided(r, graph.P("internal"))
		return
	case flagTrue:
		return
	}
	for _, v := range plain {
		s, _ := v.Str()
		p.Reportf(r, v.Path(), "lb_protocol = %q serves requests and cookies in plaintext (a classic load balancer cannot redirect to HTTPS)", s)
	}
}
