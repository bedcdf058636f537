package graph

import (
	"github.com/zclconf/go-cty/cty"
)

// Related is a secondary location that explains a finding: where a value was written, the
// module call that produced a resource, the other resource of a cross-resource finding.
type Related struct {
	Range   Range
	Message string
}

// AttrInfo is what the parser knows about one attribute (or nested block, or list element)
// beyond its value: where it is written, where its value came from, and why it is unknown
// when it is.
type AttrInfo struct {
	// Range is where the attribute is written: the whole "name = value" for an argument,
	// the header of a nested block, the element of a literal list.
	Range Range
	// Origins are the places the value was written when they are elsewhere: a tfvars
	// assignment, a variable default, a module call argument, a Parameter default.
	Origins []Related
	// Unknown names the inputs that made the value unknown, e.g. "var.acl has no value".
	Unknown []string
	// Partial is, for a value that is not wholly known, the same value with every unknown
	// part that could be rendered as text replaced by UnknownText: a policy written as
	// jsonencode({... Resource = "${aws_s3_bucket.b.arn}/*"}) is then a readable JSON
	// string whose principal and conditions a check can still judge. cty.NilVal when the
	// parser has nothing better than the unknown value.
	Partial cty.Value
}

// UnknownText stands for an unknown part inside a Partial value. A check that meets it in
// a place that matters treats that place as unknown.
const UnknownText = "\u00a7unknown\u00a7"

// The position look-ups render a path's key in a buffer on the stack, so that a check
// reporting a finding allocates nothing to find its position. A key longer than
// maxStackKey bytes, or a path of more than maxStackDepth steps looked up with its
// enclosing paths (RangeOf, OriginsOf, UnknownOf), costs an allocation and gives the
// same answer. Both are well above what IaC usually writes (the capabilities a CronJob's
// container adds, spec.jobTemplate.spec.template.spec.containers[0].securityContext.
// capabilities.add[0], are 11 steps and 85 bytes), and cost only stack space.
const (
	maxStackKey   = 256
	maxStackDepth = 32
)

// PartialOf returns the partial rendering recorded for exactly path, when the value there is
// not wholly known and the parser could render its known parts. It allocates nothing for
// a path that renders to at most 256 bytes.
func (r *Resource) PartialOf(path ...any) (Value, bool) {
	var buf [maxStackKey]byte
	i := r.attrs.lookup(appendPath(buf[:0], path))
	if i < 0 {
		return Value{}, false
	}
	ex := r.attrs.extraOf(i)
	if ex.partial == cty.NilVal {
		return Value{}, false
	}
	return ValueAt(ex.partial, Path(path)), true
}

// Resource is one resource (or Kubernetes object) of any format, with evaluated
// attributes. Instances made by count / for_each are separate resources.
type Resource struct {
	Format Format
	// Type is the resource type as written: aws_s3_bucket, AWS::S3::Bucket, Deployment.
	Type string
	// Address identifies the resource within its Scope:
	// module.web.aws_s3_bucket.logs[0], WebBucket, apps/v1/Deployment/ns/name.
	Address string
	// BaseAddress is Address without the resource's own instance key
	// (module.web.aws_s3_bucket.logs); references without an index resolve to every
	// instance. Empty when the resource has no instance key.
	BaseAddress string
	// Scope is the unit that addresses and references are resolved within: the root module
	// directory, the template file, the Kubernetes manifest set.
	Scope string
	// Attrs holds the evaluated attributes as one object. Nested blocks are lists of
	// objects. Values that cannot be known statically are unknown.
	Attrs cty.Value
	// Range is the whole block, resource or document.
	Range Range
	// DefRange is the header of the block ("resource "x" "y" {", the logical ID, the kind
	// line): where a finding about a missing attribute points.
	DefRange Range
	// CallChain lists the module calls that produced this resource, outermost first.
	CallChain []Related
	// Meta holds format-specific facts that are not attributes (Kubernetes namespace,
	// CloudFormation condition name...).
	Meta map[string]string
	// Parts names sub-objects the parser located once so that checks need not know every
	// format's layout, e.g. Parts["pod"] is the pod spec of any Kubernetes workload kind
	// (spec, spec.template.spec, spec.jobTemplate.spec.template.spec).
	Parts map[string]Path

	// attrs is the position index, keyed by Path.String.
	attrs *attrIndex
	refs  []pendingRef
}

