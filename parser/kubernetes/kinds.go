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

// The Parts of the workload kinds, one map per layout shared by every resource of the
// layout: Parts is only ever read, and a map and two paths for each workload would
// otherwise be made anew.
var (
	podParts = map[string]graph.Path{
		"pod": graph.P("spec"), "podMetadata": graph.P("metadata"),
	}
	podTemplateParts = map[string]graph.Path{
		"pod": graph.P("template", "spec"), "podMetadata": graph.P("template", "metadata"),
	}
	templateParts = map[string]graph.Path{
		"pod": graph.P("spec", "template", "spec"), "podMetadata": graph.P("spec", "template", "metadata"),
	}
	cronJobParts = map[string]graph.Path{
		"pod":         graph.P("spec", "jobTemplate", "spec", "template", "spec"),
		"podMetadata": graph.P("spec", "jobTemplate", "spec", "template", "metadata"),
	}
)

// workloadParts returns the Parts of a workload kind: where its pod spec ("pod") and pod
// metadata, its labels ("podMetadata"), are, so that one check covers every kind that
// runs pods. It returns nil for other kinds. The map is shared and must not be changed.
func workloadParts(apiVersion, kind string) map[string]graph.Path {
	g := group(apiVersion)
	switch kind {
	case "Pod":
		if g == "" {
			return podParts
		}
	case "PodTemplate":
		if g == "" {
			return podTemplateParts
		}
	case "ReplicationController":
		if g == "" {
			return templateParts
		}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
		if g == "apps" || g == "extensions" {
			return templateParts
		}
	case "Job":
		if g == "batch" {
			return templateParts
		}
	case "CronJob":
		if g == "batch" {
			return cronJobParts
		}
	case "DeploymentConfig":
		if g == "apps.openshift.io" || g == "" {
			return templateParts
		}
	case "Rollout":
		if g == "argoproj.io" {
			return templateParts
		}
	}
	return nil
}
