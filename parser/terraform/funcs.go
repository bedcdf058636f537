package terraform

import (
	"maps"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/crypto"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/hashicorp/go-cty-funcs/uuid"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Default budgets of FuncOptions, used when a field is zero or negative.
const (
	DefaultMaxStringLen  = 1 << 20
	DefaultMaxCollection = 100_000
)

// FuncOptions bounds what the built-in functions may read and build.
type FuncOptions struct {
	// Root is the directory file functions may read beneath (the scan root); reading
	// outside it yields an unknown value, never an error that stops evaluation. When empty,
	// the module directory passed to Functions is the root.
	Root string
	// MaxStringLen bounds strings that functions build (default 1 MiB); MaxCollection bounds
	// lists/sets built by range() etc. (default 100,000 elements).
	MaxStringLen, MaxCollection int
}

// withDefaults fills zero budgets so that every limit is always in force.
func (o FuncOptions) withDefaults(baseDir string) FuncOptions {
	if o.MaxStringLen <= 0 {
		o.MaxStringLen = DefaultMaxStringLen
	}
	if o.MaxCollection <= 0 {
		o.MaxCollection = DefaultMaxCollection
	}
	if o.Root == "" {
		o.Root = baseDir
	}
	return o
}

// Functions returns the functions available to expressions of the module in baseDir.
//
// File functions resolve a relative path beneath baseDir, or else from the working
// directory, where path.module-prefixed paths start; either way they read nothing outside
// opts.Root, and a file outside it or missing from the scanned tree is an unknown value.
// Errors (bad arguments, a result over budget) are returned as function errors for the
// evaluator to turn into unknown values.
//
// The set follows Terraform's built-in functions by name, arguments and results. Functions
// whose result is only known at apply time or differs between runs (timestamp, uuid,
// bcrypt...) return unknown values, so that checks record them as undecided instead of
// deciding on a value Terraform would never produce. Provider-defined functions
// (provider::x::y) are not included.
func Functions(baseDir string, opts FuncOptions) map[string]function.Function {
	return newFuncTables(opts.withDefaults(baseDir)).forDir(baseDir)
}

// funcTables makes the function tables of module directories scanned with the same
// options. Only the file and template functions depend on the directory; the others, and
// the resolved scan root, are made once and shared by every table.
type funcTables struct {
	opts FuncOptions // defaults filled
	root string      // opts.Root, absolute with symbolic links resolved
	// shared holds the functions that do not depend on the directory, also under their
	// core:: names, and a placeholder under each name of dirCoreNames, which forDir
	// replaces: its clone then has room for them and only overwrites. It is never
	// modified once made.
	shared map[string]function.Function
}

func newFuncTables(opts FuncOptions) *funcTables {
	t := &funcTables{opts: opts, root: realPath(opts.Root)}
	t.shared = withCoreNames(sharedFunctions(opts))
	for name, core := range dirCoreNames {
		t.shared[name] = function.Function{}
		t.shared[core] = function.Function{}
	}
	return t
}

// forDir returns the functions available to expressions of the module in baseDir (see
// Functions).
func (t *funcTables) forDir(baseDir string) map[string]function.Function {
	fa := &fileAccess{baseDir: baseDir, root: t.root, lim: limits{maxStr: t.opts.MaxStringLen, maxColl: t.opts.MaxCollection}}
	funcs := maps.Clone(t.shared)
	own := fileFunctions(fa)
	own["templatefile"] = makeTemplateFileFunc(fa, t.opts, funcs)
	own["templatestring"] = makeTemplateStringFunc(t.opts, funcs)
	for name, f := range own {
		funcs[name] = f
		funcs[dirCoreNames[name]] = f
	}
	return funcs
}

// dirCoreNames are the core:: names of the functions forDir adds, made once rather than
// for every directory.
var dirCoreNames = func() map[string]string {
	names := map[string]string{"templatefile": "core::templatefile", "templatestring": "core::templatestring"}
	for name := range fileFunctions(&fileAccess{}) {
		names[name] = "core::" + name
	}
	return names
}()

// withCoreNames adds every function of funcs under its core:: name too: Terraform 1.8
// and later also accept built-in functions in the core:: namespace, which keeps them
// reachable when a provider function shares the name.
func withCoreNames(funcs map[string]function.Function) map[string]function.Function {
	out := make(map[string]function.Function, 2*len(funcs))
	for name, f := range funcs {
		out[name] = f
		out["core::"+name] = f
	}
	return out
}

// sharedFunctions are all functions except those that read files relative to the module
// directory and the template ones, which need the directory's table to evaluate templates
// with.
func sharedFunctions(opts FuncOptions) map[string]function.Function {
	lim := limits{maxStr: opts.MaxStringLen, maxColl: opts.MaxCollection}
	g := lim.guard
	return map[string]function.Function{
		// Numbers.
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      g(stdlib.LogFunc, checkLog),
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      g(stdlib.PowFunc, checkPow),
		"signum":   stdlib.SignumFunc,
		"sum":      sumFunc,

		// Strings.
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      g(stdlib.FormatFunc, lim.checkFormat),
		"formatlist":  g(stdlib.FormatListFunc, lim.checkFormatList),
		"indent":      g(stdlib.IndentFunc, lim.checkIndent),
		"join":        g(stdlib.JoinFunc, lim.checkJoin),
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    g(stdlib.RegexAllFunc, nil),
		"replace":     g(replaceFunc, lim.checkReplace),
		"split":       g(stdlib.SplitFunc, lim.checkSplit),
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,

		// Collections.
		"alltrue":         allTrueFunc,
		"anytrue":         anyTrueFunc,
		"chunklist":       g(stdlib.ChunklistFunc, nil),
		"coalesce":        collection.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          g(stdlib.ConcatFunc, lim.checkConcat),
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         g(stdlib.FlattenFunc, nil),
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"lookup":          lookupFunc,
		"matchkeys":       matchkeysFunc,
		"merge":           g(stdlib.MergeFunc, checkMergeArgs),
		"one":             oneFunc,
		"range":           g(stdlib.RangeFunc, lim.checkRange),
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": dynamicTyped(stdlib.SetIntersectionFunc),
		"setproduct":      g(stdlib.SetProductFunc, lim.checkSetProduct),
		"setsubtract":     dynamicTyped(stdlib.SetSubtractFunc),
		"setunion":        g(dynamicTyped(stdlib.SetUnionFunc), lim.checkConcat),
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"transpose":       g(transposeFunc, nil),
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// Encoding.
		"base64decode":     g(encoding.Base64DecodeFunc, checkBase64Text),
		"base64encode":     g(encoding.Base64EncodeFunc, nil),
		"base64gzip":       g(base64GzipFunc, nil),
		"csvdecode":        g(stdlib.CSVDecodeFunc, nil),
		"jsondecode":       g(stdlib.JSONDecodeFunc, checkJSONDepth),
		"jsonencode":       g(stdlib.JSONEncodeFunc, nil),
		"textdecodebase64": textDecodeBase64Func,
		"textencodebase64": g(textEncodeBase64Func, nil),
		"urlencode":        g(encoding.URLEncodeFunc, nil),
		"yamldecode":       lim.yamlDecodeFunc(),
		"yamlencode":       g(yamlEncodeFunc, nil),

		// Files and paths.
		"abspath":    absPathFunc,
		"basename":   filesystem.BasenameFunc,
		"dirname":    filesystem.DirnameFunc,
		"pathexpand": pathExpandFunc,
		// (file, filebase64, fileexists, fileset and the file hashes: see fileFunctions.)

		// Dates and times.
		"formatdate":    stdlib.FormatDateFunc,
		"plantimestamp": unknownFunc(cty.String),
		"timeadd":       stdlib.TimeAddFunc,
		"timecmp":       timeCmpFunc,
		"timestamp":     unknownFunc(cty.String),

		// Hashes and crypto.
		"base64sha256": base64Sha256Func,
		"base64sha512": base64Sha512Func,
		"bcrypt":       unknownVarFunc(cty.String),
		"md5":          crypto.Md5Func,
		"rsadecrypt":   crypto.RsaDecryptFunc,
		"sha1":         crypto.Sha1Func,
		"sha256":       crypto.Sha256Func,
		"sha512":       crypto.Sha512Func,
		"uuid":         unknownFunc(cty.String),
		"uuidv5":       uuid.V5Func,

		// IP networks.
		"cidrhost":    cidr.HostFunc,
		"cidrnetmask": cidr.NetmaskFunc,
		"cidrsubnet":  cidr.SubnetFunc,
		"cidrsubnets": g(cidr.SubnetsFunc, nil),

		// Type conversion.
		"can":      tryfunc.CanFunc,
		"tobool":   stdlib.MakeToFunc(cty.Bool),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber": stdlib.MakeToFunc(cty.Number),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring": toStringFunc,
		"try":      tryfunc.TryFunc,

		// Sensitivity and ephemerality do not change a value's content, which is what
		// checks look at.
		"ephemeralasnull": identityFunc,
		"issensitive":     isSensitiveFunc,
		"nonsensitive":    identityFunc,
		"sensitive":       identityFunc,
	}
}

// fileFunctions are the functions that read files, relative to the directory of fa.
func fileFunctions(fa *fileAccess) map[string]function.Function {
	return map[string]function.Function{
		"file":             fa.fileFunc(false),
		"filebase64":       fa.fileFunc(true),
		"fileexists":       fa.fileExistsFunc(),
		"fileset":          fa.fileSetFunc(),
		"filemd5":          fa.fileHashFunc(md5Hex),
		"filesha1":         fa.fileHashFunc(sha1Hex),
		"filesha256":       fa.fileHashFunc(sha256Hex),
		"filesha512":       fa.fileHashFunc(sha512Hex),
		"filebase64sha256": fa.fileHashFunc(sha256Base64),
		"filebase64sha512": fa.fileHashFunc(sha512Base64),
	}
}
