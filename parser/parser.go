// Package parser walks the scanned paths, detects each file's format and hands it to the
// format's parser; the resources of every format end up in one graph.
package parser

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iacscan/iacscan/parser/cloudformation"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/parser/kubernetes"
	"github.com/iacscan/iacscan/parser/terraform"
)

// Options tune parsing.
type Options struct {
	// VarFiles are extra Terraform variable files (--var-file), applied to every root
	// module after terraform.tfvars and *.auto.tfvars, in the order given.
	VarFiles []string
	// Workspace is the Terraform workspace terraform.workspace names (--workspace); empty
	// means "default", named as an assumption wherever a value depends on it.
	Workspace string
	// CFNParamFiles are CloudFormation parameter files (--cfn-params), in any shape
	// cloudformation.ReadParameters accepts; their values override parameter defaults in
	// every template, later files winning.
	CFNParamFiles []string
	// Limits bound what the scan reads and builds.
	Limits Limits
}

// Default limits of the YAML and JSON files this package reads; the Terraform parser has
// its own defaults (terraform.Default*).
const (
	DefaultMaxFileSize = 16 << 20
	DefaultMaxDepth    = terraform.DefaultMaxDepth
	DefaultMaxRead     = 1 << 30
)

// Limits bound a scan so that hostile input costs a diagnostic, never a crash, a hang or
// all the memory. A zero field takes its default. A file or module that hits a limit gets
// an error diagnostic naming the limit and is reported as not fully analysed.
type Limits struct {
	// MaxFileSize is the largest file read, in bytes, in any format.
	MaxFileSize int64
	// MaxDepth is the deepest bracket nesting (HCL, JSON, flow-style YAML) a file may have;
	// parsers recurse once per level.
	MaxDepth int
	// MaxExpansion caps the instances one count, for_each or dynamic block makes.
	MaxExpansion int
	// MaxModuleDepth caps how deeply Terraform module calls nest.
	MaxModuleDepth int
	// MaxInstances caps the resource and module instances one Terraform root module makes
	// in all, so that nested expansion cannot multiply the evaluation without bound.
	MaxInstances int
	// MaxEvalSteps caps the expressions evaluated for one Terraform root module and the
	// modules it calls.
	MaxEvalSteps int
	// MaxRead is the total of YAML and JSON bytes one scan reads: files beyond it, in path
	// order, are reported and not read. It is the part of the memory budget that input
	// size decides.
	MaxRead int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = DefaultMaxFileSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxRead <= 0 {
		l.MaxRead = DefaultMaxRead
	}
	return l
}

// Result is what parsing produced.
type Result struct {
	Graph       *graph.Graph
	Diagnostics graph.Diagnostics
	// Files holds the content of every file read, by display path, for source snippets.
	Files map[string][]byte
	// Stats counts files per format.
	Stats map[graph.Format]*graph.Counts
	// Explicit lists the files named on the command line (as display paths), when files
	// rather than directories were given; reports may limit themselves to those.
	Explicit []string
}

