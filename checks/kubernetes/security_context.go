package kubernetes

import (
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var privilegedContainer = &check.Check{
	ID:       "k8s-pod-privileged-container",
	Title:    "Container runs privileged",
	Severity: check.High,
	Category: check.CategoryWorkload,
	Description: "A privileged container has every capability and access to all host devices: " +
		"escaping to the node is trivial. Reported for each container (init and ephemeral " +
		"containers included) at its securityContext.privileged field.",
	Remediation: "Remove `privileged: true` from the container's securityContext and add only " +
		"the capabilities it needs.",
	Links:   []string{linkPSS, linkSecurityContext},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, c := range pd.containers() {
				if c.privileged {
					p.Reportf(pd.r, c.at("securityContext", "privileged"), "%s is privileged", c.label())
				}
			}
		}
	},
}

var privilegeEscalation = &check.Check{
	ID:       "k8s-pod-privilege-escalation",
	Title:    "Container allows privilege escalation",
	Severity: check.Medium,
	Category: check.CategoryWorkload,
	Description: "Unless allowPrivilegeEscalation is false, a process in the container can gain " +
		"more privileges than its parent (setuid binaries, file capabilities). Kubernetes " +
		"allows it by default. Reported for each container at the field when it is true, or " +
		"at the container when it is not set; privileged containers are left to " +
		"k8s-pod-privileged-container, which already covers them.",
	Remediation: "Set `securityContext: {allowPrivilegeEscalation: false}` on every container.",
	Links:       []string{linkPSS, linkSecurityContext},
	Formats:     k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			if pd.windows() {
				continue
			}
			for _, c := range pd.containers() {
				if c.privileged {
					continue
				}
				v := c.security("allowPrivilegeEscalation")
				switch {
				case isFalse(v):
				case v.Exists():
					p.Reportf(pd.r, c.at("securityContext", "allowPrivilegeEscalation"), "%s sets allowPrivilegeEscalation to true", c.label())
				default:
					p.Reportf(pd.r, c.path, "%s does not set allowPrivilegeEscalation: false", c.label())
				}
			}
		}
	},
}

var runAsRoot = &check.Check{
	ID:       "k8s-pod-run-as-root",
	Title:    "Containers may run as root",
	Severity: check.Medium,
	Category: check.CategoryWorkload,
	Description: "Unless runAsNonRoot is true or runAsUser is a non-zero UID, a container runs " +
		"as the image's user, often root, which turns a container escape or a writable host " +
		"mount into root on the node. The container's securityContext overrides the pod's. " +
		"Findings are grouped where the fix goes: one at the field that sets root explicitly " +
		"(runAsUser: 0, runAsNonRoot: false), one at the pod's securityContext when no " +
		"container sets either field, otherwise one per container that lacks them.",
	Remediation: "Set `securityContext: {runAsNonRoot: true, runAsUser: 10001}` on the pod " +
		"(or on each container) and build the image with a non-root USER.",
	Links:   []string{linkPSS, linkSecurityContext},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			if pd.windows() {
				continue
			}
			reportRunAsRoot(p, pd)
		}
	},
}

func reportRunAsRoot(p *check.Pass, pd pod) {
	type group struct {
		path  graph.Path
		why   string
		names []string
	}
	var (
		groups  []*group
		byKey   = map[string]*group{}
		missing []container
	)
	add := func(path graph.Path, why string, c container) {
		k := path.String() + "|" + why
		g := byKey[k]
		if g == nil {
			g = &group{path: path, why: why}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.names = append(g.names, c.label())
	}
	// containerLevel is whether some container sets either field itself; it only
	// matters for the containers that set neither, grouped after all are read.
	containerLevel := false
	for _, c := range pd.containers() {
		ownUID, ownNonRoot := c.security("runAsUser"), c.security("runAsNonRoot")
		if ownNonRoot.Exists() || ownUID.Exists() {
			containerLevel = true
		}
		uid, uidPath := c.effective(ownUID, "runAsUser")
		nonRoot, nrPath := c.effective(ownNonRoot, "runAsNonRoot")
		if n, ok := uid.Int(); ok {
			// runAsUser: 0 with runAsNonRoot: true is refused by the kubelet: the container
			// never starts, so it never runs as root.
			if n == 0 && !isTrue(nonRoot) {
				add(uidPath, "runAsUser is 0 (root)", c)
			}
			continue
		}
		switch {
		case isTrue(nonRoot):
		case isFalse(nonRoot):
			add(nrPath, "runAsNonRoot is false and no non-zero runAsUser is set", c)
		default:
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		if containerLevel {
			for _, c := range missing {
				add(c.at("securityContext"), "neither runAsNonRoot: true nor a non-zero runAsUser is set", c)
			}
		} else {
			for _, c := range missing {
				add(pd.at("securityContext"), "neither runAsNonRoot: true nor a non-zero runAsUser is set", c)
			}
		}
	}
	for _, g := range groups {
		p.Reportf(pd.r, g.path, "%s may run as root: %s", joinAnd(g.names), g.why)
	}
}

// safeCapabilities are the capabilities the Baseline Pod Security Standard allows adding:
// the container runtime's defaults, nothing that reaches beyond the container.
var safeCapabilities = map[string]bool{
	"AUDIT_WRITE": true, "CHOWN": true, "DAC_OVERRIDE": true, "FOWNER": true, "FSETID": true,
	"KILL": true, "MKNOD": true, "NET_BIND_SERVICE": true, "SETFCAP": true, "SETGID": true,
	"SETPCAP": true, "SETUID": true, "SYS_CHROOT": true,
}

func normalizeCapability(s string) string {
	return strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "CAP_")
}

var addedCapabilities = &check.Check{
	ID:       "k8s-pod-added-capabilities",
	Title:    "Container adds dangerous Linux capabilities",
	Severity: check.High,
	Category: check.CategoryWorkload,
	Description: "Capabilities beyond the container runtime's defaults (SYS_ADMIN, NET_ADMIN, " +
		"SYS_PTRACE, SYS_MODULE, NET_RAW, ALL...) give a container powers that reach the node " +
		"or other pods. The allowed set is the Baseline Pod Security Standard's. Reported at " +
		"each offending item of capabilities.add.",
	Remediation: "Remove the capability from `securityContext.capabilities.add`; if the workload " +
		"truly needs it, isolate it on dedicated nodes and suppress the finding with a reason.",
	Links:   []string{linkPSS, linkSecurityContext},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, c := range pd.containers() {
				for _, item := range c.security("capabilities", "add").List() {
					s, ok := item.Str()
					if !ok || safeCapabilities[normalizeCapability(s)] {
						continue
					}
					p.Reportf(pd.r, item.Path(), "%s adds capability %s", c.label(), s)
				}
			}
		}
	},
}

