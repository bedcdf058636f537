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
		"Listener rules (aws_lb_listener_rule) are not taken into account.\n\n" +
		"CloudFormation: AWS::ElasticLoadBalancingV2::Listener with Protocol HTTP (or not set on " +
		"an application load balancer) and no DefaultActions entry of Type redirect whose " +
		"RedirectConfig.Protocol is HTTPS, unless its LoadBalancerArn names a load balancer " +
		"with Scheme internal; and AWS::ElasticLoadBalancing::LoadBalancer Listeners with " +
		"Protocol HTTP, unless Scheme is internal. Listener rules " +
		"(AWS::ElasticLoadBalancingV2::ListenerRule) are not taken into account either.",
	Remediation: "Serve HTTPS with a certificate, and answer HTTP with a redirect:\n\n" +
		"```hcl\nresource \"aws_lb_listener\" \"http\" {\n  load_balancer_arn = aws_lb.web.arn\n" +
		"  port              = 80\n  protocol          = \"HTTP\"\n\n  default_action {\n" +
		"    type = \"redirect\"\n    redirect {\n      port        = \"443\"\n" +
		"      protocol    = \"HTTPS\"\n      status_code = \"HTTP_301\"\n    }\n  }\n}\n```\n\n" +
		"```yaml\nHttp:\n  Type: AWS::ElasticLoadBalancingV2::Listener\n  Properties:\n" +
		"    LoadBalancerArn: !Ref Web\n    Port: 80\n    Protocol: HTTP\n    DefaultActions:\n" +
		"      - Type: redirect\n        RedirectConfig:\n          Port: \"443\"\n" +
		"          Protocol: HTTPS\n          StatusCode: HTTP_301\n```",
	Links: []string{
		"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener#protocol",
		"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elb#listener",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listener.html",
	},
	Formats: []graph.Format{graph.Terraform, graph.CloudFormation},
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("aws_lb_listener", "aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener") {
			if n, ok := listenerNamesFor(r); ok {
				checkListener(p, r, n)
			}
		}
		for _, r := range p.Graph.Resources("aws_elb", "AWS::ElasticLoadBalancing::LoadBalancer") {
			if n, ok := classicNamesFor(r); ok {
				checkClassicELB(p, r, n)
			}
		}
	},
}

// listenerNames are the names, in one format, of the settings that decide whether a
// listener serves plain HTTP.
type listenerNames struct {
	protocol, lbArn, actions, actionType, redirect, redirectProtocol string
	// lbTypes are the load balancer resource types; lbType the setting that says
	// application or network; scheme the setting that makes it internal.
	lbTypes        []string
	lbType, scheme string
}

var (
	tfListener = listenerNames{
		protocol: "protocol", lbArn: "load_balancer_arn", actions: "default_action", actionType: "type",
		redirect: "redirect", redirectProtocol: "protocol",
		lbTypes: []string{"aws_lb", "aws_alb"}, lbType: "load_balancer_type", scheme: "internal",
	}
	cfnListener = listenerNames{
		protocol: "Protocol", lbArn: "LoadBalancerArn", actions: "DefaultActions", actionType: "Type",
		redirect: "RedirectConfig", redirectProtocol: "Protocol",
		lbTypes: []string{"AWS::ElasticLoadBalancingV2::LoadBalancer"}, lbType: "Type", scheme: "Scheme",
	}
)

// listenerNamesFor returns the listener setting names of r's format.
func listenerNamesFor(r *graph.Resource) (listenerNames, bool) {
	switch r.Format {
	case graph.Terraform:
		return tfListener, true
	case graph.CloudFormation:
		return cfnListener, true
	}
	return listenerNames{}, false
}

// lbInternal reads whether a load balancer is internal: the internal flag in Terraform,
// Scheme: internal in CloudFormation (internet-facing is the default in both).
func lbInternal(lb *graph.Resource, scheme string) flagState {
	v := lb.Get(scheme)
	if lb.Format != graph.CloudFormation {
		return readFlag(v)
	}
	t := readText(v)
	switch {
	case !t.Known:
		return flagUnknown
	case !t.Set:
		return flagAbsent
	case strings.EqualFold(t.Value, "internal"):
		return flagTrue
	}
	return flagFalse
}