// Parse scans paths (files or directories). Problems with individual files are
// diagnostics in the result; the error is only for a path that does not exist.
func Parse(paths []string, opts Options) (*Result, error) {
	lim := opts.Limits.withDefaults()
	res := &Result{Stats: map[graph.Format]*graph.Counts{
		graph.Terraform: {}, graph.CloudFormation: {}, graph.Kubernetes: {},
	}}
	w := walker{tfDirs: map[string]bool{}, disp: newPathDisplay()}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", p, err)
		}
		if info.IsDir() {
			if err := w.walk(p); err != nil {
				return nil, err
			}
			continue
		}
		disp := w.disp.of(p)
		res.Explicit = append(res.Explicit, disp)
		w.addFile(p, disp, true)
	}

	// --cfn-params first: a file that cannot be read ends the scan before any parsing.
	params := cloudformation.Parameters{}
	var paramFiles []dataFile
	for _, pf := range opts.CFNParamFiles {
		disp := w.disp.of(pf)
		src, err := os.ReadFile(pf)
		if err != nil {
			return nil, fmt.Errorf("--cfn-params: %w", err)
		}
		ps, diags := cloudformation.ReadParameters(disp, src)
		paramFiles = append(paramFiles, dataFile{path: disp, src: src, diags: diags})
		for k, v := range ps {
			params[k] = v
		}
	}

	// Terraform: whole directories are modules. Terraform and the YAML and JSON files
	// are parsed one after the other, each on GOMAXPROCS workers: parsing them at the
	// same time raised the peak RSS of the 1k scan by a fifth (both kinds' transient
	// garbage at once), for no gain in CPU.
	dirs := make([]string, 0, len(w.tfDirs))
	for d := range w.tfDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var tf *terraform.Result
	if len(dirs) > 0 {
		tf = parseTerraform(dirs, terraform.Options{
			VarFiles: opts.VarFiles, Workspace: opts.Workspace, MaxFileSize: lim.MaxFileSize, MaxDepth: lim.MaxDepth,
			MaxInstances: lim.MaxExpansion, MaxModuleDepth: lim.MaxModuleDepth, MaxTotal: lim.MaxInstances,
			MaxEvalSteps: lim.MaxEvalSteps,
		})
	}
	// YAML and JSON: each file decides for itself what it is. Files are independent, so
	// they are read and parsed concurrently and merged in path order.
	sort.Strings(w.dataFiles)
	data := parseDataFiles(w.dataFiles, cloudformation.Options{Parameters: params, MaxDepth: lim.MaxDepth}, lim)

	// Sized for every file read, so that the map of a large tree is not rebuilt as it
	// grows.
	nFiles := len(paramFiles) + len(data)
	if tf != nil {
		nFiles += len(tf.Files)
	}
	res.Files = make(map[string][]byte, nFiles)
	var resources []*graph.Resource
	if tf != nil {
		resources = append(resources, tf.Resources...)
		res.Diagnostics = append(res.Diagnostics, tf.Diagnostics...)
		for k, v := range tf.Files {
			res.Files[k] = v
		}
		res.Stats[graph.Terraform].Scanned += tf.FileCount
	}
	for _, pf := range paramFiles {
		res.Files[pf.path] = pf.src
		res.Diagnostics = append(res.Diagnostics, pf.diags...)
	}
	claimed := make(map[string]graph.Format, len(data))
	var kustomizations []kubernetes.Kustomization
	for _, f := range data {
		resources = append(resources, f.resources...)
		res.Diagnostics = append(res.Diagnostics, f.diags...)
		if f.format == "" {
			// A kustomization is no resource, but it reshapes the manifests it lists
			// (patches, images, labels, names, namespace): Kustomize builds them below.
			if k, ok := kubernetes.ReadKustomization(f.path, f.src); ok {
				kustomizations = append(kustomizations, k)
				// Built objects point into it (a rewritten image, a namespace).
				res.Files[f.path] = f.src
			}
			continue
		}
		claimed[f.path] = f.format
		res.Files[f.path] = f.src
		res.Stats[f.format].Scanned++
	}

	// A file with an error diagnostic failed, whatever else it produced.
	failed := map[string]graph.Format{}
	for _, d := range res.Diagnostics {
		if d.Severity != graph.DiagError || d.Range.File == "" {
			continue
		}
		if f, ok := claimed[d.Range.File]; ok {
			failed[d.Range.File] = f
		} else if isTerraformFile(d.Range.File) {
			failed[d.Range.File] = graph.Terraform
		}
	}
	for _, f := range failed {
		if c := res.Stats[f]; c != nil {
			c.Failed++
		}
	}
	res.Diagnostics = append(res.Diagnostics, w.notices...)
	res.Stats[graph.Kubernetes].Skipped += w.charts
	// Kubernetes objects refer to each other across files (a Service in one file selects
	// a Deployment in another): link them once every file is read.
	// Kustomizations first: they drop the patch files and reshape the objects they build.
	src := dataSource(data)
	resources, kdiags := kubernetes.Kustomize(resources, kustomizations, src)
	for _, k := range kustomizations {
		// A JSON patch is no manifest, yet the fields it sets point into it.
		for _, p := range k.PatchFiles() {
			if b, ok := src(p); ok {
				res.Files[p] = b
			}
		}
	}
	res.Diagnostics = append(res.Diagnostics, kdiags...)
	kubernetes.Link(resources)
	sortDiagnostics(res.Diagnostics)
	res.Graph = graph.New(resources)
	return res, nil
}

// dataSource looks up the content of a YAML or JSON file of the scan, for the patch files
// kustomizations apply.
func dataSource(data []dataFile) func(string) ([]byte, bool) {
	return func(p string) ([]byte, bool) {
		i := sort.Search(len(data), func(i int) bool { return data[i].path >= p })
		if i < len(data) && data[i].path == p && data[i].src != nil {
			return data[i].src, true
		}
		return nil, false
	}
}

func isTerraformFile(path string) bool {
	for _, ext := range []string{".tf", ".tf.json", ".tfvars", ".tfvars.json"} {
		if strings.HasSuffix(path, ext) {
			return true
		}
	}
	return false
}

// dataFile is what became of one YAML or JSON file: the format that claimed it (empty when
// it is not IaC), its resources and problems.
type dataFile struct {
	path      string
	src       []byte
	format    graph.Format
	resources []*graph.Resource
	diags     graph.Diagnostics
}

func parseDataFiles(paths []string, cfn cloudformation.Options, lim Limits) []dataFile {
	// Each file is stat-ed once, before any is read: the sizes decide the read budget in
	// path order, and then size each read.
	stats := make([]fileStat, len(paths))
	forEach(len(paths), func(j int) { stats[j] = statFile(paths[j]) })
	over := overBudget(stats, lim)
	out := make([]dataFile, len(paths))
	forEach(len(paths), func(j int) {
		if over[j] {
			out[j] = dataFile{path: paths[j], diags: graph.Diagnostics{limitDiag(paths[j], 0, "read budget exhausted",
				fmt.Sprintf("the scan has read its limit of %d bytes of YAML and JSON; the file is not read", lim.MaxRead))}}
			return
		}
		out[j] = parseDataFile(paths[j], stats[j], cfn, lim)
	})
	return out
}

