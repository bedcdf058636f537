package kubernetes

import (
	"encoding/json"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var ingressWithoutTLS = &check.Check{
	ID:       "k8s-ingress-missing-tls",
	Title:    "Ingress serves plain HTTP without TLS",
	Severity: check.Medium,
	Category: check.CategoryEncryption,
	Description: "An Ingress without a tls section serves its hosts over plain HTTP, so " +
		"credentials and session cookies cross the network in clear text. Reported at the " +
		"Ingress spec when it has no tls entry; when every tls entry names hosts, at each rule " +
		"whose host none of them covers (wildcards match one label) and at each rule without a " +
		"host (it answers every host name and the bare address). A tls entry without hosts " +
		"covers every host. The defaultBackend is not reported on its own: next to rules it is " +
		"the catch-all for host names no rule names (a 404 page, say), and without rules the " +
		"tls entries name the hosts it is reached by. A rule or a host that is a deploy-time " +
		"placeholder (${HOST}, {{ .Values.host }}), or a host not covered while a tls host is " +
		"one, is undecided; a placeholder written the same way in both is covered. " +
		"TLS terminated by the cloud load balancer counts when the annotations leave no plain " +
		"HTTP content: on the AWS Load Balancer Controller, alb.ingress.kubernetes.io/listen-ports " +
		"with HTTPS listeners only (when absent it is HTTPS 443 only if certificate-arn is " +
		"set), or HTTP listeners redirected by ssl-redirect or by an actions.NAME redirect to " +
		"HTTPS that is the first, catch-all path of every rule; on GKE, " +
		"kubernetes.io/ingress.allow-http: \"false\" or a FrontendConfig in the scan with " +
		"redirectToHttps enabled, together with networking.gke.io/managed-certificates or " +
		"ingress.gcp.kubernetes.io/pre-shared-cert; ingress-nginx " +
		"force-ssl-redirect: \"true\" (TLS offloaded in front of the controller); Traefik " +
		"router.tls: \"true\". ingress-nginx ssl-redirect alone does not count: it only " +
		"redirects hosts that have a tls entry.",
	Remediation: "Add a tls entry naming the hosts and a certificate Secret, e.g. " +
		"`tls: [{hosts: [\"shop.example.com\"], secretName: shop-tls}]`, or terminate TLS at " +
		"the load balancer and close or redirect its HTTP listener (for the AWS Load Balancer " +
		"Controller, `alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\":443}]'` with a " +
		"certificate-arn).",
	Links:   []string{linkIngressTLS, linkALBAnnotations, linkGKEIngressTLS},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("Ingress") {
			if r.Format != graph.Kubernetes {
				continue
			}
			lb := loadBalancerTLS(p.Graph, r)
			if lb.httpsOnly {
				continue
			}
			tls := r.Get("spec", "tls").List()
			if len(tls) == 0 {
				msg := lb.why
				if msg == "" {
					msg = "no tls entry: the Ingress serves plain HTTP"
				}
				p.Reportf(r, graph.P("spec", "tls"), "%s", msg)
				continue
			}
			var hosts []string
			all := false
			for _, t := range tls {
				hs := t.Get("hosts").Strings()
				if len(hs) == 0 {
					all = true
				}
				hosts = append(hosts, hs...)
			}
			if all {
				continue
			}
			for _, rule := range r.Get("spec", "rules").List() {
				if !rule.IsObject() {
					// A rule written as a deploy-time placeholder may name any host; an
					// unknown one likewise. Anything else is not a rule the API server
					// accepts, so it serves nothing.
					if !rule.IsKnown() {
						p.Undecided(r, rule.Path())
					} else if s, ok := rule.Str(); ok && isPlaceholder(s) {
						p.UndecidedBecause(r, rule.Path(), "rule "+strings.TrimSpace(s)+" is a deploy-time placeholder")
					}
					continue
				}
				host := rule.Get("host")
				if !host.Exists() {
					// A rule without a host matches every Host header and the bare address;
					// the tls entries, all naming hosts, cover none of them.
					p.Reportf(r, rule.Path(), "rule without a host serves every host name over plain HTTP; the tls entries cover only %s",
						quoteList(hosts))
					continue
				}
				h, ok := host.Str()
				if !ok {
					continue
				}
				if h == "" {
					p.Reportf(r, host.Path(), "rule with an empty host serves every host name over plain HTTP; the tls entries cover only %s",
						quoteList(hosts))
					continue
				}
				if hostCovered(h, hosts) {
					continue
				}
				// A host or tls host filled in at deploy time may turn out to match.
				if isPlaceholder(h) {
					p.UndecidedBecause(r, host.Path(), "host "+strings.TrimSpace(h)+" is a deploy-time placeholder")
					continue
				}
				if t, ok := placeholderHost(hosts); ok {
					p.UndecidedBecause(r, host.Path(), "tls host "+t+" is a deploy-time placeholder")
					continue
				}
				p.Reportf(r, host.Path(), "host %s is not covered by any tls entry", h)
			}
		}
	},
}

