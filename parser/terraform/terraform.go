// Package terraform loads Terraform modules with hcl/v2 and evaluates them with go-cty into
// graph resources.
//
// Every scanned directory that no other scanned directory calls as a local module is a
// root module. A root module is evaluated the way Terraform would plan it, without
// providers: variables take their values from tfvars files and defaults, locals, module
// calls (local, or installed by terraform init), count, for_each and dynamic blocks are
// evaluated in dependency order, and every resource instance becomes a graph.Resource
// whose attributes are its configured arguments. What only a provider or an apply could
// tell (ids, ARNs, data sources, variables without a value) is unknown, and each attribute
// records why it is unknown, where its value was written and which resources it refers to.
package terraform

import (
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/zclconf/go-cty/cty"
)

// Default limits, used when the corresponding Options field is zero.
const (
	DefaultMaxInstances   = 10_000
	DefaultMaxModuleDepth = 16
	DefaultMaxTotal       = 200_000
	DefaultMaxFileSize    = 8 << 20
	DefaultMaxDepth       = 500
	DefaultMaxEvalSteps   = 2_000_000
)

// Options tune loading.
type Options struct {
	// VarFiles are extra variable files applied to every root module, in order, after
	// terraform.tfvars and *.auto.tfvars.
	VarFiles []string
	// MaxInstances caps the instances count, for_each or a dynamic block may make per
	// block (default DefaultMaxInstances).
	MaxInstances int
	// MaxModuleDepth caps how deeply module calls may nest (default DefaultMaxModuleDepth).
	MaxModuleDepth int
	// MaxTotal caps the resource and module instances one root module may make, so that
	// nested count / for_each cannot multiply without bound (default DefaultMaxTotal).
	MaxTotal int
	// MaxFileSize is the largest configuration file read, in bytes (default
	// DefaultMaxFileSize); larger files are reported and skipped.
	MaxFileSize int64
	// MaxDepth caps how deeply brackets may nest in one configuration file (default
	// DefaultMaxDepth); deeper files are reported and skipped before the HCL parser,
	// which recurses once per level, sees them.
	MaxDepth int
	// MaxEvalSteps caps the expressions evaluated for one root module and the modules it
	// calls (default DefaultMaxEvalSteps); the rest is left unknown and reported.
	MaxEvalSteps int
	// Workspace is the value of terraform.workspace. Empty means none was chosen: it is
	// then "default", as in Terraform with no workspace selected, and every value that
	// depends on it names that assumption (see workspaceAssumed); otherwise such values
	// name the workspace given.
	Workspace string
}

// Result is what loading produced.
type Result struct {
	Resources   []*graph.Resource
	Diagnostics graph.Diagnostics
	// Files holds every file read (configuration, tfvars, module files), by display path.
	Files map[string][]byte
	// FileCount is the number of .tf and .tf.json files scanned.
	FileCount int
}

// state is shared by the evaluation of every root module of one Parse call.
type state struct {
	loader *loader
	opts   Options
	dirs   map[string]bool
	// scanRoot is the absolute directory common to every scanned directory; local module
	// sources outside it are not read.
	scanRoot string
	// terraformObj is the value of the terraform object in every context.
	terraformObj cty.Value
	// workspaceOrigin is the message of the origin of every value that depends on
	// terraform.workspace: the assumption when no workspace was chosen, else the name
	// given, so that a finding says which workspace it holds for.
	workspaceOrigin string
}

// allowed reports whether a module directory may be read: it is one of the scanned
// directories or lies beneath their common root.
func (s *state) allowed(dir string) bool {
	if s.dirs[dir] {
		return true
	}
	abs, err := filepath.Abs(filepath.FromSlash(dir))
	return err == nil && insideDir(s.scanRoot, abs)
}

