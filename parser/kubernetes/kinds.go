package kubernetes

import (
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// clusterScoped lists the built-in (and common add-on) kinds that live outside any
// namespace; every other kind is addressed within its namespace.
var clusterScoped = map[string]bool{
	"APIService":                       true,
	"CertificateSigningRequest":        true,
	"ClusterIssuer":                    true,
	"ClusterRole":                      true,
	"ClusterRoleBinding":               true,
	"ComponentStatus":                  true,
	"CSIDriver":                        true,
	"CSINode":                          true,
	"CustomResourceDefinition":         true,
	"FlowSchema":                       true,
	"IngressClass":                     true,
	"MutatingWebhookConfiguration":     true,
	"Namespace":                        true,
	"Node":                             true,
	"PersistentVolume":                 true,
	"PodSecurityPolicy":                true,
	"PriorityClass":                    true,
	"PriorityLevelConfiguration":       true,
	"RuntimeClass":                     true,
	"StorageClass":                     true,
	"ValidatingAdmissionPolicy":        true,
	"ValidatingAdmissionPolicyBinding": true,
	"ValidatingWebhookConfiguration":   true,
	"VolumeAttachment":                 true,
}

func namespaced(kind string) bool { return !clusterScoped[kind] }

// group returns the API group of an apiVersion ("" for the core group).
func group(apiVersion string) string {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// podSpecPath returns where the pod spec and the pod metadata (labels) of a workload kind
// are, so that one check covers every kind that runs pods.
func podSpecPath(apiVersion, kind string) (spec, meta graph.Path, ok bool) {
	g := group(apiVersion)
	template := func() (graph.Path, graph.Path, bool) {
		return graph.P("spec", "template", "spec"), graph.P("spec", "template", "metadata"), true
	}
	switch kind {
	case "Pod":
		if g == "" {
			return graph.P("spec"), graph.P("metadata"), true
		}
	case "PodTemplate":
		if g == "" {
			return graph.P("template", "spec"), graph.P("template", "metadata"), true
		}
	case "ReplicationController":
		if g == "" {
			return template()
		}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
		if g == "apps" || g == "extensions" {
			return template()
		}
	case "Job":
		if g == "batch" {
			return template()
		}
	case "CronJob":
		if g == "batch" {
			return graph.P("spec", "jobTemplate", "spec", "template", "spec"),
				graph.P("spec", "jobTemplate", "spec", "template", "metadata"), true
		}
	case "DeploymentConfig":
		if g == "apps.openshift.io" || g == "" {
			return template()
		}
	case "Rollout":
		if g == "argoproj.io" {
			return template()
		}
	}
	return nil, nil, false
}