type pendingRef struct {
	To   string
	Attr Path
}

// SetAttrInfo records position and provenance for the attribute at path, replacing what
// was recorded for it before. Parsers call it while building the resource.
func (r *Resource) SetAttrInfo(path Path, info AttrInfo) {
	if r.attrs == nil {
		r.attrs = newAttrIndex()
	}
	var buf [maxStackKey]byte
	r.attrs.set(appendPath(buf[:0], path), &info)
}

// AttrInfo returns what is recorded for exactly this path, or nil. It is a copy: change it
// with SetAttrInfo.
func (r *Resource) AttrInfo(path Path) *AttrInfo {
	if r.attrs == nil {
		return nil
	}
	var buf [maxStackKey]byte
	i := r.attrs.lookup(appendPath(buf[:0], path))
	if i < 0 {
		return nil
	}
	info := r.attrs.info(i)
	return &info
}

// nearest returns the index of the entry of path or, failing that, of the nearest
// enclosing path, that has what want asks for; -1 when none has. The empty path is never
// looked up.
func (r *Resource) nearest(path Path, want func(x *attrIndex, i int) bool) int {
	if r.attrs == nil {
		return -1
	}
	// Render path once, noting where the rendering of each prefix ends: the key of an
	// enclosing path is a prefix of the key of path.
	var buf [maxStackKey]byte
	var ends [maxStackDepth]int
	key, end := buf[:0], ends[:0]
	for i, s := range path {
		key = appendStep(key, i, s)
		end = append(end, len(key))
	}
	for k := len(end) - 1; k >= 0; k-- {
		if i := r.attrs.lookup(key[:end[k]]); i >= 0 && want(r.attrs, i) {
			return i
		}
	}
	return -1
}

// AddRef records that the attribute at attr refers to the resource at address to (within
// the same Scope). New resolves these into edges.
func (r *Resource) AddRef(to string, attr Path) {
	r.refs = append(r.refs, pendingRef{To: to, Attr: attr})
}

// RangeOf returns the exact range of the attribute at path, falling back to the nearest
// enclosing attribute or block that is written, and finally to the resource's header. It
// allocates nothing for a path of at most 32 steps that renders to at most 256 bytes.
func (r *Resource) RangeOf(path ...any) Range {
	if i := r.nearest(path, hasRange); i >= 0 {
		return r.attrs.rangeOf(i)
	}
	if !r.DefRange.IsZero() {
		return r.DefRange
	}
	return r.Range
}

// OriginsOf returns the origins recorded for path or, failing that, for the nearest
// enclosing attribute that has any. It allocates nothing for a path of at most 32 steps
// that renders to at most 256 bytes.
func (r *Resource) OriginsOf(path ...any) []Related {
	if i := r.nearest(path, hasOrigins); i >= 0 {
		return r.attrs.extraOf(i).origins
	}
	return nil
}

// UnknownOf names the inputs that make the value at path unknown, looking at path and its
// enclosing attributes. It never returns an empty list: when the parser recorded no
// reason, it says the value is not known statically. When a reason is recorded, it
// allocates nothing for a path of at most 32 steps that renders to at most 256 bytes.
func (r *Resource) UnknownOf(path ...any) []string {
	if i := r.nearest(path, hasUnknown); i >= 0 {
		return r.attrs.extraOf(i).unknown
	}
	return []string{Path(path).String() + " is not known statically"}
}

func hasRange(x *attrIndex, i int) bool { return !x.rangeOf(i).IsZero() }

func hasOrigins(x *attrIndex, i int) bool { return len(x.extraOf(i).origins) > 0 }

func hasUnknown(x *attrIndex, i int) bool { return len(x.extraOf(i).unknown) > 0 }

// Get returns the value at path within the resource's attributes.
func (r *Resource) Get(path ...any) Value {
	return Value{v: r.Attrs, path: nil}.Get(path...)
}
