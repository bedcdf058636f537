package aws

import (
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func encListener(name string, lb string, attrs map[string]any) *graph.Resource {
	r := encRes("aws_lb_listener", name, attrs)
	if lb != "" {
		r.AddRef(lb, graph.P("load_balancer_arn"))
		r.Attrs = encVal(encWithAttr(attrs, "load_balancer_arn", unknownVal))
	}
	return r
}

func encWithAttr(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for kk, vv := range m {
		out[kk] = vv
	}
	return out
}

func encForward() []any { return []any{map[string]any{"type": "forward"}} }

func encRedirect(proto any) []any {
	rd := map[string]any{"port": "443"}
	if proto != nil {
		rd["protocol"] = proto
	}
	return []any{map[string]any{"type": "redirect", "redirect": []any{rd}}}
}

func TestHTTPListenerRedirectingToHTTPSIsNotReported(t *testing.T) {
	lb := encRes("aws_lb", "web", map[string]any{"internal": false})
	got := encRun(t, elbHTTPListener, lb,
		encListener("plain", "aws_lb.web", map[string]any{"protocol": "HTTP", "default_action": encForward()}),
		encListener("redirect", "aws_lb.web", map[string]any{"protocol": "HTTP", "default_action": encRedirect("HTTPS")}),
		encListener("redirect_same_proto", "aws_lb.web", map[string]any{"protocol": "HTTP", "default_action": encRedirect(nil)}),
		encListener("redirect_var", "aws_lb.web", map[string]any{"protocol": "HTTP", "default_action": encRedirect(unknownVal)}),
		encListener("https", "aws_lb.web", map[string]any{"protocol": "HTTPS", "default_action": encForward()}),
		encListener("default_proto", "aws_lb.web", map[string]any{"default_action": encForward()}),
	)
	encExpect(t, got,
		"aws_lb_listener.plain protocol",
		"aws_lb_listener.redirect_same_proto protocol",
		"aws_lb_listener.default_proto protocol",
		"undecided aws_lb_listener.redirect_var default_action[0].redirect[0].protocol",
	)
}

func TestListenerOfInternalOrNetworkLoadBalancerIsNotReported(t *testing.T) {
	internal := encRes("aws_lb", "internal", map[string]any{"internal": true})
	nlb := encRes("aws_lb", "nlb", map[string]any{"load_balancer_type": "network"})
	unknown := encRes("aws_lb", "unknown", map[string]any{"internal": unknownVal})
	got := encRun(t, elbHTTPListener, internal, nlb, unknown,
		encListener("internal", "aws_lb.internal", map[string]any{"protocol": "HTTP", "default_action": encForward()}),
		encListener("nlb", "aws_lb.nlb", map[string]any{"port": 80, "default_action": encForward()}),
		encListener("unknown", "aws_lb.unknown", map[string]any{"protocol": "HTTP", "default_action": encForward()}),
	)
	encExpect(t, got, "undecided aws_lb.unknown internal")
}

func TestListenerOutsideTheScanUsesTheARN(t *testing.T) {
	got := encRun(t, elbHTTPListener,
		encListener("alb_arn", "", map[string]any{"load_balancer_arn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/web/abc", "default_action": encForward()}),
		encListener("nlb_arn", "", map[string]any{"load_balancer_arn": "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/web/abc", "default_action": encForward()}),
		encListener("var_arn", "", map[string]any{"load_balancer_arn": unknownVal, "default_action": encForward()}),
		encListener("var_arn_http", "", map[string]any{"load_balancer_arn": unknownVal, "protocol": "http", "default_action": encForward()}),
	)
	encExpect(t, got,
		"aws_lb_listener.alb_arn protocol",
		"aws_lb_listener.var_arn_http protocol",
		"undecided aws_lb_listener.var_arn load_balancer_arn",
	)
}

func TestClassicELBHTTPListenerIsReportedUnlessInternal(t *testing.T) {
	listeners := []any{
		map[string]any{"lb_protocol": "http", "lb_port": 80},
		map[string]any{"lb_protocol": "https", "lb_port": 443},
		map[string]any{"lb_protocol": "tcp", "lb_port": 25},
	}
	got := encRun(t, elbHTTPListener,
		encRes("aws_elb", "public", map[string]any{"listener": listeners}),
		encRes("aws_elb", "internal", map[string]any{"listener": listeners, "internal": true}),
	)
	encExpect(t, got, "aws_elb.public listener[0].lb_protocol")
}
