package aws

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// A policy written as a Terraform heredoc, jsonencode(...) or templatefile(...), or as a
// CloudFormation Fn::Sub or Fn::Join JSON string, is unknown as a whole as soon as one
// interpolated value is, and the interpolated value is nearly always the bucket ARN in
// Resource. The parser then records a partial rendering of the string with each unknown
// part replaced by graph.UnknownText. Publicity depends only on
// Effect, Principal and Condition, so a statement whose parts there are readable is
// decided as usual. Resource never matters, and neither does Action: an Allow to everyone
// is public whatever it allows (S3 judges a policy public on principals and conditions
// alone), so an unknown action does not keep the decision open; the message shows it as
// "…". An unknown Effect, principal or restricting condition leaves that statement open,
// at the policy attribute, where the partial text has no inner positions.

// unknownShown is how an unknown part of a partially known policy reads in messages.
const unknownShown = "…"

// partialPolicy reads the partial rendering of the unknown policy string at path of r.
// ok is false when there is no partial rendering, or it is not a readable JSON policy
// (an unknown statement list, for instance): the policy is then unknown as before.
func partialPolicy(g *graph.Graph, r *graph.Resource, path graph.Path) (stmts []Statement, ok bool) {
	pv, has := partialAt(r, path)
	if !has {
		return nil, false
	}
	doc, isStr := pv.Str()
	if !isStr {
		return nil, false
	}
	return partialStatements(g, doc, UnknownAt{Resource: r, Path: path}, takenReasons(g, r, path))
}

// partialAt returns the partial rendering of the value at path of r, recorded for path
// itself or for an enclosing attribute (a list whose elements are documents).
func partialAt(r *graph.Resource, path graph.Path) (graph.Value, bool) {
	for n := len(path); n > 0; n-- {
		if pv, ok := r.PartialOf(path[:n]...); ok {
			return pv.Get(path[n:]...), true
		}
	}
	return graph.Value{}, false
}

// partialStatements parses doc, a JSON policy in which graph.UnknownText stands for
// unknown parts, and records on each statement which of the parts that decide publicity
// are unknown, all located at at. why lists the inputs that make the value unknown: when
// every one is the attribute of a managed resource known only after apply (an ARN, an
// ID), an unknown value names one thing and is never a wildcard, so it counts as a named
// principal or a concrete condition value.
func partialStatements(g *graph.Graph, doc string, at UnknownAt, why []string) ([]Statement, bool) {
	concrete := resourceValuesOnly(why)
	if at.Resource != nil && at.Resource.Format == graph.CloudFormation {
		concrete = stackValuesOnly(g, at.Resource, why)
	}
	stmts, err := ParsePolicyJSON(doc)
	if err != nil {
		return nil, false
	}
	raws, ok := rawStatements(doc)
	if !ok || len(raws) != len(stmts) {
		return nil, false
	}
	for i := range stmts {
		markPartial(&stmts[i], raws[i], at, why, concrete)
	}
	return stmts, true
}

// rawStatements returns the statement objects of doc as decoded JSON, in order.
func rawStatements(doc string) ([]map[string]any, bool) {
	var raw struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, false
	}
	if len(raw.Statement) == 0 {
		return nil, true
	}
	var list []map[string]any
	if err := json.Unmarshal(raw.Statement, &list); err == nil {
		return list, true
	}
	var one map[string]any
	if err := json.Unmarshal(raw.Statement, &one); err != nil {
		return nil, false
	}
	return []map[string]any{one}, true
}

// hasUnknown reports whether s holds an unknown part.
func hasUnknown(s string) bool { return strings.Contains(s, graph.UnknownText) }

// onlyUnknown reports whether s is nothing but unknown parts (and spaces): the whole
// value is unknown, rather than an unknown piece inside written text.
func onlyUnknown(s string) bool {
	return hasUnknown(s) && strings.TrimSpace(strings.ReplaceAll(s, graph.UnknownText, "")) == ""
}

// shown renders s for messages, with unknown parts as unknownShown.
func shown(s string) string { return strings.ReplaceAll(s, graph.UnknownText, unknownShown) }

// markPartial moves the unknown parts of a statement parsed from a partial rendering
// into its Unknown lists. raw is the statement as decoded JSON, needed where the parsed
// statement has lost an unknown value that was not of the expected shape (a Condition
// that is one unknown string).
func markPartial(s *Statement, raw map[string]any, at UnknownAt, inputs []string, concrete bool) {
	s.Sid = shown(s.Sid)
	for i, a := range s.Actions {
		s.Actions[i] = shown(a)
	}
	if hasUnknown(s.Effect) {
		s.Effect = ""
		s.UnknownEffect = append(s.UnknownEffect, at)
	}
	markPartialPrincipals(s, at, concrete)
	markPartialConditions(s, raw, at, concrete)
	// Name the statement and the part in the undecided reasons: the position is the
	// whole policy attribute, and its unknown inputs include the Resource ARNs that do not
	// matter.
	why := append([]string{partialReason(*s)}, inputs...)
	for _, l := range []*[]UnknownAt{&s.UnknownEffect, &s.UnknownPrincipals, &s.UnknownConditions} {
		for i := range *l {
			(*l)[i].Reasons = why
		}
	}
}

