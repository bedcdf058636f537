package kubernetes

import (
	"path"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
)

// sensitiveHostPaths are node paths whose mount hands over the node: its root, its
// configuration and credentials, kernel interfaces, the kubelet's state and the container
// runtime's socket. A mount of one of them or anything beneath it is sensitive.
var sensitiveHostPaths = []string{
	"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/home",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd",
	"/var/run", "/run", "/etc/kubernetes",
}

// hostPathIsSensitive reports whether mounting p exposes the node.
func hostPathIsSensitive(p string) bool {
	if p == "" {
		return false
	}
	clean := path.Clean("/" + strings.TrimSpace(p))
	if clean == "/" {
		return true
	}
	for _, s := range sensitiveHostPaths {
		if s == "/" {
			continue
		}
		if clean == s || strings.HasPrefix(clean, s+"/") {
			return true
		}
	}
	// Runtime sockets are sensitive wherever they live.
	return strings.HasSuffix(clean, ".sock")
}

var hostPathVolume = &check.Check{
	ID:       "k8s-pod-host-path",
	Title:    "Pod mounts a directory of the node with hostPath",
	Severity: check.Medium,
	Category: check.CategoryWorkload,
	Description: "A hostPath volume gives the pod files of the node it runs on: data of other " +
		"pods, logs, and a way to plant files the node will use. Paths that hand over the node " +
		"(/, /etc, /proc, /var/lib/kubelet, runtime sockets...) are reported by " +
		"k8s-pod-sensitive-host-path instead; this check reports the other hostPath volumes, " +
		"at their path.",
	Remediation: "Use a PersistentVolumeClaim, a ConfigMap or an emptyDir volume instead of " +
		"`hostPath`; if node files must be read, mount them `readOnly: true`.",
	Links:   []string{linkHostPath, linkPSS},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, v := range pd.get("volumes").List() {
				hp := v.Get("hostPath", "path")
				s, ok := hp.Str()
				if !ok || hostPathIsSensitive(s) {
					continue
				}
				name, _ := v.Get("name").Str()
				p.Reportf(pd.r, hp.Path(), "volume %q mounts host path %s", name, s)
			}
		}
	},
}

var sensitiveHostPath = &check.Check{
	ID:       "k8s-pod-sensitive-host-path",
	Title:    "Pod mounts a sensitive node path",
	Severity: check.High,
	Category: check.CategoryWorkload,
	Description: "Mounting the node's root, /etc, /proc, /sys, /var/lib/kubelet or a container " +
		"runtime socket such as /var/run/docker.sock lets the pod read node credentials, " +
		"control other containers or write to the node: it amounts to root on the node. " +
		"Reported at the volume's hostPath path.",
	Remediation: "Remove the `hostPath` volume. An agent that truly needs it belongs in a " +
		"dedicated, reviewed DaemonSet with the mount `readOnly: true` and a suppression " +
		"comment stating why.",
	Links:   []string{linkHostPath, linkPSS},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, v := range pd.get("volumes").List() {
				hp := v.Get("hostPath", "path")
				s, ok := hp.Str()
				if !ok || !hostPathIsSensitive(s) {
					continue
				}
				name, _ := v.Get("name").Str()
				p.Reportf(pd.r, hp.Path(), "volume %q mounts sensitive host path %s", name, s)
			}
		}
	},
}