// forEach calls fn for 0 to n-1 on GOMAXPROCS workers and returns when every call has.
func forEach(n int, fn func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := int(next.Add(1) - 1); j < n; j = int(next.Add(1) - 1) {
				fn(j)
			}
		})
	}
	wg.Wait()
}

func parseDataFile(path string, st fileStat, cfn cloudformation.Options, lim Limits) (f dataFile) {
	f.path = path
	defer func() {
		// A parser bug on one file must not end the scan of the others.
		if r := recover(); r != nil {
			f.resources = nil
			f.diags = graph.Diagnostics{{
				Severity: graph.DiagError, Summary: "internal error parsing file",
				Detail: fmt.Sprint(r), Range: graph.Range{File: path},
			}}
		}
	}()
	src, claim, diag := readLimited(path, st, lim)
	if diag != nil {
		f.format, f.diags = claim, graph.Diagnostics{*diag}
		return f
	}
	if src == nil {
		return f
	}
	f.src = src
	switch {
	case cloudformation.Detect(path, src):
		f.format = graph.CloudFormation
		f.resources, f.diags = cloudformation.ParseWith(path, src, cfn)
	case kubernetes.Detect(path, src):
		f.format = graph.Kubernetes
		f.resources, f.diags = kubernetes.Parse(path, src)
	}
	return f
}

func sortDiagnostics(ds graph.Diagnostics) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Range != ds[j].Range {
			return ds[i].Range.Less(ds[j].Range)
		}
		return ds[i].Summary < ds[j].Summary
	})
}

type walker struct {
	tfDirs    map[string]bool
	dataFiles []string
	// notices are warnings about what was skipped on purpose (Helm charts).
	notices graph.Diagnostics
	charts  int
	disp    pathDisplay
}

// skipDir names directories that never hold IaC to scan: version control, tool caches and
// Terraform's own module cache (read on demand by the Terraform parser, not walked).
func skipDir(name string) bool {
	switch name {
	case ".git", ".terraform", "node_modules", ".terragrunt-cache", "vendor":
		return true
	}
	return false
}

func (w *walker) walk(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			// An unreadable directory is skipped here; it cannot hold anything we could
			// read anyway.
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return fs.SkipDir
			}
			// A Helm chart's templates are Go templates, not YAML, until rendered: the
			// chart is skipped with a notice rather than reported as broken manifests.
			if chart := filepath.Join(path, "Chart.yaml"); fileExists(chart) {
				w.charts++
				w.notices = append(w.notices, graph.Diagnostic{
					Severity: graph.DiagWarning,
					Summary:  "Helm chart skipped",
					Detail:   "chart templates are not raw YAML; render them (helm template) to scan the manifests",
					Range:    graph.Range{File: w.disp.of(chart), Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
				})
				return fs.SkipDir
			}
			return nil
		}
		// Symbolic links are not followed: they could point outside the scan root or
		// form loops.
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		w.addFile(path, w.disp.of(path), false)
		return nil
	})
}

func (w *walker) addFile(path, disp string, _ bool) {
	name := strings.ToLower(filepath.Base(path))
	switch {
	case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tf.json"):
		w.tfDirs[w.disp.of(filepath.Dir(path))] = true
	case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"),
		strings.HasSuffix(name, ".json"), strings.HasSuffix(name, ".template"):
		if strings.HasSuffix(name, ".tfvars.json") {
			return
		}
		w.dataFiles = append(w.dataFiles, disp)
	}
}

func fileExists(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && info.Mode().IsRegular()
}

// DisplayPath returns the slash-separated path relative to the working directory when the
// file is beneath it, and the absolute path otherwise.
func DisplayPath(p string) string {
	return newPathDisplay().of(p)
}

// pathDisplay makes display paths against the working directory as it was read once:
// reading it for every path (twice, as filepath.Abs reads it too) was most of the
// directory walk's time.
type pathDisplay struct {
	wd    string
	wdErr error
}

func newPathDisplay() pathDisplay {
	wd, err := os.Getwd()
	return pathDisplay{wd: wd, wdErr: err}
}

func (d pathDisplay) of(p string) string {
	abs, err := d.abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if d.wdErr == nil {
		if rel, err := filepath.Rel(d.wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

// abs is filepath.Abs with the working directory already read. On Windows a relative
// path may name another drive's working directory (C:foo), which Abs resolves itself.
func (d pathDisplay) abs(p string) (string, error) {
	if runtime.GOOS == "windows" {
		return filepath.Abs(p)
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if d.wdErr != nil {
		return "", d.wdErr
	}
	return filepath.Join(d.wd, p), nil
}

// ErrNoPaths is returned when nothing was given to scan.
var ErrNoPaths = errors.New("no paths to scan")
