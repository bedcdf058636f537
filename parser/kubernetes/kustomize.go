package kubernetes

import (
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iacscan/iacscan/parser/graph"
)

// Kustomization is what a kustomization file says about the manifests it lists, as far as
// the scan needs it: the namespace it gives them.
type Kustomization struct {
	// Path is the kustomization file's display path.
	Path string
	// Namespace is its namespace field, empty when it sets none.
	Namespace string
	// Resources are its resources (and deprecated bases) entries, as written: manifest
	// files and directories relative to the file, or remote targets.
	Resources []string
}

// kustomizationFile is the part of a kustomization file read here.
type kustomizationFile struct {
	APIVersion string   `yaml:"apiVersion"`
	Kind       string   `yaml:"kind"`
	Namespace  string   `yaml:"namespace"`
	Resources  []string `yaml:"resources"`
	Bases      []string `yaml:"bases"`
}

// ReadKustomization reads a kustomization file (kustomization.yaml, .yml or Kustomization,
// by name); ok is false for any other file or one that does not parse, which the scan then
// ignores as before.
func ReadKustomization(p string, src []byte) (k Kustomization, ok bool) {
	if !isKustomization(p) || len(src) > MaxFileSize {
		return Kustomization{}, false
	}
	// The YAML library has panicked on malformed input before; a scanner must not.
	defer func() {
		if r := recover(); r != nil {
			k, ok = Kustomization{}, false
		}
	}()
	var f kustomizationFile
	if err := yaml.Unmarshal(src, &f); err != nil {
		return Kustomization{}, false
	}
	if f.APIVersion != "" && !strings.HasPrefix(f.APIVersion, "kustomize.config.k8s.io/") {
		return Kustomization{}, false
	}
	return Kustomization{
		Path:      p,
		Namespace: strings.TrimSpace(f.Namespace),
		Resources: append(append([]string{}, f.Resources...), f.Bases...),
	}, true
}

// applyKustomizations gives the Kubernetes objects of the files that kustomizations list
// the namespace kustomize would give them. kustomize's namespace field overrides the
// namespace written in the manifest, and an overlay's namespace overrides its base's, so
// the outermost kustomization that sets one wins. A file built into different namespaces
// by different overlays (one base, a dev and a prod overlay) is left as written: the scan
// holds one copy of its objects, and picking one namespace would be a guess.
func applyKustomizations(resources []*graph.Resource, ks []Kustomization) {
	if len(ks) == 0 {
		return
	}
	nss := kustomizedNamespaces(ks)
	if len(nss) == 0 {
		return
	}
	for _, r := range resources {
		if r.Format != graph.Kubernetes || !namespaced(r.Type) {
			continue
		}
		ns, ok := nss[r.Range.File]
		if !ok || ns == "" || r.Meta["namespace"] == ns {
			continue
		}
		r.Meta["namespace"] = ns
		r.Address = address(r.Meta["apiVersion"], r.Type, ns, r.Meta["name"])
	}
}

// kustomizedNamespaces returns, by manifest display path, the namespace kustomize gives
// the file's objects; "" for a file that overlays build into different namespaces.
func kustomizedNamespaces(ks []Kustomization) map[string]string {
	byDir := map[string]*Kustomization{}
	for i := range ks {
		byDir[path.Dir(ks[i].Path)] = &ks[i]
	}
	// A kustomization that another one includes is not built on its own; the roots are
	// the others. Each root is walked down to its files.
	included := map[string]bool{}
	for _, k := range ks {
		for _, e := range k.Resources {
			if d, ok := localEntry(k.Path, e); ok {
				if _, isDir := byDir[d]; isDir {
					included[d] = true
				}
			}
		}
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	out := map[string]string{}
	seen := map[string]bool{}
	for _, d := range dirs {
		if included[d] {
			continue
		}
		walkKustomization(byDir, byDir[d], "", map[string]bool{}, func(file, ns string) {
			if !seen[file] {
				seen[file] = true
				out[file] = ns
			} else if out[file] != ns {
				out[file] = ""
			}
		})
	}
	return out
}

// maxKustomizeDepth bounds the chain of overlays followed, against absurd or cyclic trees.
const maxKustomizeDepth = 32

// walkKustomization calls visit for every manifest file k builds, with the namespace it
// gets: outer, the namespace set by an enclosing overlay, wins over k's own.
func walkKustomization(byDir map[string]*Kustomization, k *Kustomization, outer string, active map[string]bool, visit func(file, ns string)) {
	dir := path.Dir(k.Path)
	if active[dir] || len(active) >= maxKustomizeDepth {
		return
	}
	active[dir] = true
	defer delete(active, dir)
	ns := outer
	if ns == "" {
		ns = k.Namespace
	}
	for _, e := range k.Resources {
		p, ok := localEntry(k.Path, e)
		if !ok {
			continue
		}
		if sub := byDir[p]; sub != nil {
			walkKustomization(byDir, sub, ns, active, visit)
			continue
		}
		visit(p, ns)
	}
}

// localEntry resolves a resources entry of the kustomization at kpath to a display path;
// ok is false for remote targets (URLs, git repositories), which the scan does not hold.
func localEntry(kpath, entry string) (string, bool) {
	entry = strings.TrimSpace(entry)
	if entry == "" || strings.Contains(entry, "://") || strings.Contains(entry, "?ref=") ||
		strings.HasPrefix(entry, "github.com/") || strings.HasPrefix(entry, "git@") {
		return "", false
	}
	if path.IsAbs(entry) {
		return path.Clean(entry), true
	}
	return path.Join(path.Dir(kpath), entry), true
}

// address is the graph address of a Kubernetes object: apiVersion/kind/name, with the
// namespace before the name for namespaced kinds.
func address(apiVersion, kind, ns, name string) string {
	// Concatenated, not formatted: every object has one, and fmt boxes each argument.
	if ns == "" {
		return apiVersion + "/" + kind + "/" + name
	}
	return apiVersion + "/" + kind + "/" + ns + "/" + name
}