// markPartialPrincipals drops unknown principals from s. A principal type that is unknown,
// or a value that is wholly unknown, may be "*", unless concrete says it is a resource's
// attribute. A value with written text around an unknown piece
// ("arn:aws:iam::${var.account}:root") names one principal: IAM accepts no wildcard inside
// a principal ARN, so it can never mean everyone.
func markPartialPrincipals(s *Statement, at UnknownAt, concrete bool) {
	unknown := false
	for typ, ids := range s.Principals {
		if hasUnknown(typ) {
			delete(s.Principals, typ)
			unknown = true
			continue
		}
		kept := ids[:0]
		for _, id := range ids {
			switch {
			case !hasUnknown(id):
				kept = append(kept, id)
			case onlyUnknown(id) && !concrete:
				unknown = true
			default:
				kept = append(kept, shown(id))
			}
		}
		s.Principals[typ] = kept
	}
	if unknown {
		s.UnknownPrincipals = append(s.UnknownPrincipals, at)
	}
}

// markPartialConditions drops the condition entries of s that could restrict the caller
// but are not readable, and records them as unknown. An entry whose key is known and does
// not identify the caller cannot restrict whatever its value, so it stays as it is.
func markPartialConditions(s *Statement, raw map[string]any, at UnknownAt, concrete bool) {
	unknown := false
	if c, ok := raw["Condition"]; ok {
		ops, isObj := c.(map[string]any)
		if !isObj && containsUnknown(c) {
			unknown = true
		}
		for _, keys := range ops {
			if _, isObj := keys.(map[string]any); !isObj && containsUnknown(keys) {
				unknown = true
			}
		}
	}
	kept := s.Conditions[:0]
	for _, c := range s.Conditions {
		switch {
		case hasUnknown(c.Key):
			unknown = true
			continue
		case !restrictingKeys[strings.ToLower(c.Key)]:
			kept = append(kept, c)
			continue
		case hasUnknown(c.Operator):
			unknown = true
			continue
		}
		readable := true
		vals := make([]string, 0, len(c.Values))
		for _, v := range c.Values {
			switch {
			case !hasUnknown(v):
				vals = append(vals, v)
			case concrete || unknownRestricts(c.Operator, c.Key):
				// One concrete resource value, or any value under an exact match: a
				// placeholder keeps the written text around it judged (a wildcard
				// account stays a wildcard).
				vals = append(vals, strings.ReplaceAll(v, graph.UnknownText, "x"))
			default:
				readable = false
			}
		}
		if !readable {
			unknown = true
			continue
		}
		c.Values = vals
		kept = append(kept, c)
	}
	s.Conditions = kept
	if unknown {
		s.UnknownConditions = append(s.UnknownConditions, at)
	}
}

// containsUnknown reports whether a decoded JSON value holds an unknown part anywhere.
func containsUnknown(v any) bool {
	switch x := v.(type) {
	case string:
		return hasUnknown(x)
	case []any:
		for _, e := range x {
			if containsUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if hasUnknown(k) || containsUnknown(e) {
				return true
			}
		}
	}
	return false
}

// resourceValuesOnly reports whether every input in why (the reasons a value is unknown)
// is an attribute of a managed resource known only after apply (an ARN, an ID), as the
// Terraform parser words it: "aws_s3_bucket.b.arn is known only after apply". Variables
// without a value, data sources, module outputs and provider functions may produce
// anything, including "*".
func resourceValuesOnly(why []string) bool {
	if len(why) == 0 {
		return false
	}
	for _, why := range why {
		ref, ok := strings.CutSuffix(why, " is known only after apply")
		if !ok {
			return false
		}
		for _, p := range []string{"data.", "var.", "local.", "module.", "function ", "each.", "count."} {
			if strings.HasPrefix(ref, p) {
				return false
			}
		}
		// resource_type.name[.key...].attribute
		if strings.Count(ref, ".") < 2 {
			return false
		}
	}
	return true
}

// stackValuesOnly is resourceValuesOnly for the reasons the CloudFormation parser gives
// for the unknown value of r: true when each names one concrete thing of the stack
// itself: a Ref of one of its AWS resources ("Ref Bucket is known only after
// deployment", see namingRef), an identifier attribute of one ("Bucket.Arn is known only
// after deployment", see identifierAttr) or a pseudo-parameter such as AWS::AccountId
// ("AWS::AccountId is known only at deployment"). Such a value is never "*". Anything
// else may be: a parameter without a default, Fn::ImportValue, an undecided condition,
// the output of a nested stack, the data of a custom resource, a wait condition or an
// SSM parameter's value, any attribute of a registry type. It stays undecided, and the
// reason the parser recorded names it.
func stackValuesOnly(g *graph.Graph, r *graph.Resource, why []string) bool {
	if len(why) == 0 {
		return false
	}
	for _, why := range why {
		if res, ok := strings.CutSuffix(why, " is known only after deployment"); ok {
			if id, isRef := strings.CutPrefix(res, "Ref "); isRef {
				if !namingRef(resourceType(g, r, id)) {
					return false
				}
				continue
			}
			id, attr, _ := strings.Cut(res, ".")
			if !identifierAttr(resourceType(g, r, id), attr) {
				return false
			}
			continue
		}
		if !stackPseudo[strings.TrimSuffix(why, " is known only at deployment")] {
			return false
		}
	}
	return true
}

// partialReason words why a statement of a partially known policy is undecided.
func partialReason(s Statement) string {
	var parts []string
	if len(s.UnknownEffect) > 0 {
		parts = append(parts, "Effect")
	}
	if len(s.UnknownPrincipals) > 0 {
		parts = append(parts, "Principal")
	}
	if len(s.UnknownConditions) > 0 {
		parts = append(parts, "Condition")
	}
	return fmt.Sprintf("%s of %s is not known statically", strings.Join(parts, " and "), s.Describe())
}
