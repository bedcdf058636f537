package aws

import (
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// Policy is a resource policy as far as it can be read statically.
type Policy struct {
	Statements []Statement
	// Unknown lists where the policy (or a document it includes) cannot be read: a JSON
	// string that is unknown and does not come from a policy document in the scan.
	Unknown []UnknownAt
}

// maxPolicyDepth bounds how many policy documents deep source/override includes are
// followed, so that a cycle of documents cannot hang a scan.
const maxPolicyDepth = 8

// PolicyAt reads the policy held by the attribute at path of r: a JSON string (written
// literally, in a heredoc, or produced by jsonencode or templatefile, read from its
// partial rendering when an interpolated piece is unknown), a reference to the JSON of a
// policy document data source in the scan, whose statement blocks are read directly, or
// (in CloudFormation) a policy document written as an object.
func PolicyAt(g *graph.Graph, r *graph.Resource, path graph.Path) Policy {
	var pol Policy
	readPolicyValue(g, r, path, 0, map[*graph.Resource]bool{}, &pol)
	return pol
}

func readPolicyValue(g *graph.Graph, r *graph.Resource, path graph.Path, depth int, seen map[*graph.Resource]bool, pol *Policy) {
	v := r.Get(path...)
	if !v.Exists() {
		return
	}
	if s, ok := v.Str(); ok {
		// A document that is not valid JSON is rejected by AWS on apply; it grants
		// nothing, so there is nothing to decide.
		stmts, _ := ParsePolicyJSON(s)
		pol.Statements = append(pol.Statements, stmts...)
		return
	}
	if r.Format == graph.CloudFormation {
		// CloudFormation takes a policy document as an object (or a JSON string, read
		// above); anything else known is rejected on deployment.
		if v.IsObject() {
			stmts, unknown := StatementsFromObject(g, r, v)
			pol.Statements = append(pol.Statements, stmts...)
			pol.Unknown = append(pol.Unknown, unknown...)
			return
		}
		if v.IsKnown() {
			return
		}
	}
	if v.IsObject() {
		// Terraform takes policies as strings: an object is a type error there, and
		// reading it as a list of one document would read the same value forever.
		return
	}
	if !v.IsKnown() {
		// A heredoc, jsonencode or templatefile with an unknown piece (the bucket ARN):
		// its partial rendering is read when it is a JSON policy.
		if stmts, ok := partialPolicy(g, r, path); ok {
			pol.Statements = append(pol.Statements, stmts...)
			return
		}
	}
	if elems, ok := policyList(r, path, v); ok {
		// A list of JSON documents (source_policy_documents). Elements that are unknown
		// as a whole are resolved together through the documents the list refers to,
		// since references are recorded for the attribute as a whole.
		unknown := false
		for _, e := range elems {
			if !readListedPolicy(g, r, e, pol) {
				unknown = true
			}
		}
		if !unknown {
			return
		}
	}
	docs := policyDocumentsVia(g, r, path)
	if len(docs) == 0 || depth >= maxPolicyDepth {
		at := UnknownAt{Resource: r, Path: path}
		if why := unexplainedInputs(g, r, path, nil); len(why) > 0 {
			// Name only inputs that can matter, not documents of branches not taken.
			at.Reasons = why
		}
		pol.Unknown = append(pol.Unknown, at)
		return
	}
	for _, d := range docs {
		readPolicyDocument(g, d, depth+1, seen, pol)
	}
	// The value is unknown because of the documents, but when variables, locals or module
	// inputs flowed into it too (compact([data.x.json, var.policy]) is wholly unknown
	// as soon as one document is), there may be statements we cannot see: say so rather
	// than call the policy private, naming only the inputs that the documents read do not
	// explain.
	if len(r.OriginsOf(path...)) > 0 {
		if why := unexplainedInputs(g, r, path, docs); len(why) > 0 {
			pol.Unknown = append(pol.Unknown, UnknownAt{Resource: r, Path: path, Reasons: why})
		}
	}
}

// unexplainedInputs returns the reasons why the value at path of r is unknown (see
// takenReasons) without the policy documents that docs account for, because they were
// read.
func unexplainedInputs(g *graph.Graph, r *graph.Resource, path graph.Path, docs []*graph.Resource) []string {
	read := map[string]bool{}
	for _, d := range docs {
		read[localAddress(d)] = true
	}
	var out []string
	for _, why := range takenReasons(g, r, path) {
		if _, ref, ok := referenceIn(why); ok && strings.HasSuffix(why, " is read at apply time") && read[ref] {
			continue
		}
		out = append(out, why)
	}
	return out
}

// takenReasons returns the parser's reasons why the value at path of r is unknown,
// without those that name a resource or data source with no instance in r's module or
// the modules around it: such a reference can only sit in a branch not taken
// (cond ? data.x[0].json : "" with count = 0 for data.x), and it hides nothing.
func takenReasons(g *graph.Graph, r *graph.Resource, path graph.Path) []string {
	var out []string
	for _, why := range r.UnknownOf(path...) {
		if typ, ref, ok := referenceIn(why); ok && !instanceInScope(g, r, typ, ref) {
			continue
		}
		out = append(out, why)
	}
	return out
}

// referenceIn reads the resource named by a Terraform parser reason: "data.T.N is read
// at apply time" (or "data.T.N.attr ...", naming the attribute read) or "T.N.attr is
// known only after apply". It returns the resource type and its module-local address
// (data.T.N or T.N).
func referenceIn(why string) (typ, ref string, ok bool) {
	if r, found := strings.CutSuffix(why, " is read at apply time"); found {
		parts := strings.Split(r, ".")
		if (len(parts) == 3 || len(parts) == 4) && parts[0] == "data" {
			return parts[1], strings.Join(parts[:3], "."), true
		}
		return "", "", false
	}
	if r, found := strings.CutSuffix(why, " is known only after apply"); found {
		parts := strings.Split(r, ".")
		switch {
		case len(parts) < 3 || strings.Contains(r, " "):
			return "", "", false
		case parts[0] == "data" && len(parts) >= 4:
			return parts[1], strings.Join(parts[:3], "."), true
		case parts[0] == "data", parts[0] == "var", parts[0] == "local", parts[0] == "module", strings.Contains(parts[1], "["):
			return "", "", false
		}
		return parts[0], parts[0] + "." + parts[1], true
	}
	return "", "", false
}

// localAddress is the address of r within its module, without instance keys:
// data.aws_iam_policy_document.x for module.a.data.aws_iam_policy_document.x[0].
func localAddress(r *graph.Resource) string {
	addr := r.Address
	if r.BaseAddress != "" {
		addr = r.BaseAddress
	}
	if i := strings.LastIndex(addr, "data."+r.Type+"."); i >= 0 {
		return addr[i:]
	}
	if i := strings.LastIndex(addr, r.Type+"."); i >= 0 {
		return addr[i:]
	}
	return addr
}

// instanceInScope reports whether the resource of type typ with the module-local address
// ref has an instance in r's module or in a module that encloses it (a value passed in as
// a module input is declared in the caller).
func instanceInScope(g *graph.Graph, r *graph.Resource, typ, ref string) bool {
	addr := r.Address
	if r.BaseAddress != "" {
		addr = r.BaseAddress
	}
	prefix := strings.TrimSuffix(addr, localAddress(r))
	for _, d := range g.Resources(typ) {
		if d.Scope != r.Scope {
			continue
		}
		base := d.Address
		if d.BaseAddress != "" {
			base = d.BaseAddress
		}
		mod, ok := strings.CutSuffix(base, ref)
		if ok && strings.HasPrefix(prefix, mod) && (mod == "" || strings.HasSuffix(mod, ".")) {
			return true
		}
	}
	return false
}

// policyList returns the elements of the list of JSON documents v at path of r: the
// known list itself, or the partial rendering of a list that is unknown as a whole
// (compact([...]) with an unknown element). ok is false when v is not a list.
func policyList(r *graph.Resource, path graph.Path, v graph.Value) ([]graph.Value, bool) {
	if v.IsKnown() {
		return v.List(), true
	}
	if pv, ok := r.PartialOf(path...); ok {
		if _, isStr := pv.Str(); !isStr && pv.IsKnown() {
			return pv.List(), true
		}
	}
	return nil, false
}

// readListedPolicy reads one element of a list of JSON documents into pol, from its value
// or its partial rendering. It returns false when the element is unknown as a whole.
func readListedPolicy(g *graph.Graph, r *graph.Resource, e graph.Value, pol *Policy) bool {
	if s, ok := e.Str(); ok {
		switch {
		case !hasUnknown(s):
			// A document that is not valid JSON is rejected by AWS on apply.
			stmts, _ := ParsePolicyJSON(s)
			pol.Statements = append(pol.Statements, stmts...)
			return true
		case onlyUnknown(s):
			return false
		}
		// A partial rendering: the list's own unknown inputs tell whether its unknown
		// pieces are resource attributes.
		stmts, ok := partialStatements(g, s, UnknownAt{Resource: r, Path: e.Path()}, takenReasons(g, r, e.Path().Parent()))
		pol.Statements = append(pol.Statements, stmts...)
		return ok
	}
	if stmts, ok := partialPolicy(g, r, e.Path()); ok {
		pol.Statements = append(pol.Statements, stmts...)
		return true
	}
	return false
}

// policyDocumentsVia returns the policy document data sources that the attribute at path
// (or an element inside it) refers to.
func policyDocumentsVia(g *graph.Graph, r *graph.Resource, path graph.Path) []*graph.Resource {
	var out []*graph.Resource
	seen := map[*graph.Resource]bool{}
	want := path.String()
	for _, e := range g.Out(r) {
		if e.To.Type != "aws_iam_policy_document" || seen[e.To] {
			continue
		}
		// The edge may be recorded for the attribute as a whole or for an element in it.
		if !pathWithin(e.Attr, path) && !pathWithin(path, e.Attr) && e.Attr.String() != want {
			continue
		}
		seen[e.To] = true
		out = append(out, e.To)
	}
	return out
}

// pathWithin reports whether p starts with prefix.
func pathWithin(p, prefix graph.Path) bool {
	if len(p) < len(prefix) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}

// readPolicyDocument reads a Terraform aws_iam_policy_document data source: the documents
// it merges in (source_policy_documents, source_json), its statement blocks, and the
// documents that override it.
func readPolicyDocument(g *graph.Graph, d *graph.Resource, depth int, seen map[*graph.Resource]bool, pol *Policy) {
	if seen[d] {
		return
	}
	seen[d] = true
	defer delete(seen, d)
	if d.Format != graph.Terraform {
		pol.Unknown = append(pol.Unknown, UnknownAt{Resource: d, Path: nil})
		return
	}
	for _, attr := range []string{"source_policy_documents", "source_json"} {
		readPolicyValue(g, d, graph.P(attr), depth, seen, pol)
	}
	sv := d.Get("statement")
	if !sv.IsKnown() {
		pol.Unknown = append(pol.Unknown, UnknownAt{Resource: d, Path: sv.Path()})
	}
	for i, el := range sv.List() {
		if !el.IsKnown() {
			pol.Unknown = append(pol.Unknown, UnknownAt{Resource: d, Path: el.Path()})
			continue
		}
		pol.Statements = append(pol.Statements, documentStatement(d, i, el))
	}
	for _, attr := range []string{"override_policy_documents", "override_json"} {
		readPolicyValue(g, d, graph.P(attr), depth, seen, pol)
	}
}

// documentStatement reads one statement block of a policy document.
func documentStatement(d *graph.Resource, i int, el graph.Value) Statement {
	s := Statement{Index: i, Source: d, Path: el.Path(), Principals: map[string][]string{}}
	s.Sid, _ = el.Get("sid").Str()
	switch ev := el.Get("effect"); {
	case !ev.Exists():
		s.Effect = "Allow" // the data source's documented default
	case !ev.IsKnown():
		s.UnknownEffect = append(s.UnknownEffect, UnknownAt{Resource: d, Path: ev.Path()})
	default:
		s.Effect, _ = ev.Str()
	}
	if v := el.Get("not_principals"); v.Exists() {
		s.NotPrincipal = true
	}
	for _, attr := range []string{"principals", "not_principals"} {
		pv := el.Get(attr)
		if !pv.IsKnown() {
			s.UnknownPrincipals = append(s.UnknownPrincipals, UnknownAt{Resource: d, Path: pv.Path()})
			continue
		}
		for _, p := range pv.List() {
			typ, ok := p.Get("type").Str()
			if !ok {
				if !p.Get("type").IsKnown() || !p.IsKnown() {
					s.UnknownPrincipals = append(s.UnknownPrincipals, UnknownAt{Resource: d, Path: p.Path()})
				}
				continue
			}
			ids := p.Get("identifiers")
			if !ids.IsKnown() {
				s.UnknownPrincipals = append(s.UnknownPrincipals, UnknownAt{Resource: d, Path: ids.Path()})
				continue
			}
			for _, id := range ids.List() {
				if !id.IsKnown() {
					s.UnknownPrincipals = append(s.UnknownPrincipals, UnknownAt{Resource: d, Path: id.Path()})
				}
			}
			s.Principals[typ] = append(s.Principals[typ], ids.Strings()...)
		}
	}
	if v := el.Get("actions"); v.Exists() {
		s.Actions = v.Strings()
	} else if v := el.Get("not_actions"); v.Exists() {
		s.Actions, s.NotAction = v.Strings(), true
	}
	cv := el.Get("condition")
	if !cv.IsKnown() {
		s.UnknownConditions = append(s.UnknownConditions, UnknownAt{Resource: d, Path: cv.Path()})
	}
	for _, c := range cv.List() {
		test, vr, vals := c.Get("test"), c.Get("variable"), c.Get("values")
		if !c.IsKnown() || !test.IsKnown() || !vr.IsKnown() || !vals.IsKnown() {
			s.UnknownConditions = append(s.UnknownConditions, UnknownAt{Resource: d, Path: c.Path()})
			continue
		}
		op, _ := test.Str()
		key, _ := vr.Str()
		cond := Condition{Operator: op, Key: key, Values: vals.Strings()}
		unknown := false
		for _, e := range vals.List() {
			switch {
			case e.IsKnown():
			case unknownRestricts(op, key):
				// Whatever it is, it is one more exact value (see unknownRestricts).
				cond.Opaque++
			default:
				unknown = true
			}
		}
		if unknown {
			s.UnknownConditions = append(s.UnknownConditions, UnknownAt{Resource: d, Path: c.Path()})
			continue
		}
		s.Conditions = append(s.Conditions, cond)
	}
	return s
}