// hostCovered reports whether a TLS host list covers host; "*.example.com" covers one
// label.
func hostCovered(host string, tlsHosts []string) bool {
	host = strings.ToLower(host)
	for _, t := range tlsHosts {
		t = strings.ToLower(t)
		if t == host {
			return true
		}
		if rest, ok := strings.CutPrefix(t, "*."); ok {
			if i := strings.IndexByte(host, '.'); i > 0 && host[i+1:] == rest {
				return true
			}
		}
	}
	return false
}

// placeholderHost returns the first tls host that is wholly a deploy-time placeholder.
func placeholderHost(tlsHosts []string) (string, bool) {
	for _, t := range tlsHosts {
		if isPlaceholder(t) {
			return strings.TrimSpace(t), true
		}
	}
	return "", false
}

// Annotations through which the common Ingress controllers terminate TLS outside the
// Ingress's tls section.
const (
	albPrefix         = "alb.ingress.kubernetes.io/"
	albCertificateARN = albPrefix + "certificate-arn"
	albListenPorts    = albPrefix + "listen-ports"
	albSSLRedirect    = albPrefix + "ssl-redirect"
	gkeAllowHTTP      = "kubernetes.io/ingress.allow-http"
	gkeManagedCerts   = "networking.gke.io/managed-certificates"
	gkePreSharedCert  = "ingress.gcp.kubernetes.io/pre-shared-cert"
	gkeFrontendConfig = "networking.gke.io/v1beta1.FrontendConfig"
	nginxForceSSL     = "nginx.ingress.kubernetes.io/force-ssl-redirect"
	nginxSSLRedirect  = "nginx.ingress.kubernetes.io/ssl-redirect"
	traefikRouterTLS  = "traefik.ingress.kubernetes.io/router.tls"
)

// lbTLS is what an Ingress's controller annotations say about TLS.
type lbTLS struct {
	// httpsOnly is true when the load balancer serves no content over plain HTTP: every
	// listener is HTTPS, or the HTTP ones only redirect to HTTPS.
	httpsOnly bool
	// why is the finding's message when httpsOnly is false but an annotation looks like
	// TLS while still leaving plain HTTP; empty otherwise.
	why string
}

// loadBalancerTLS reads the annotations of the AWS Load Balancer Controller, GKE,
// ingress-nginx and Traefik that terminate TLS or close plain HTTP without a tls entry.
func loadBalancerTLS(g *graph.Graph, ing *graph.Resource) lbTLS {
	ann := ing.Get("metadata", "annotations")
	str := func(k string) string {
		s, _ := ann.Get(k).Str()
		return strings.TrimSpace(s)
	}
	if b, ok := ann.Get(nginxForceSSL).Bool(); ok && b {
		return lbTLS{httpsOnly: true}
	}
	if b, ok := ann.Get(traefikRouterTLS).Bool(); ok && b {
		return lbTLS{httpsOnly: true}
	}
	redirect := str(albSSLRedirect) != "" || albRedirectsEveryPath(ing)
	if alb := albTLS(str(albListenPorts), str(albCertificateARN) != "", redirect); alb.httpsOnly || alb.why != "" {
		return alb
	}
	if cert := str(gkeManagedCerts) != "" || str(gkePreSharedCert) != ""; cert {
		if b, ok := ann.Get(gkeAllowHTTP).Bool(); ok && !b {
			return lbTLS{httpsOnly: true}
		}
		if frontendRedirects(g, ing, str(gkeFrontendConfig)) {
			return lbTLS{httpsOnly: true}
		}
		return lbTLS{why: "the load balancer serves plain HTTP next to HTTPS: " + gkeAllowHTTP + " is not \"false\" and no FrontendConfig redirects to HTTPS"}
	}
	if b, ok := ann.Get(nginxSSLRedirect).Bool(); ok && b {
		return lbTLS{why: "no tls entry: the Ingress serves plain HTTP, and ingress-nginx ssl-redirect only redirects hosts that have one"}
	}
	return lbTLS{}
}

