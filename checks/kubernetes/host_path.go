package kubernetes

import (
	"path"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
)

// sensitiveHostPaths are node paths whose mount hands over the node: its configuration and
// credentials, kernel interfaces, devices, the kubelet's and the container runtimes' state
// and sockets, and the runtime binaries (replacing runc from a container is how
// CVE-2019-5736 escaped). A mount of one of them, of anything beneath it, or of any
// directory that holds it (/var/lib holds /var/lib/kubelet, / holds everything) is
// sensitive: the pod reaches the sensitive path through the parent.
var sensitiveHostPaths = []string{
	"/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/home",
	"/run", "/var/run",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/containers",
	"/var/lib/etcd", "/var/lib/cri-o",
	"/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc",
	"/usr/bin/containerd", "/usr/local/bin/containerd", "/usr/bin/dockerd", "/usr/bin/crio",
	"/usr/bin/kubelet", "/usr/local/bin/kubelet",
	// On merged-/usr distributions /bin and /sbin link to /usr/bin and /usr/sbin, so
	// mounting them reaches the runtime binaries too.
	"/bin/runc", "/sbin/runc",
	// k3s keeps its state in its data directory (default /var/lib/rancher/k3s): agent
	// holds the embedded containerd's root, the kubelet's kubeconfig and client
	// certificates, server the join token, the CA keys, the datastore and the manifests it
	// applies as cluster admin, data the extracted runc, containerd and shims. Its
	// storage directory only holds the local-path provisioner's volumes (other pods'
	// data, which k8s-pod-host-path covers), so the three are listed rather than the whole
	// data directory; mounting /var/lib/rancher/k3s still counts, as it holds them. The
	// config (/etc/rancher) and the containerd socket (/run/k3s) are beneath /etc and /run.
	"/var/lib/rancher/k3s/agent", "/var/lib/rancher/k3s/server", "/var/lib/rancher/k3s/data",
	// RKE2's data directory has the same layout and also bin (containerd, runc, kubelet);
	// it has no local volume storage, so all of it counts.
	"/var/lib/rancher/rke2",
	// The kubelet of both runs the image credential provider plugins found here as root.
	"/var/lib/rancher/credentialprovider",
	// The k3s and RKE2 binaries embed or start containerd and the kubelet. k3s installs
	// into /usr/local/bin; RKE2 under /usr/local, under /usr from its RPMs, or under
	// /opt/rke2 where /usr/local is read-only.
	"/usr/local/bin/k3s", "/usr/local/bin/rke2", "/usr/bin/rke2", "/opt/rke2/bin",
}

// windowsSensitivePaths are the paths of a Windows node, below its drive and in lower
// case, whose mount hands over the node: the system directory, the kubelet's state and
// configuration (C:\k on common node images) and the container runtimes' data.
var windowsSensitivePaths = []string{
	"/windows", "/var/lib/kubelet", "/etc/kubernetes", "/k",
	"/programdata/docker", "/programdata/containerd",
}

// cleanHostPath normalises a Linux hostPath the way the node resolves it: duplicate and
// trailing slashes, "." and ".." segments removed, always absolute. ok is false for an
// empty path or a Windows one (a drive or a named pipe).
func cleanHostPath(p string) (string, bool) {
	p = strings.TrimSpace(p)
	if p == "" || strings.ContainsRune(p, '\\') || (len(p) >= 2 && p[1] == ':') {
		return "", false
	}
	return path.Clean("/" + p), true
}

// sensitiveReason returns why mounting p exposes the node, as a phrase for the message
// ("the node's root", "beneath /var/lib/kubelet", "which holds /usr/bin/runc"; empty for a
// sensitive path itself). ok is false when the mount does not expose the node.
func sensitiveReason(p string) (reason string, ok bool) {
	clean, ok := cleanHostPath(p)
	if !ok {
		return windowsReason(p)
	}
	if reason, ok := treeReason(clean, sensitiveHostPaths); ok {
		return reason, true
	}
	// Runtime sockets are sensitive wherever they live.
	if strings.HasSuffix(clean, ".sock") {
		return "a socket", true
	}
	return "", false
}

