package kubernetes

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

var missingResourceLimits = &check.Check{
	ID:       "k8s-pod-missing-resource-limits",
	Title:    "Container has no CPU or memory limit",
	Severity: check.Low,
	Category: check.CategoryWorkload,
	Description: "Without limits a container can take the node's CPU and memory, starving its " +
		"neighbours and the kubelet: a bug or an attack becomes a node-wide denial of service. " +
		"Reported once per container (init containers included; ephemeral containers cannot " +
		"set resources), naming the missing limits, at resources.limits or the container.",
	Remediation: "Set `resources: {limits: {cpu: 500m, memory: 256Mi}}` on every container " +
		"(or give the namespace a LimitRange and suppress the finding).",
	Links:   []string{linkResources},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, c := range pd.containers() {
				if c.list == "ephemeralContainers" {
					continue
				}
				limits := c.get("resources", "limits")
				var missing []string
				for _, res := range []string{"cpu", "memory"} {
					if !limits.Get(res).Exists() {
						missing = append(missing, res)
					}
				}
				if len(missing) == 0 {
					continue
				}
				at := c.path
				if limits.Exists() {
					at = limits.Path()
				}
				p.Reportf(pd.r, at, "%s has no %s limit", c.label(), strings.Join(missing, " or "))
			}
		}
	},
}

// koScheme prefixes the image references that ko resolves: ko://<Go import path>.
const koScheme = "ko://"

// imageTag returns the tag of an image reference ("" when there is none) and whether the
// reference is pinned by digest.
func imageTag(image string) (tag string, digest bool) {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		return "", true
	}
	// A colon after the last slash separates the tag; one before it is a registry port.
	slash := strings.LastIndexByte(image, '/')
	if i := strings.LastIndexByte(image, ':'); i > slash {
		return image[i+1:], false
	}
	return "", false
}

var mutableImageTag = &check.Check{
	ID:       "k8s-pod-image-latest",
	Title:    "Container image uses the latest tag or no tag",
	Severity: check.Medium,
	Category: check.CategoryWorkload,
	Description: "An image without a tag means :latest, which changes under the workload: " +
		"what runs is not what was reviewed, and a compromised registry push reaches the " +
		"cluster on the next restart. Images pinned by digest (@sha256:...) are fine, and so " +
		"are ko:// references, which ko replaces with the digest of the image it builds. An " +
		"image that is wholly a deploy-time placeholder (${IMAGE}, $(IMAGE), {{ .Values.image }}) " +
		"is undecided; a placeholder tag (app:${TAG}) counts as a tag. Reported per container " +
		"at its image.",
	Remediation: "Pin the image to a version tag, or better a digest: " +
		"`image: registry.example.com/app:1.4.2@sha256:<digest>`.",
	Links:   []string{linkImages},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, c := range pd.containers() {
				img := c.get("image")
				s, ok := img.Str()
				if !ok || strings.TrimSpace(s) == "" {
					continue
				}
				s = strings.TrimSpace(s)
				if strings.HasPrefix(s, koScheme) {
					// ko builds the Go package named after the scheme and writes the
					// pushed image's digest in its place when it resolves the manifest.
					continue
				}
				tag, digest := imageTag(s)
				switch {
				case digest:
				case tag == "" && isPlaceholder(s):
					// The whole reference is filled in at deploy time: it may carry a
					// tag or a digest, or not.
					p.UndecidedBecause(pd.r, img.Path(),
						fmt.Sprintf("%s image %s is a deploy-time placeholder", c.label(), s))
				case tag == "":
					p.Reportf(pd.r, img.Path(), "%s image %s has no tag, so it pulls latest", c.label(), s)
				case tag == "latest":
					p.Reportf(pd.r, img.Path(), "%s image %s uses the latest tag", c.label(), s)
				}
			}
		}
	},
}

var serviceAccountToken = &check.Check{
	ID:       "k8s-pod-service-account-token",
	Title:    "Service account token is mounted into the pod",
	Severity: check.Low,
	Category: check.CategoryWorkload,
	Description: "Kubernetes mounts the pod's service account token unless told not to; most " +
		"applications never call the API, and the token lets an attacker who gets into the pod " +
		"act with its RBAC permissions. Not reported when the pod sets " +
		"automountServiceAccountToken: false, or when it does not set the field and its " +
		"ServiceAccount (found in the scan) disables automounting. Reported once per workload.",
	Remediation: "Set `automountServiceAccountToken: false` on the pod spec (or on its " +
		"ServiceAccount) unless the application talks to the Kubernetes API.",
	Links:   []string{linkServiceAccount},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		accounts := map[string]*graph.Resource{}
		for _, sa := range p.Graph.Resources("ServiceAccount") {
			if sa.Format == graph.Kubernetes {
				accounts[sa.Meta["namespace"]+"/"+sa.Meta["name"]] = sa
			}
		}
		for _, pd := range pods(p.Graph) {
			v := pd.get("automountServiceAccountToken")
			if isFalse(v) {
				continue
			}
			if v.Exists() {
				p.Reportf(pd.r, v.Path(), "automountServiceAccountToken is true")
				continue
			}
			name, _ := pd.get("serviceAccountName").Str()
			if name == "" {
				name, _ = pd.get("serviceAccount").Str()
			}
			if name == "" {
				name = "default"
			}
			if sa := accounts[pd.r.Meta["namespace"]+"/"+name]; sa != nil && isFalse(sa.Get("automountServiceAccountToken")) {
				continue
			}
			p.Reportf(pd.r, pd.at("automountServiceAccountToken"),
				"the token of service account %q is mounted (automountServiceAccountToken is not false)", name)
		}
	},
}
