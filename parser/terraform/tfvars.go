package terraform

import (
	"os"
	"path"
	"path/filepath"
	"slices"
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
	// The loader found them when it listed the directory. The list is the module's:
	// clipped, so that appending copies it.
	files := slices.Clip(mod.varFiles)
	if !mod.listed {
		files = unlistedVarFiles(mod.dir)
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

// varFileNames lists the variable files of the root module in dir, whose entries are
// ents: terraform.tfvars and terraform.tfvars.json unless they are directories (a
// symbolic link is followed), then the *.auto.tfvars(.json) entries that are not
// directories, in lexical order.
func varFileNames(dir string, ents []os.DirEntry) []string {
	var files, auto []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if varFileFound(dir, n, ents) {
			files = append(files, path.Join(dir, n))
		}
	}
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, n)
		}
	}
	sort.Strings(auto)
	for _, n := range auto {
		files = append(files, path.Join(dir, n))
	}
	return files
}

// varFileFound reports whether the file name of dir is there and not a directory, as a
// stat of its path tells: from its entry among ents when it is not a symbolic link.
// A name that differs only in case is stat'ed, as the file system may not tell cases
// apart; a name with no entry is not there.
func varFileFound(dir, name string, ents []os.DirEntry) bool {
	stat := false
	for _, e := range ents {
		switch {
		case e.Name() == name && e.Type()&os.ModeSymlink == 0:
			return !e.IsDir()
		case strings.EqualFold(e.Name(), name):
			stat = true
		}
	}
	if !stat {
		return false
	}
	st, err := os.Stat(filepath.FromSlash(path.Join(dir, name)))
	return err == nil && !st.IsDir()
}

// unlistedVarFiles is varFileNames for a directory the loader could not list: the two
// terraform.tfvars files are looked up by name, which may work where listing does not.
func unlistedVarFiles(dir string) []string {
	if ents, err := os.ReadDir(filepath.FromSlash(dir)); err == nil {
		return varFileNames(dir, ents)
	}
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if st, err := os.Stat(filepath.FromSlash(path.Join(dir, n))); err == nil && !st.IsDir() {
			files = append(files, path.Join(dir, n))
		}
	}
	return files
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
		if d, bom := jsonBOM(src, file); bom {
			ev.diag(d)
			return nil
		}
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