// checkListener decides whether an ALB/NLB listener serves plain HTTP to the internet.
func checkListener(p *check.Pass, r *graph.Resource, n listenerNames) {
	protoV := r.Get(n.protocol)
	proto := readText(protoV)
	if !proto.Known {
		p.Undecided(r, protoV.Path())
		return
	}
	if proto.Set && !strings.EqualFold(proto.Value, "HTTP") {
		return
	}
	// A template load balancer whose settings hang on an undecided condition is one
	// resource per assumption: the listener is judged against each of them.
	lbs := listenerLBs(p.Graph, r, n)
	if !proto.Set {
		// The default protocol is HTTP only on application load balancers.
		var albs []*graph.Resource
		if len(lbs) == 0 {
			isALB, path, decided := applicationLB(r, nil, n)
			if !decided {
				p.Undecided(r, path)
				return
			}
			if !isALB {
				return
			}
		}
		for _, lb := range lbs {
			isALB, path, decided := applicationLB(r, lb, n)
			if !decided {
				p.Undecided(lb, path)
				return
			}
			if isALB {
				albs = append(albs, lb)
			}
		}
		if len(lbs) > 0 && len(albs) == 0 {
			return
		}
		if len(lbs) > 0 {
			lbs = albs
		}
	}
	if redirects, at := redirectsToHTTPS(r, n); at != nil {
		p.Undecided(r, at)
		return
	} else if redirects {
		return
	}
	var related []graph.Related
	if len(lbs) > 0 {
		var public, unknown *graph.Resource
		for _, lb := range lbs {
			switch lbInternal(lb, n.scheme) {
			case flagUnknown:
				if unknown == nil {
					unknown = lb
				}
			case flagFalse, flagAbsent:
				if public == nil {
					public = lb
				}
			}
		}
		switch {
		case public != nil:
			related = append(related, graph.Related{Range: public.DefRange, Message: "the internet-facing load balancer " + public.Address})
		case unknown != nil:
			p.Undecided(unknown, graph.P(n.scheme))
			return
		default:
			return
		}
	}
	msg := asWrittenText(r, n.protocol, proto.Value) + " serves requests and cookies in plaintext, and no default action redirects to HTTPS"
	if !proto.Set {
		msg = n.protocol + " is not set, so the application load balancer listener serves plain HTTP, and no default action redirects to HTTPS"
	}
	p.Report(check.Finding{Resource: r, Path: protoV.Path(), Message: msg, Related: related})
}

// listenerLBs returns the load balancer resources a listener's load balancer ARN refers
// to (several when a template splits one into variants), or none when it is not in the
// scan.
func listenerLBs(g *graph.Graph, r *graph.Resource, n listenerNames) []*graph.Resource {
	var out []*graph.Resource
	for _, e := range g.Out(r) {
		if len(e.Attr) > 0 && e.Attr[0] == n.lbArn && typeOneOf(e.To.Type, n.lbTypes) && !containsRes(out, e.To) {
			out = append(out, e.To)
		}
	}
	return out
}

// containsRes reports whether r is in rs.
func containsRes(rs []*graph.Resource, r *graph.Resource) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// typeOneOf reports whether t is one of types.
func typeOneOf(t string, types []string) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// applicationLB tells whether the listener's load balancer is an application load
// balancer, from the resource in the scan or from a literal ARN
// (arn:...:loadbalancer/app/name/id). When it cannot tell, decided is false and path
// names the unknown value (on lb when it is not nil, else on the listener).
func applicationLB(r, lb *graph.Resource, n listenerNames) (isALB bool, path graph.Path, decided bool) {
	if lb != nil {
		v := lb.Get(n.lbType)
		t := readText(v)
		if !t.Known {
			return false, v.Path(), false
		}
		return !t.Set || strings.EqualFold(t.Value, "application"), nil, true
	}
	v := r.Get(n.lbArn)
	arn := readText(v)
	if !arn.Known || !arn.Set {
		return false, v.Path(), false
	}
	return strings.Contains(arn.Value, ":loadbalancer/app/"), nil, true
}

// redirectsToHTTPS reports whether a default action of the listener redirects to HTTPS.
// A non-nil at names a value that cannot be known statically and that decides it.
func redirectsToHTTPS(r *graph.Resource, n listenerNames) (redirects bool, at graph.Path) {
	actions, known := nestedBlocks(r.Get(n.actions))
	if !known {
		return false, graph.P(n.actions)
	}
	var unknown graph.Path
	for _, a := range actions {
		tv := a.Get(n.actionType)
		t := readText(tv)
		if !t.Known {
			unknown = tv.Path()
			continue
		}
		if !strings.EqualFold(t.Value, "redirect") {
			continue
		}
		rs, known := nestedBlocks(a.Get(n.redirect))
		if !known {
			unknown = a.Get(n.redirect).Path()
			continue
		}
		for _, rd := range rs {
			pv := rd.Get(n.redirectProtocol)
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

// classicNames are the names, in one format, of a classic load balancer's listener
// settings.
type classicNames struct{ listeners, protocol, scheme string }

// classicNamesFor returns the classic load balancer setting names of r's format.
func classicNamesFor(r *graph.Resource) (classicNames, bool) {
	switch r.Format {
	case graph.Terraform:
		return classicNames{"listener", "lb_protocol", "internal"}, true
	case graph.CloudFormation:
		return classicNames{"Listeners", "Protocol", "Scheme"}, true
	}
	return classicNames{}, false
}

// checkClassicELB reports the http listeners of an internet-facing classic load balancer.
func checkClassicELB(p *check.Pass, r *graph.Resource, n classicNames) {
	ls, known := nestedBlocks(r.Get(n.listeners))
	if !known {
		p.Undecided(r, graph.P(n.listeners))
		return
	}
	var plain []graph.Value
	for _, l := range ls {
		v := l.Get(n.protocol)
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
	switch lbInternal(r, n.scheme) {
	case flagUnknown:
		p.Undecided(r, graph.P(n.scheme))
		return
	case flagTrue:
		return
	}
	for _, v := range plain {
		s, _ := v.Str()
		p.Reportf(r, v.Path(), "%s serves requests and cookies in plaintext (a classic load balancer cannot redirect to HTTPS)", asWrittenText(r, n.protocol, s))
	}
}