// treeReason compares a cleaned absolute path with a list of sensitive ones: the path is
// sensitive when it is one of them, lies beneath one, or holds one (a parent is as
// dangerous as the sensitive path it holds).
func treeReason(clean string, sensitive []string) (string, bool) {
	if clean == "/" {
		return "the node's root", true
	}
	for _, s := range sensitive {
		switch {
		case clean == s:
			return "", true
		case strings.HasPrefix(clean, s+"/"):
			return "beneath " + s, true
		case strings.HasPrefix(s, clean+"/"):
			return "which holds " + s, true
		}
	}
	return "", false
}

// windowsReason is sensitiveReason for the hostPaths of Windows nodes (HostProcess
// pods): the container runtimes' named pipes, and drive paths compared without case.
func windowsReason(p string) (string, bool) {
	w := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(p), "/", "\\"))
	if pipe, ok := strings.CutPrefix(w, `\\.\pipe\`); ok {
		if strings.Contains(pipe, "docker") || strings.Contains(pipe, "containerd") {
			return "a container runtime's pipe", true
		}
		return "", false
	}
	if len(w) < 2 || w[1] != ':' || w[0] < 'a' || w[0] > 'z' {
		return "", false
	}
	clean := path.Clean("/" + strings.ReplaceAll(w[2:], "\\", "/"))
	reason, ok := treeReason(clean, windowsSensitivePaths)
	if ok && reason != "" && reason != "the node's root" {
		// Name the Windows path as it is written on the node.
		parts := strings.SplitN(reason, " /", 2)
		reason = parts[0] + " " + strings.ToUpper(w[:1]) + `:\` + strings.ReplaceAll(parts[1], "/", `\`)
	}
	return reason, ok
}

// hostPathIsSensitive reports whether mounting p exposes the node.
func hostPathIsSensitive(p string) bool {
	_, ok := sensitiveReason(p)
	return ok
}

var hostPathVolume = &check.Check{
	ID:       "k8s-pod-host-path",
	Title:    "Pod mounts a directory of the node with hostPath",
	Severity: check.Medium,
	Category: check.CategoryWorkload,
	Description: "A hostPath volume gives the pod files of the node it runs on: data of other " +
		"pods, logs, and a way to plant files the node will use. Paths that hand over the node " +
		"(/, /etc, /proc, /var/lib/kubelet, runtime sockets and binaries, and the directories " +
		"that hold them) are reported by k8s-pod-sensitive-host-path instead; this check " +
		"reports the other hostPath volumes, at their path.",
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
	Description: "Mounting the node's root, /etc, /proc, /sys, /dev, /var/lib/kubelet, the " +
		"container runtime's state or socket (/var/run/docker.sock, /run/containerd) or its " +
		"binaries (/usr/bin/runc), or the state of k3s and RKE2 (the agent, server and data " +
		"directories of /var/lib/rancher/k3s, /var/lib/rancher/rke2) lets the pod read node " +
		"credentials, control other containers or replace what the node runs: it amounts to " +
		"root on the node. A directory that holds one of them (/var/lib, /var, /usr) is as " +
		"sensitive, and so is anything beneath one. Paths are compared after removing duplicate and trailing slashes and . and .. " +
		"segments. On Windows nodes the runtimes' named pipes (\\\\.\\pipe\\docker_engine), the " +
		"drive root, C:\\Windows and the kubelet's directories count, compared without case. " +
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
				if !ok {
					continue
				}
				why, sensitive := sensitiveReason(s)
				if !sensitive {
					continue
				}
				if why != "" {
					why = ", " + why
				}
				name, _ := v.Get("name").Str()
				p.Reportf(pd.r, hp.Path(), "volume %q mounts sensitive host path %s%s", name, s, why)
			}
		}
	},
}
