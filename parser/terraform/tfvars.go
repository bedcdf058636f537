package terraform

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// rootInputs reads the variable values of a root module: terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, then the user's var files
// in the order given; a later assignment wins. Environment variables (TF_VAR_*) are not
// read, so that a scan depends on the files only.
func (ev *evaluator) rootInputs(mod *module) map[string]input {
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if st, err := os.Stat(filepath.FromSlash(path.Join(mod.dir, n))); err == nil && !st.IsDir() {
			files = append(files, path.Join(mod.dir, n))
		}
	}
	if ents, err := os.ReadDir(filepath.FromSlash(mod.dir)); err == nil {
		var auto []string
		for _, e := range ents {
			n := e.Name()
			if !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				auto = append(auto, n)
			}
		}
		sort.Strings(auto)
		for _, n := range auto {
			files = append(files, path.Join(mod.dir, n))
		}
	}
	for _, f := range ev.st.opts.VarFiles {
		files = append(files, path.Clean(filepath.ToSlash(f)))
	}
	in := map[string]input{}
	p := hclparse.NewParser()
	for _, f := range files {
		for name, v := range ev.readVarFile(p, f) {
			if _, declared := mod.varByName[name]; declared {
				in[name] = v
			}
		}
	}
	return in
}

func (ev *evaluator) readVarFile(p *hclparse.Parser, file string) map[string]input {
	src, err := readBounded(filepath.FromSlash(file), ev.st.opts.MaxFileSize)
	if err != nil {
		ev.diag(graph.Diagnostic{
			Severity: graph.DiagError, Summary: "cannot read variable file",
			Detail: err.Error(), Range: graph.Range{File: file},
		})
		return nil
	}
	ev.files[file] = src
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(file, ".json") {
		f, diags = p.ParseJSON(src, file)
	} else {
		f, diags = p.ParseHCL(src, file)
	}
	if diags.HasErrors() || f == nil {
		ev.diags = append(ev.diags, syntaxDiags(diags, file)...)
		return nil
	}
	attrs, _ := f.Body.JustAttributes()
	out := map[string]input{}
	base := path.Base(file)
	for _, a := range sortedAttrs(attrs) {
		v, d := safeValue(a.Expr, nil)
		ip := &prov{}
		origin := graph.Related{Range: toRange(a.Range), Message: "var." + a.Name + " set in " + base}
		ip.addOrigin(origin)
		ip.shape = shapeOf(a.Expr, origin)
		if d.HasErrors() {
			v = cty.DynamicVal
			ip.addUnknown("var." + a.Name + " in " + base + " cannot be evaluated")
		}
		out[a.Name] = input{val: v, prov: ip}
	}
	return out
}
