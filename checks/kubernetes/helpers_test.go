package kubernetes

import "testing"

func TestImageTagTellsRegistryPortsFromTags(t *testing.T) {
	cases := []struct {
		image  string
		tag    string
		digest bool
	}{
		{"nginx", "", false},
		{"nginx:latest", "latest", false},
		{"nginx:1.25", "1.25", false},
		{"registry.example.com:5000/team/web", "", false},
		{"registry.example.com:5000/team/web:2.3.1", "2.3.1", false},
		{"web@sha256:abc", "", true},
		{"web:1.0@sha256:abc", "", true},
	}
	for _, c := range cases {
		tag, digest := imageTag(c.image)
		if tag != c.tag || digest != c.digest {
			t.Errorf("imageTag(%q) = %q, %v; want %q, %v", c.image, tag, digest, c.tag, c.digest)
		}
	}
}

func TestSensitiveHostPathsIncludeWhatIsBeneathThem(t *testing.T) {
	sensitive := []string{"/", "//", "/etc", "/etc/kubernetes/pki", "/proc/1", "/var/lib/kubelet",
		"/var/run/docker.sock", "/run/containerd/containerd.sock", "/var/lib/docker/", "/srv/app.sock", "/var/../etc"}
	for _, p := range sensitive {
		if !hostPathIsSensitive(p) {
			t.Errorf("%s: want sensitive", p)
		}
	}
	plain := []string{"/var/log", "/data", "/etcd-backups", "/opt/app", "/mnt/disks/ssd0", ""}
	for _, p := range plain {
		if hostPathIsSensitive(p) {
			t.Errorf("%s: want not sensitive", p)
		}
	}
}

func TestSensitiveHostPathsCoverK3sAndRKE2State(t *testing.T) {
	cases := map[string]string{
		"/var/lib/rancher/k3s":                    "which holds /var/lib/rancher/k3s/agent",
		"/var/lib/rancher":                        "which holds /var/lib/rancher/k3s/agent",
		"/var/lib/rancher/k3s/server/token":       "beneath /var/lib/rancher/k3s/server",
		"/var/lib/rancher/k3s/agent/containerd":   "beneath /var/lib/rancher/k3s/agent",
		"/var/lib/rancher/k3s/data/current/bin":   "beneath /var/lib/rancher/k3s/data",
		"/var/lib/rancher/rke2":                   "",
		"/var/lib/rancher/rke2/bin/":              "beneath /var/lib/rancher/rke2",
		"/var/lib/rancher/credentialprovider/bin": "beneath /var/lib/rancher/credentialprovider",
		"/usr/local/bin/k3s":                      "",
		"/opt/rke2":                               "which holds /opt/rke2/bin",
		"/etc/rancher/k3s/k3s.yaml":               "beneath /etc",
		"/run/k3s/containerd/containerd.sock":     "beneath /run",
	}
	for p, want := range cases {
		got, ok := sensitiveReason(p)
		if !ok || got != want {
			t.Errorf("sensitiveReason(%q) = %q, %v; want %q, true", p, got, ok, want)
		}
	}
	// The local-path provisioner's volumes hold other pods' data, not the node's.
	for _, p := range []string{"/var/lib/rancher/k3s/storage", "/var/lib/rancher/k3s/storage/pvc-1", "/var/lib/rancher-backup", "/opt/rke2-images"} {
		if hostPathIsSensitive(p) {
			t.Errorf("%s: want not sensitive", p)
		}
	}
}

func TestSensitiveHostPathsIncludeTheirParents(t *testing.T) {
	cases := map[string]string{
		"/var/lib":           "which holds /var/lib/kubelet",
		"/var":               "which holds /var/run",
		"/usr":               "which holds /usr/bin/runc",
		"/usr/local/":        "which holds /usr/local/bin/runc",
		"/bin":               "which holds /bin/runc",
		"/usr/bin/runc":      "",
		"//var/./lib//":      "which holds /var/lib/kubelet",
		"/var/lib/kubelet/x": "beneath /var/lib/kubelet",
		"/":                  "the node's root",
	}
	for p, want := range cases {
		got, ok := sensitiveReason(p)
		if !ok || got != want {
			t.Errorf("sensitiveReason(%q) = %q, %v; want %q, true", p, got, ok, want)
		}
	}
	for _, p := range []string{"/var/lib/app", "/usr/share", "/usr/bin/env", "/runtime", `C:\data`, "/var/log/pods"} {
		if why, ok := sensitiveReason(p); ok {
			t.Errorf("sensitiveReason(%q) = %q; want not sensitive", p, why)
		}
	}
}

func TestWindowsHostPathsAreComparedWithoutCase(t *testing.T) {
	cases := map[string]string{
		`\\.\pipe\docker_engine`: "a container runtime's pipe",
		`C:\`:                    "the node's root",
		`c:`:                     "the node's root",
		`C:\Windows\System32`:    `beneath C:\windows`,
		`C:\var\lib`:             `which holds C:\var\lib\kubelet`,
		`C:\k`:                   "",
	}
	for p, want := range cases {
		if got, ok := sensitiveReason(p); !ok || got != want {
			t.Errorf("sensitiveReason(%q) = %q, %v; want %q, true", p, got, ok, want)
		}
	}
	for _, p := range []string{`C:\data`, `D:\logs\app`, `\\.\pipe\my-app`, `C:\kube-data`} {
		if why, ok := sensitiveReason(p); ok {
			t.Errorf("sensitiveReason(%q) = %q; want not sensitive", p, why)
		}
	}
}

func TestTLSWildcardCoversOneLabel(t *testing.T) {
	hosts := []string{"*.example.com", "shop.example.org"}
	for h, want := range map[string]bool{
		"api.example.com":      true,
		"a.b.example.com":      false,
		"example.com":          false,
		"SHOP.example.org":     true,
		"admin.example.org":    false,
		"api.example.com.evil": false,
	} {
		if got := hostCovered(h, hosts); got != want {
			t.Errorf("hostCovered(%s) = %v, want %v", h, got, want)
		}
	}
}

func TestCredentialEnvNames(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD":       true,
		"STRIPE_API_KEY":    true,
		"GITHUB_TOKEN":      true,
		"client_secret":     true,
		"PASSWORD_FILE":     false,
		"SECRET_NAME":       false,
		"TOKEN_TTL":         false,
		"AWS_ACCESS_KEY_ID": false,
		"LOG_LEVEL":         false,
	} {
		got := credentialName.MatchString(name) && !notCredentialSuffix.MatchString(name)
		if got != want {
			t.Errorf("%s: credential = %v, want %v", name, got, want)
		}
	}
}
