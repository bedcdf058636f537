package kubernetes

import (
	"path"
	"sort"

	"github.com/iacscan/iacscan/parser/graph"
)

// Kustomize gives the Kubernetes objects of the files that the scan's kustomizations list
// the shape kustomize would build, and drops the patch files those kustomizations apply:
// a patch is a partial object, not a resource. Call it once with every resource of the
// scan before Link; it returns the resources to scan and a warning for every patch it
// could not apply.
func Kustomize(resources []*graph.Resource, ks []Kustomization) ([]*graph.Resource, graph.Diagnostics) {
	if len(ks) == 0 {
		return resources, nil
	}
	patches := patchFiles(ks)
	var diags graph.Diagnostics
	if len(patches) > 0 {
		kept := resources[:0:0]
		for _, r := range resources {
			if r.Format == graph.Kubernetes && patches[r.Range.File] {
				continue
			}
			kept = append(kept, r)
		}
		resources = kept
	}
	for _, k := range ks {
		for _, p := range k.Patches {
			where := p.File
			if where == "" {
				where = "the inline patch"
			}
			diags = append(diags, graph.Diagnostic{
				Severity: graph.DiagWarning,
				Summary:  "kustomize patch not applied",
				Detail:   where + " is not scanned as a resource, and the objects it patches are checked as their base writes them",
				Range:    lineRange(k.Path, p.Line),
			})
		}
	}
	applyKustomizations(resources, ks)
	return resources, diags
}

// applyKustomizations gives the Kubernetes objects of the files that kustomizations list
// the namespace kustomize would give them.
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
