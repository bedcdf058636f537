package terraform

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/iacscan/iacscan/parser/graph"
	"github.com/iacscan/iacscan/parser/internal/fileio"
	"github.com/iacscan/iacscan/parser/nesting"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// module is one directory of configuration files, parsed but not evaluated. It is shared
// by every instance of the module and read-only once loaded.
type module struct {
	dir       string
	variables []*variableDecl
	varByName map[string]*variableDecl
	locals    []*localDecl
	outputs   []*outputDecl
	resources []*resourceDecl
	calls     []*callDecl
	// funcs is the function table for this directory, with stand-ins for the functions
	// we do not implement so that one unsupported call does not spoil a whole expression.
	funcs       map[string]function.Function
	unsupported map[string]bool
	diags       graph.Diagnostics
	files       map[string][]byte
	fileCount   int
	// varFiles are the variable files of the directory when it is a root module (see
	// varFileNames), found when it was listed; listed is whether it could be.
	varFiles []string
	listed   bool

	// What every instance would otherwise work out again (see analysis.go): the
	// analysis of each expression, the sorted arguments of each body, the dependency
	// order of the module's values and the reference cycles among them.
	exprs     map[hcl.Expression]*exprInfo
	bodyAttrs map[*hclsyntax.Body][]*hcl.Attribute
	order     []*node
	cycles    [][]*node
}

type variableDecl struct {
	name     string
	typ      cty.Type
	defaults *typeexpr.Defaults
	// typeExpr is the type constraint as written, where optional() defaults are found.
	typeExpr hcl.Expression
	def      *hcl.Attribute
	nullable bool
	rng      hcl.Range
}

type localDecl struct {
	name string
	attr *hcl.Attribute
}

type outputDecl struct {
	name string
	attr *hcl.Attribute // the value argument, nil when missing
	rng  hcl.Range
}

type resourceDecl struct {
	data     bool
	typ      string
	name     string
	body     hcl.Body
	count    *hcl.Attribute
	forEach  *hcl.Attribute
	rng      hcl.Range
	defRange hcl.Range
	deps     usage
	// id is the key, made once: every instance of the module and every reference to
	// the resource asks for it.
	id string
}

// key is how the resource is named inside its module: aws_s3_bucket.x or data.t.x.
func (d *resourceDecl) key() string { return d.id }

type callDecl struct {
	name     string
	source   string
	srcAttr  *hcl.Attribute
	args     []*hcl.Attribute
	count    *hcl.Attribute
	forEach  *hcl.Attribute
	rng      hcl.Range
	defRange hcl.Range
	deps     usage
}

// moduleMetaArgs are module block arguments that are not input variables.
var moduleMetaArgs = map[string]bool{
	"source": true, "version": true, "count": true, "for_each": true,
	"providers": true, "depends_on": true,
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "type"}, {Name: "default"}, {Name: "nullable"},
}}

var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}}

// loader parses module directories once each, whichever root or goroutine asks first.
type loader struct {
	// root is the directory file functions may read beneath (filesystem path).
	root    string
	maxSize int64
	// maxDepth bounds bracket nesting per file.
	maxDepth int
	mu       sync.Mutex
	entries  map[string]*loadEntry
	jsonMu   sync.Mutex
	modJSON  map[string]map[string]string
	// funcs makes the function table of each module; nil when root is empty, in which
	// case each module directory is its own root (see FuncOptions.Root).
	funcs *funcTables
}

type loadEntry struct {
	once sync.Once
	mod  *module
}

func newLoader(root string, maxSize int64, maxDepth int) *loader {
	l := &loader{root: root, maxSize: maxSize, maxDepth: maxDepth, entries: map[string]*loadEntry{}, modJSON: map[string]map[string]string{}}
	if root != "" {
		l.funcs = newFuncTables(FuncOptions{Root: root}.withDefaults(""))
	}
	return l
}

// load returns the parsed module in dir (a display path). A directory that cannot be read
// yields an empty module with an error diagnostic.
func (l *loader) load(dir string) *module {
	l.mu.Lock()
	e := l.entries[dir]
	if e == nil {
		e = &loadEntry{}
		l.entries[dir] = e
	}
	l.mu.Unlock()
	e.once.Do(func() { e.mod = l.loadRecovering(dir) })
	return e.mod
}

