package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// modNode is a module call of one module instance once evaluated.
type modNode struct {
	decl      *callDecl
	done      bool
	mode      expMode
	insts     []modCallInst
	outProv   map[string]*prov
	exp       *prov  // provenance of count / for_each
	notLoaded string // why the called module was not evaluated, when it was not
}

type modCallInst struct {
	key     cty.Value
	outputs map[string]cty.Value
	// outPartial holds the partial rendering of outputs that are not wholly known.
	outPartial map[string]cty.Value
}

// value is the module call as expressions see it: an object of outputs per instance.
func (n *modNode) value() cty.Value {
	return n.valueOf(func(in modCallInst) map[string]cty.Value { return in.outputs })
}

// valueOf builds the module call's value from the outputs outs gives for each instance.
func (n *modNode) valueOf(outs func(modCallInst) map[string]cty.Value) cty.Value {
	if !n.done || n.notLoaded != "" {
		return cty.DynamicVal
	}
	switch n.mode {
	case single:
		if len(n.insts) == 0 {
			return cty.DynamicVal
		}
		return cty.ObjectVal(outs(n.insts[0]))
	case byCount:
		if len(n.insts) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(n.insts))
		for i, in := range n.insts {
			vals[i] = cty.ObjectVal(outs(in))
		}
		return cty.TupleVal(vals)
	case byForEach:
		m := make(map[string]cty.Value, len(n.insts))
		for _, in := range n.insts {
			if in.key.Type() == cty.String {
				m[in.key.AsString()] = cty.ObjectVal(outs(in))
			}
		}
		return cty.ObjectVal(m)
	}
	return cty.DynamicVal
}

// evalCall evaluates a module call: its inputs in this module, then each instance of the
// called module with those inputs.
func (mi *modInst) evalCall(n *modNode) {
	if n == nil || n.done {
		return
	}
	defer func() { n.done = true }()
	d := n.decl
	addr := "module." + d.name
	dir, ok := mi.resolveSource(n)
	if !ok {
		return
	}
	if len(mi.stack)+1 > mi.ev.maxDepth {
		mi.ev.diag(graph.Diagnostic{
			Severity: graph.DiagError,
			Summary:  fmt.Sprintf("%s: module calls nest deeper than %d levels", addr, mi.ev.maxDepth),
			Detail:   "the module is not evaluated (module call depth limit)",
			Range:    toRange(d.defRange),
		})
		n.notLoaded = fmt.Sprintf("%s (source %s) was not loaded", addr, d.source)
		return
	}
	for _, s := range append(append([]string(nil), mi.stack...), mi.mod.dir) {
		if s == dir {
			mi.ev.diag(graph.Diagnostic{
				Severity: graph.DiagError,
				Summary:  fmt.Sprintf("%s: module %s calls itself", addr, d.source),
				Detail:   "a module that calls itself, directly or through other modules, is not evaluated",
				Range:    toRange(d.defRange),
			})
			n.notLoaded = fmt.Sprintf("%s (source %s) was not loaded", addr, d.source)
			return
		}
	}
	child := mi.ev.st.loader.load(dir)
	base := mi.ctxFor(&d.deps, nil)
	reuse := !selfDependent(&d.deps, "module."+d.name)
	exp := mi.expand(d.count, d.forEach, base, addr)
	n.mode = exp.mode
	n.exp = exp.prov
	for _, k := range exp.keys {
		if !mi.ev.spend(d.defRange) {
			break
		}
		it := exp.iterFor(k)
		mi.narrowEach(d.forEach, exp, k, it)
		ctx := instanceCtx(base, it)
		if !reuse {
			ctx = mi.ctxFor(&d.deps, it)
		}
		in := map[string]input{}
		pcache := map[*hcl.EvalContext]*hcl.EvalContext{}
		for _, a := range d.args {
			v, p := mi.eval(a.Expr, ctx, it)
			ip := &prov{}
			origin := graph.Related{Range: toRange(a.Range), Message: addr + " passes " + a.Name}
			ip.addOrigin(origin)
			ip.merge(p)
			if ip.shape = shapeOf(a.Expr, origin); ip.shape == nil {
				ip.shape = p.shape
			}
			in[a.Name] = input{val: v, prov: ip, partial: mi.partialOf(a.Expr, ctx, v, p, pcache)}
		}
		ci := newInstance(mi.ev, child, mi.prefix+addr+exp.suffix(k)+".")
		ci.keyPath = append(append([]string(nil), mi.keyPath...), d.name)
		ci.chain = append(append([]graph.Related(nil), mi.chain...), graph.Related{
			Range: toRange(d.defRange), Message: addr + " called here",
		})
		ci.stack = append(append([]string(nil), mi.stack...), mi.mod.dir)
		ci.setInputs(in)
		ci.run()
		n.insts = append(n.insts, modCallInst{key: k.key, outputs: ci.outputs, outPartial: ci.outPartial})
		for name, p := range ci.outProv {
			if n.outProv[name] == nil {
				n.outProv[name] = &prov{}
			}
			n.outProv[name].merge(p)
		}
	}
}

