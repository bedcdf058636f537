package kubernetes

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// rbacResources returns the Kubernetes objects of the given kinds in the RBAC API group;
// other groups may reuse the kind names for unrelated custom resources.
func rbacResources(g *graph.Graph, kinds ...string) []*graph.Resource {
	var out []*graph.Resource
	for _, r := range g.Resources(kinds...) {
		if r.Format == graph.Kubernetes && strings.HasPrefix(r.Meta["apiVersion"], "rbac.authorization.k8s.io/") {
			out = append(out, r)
		}
	}
	return out
}

var wildcardRBAC = &check.Check{
	ID:       "k8s-rbac-wildcard-permissions",
	Title:    "Role grants every verb or every resource with a wildcard",
	Severity: check.High,
	Category: check.CategoryIAM,
	Description: "A \"*\" in a rule's verbs or resources grants everything, including what future " +
		"API versions and custom resources add: such a role quickly amounts to cluster-admin " +
		"within its scope. Reported at each \"*\" item of a Role's or ClusterRole's rules.",
	Remediation: "List the verbs and resources the subject needs, e.g. " +
		"`verbs: [get, list, watch]`, `resources: [pods, services]`.",
	Links:   []string{linkRBACPractices, linkRBAC},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range rbacResources(p.Graph, "Role", "ClusterRole") {
			for _, rule := range r.Get("rules").List() {
				for _, field := range []string{"verbs", "resources"} {
					for _, item := range rule.Get(field).List() {
						if s, ok := item.Str(); ok && s == "*" {
							p.Reportf(r, item.Path(), "rule grants every %s (\"*\")", strings.TrimSuffix(field, "s"))
						}
					}
				}
			}
		}
	},
}

var secretsAccess = &check.Check{
	ID:       "k8s-rbac-secrets-access",
	Title:    "Role can read Secrets",
	Severity: check.Medium,
	Category: check.CategoryIAM,
	Description: "get, list or watch on secrets reads every Secret in scope: service account " +
		"tokens, TLS keys, database passwords. list and watch return the values too. Rules " +
		"limited to named Secrets with resourceNames are not reported; a \"*\" resource is " +
		"left to k8s-rbac-wildcard-permissions. Reported at the \"secrets\" item.",
	Remediation: "Remove secrets from the rule, or limit it to the Secrets the subject needs " +
		"with `resourceNames: [app-tls]` and the get verb only.",
	Links:   []string{linkRBACPractices},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range rbacResources(p.Graph, "Role", "ClusterRole") {
			for _, rule := range r.Get("rules").List() {
				groups := rule.Get("apiGroups").Strings()
				if !containsAny(groups, "", "*") {
					continue
				}
				if len(rule.Get("resourceNames").Strings()) > 0 {
					continue
				}
				var reads []string
				for _, v := range rule.Get("verbs").Strings() {
					switch v {
					case "get", "list", "watch", "*":
						reads = append(reads, v)
					}
				}
				if len(reads) == 0 {
					continue
				}
				for _, item := range rule.Get("resources").List() {
					if s, ok := item.Str(); ok && s == "secrets" {
						p.Reportf(r, item.Path(), "rule grants %s on secrets", joinAnd(reads))
					}
				}
			}
		}
	},
}

func containsAny(list []string, want ...string) bool {
	for _, s := range list {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}

var clusterAdminBinding = &check.Check{
	ID:       "k8s-rbac-cluster-admin-binding",
	Title:    "Binding grants cluster-admin",
	Severity: check.High,
	Category: check.CategoryIAM,
	Description: "cluster-admin can do anything to any object in the cluster. Binding it to a " +
		"user, group or service account (even with a namespaced RoleBinding, which still grants " +
		"everything in that namespace) makes that subject's compromise the cluster's. Reported " +
		"at the binding's roleRef name.",
	Remediation: "Bind a role with only the permissions the subject needs, e.g. the built-in " +
		"`view` or `edit` ClusterRole, or a custom Role.",
	Links:   []string{linkRBACPractices},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range rbacResources(p.Graph, "RoleBinding", "ClusterRoleBinding") {
			kind, _ := r.Get("roleRef", "kind").Str()
			name, _ := r.Get("roleRef", "name").Str()
			if kind == "ClusterRole" && name == "cluster-admin" {
				p.Reportf(r, graph.P("roleRef", "name"), "binds the cluster-admin ClusterRole")
			}
		}
	},
}

// anonymousSubjects are the identities of unauthenticated requests.
var anonymousSubjects = map[string]bool{"system:anonymous": true, "system:unauthenticated": true}

// harmlessAnonymousRoles are the roles Kubernetes itself binds to unauthenticated users:
// version and health information.
var harmlessAnonymousRoles = map[string]bool{"system:public-info-viewer": true}

var anonymousBinding = &check.Check{
	ID:       "k8s-rbac-anonymous-binding",
	Title:    "Binding grants permissions to unauthenticated users",
	Severity: check.Critical,
	Category: check.CategoryIAM,
	Description: "system:anonymous and system:unauthenticated are whoever reaches the API " +
		"server without credentials: a binding to them hands its role to the internet when " +
		"the API server is exposed. The default binding of system:public-info-viewer is not " +
		"reported. Reported at the subject's name.",
	Remediation: "Remove the anonymous subject from the binding and bind the role to an " +
		"authenticated user, group or service account.",
	Links:   []string{linkRBACPractices, linkRBAC},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range rbacResources(p.Graph, "RoleBinding", "ClusterRoleBinding") {
			role, _ := r.Get("roleRef", "name").Str()
			if harmlessAnonymousRoles[role] {
				continue
			}
			for _, s := range r.Get("subjects").List() {
				name, _ := s.Get("name").Str()
				if anonymousSubjects[name] {
					p.Reportf(r, s.Get("name").Path(), "grants role %q to %s", role, name)
				}
			}
		}
	},
}