// loaded returns every module loaded so far, sorted by directory.
func (l *loader) loaded() []*module {
	l.mu.Lock()
	defer l.mu.Unlock()
	dirs := make([]string, 0, len(l.entries))
	for d := range l.entries {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	out := make([]*module, 0, len(dirs))
	for _, d := range dirs {
		if m := l.entries[d].mod; m != nil {
			out = append(out, m)
		}
	}
	return out
}

// configFile is one configuration file of a module directory.
type configFile struct {
	name string
	// regular is whether the directory entry is a regular file; symbolic links are
	// never listed, so the entry's own type is the file's.
	regular bool
}

// configFiles lists the .tf and .tf.json files of dir in lexical order, and the
// variable files a root module in dir reads (see varFileNames).
func configFiles(dir string) (files []configFile, varFiles []string, err error) {
	ents, err := os.ReadDir(filepath.FromSlash(dir))
	if err != nil {
		return nil, nil, err
	}
	for _, e := range ents {
		if e.IsDir() || e.Type()&os.ModeSymlink != 0 {
			continue
		}
		n := strings.ToLower(e.Name())
		if strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json") {
			files = append(files, configFile{name: e.Name(), regular: e.Type().IsRegular()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, varFileNames(dir, ents), nil
}

// readConfigFile reads a regular file with one open and one fstat, where a stat of the
// path before reading it would look the path up twice. tooLarge is set, and nothing read,
// when the file is larger than maxSize bytes.
func readConfigFile(name string, maxSize int64) (src []byte, size int64, tooLarge bool, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, false, err
	}
	defer f.Close()
	// Without the size the read still works, growing its buffer as it goes.
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	if size > maxSize {
		return nil, size, true, nil
	}
	src, err = fileio.ReadSized(f, size)
	if err != nil {
		return nil, size, false, err
	}
	return src, size, false, nil
}

func loadModule(dir, root string, funcs *funcTables, maxSize int64, maxDepth int) *module {
	m := &module{
		dir: dir, varByName: map[string]*variableDecl{}, files: map[string][]byte{},
		exprs: map[hcl.Expression]*exprInfo{}, bodyAttrs: map[*hclsyntax.Body][]*hcl.Attribute{},
	}
	files, varFiles, err := configFiles(dir)
	m.varFiles, m.listed = varFiles, err == nil
	if err != nil {
		m.diags = append(m.diags, graph.Diagnostic{
			Severity: graph.DiagError, Summary: "cannot read module directory",
			Detail: err.Error(), Range: graph.Range{File: dir},
		})
	}
	// A fresh parser per load: hclparse.Parser is not safe for concurrent use and loads
	// run on several goroutines.
	p := hclparse.NewParser()
	for _, cf := range files {
		name := cf.name
		file := path.Join(dir, name)
		// A FIFO or device named .tf would block the read forever or never end.
		if !cf.regular {
			m.diags = append(m.diags, graph.Diagnostic{
				Severity: graph.DiagError, Summary: "cannot read file",
				Detail: "not a regular file; the file is not scanned", Range: graph.Range{File: file},
			})
			continue
		}
		src, size, tooLarge, err := readConfigFile(filepath.FromSlash(file), maxSize)
		if tooLarge {
			m.diags = append(m.diags, graph.Diagnostic{
				Severity: graph.DiagError, Summary: "file too large",
				Detail: fmt.Sprintf("%d bytes exceeds the limit of %d bytes; the file is not scanned", size, maxSize),
				Range:  graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
			})
			continue
		}
		if err != nil {
			m.diags = append(m.diags, graph.Diagnostic{
				Severity: graph.DiagError, Summary: "cannot read file",
				Detail: err.Error(), Range: graph.Range{File: file},
			})
			continue
		}
		// A NUL byte never occurs in configuration: the file is binary, and parsing it
		// would only list hundreds of invalid characters.
		if bytes.IndexByte(src, 0) >= 0 {
			m.diags = append(m.diags, graph.Diagnostic{
				Severity: graph.DiagError, Summary: "binary file",
				Detail: "the file holds NUL bytes and is not configuration; it is not scanned",
				Range:  graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
			})
			continue
		}
		if line, over := nesting.Exceeds(src, maxDepth, true); over {
			m.diags = append(m.diags, graph.Diagnostic{
				Severity: graph.DiagError, Summary: "nesting too deep",
				Detail: fmt.Sprintf("brackets nest deeper than the limit of %d levels; the file is not scanned", maxDepth),
				Range:  graph.Range{File: file, Start: graph.Pos{Line: line, Column: 1}, End: graph.Pos{Line: line, Column: 1}},
			})
			continue
		}
		m.files[file] = src
		m.fileCount++
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(strings.ToLower(name), ".json") {
			if d, bom := jsonBOM(src, file); bom {
				m.diags = append(m.diags, d)
				continue
			}
			f, diags = p.ParseJSON(src, file)
		} else {
			f, diags = p.ParseHCL(src, file)
		}
		if diags.HasErrors() || f == nil {
			// The broken file is left out; the rest of the directory is still evaluated.
			m.diags = append(m.diags, syntaxDiags(diags, file)...)
			continue
		}
		m.addFile(f)
	}
	m.order, m.cycles = m.dependencyOrder()
	m.funcs, m.unsupported = m.functionTable(root, funcs)
	for _, info := range m.exprs {
		info.setReasons(m.unsupported)
	}
	return m
}

// utf8BOM is the UTF-8 encoding of U+FEFF, which some editors write at the start of a file.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// jsonBOM returns the error for a JSON configuration or variable file that starts with a
// UTF-8 byte order mark. HCL's native syntax skips the mark, but its JSON parser, which
// Terraform uses for .tf.json and .tfvars.json files as they are, rejects it: Terraform
// fails on such a file, so it is reported in one error that names the cause, instead of
// the parser's errors about an invalid value at a column where nothing is visible.
func jsonBOM(src []byte, file string) (graph.Diagnostic, bool) {
	if !bytes.HasPrefix(src, utf8BOM) {
		return graph.Diagnostic{}, false
	}
	return graph.Diagnostic{
		Severity: graph.DiagError, Summary: "syntax error: UTF-8 byte order mark",
		Detail: "the file starts with a UTF-8 byte order mark (EF BB BF), which Terraform's JSON parser rejects; " +
			"save it as UTF-8 without a byte order mark. The file is not scanned",
		Range: graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
	}, true
}

func syntaxDiags(diags hcl.Diagnostics, file string) graph.Diagnostics {
	var out graph.Diagnostics
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		rng := graph.Range{File: file}
		if d.Subject != nil {
			rng = toRange(*d.Subject)
		}
		out = append(out, graph.Diagnostic{
			Severity: graph.DiagError, Summary: "syntax error: " + d.Summary,
			Detail: d.Detail, Range: rng,
		})
	}
	if len(out) == 0 {
		out = append(out, graph.Diagnostic{Severity: graph.DiagError, Summary: "syntax error", Range: graph.Range{File: file}})
	}
	return out
}

func (m *module) addFile(f *hcl.File) {
	content, _, _ := f.Body.PartialContent(fileSchema)
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			m.addVariable(b)
		case "locals":
			attrs, _ := b.Body.JustAttributes()
			for _, a := range sortedAttrs(attrs) {
				m.locals = append(m.locals, &localDecl{name: a.Name, attr: a})
			}
		case "output":
			c, _, _ := b.Body.PartialContent(outputSchema)
			m.outputs = append(m.outputs, &outputDecl{name: b.Labels[0], attr: c.Attributes["value"], rng: b.DefRange})
		case "resource", "data":
			m.addResource(b)
		case "module":
			m.addCall(b)
		}
	}
}