var capabilitiesNotDropped = &check.Check{
	ID:       "k8s-pod-capabilities-not-dropped",
	Title:    "Container does not drop all capabilities",
	Severity: check.Low,
	Category: check.CategoryWorkload,
	Description: "Containers start with the runtime's default capabilities (CHOWN, SETUID, " +
		"NET_RAW...). Dropping ALL and adding back only what is needed removes them from an " +
		"attacker's reach; the Restricted Pod Security Standard requires it. Reported per " +
		"container at capabilities.drop (or the container when it is absent); privileged " +
		"containers are left to k8s-pod-privileged-container.",
	Remediation: "Set `securityContext: {capabilities: {drop: [\"ALL\"], add: [\"NET_BIND_SERVICE\"]}}`, " +
		"adding back only what the process needs.",
	Links:   []string{linkPSS, linkSecurityContext},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			if pd.windows() {
				continue
			}
			for _, c := range pd.containers() {
				if c.privileged {
					continue
				}
				drop := c.security("capabilities", "drop")
				dropsAll := false
				for _, s := range drop.Strings() {
					if normalizeCapability(s) == "ALL" {
						dropsAll = true
					}
				}
				if dropsAll {
					continue
				}
				if drop.Exists() {
					p.Reportf(pd.r, drop.Path(), "%s drops %s but not ALL", c.label(), joinAnd(drop.Strings()))
					continue
				}
				p.Reportf(pd.r, c.path, "%s does not drop ALL capabilities", c.label())
			}
		}
	},
}

var hostNamespaces = &check.Check{
	ID:       "k8s-pod-host-namespaces",
	Title:    "Pod shares the node's process or IPC namespace",
	Severity: check.High,
	Category: check.CategoryWorkload,
	Description: "With hostPID the pod sees and can signal or trace every process on the node " +
		"(and read their environment); with hostIPC it shares the node's shared memory. " +
		"Either breaks the isolation between the pod and the node. Reported at each field " +
		"set to true.",
	Remediation: "Remove `hostPID: true` and `hostIPC: true` from the pod spec.",
	Links:       []string{linkPSS},
	Formats:     k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, f := range []string{"hostPID", "hostIPC"} {
				if isTrue(pd.get(f)) {
					p.Reportf(pd.r, pd.at(f), "%s is true", f)
				}
			}
		}
	},
}

var writableRootFilesystem = &check.Check{
	ID:       "k8s-pod-writable-root-filesystem",
	Title:    "Container root filesystem is writable",
	Severity: check.Low,
	Category: check.CategoryWorkload,
	Description: "A writable root filesystem lets an attacker who gets code execution drop tools " +
		"or modify binaries and configuration in the container. Reported per container at " +
		"readOnlyRootFilesystem when it is false, or at the container when it is not set.",
	Remediation: "Set `securityContext: {readOnlyRootFilesystem: true}` and mount an emptyDir " +
		"volume where the application must write (e.g. /tmp).",
	Links:   []string{linkSecurityContext},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			if pd.windows() {
				continue
			}
			for _, c := range pd.containers() {
				v := c.security("readOnlyRootFilesystem")
				switch {
				case isTrue(v):
				case v.Exists():
					p.Reportf(pd.r, v.Path(), "%s sets readOnlyRootFilesystem to false", c.label())
				default:
					p.Reportf(pd.r, c.path, "%s does not set readOnlyRootFilesystem: true", c.label())
				}
			}
		}
	},
}