// Parse loads the Terraform modules in dirs (display paths). Every directory that is not
// the target of a local module call from another of dirs is a root module; root modules
// are evaluated concurrently and their resources merged in the order of their directories.
func Parse(dirs []string, opts Options) *Result {
	if opts.MaxInstances <= 0 {
		opts.MaxInstances = DefaultMaxInstances
	}
	if opts.MaxModuleDepth <= 0 {
		opts.MaxModuleDepth = DefaultMaxModuleDepth
	}
	if opts.MaxTotal <= 0 {
		opts.MaxTotal = DefaultMaxTotal
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxEvalSteps <= 0 {
		opts.MaxEvalSteps = DefaultMaxEvalSteps
	}
	ws, wsOrigin := opts.Workspace, fmt.Sprintf("terraform.workspace = %q (--workspace)", opts.Workspace)
	if ws == "" {
		ws, wsOrigin = defaultWorkspace, workspaceAssumed
	}
	st := &state{
		opts: opts, dirs: map[string]bool{}, workspaceOrigin: wsOrigin,
		terraformObj: cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal(ws)}),
	}
	var clean []string
	for _, d := range dirs {
		d = path.Clean(filepath.ToSlash(d))
		if !st.dirs[d] {
			st.dirs[d] = true
			clean = append(clean, d)
		}
	}
	sort.Strings(clean)
	st.scanRoot = commonRoot(clean)
	st.loader = newLoader(st.scanRoot, opts.MaxFileSize, opts.MaxDepth)

	parallel(len(clean), func(i int) { st.loader.load(clean[i]) })

	called := map[string]bool{}
	for _, d := range clean {
		for _, c := range st.loader.load(d).calls {
			if isLocalSource(c.source) {
				if t := path.Join(d, c.source); t != d && st.dirs[t] {
					called[t] = true
				}
			}
		}
	}
	var roots []string
	for _, d := range clean {
		if !called[d] {
			roots = append(roots, d)
		}
	}
	// Directories that only call each other have no caller outside the group; the first
	// of each such group is scanned as a root so that nothing is silently skipped.
	reach := reachable(st, roots)
	for _, d := range clean {
		if !reach[d] {
			roots = append(roots, d)
			reach = reachable(st, roots)
		}
	}
	sort.Strings(roots)

	evs := make([]*evaluator, len(roots))
	parallel(len(roots), func(i int) { evs[i] = st.evalRoot(roots[i]) })

	res := &Result{Files: map[string][]byte{}}
	seen := map[string]bool{}
	addDiag := func(d graph.Diagnostic) {
		k := d.Error() + "|" + d.Severity.String()
		if !seen[k] {
			seen[k] = true
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	for _, m := range st.loader.loaded() {
		for _, d := range m.diags {
			addDiag(d)
		}
		for f, src := range m.files {
			res.Files[f] = src
		}
		res.FileCount += m.fileCount
	}
	for _, ev := range evs {
		res.Resources = append(res.Resources, ev.resources...)
		for _, d := range ev.diags {
			addDiag(d)
		}
		for f, src := range ev.files {
			res.Files[f] = src
		}
	}
	return res
}

// evalRoot evaluates one root module. A panic (a bug, or a function misbehaving on odd
// input) costs that root module only and becomes an error diagnostic. The resources it
// had evaluated before the panic are dropped with it: a bucket whose public access block
// was never reached would otherwise be reported as having none.
func (s *state) evalRoot(dir string) (ev *evaluator) {
	ev = &evaluator{
		st: s, root: dir, files: map[string][]byte{},
		maxInstances: s.opts.MaxInstances, maxDepth: s.opts.MaxModuleDepth, budget: s.opts.MaxTotal,
		maxSteps: s.opts.MaxEvalSteps,
	}
	defer func() {
		if r := recover(); r != nil {
			ev.resources = nil
			ev.diag(graph.Diagnostic{
				Severity: graph.DiagError,
				Summary:  "internal error evaluating module",
				Detail:   fmt.Sprintf("%v; the root module is not scanned", r),
				Range:    graph.Range{File: dir},
			})
		}
	}()
	panicHook(dir, false)
	mi := newInstance(ev, s.loader.load(dir), "")
	mi.setInputs(ev.rootInputs(mi.mod))
	mi.run()
	ev.reportWorkspace()
	panicHook(dir, true)
	return ev
}

// loadRecovering parses the module in dir. A panic (a bug, or the HCL parser failing on
// odd input) costs that directory only: it becomes an empty module with an error
// diagnostic, so that every caller of load, on any goroutine, gets a module, and the
// other directories are still scanned.
func (l *loader) loadRecovering(dir string) (m *module) {
	defer func() {
		if r := recover(); r != nil {
			m = &module{
				dir: dir, varByName: map[string]*variableDecl{}, files: map[string][]byte{},
				exprs: map[hcl.Expression]*exprInfo{}, bodyAttrs: map[*hclsyntax.Body][]*hcl.Attribute{},
				diags: graph.Diagnostics{{
					Severity: graph.DiagError,
					Summary:  "internal error loading module",
					Detail:   fmt.Sprintf("%v; the directory is not scanned", r),
					Range:    graph.Range{File: dir},
				}},
			}
		}
	}()
	loadHook(dir)
	return loadModule(dir, l.root, l.funcs, l.maxSize, l.maxDepth)
}

// parallel runs f(0..n-1) on at most GOMAXPROCS goroutines. A panic in f on a worker
// would end the process, out of reach of any recover of the caller: it is carried back
// instead, every other f still runs, and the panic of the lowest i is raised again on the
// caller's goroutine once all are done, the same whatever GOMAXPROCS is.
func parallel(n int, f func(i int)) {
	var (
		mu       sync.Mutex
		panicked = -1
		value    any
	)
	defer func() {
		if panicked >= 0 {
			panic(value)
		}
	}()
	run := func(i int) {
		defer func() {
			if r := recover(); r != nil {
				mu.Lock()
				defer mu.Unlock()
				if panicked < 0 || i < panicked {
					panicked, value = i, r
				}
			}
		}()
		f(i)
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			run(i)
		}
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				run(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// commonRoot returns the absolute directory that contains every one of dirs.
func commonRoot(dirs []string) string {
	var root string
	for i, d := range dirs {
		abs, err := filepath.Abs(filepath.FromSlash(d))
		if err != nil {
			continue
		}
		if i == 0 || root == "" {
			root = abs
			continue
		}
		for !insideDir(root, abs) {
			parent := filepath.Dir(root)
			if parent == root {
				break
			}
			root = parent
		}
	}
	return root
}

func insideDir(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// reachable returns the scanned directories that roots reach through local module calls.
func reachable(st *state, roots []string) map[string]bool {
	seen := map[string]bool{}
	queue := append([]string(nil), roots...)
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if seen[d] || !st.dirs[d] {
			continue
		}
		seen[d] = true
		for _, c := range st.loader.load(d).calls {
			if isLocalSource(c.source) {
				queue = append(queue, path.Join(d, c.source))
			}
		}
	}
	return seen
}