func (m *module) addVariable(b *hcl.Block) {
	c, _, _ := b.Body.PartialContent(variableSchema)
	v := &variableDecl{name: b.Labels[0], typ: cty.DynamicPseudoType, nullable: true, rng: b.DefRange}
	if a := c.Attributes["type"]; a != nil {
		ty, defs, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		if !diags.HasErrors() {
			v.typ, v.defaults, v.typeExpr = ty, defs, a.Expr
		}
	}
	if a := c.Attributes["nullable"]; a != nil {
		if nv, diags := a.Expr.Value(nil); !diags.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
			v.nullable = nv.True()
		}
	}
	v.def = c.Attributes["default"]
	if _, dup := m.varByName[v.name]; dup {
		return
	}
	m.varByName[v.name] = v
	m.variables = append(m.variables, v)
}

func (m *module) addResource(b *hcl.Block) {
	d := &resourceDecl{
		data: b.Type == "data", typ: b.Labels[0], name: b.Labels[1], body: b.Body,
		rng: blockRange(b), defRange: b.DefRange,
	}
	d.id = d.typ + "." + d.name
	if d.data {
		d.id = "data." + d.id
	}
	for _, a := range m.loadAttrs(b.Body) {
		switch a.Name {
		case "count":
			d.count = a
		case "for_each":
			d.forEach = a
		}
	}
	d.deps = m.bodyUsage(b.Body)
	m.resources = append(m.resources, d)
}