// resolveSource finds the directory of a called module: a local path relative to the
// calling module, or the directory terraform init recorded for a remote source. When the
// module cannot be loaded it records why on n and reports false.
func (mi *modInst) resolveSource(n *modNode) (string, bool) {
	d := n.decl
	addr := "module." + d.name
	notLoaded := fmt.Sprintf("%s (source %s) was not loaded", addr, d.source)
	if d.source == "" {
		n.notLoaded = notLoaded
		return "", false
	}
	if isLocalSource(d.source) {
		dir := path.Join(mi.mod.dir, d.source)
		if !mi.ev.st.allowed(dir) {
			mi.ev.diag(graph.Diagnostic{
				Severity: graph.DiagWarning,
				Summary:  fmt.Sprintf("%s: module source %s is outside the scanned directories and is not loaded", addr, d.source),
				Detail:   "scan a directory that contains both the caller and the module to evaluate it",
				Range:    toRange(d.defRange),
			})
			n.notLoaded = notLoaded
			return "", false
		}
		if st, err := os.Stat(filepath.FromSlash(dir)); err != nil || !st.IsDir() {
			mi.ev.diag(graph.Diagnostic{
				Severity: graph.DiagWarning,
				Summary:  fmt.Sprintf("%s: module directory %s does not exist", addr, dir),
				Range:    toRange(d.defRange),
			})
			n.notLoaded = notLoaded
			return "", false
		}
		return dir, true
	}
	key := strings.Join(append(append([]string(nil), mi.keyPath...), d.name), ".")
	if dir, ok := mi.ev.st.loader.installed(mi.ev.root, key); ok && mi.ev.st.allowed(dir) {
		return dir, true
	}
	mi.ev.diag(graph.Diagnostic{
		Severity: graph.DiagWarning,
		Summary:  fmt.Sprintf("%s: remote module %s is not downloaded (run terraform init to scan it)", addr, d.source),
		Range:    toRange(d.defRange),
	})
	n.notLoaded = notLoaded
	return "", false
}

func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == "." || s == ".." ||
		strings.HasPrefix(s, ".\\") || strings.HasPrefix(s, "..\\")
}

// modulesManifest is the part of .terraform/modules/modules.json we read.
type modulesManifest struct {
	Modules []struct {
		Key string `json:"Key"`
		Dir string `json:"Dir"`
	} `json:"Modules"`
}

// installed returns the directory terraform init installed the module with key (call
// names joined by dots) into, for the root module in root.
func (l *loader) installed(root, key string) (string, bool) {
	l.jsonMu.Lock()
	m, ok := l.modJSON[root]
	if !ok {
		m = readManifest(root)
		l.modJSON[root] = m
	}
	l.jsonMu.Unlock()
	dir, ok := m[key]
	if !ok {
		return "", false
	}
	if st, err := os.Stat(filepath.FromSlash(dir)); err != nil || !st.IsDir() {
		return "", false
	}
	return dir, true
}

func readManifest(root string) map[string]string {
	out := map[string]string{}
	src, err := readBounded(filepath.Join(filepath.FromSlash(root), ".terraform", "modules", "modules.json"), DefaultMaxFileSize)
	if err != nil {
		return out
	}
	var mf modulesManifest
	if json.Unmarshal(src, &mf) != nil {
		return out
	}
	for _, e := range mf.Modules {
		if e.Key == "" || e.Dir == "" {
			continue
		}
		dir := filepath.ToSlash(e.Dir)
		// Terraform records Dir relative to the root module's directory.
		if !path.IsAbs(dir) {
			dir = path.Join(root, dir)
		}
		out[e.Key] = dir
	}
	return out
}