// albTLS decides the AWS Load Balancer Controller's listeners. listen-ports is a JSON list
// such as [{"HTTP": 80}, {"HTTPS": 443}]; without it the controller opens HTTPS 443 when a
// certificate is given and HTTP 80 otherwise. HTTP listeners serve nothing but a redirect
// when ssl-redirect names the HTTPS port, or when a redirect action catches every path
// (sslRedirect is either). An annotation that does not parse leaves the
// decision to the tls section.
func albTLS(listenPorts string, hasCert, sslRedirect bool) lbTLS {
	var http, https bool
	if listenPorts == "" {
		if !hasCert {
			return lbTLS{}
		}
		https = true
	} else {
		var ports []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(listenPorts), &ports); err != nil {
			return lbTLS{}
		}
		for _, p := range ports {
			for proto := range p {
				switch strings.ToUpper(proto) {
				case "HTTP":
					http = true
				case "HTTPS":
					https = true
				}
			}
		}
	}
	switch {
	case !https:
		return lbTLS{}
	case !http:
		return lbTLS{httpsOnly: true}
	case sslRedirect:
		return lbTLS{httpsOnly: true}
	}
	return lbTLS{why: "the ALB serves plain HTTP next to HTTPS: listen-ports opens HTTP without " + albSSLRedirect}
}

// frontendRedirects reports whether the GKE FrontendConfig named by an Ingress, found in
// the scan in the Ingress's namespace, redirects HTTP to HTTPS.
func frontendRedirects(g *graph.Graph, ing *graph.Resource, name string) bool {
	if name == "" {
		return false
	}
	for _, fc := range g.Resources("FrontendConfig") {
		if fc.Format != graph.Kubernetes || fc.Meta["name"] != name || fc.Meta["namespace"] != ing.Meta["namespace"] {
			continue
		}
		if b, ok := fc.Get("spec", "redirectToHttps", "enabled").Bool(); ok && b {
			return true
		}
	}
	return false
}

// albRedirectsEveryPath reports whether an Ingress uses the AWS Load Balancer Controller's
// older redirect pattern on every rule: an alb.ingress.kubernetes.io/actions.NAME
// annotation holding a redirect to HTTPS, named (with port use-annotation) by the first
// path of each rule as a catch-all ("/*" or "/"), or by the default backend of an Ingress
// without rules. The ALB evaluates that path first, so nothing else is served over HTTP.
func albRedirectsEveryPath(ing *graph.Resource) bool {
	ann := ing.Get("metadata", "annotations")
	actions := map[string]bool{}
	for _, k := range ann.Keys() {
		name, ok := strings.CutPrefix(k, albPrefix+"actions.")
		if !ok {
			continue
		}
		s, _ := ann.Get(k).Str()
		var a struct {
			Type           string
			RedirectConfig struct{ Protocol string }
		}
		// encoding/json matches field names without case, as the controller's examples
		// are written both ways.
		if json.Unmarshal([]byte(s), &a) == nil && strings.EqualFold(a.Type, "redirect") &&
			strings.EqualFold(a.RedirectConfig.Protocol, "HTTPS") {
			actions[name] = true
		}
	}
	if len(actions) == 0 {
		return false
	}
	rules := ing.Get("spec", "rules").List()
	if len(rules) == 0 {
		return actions[backendName(ing.Get("spec", "defaultBackend"))] || actions[backendName(ing.Get("spec", "backend"))]
	}
	for _, rule := range rules {
		paths := rule.Get("http", "paths").List()
		if len(paths) == 0 {
			return false
		}
		first := paths[0]
		p, _ := first.Get("path").Str()
		if p != "/*" && p != "/" && p != "" {
			return false
		}
		if !actions[backendName(first.Get("backend"))] {
			return false
		}
	}
	return true
}

// backendName returns the service an Ingress backend names (networking.k8s.io/v1
// service.name, or the older serviceName) when its port is use-annotation, the controller's
// marker for an action; "" otherwise.
func backendName(b graph.Value) string {
	name, _ := b.Get("service", "name").Str()
	port, _ := b.Get("service", "port", "name").Str()
	if name == "" {
		name, _ = b.Get("serviceName").Str()
		port, _ = b.Get("servicePort").Str()
	}
	if port != "use-annotation" {
		return ""
	}
	return name
}