func (m *module) addCall(b *hcl.Block) {
	c := &callDecl{name: b.Labels[0], rng: blockRange(b), defRange: b.DefRange}
	attrs, _ := b.Body.JustAttributes()
	for _, a := range sortedAttrs(attrs) {
		switch a.Name {
		case "source":
			c.srcAttr = a
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				c.source = v.AsString()
			}
		case "count":
			c.count = a
		case "for_each":
			c.forEach = a
		}
		if !moduleMetaArgs[a.Name] {
			c.args = append(c.args, a)
		}
		c.deps.addExpr(a.Expr, m.analyze(a.Expr))
	}
	m.calls = append(m.calls, c)
}

// functionTable returns the functions available in this module, plus stand-ins returning
// an unknown value for every function the configuration calls that we do not provide.
// tables, when not nil, makes the table (with root as its root).
func (m *module) functionTable(root string, tables *funcTables) (map[string]function.Function, map[string]bool) {
	var base map[string]function.Function
	if tables != nil {
		base = tables.forDir(filepath.FromSlash(m.dir))
	} else {
		base = Functions(filepath.FromSlash(m.dir), FuncOptions{Root: root})
	}
	unsupported := map[string]bool{}
	visit := func(e hcl.Expression) {
		for _, name := range m.analyze(e).calls {
			if _, known := base[name]; !known {
				unsupported[name] = true
			}
		}
	}
	for _, l := range m.locals {
		visit(l.attr.Expr)
	}
	for _, o := range m.outputs {
		if o.attr != nil {
			visit(o.attr.Expr)
		}
	}
	for _, c := range m.calls {
		for _, a := range c.args {
			visit(a.Expr)
		}
		if c.count != nil {
			visit(c.count.Expr)
		}
		if c.forEach != nil {
			visit(c.forEach.Expr)
		}
	}
	for _, r := range m.resources {
		for _, e := range r.deps.exprs {
			visit(e)
		}
	}
	if len(unsupported) == 0 {
		return base, unsupported
	}
	// A copy: the template functions of base render templates with base itself, where
	// these stand-ins do not apply.
	funcs := make(map[string]function.Function, len(base)+len(unsupported))
	for k, v := range base {
		funcs[k] = v
	}
	for name := range unsupported {
		funcs[name] = unknownFunction
	}
	return funcs, unsupported
}

// unknownFunction stands in for a function we do not implement: it accepts anything and
// returns an unknown value, so the rest of the expression still evaluates.
var unknownFunction = function.New(&function.Spec{
	VarParam: &function.Parameter{
		Name: "args", Type: cty.DynamicPseudoType,
		AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
	},
	Type: function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return lessHCLRange(out[i].Range, out[j].Range) })
	return out
}

func lessHCLRange(a, b hcl.Range) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}

func toRange(r hcl.Range) graph.Range {
	return graph.Range{
		File:  r.Filename,
		Start: graph.Pos{Line: r.Start.Line, Column: r.Start.Column},
		End:   graph.Pos{Line: r.End.Line, Column: r.End.Column},
	}
}

func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// blockRange is the whole block, header to closing brace. JSON bodies do not expose their
// extent, so there it is the header.
func blockRange(b *hcl.Block) hcl.Range {
	if sb, ok := b.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(b.DefRange, sb.SrcRange)
	}
	return b.DefRange
}
