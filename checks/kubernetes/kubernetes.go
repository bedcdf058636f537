// Package kubernetes holds the checks for Kubernetes manifests. The parser names the pod
// spec of every workload kind (Parts["pod"]), so each pod and container check is written
// once and covers Pods, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and the rest.
package kubernetes

import (
	"regexp"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// Checks returns the Kubernetes checks in a stable order.
func Checks() []*check.Check {
	return []*check.Check{
		// open-network
		hostNetwork,
		hostPort,
		publicLoadBalancer,
		nodePortService,
		ingressWithoutTLS,
		noNetworkPolicy,
		// workload
		privilegedContainer,
		privilegeEscalation,
		runAsRoot,
		addedCapabilities,
		capabilitiesNotDropped,
		hostNamespaces,
		hostPathVolume,
		sensitiveHostPath,
		writableRootFilesystem,
		missingResourceLimits,
		mutableImageTag,
		serviceAccountToken,
		// iam
		wildcardRBAC,
		secretsAccess,
		clusterAdminBinding,
		anonymousBinding,
		// secrets
		secretLiteralData,
		envLiteralSecret,
	}
}

var k8sOnly = []graph.Format{graph.Kubernetes}

// placeholder matches values that a deploy step fills in (envsubst, Helm, Kustomize
// vars, a human): ${VAR}, $(VAR), {{ template }}, <changeme>.
var placeholder = regexp.MustCompile(`^\s*(\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|<[^>]*>)\s*$`)

// isPlaceholder reports whether a whole value is a deploy-time placeholder rather than
// the value that will be applied.
func isPlaceholder(s string) bool { return placeholder.MatchString(s) }

// Documentation the checks link to.
const (
	linkPSS             = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
	linkSecurityContext = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
	linkService         = "https://kubernetes.io/docs/concepts/services-networking/service/"
	linkIngressTLS      = "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"
	linkALBAnnotations  = "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/"
	linkGKEIngressTLS   = "https://cloud.google.com/kubernetes-engine/docs/how-to/secure-traffic-management"
	linkNetworkPolicy   = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"
	linkHostPath        = "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"
	linkResources       = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
	linkImages          = "https://kubernetes.io/docs/concepts/containers/images/"
	linkServiceAccount  = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
	linkRBAC            = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"
	linkRBACPractices   = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
	linkSecrets         = "https://kubernetes.io/docs/concepts/configuration/secret/"
	linkSecretPractices = "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"
)
