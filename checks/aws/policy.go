package aws

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// Statement is one statement of an IAM or resource policy, reduced to what access checks
// need. It is built from a JSON policy string or from a policy document written in the
// IaC language (Terraform's aws_iam_policy_document), so that the decision "is this
// statement public" is made in one place for S3, SQS, SNS and other resource policies.
type Statement struct {
	// Sid is the statement ID, when there is one.
	Sid string
	// Index is the statement's position in its policy (0-based).
	Index int
	// Effect is "Allow" or "Deny" as written.
	Effect string
	// Principals lists the principal values by principal type ("AWS", "Service",
	// "Federated", "CanonicalUser"); the type "*" stands for Principal "*".
	Principals map[string][]string
	// NotPrincipal is true when the statement names its principals with NotPrincipal:
	// an Allow then applies to everyone except them.
	NotPrincipal bool
	// Actions lists the actions (or NotActions when NotAction is set).
	Actions   []string
	NotAction bool
	// Conditions lists the condition entries.
	Conditions []Condition
	// Source and Path locate the statement when it is written as a block (a policy
	// document data source); Source is nil for statements parsed from a JSON string.
	Source *graph.Resource
	Path   graph.Path
	// UnknownEffect, UnknownPrincipals and UnknownConditions list the places whose values
	// are unknown statically (a variable with no value, a reference known only after
	// apply); they matter only when the known parts leave the decision open.
	UnknownEffect     []UnknownAt
	UnknownPrincipals []UnknownAt
	UnknownConditions []UnknownAt
}

// Condition is one condition entry: an operator (StringEquals, ArnLike,
// ForAnyValue:StringLike...), a context key and its values.
type Condition struct {
	Operator string
	Key      string
	Values   []string
	// Opaque counts values that are unknown statically but cannot widen the condition:
	// in CloudFormation, a value built only from the stack's own resources and
	// pseudo-parameters (a Ref to a VPC endpoint, !Ref AWS::AccountId), which can never be
	// a wildcard, and any value under an exact string match that limits the caller (see
	// unknownRestricts).
	Opaque int
}

// UnknownAt names a value that is unknown statically: the resource and attribute path
// where it sits.
type UnknownAt struct {
	Resource *graph.Resource
	Path     graph.Path
	// Reasons, when set, word why the decision is open better than the parser's reasons
	// for the value at Path can (which part of a partially known policy is unknown).
	Reasons []string
}

// ParsePolicyJSON reads a JSON policy document into statements. An empty document has
// no statements. Statement may be one object or a list, and Principal, Action and
// condition values may be a string or a list, as IAM accepts.
func ParsePolicyJSON(doc string) ([]Statement, error) {
	if strings.TrimSpace(doc) == "" {
		return nil, nil
	}
	var raw struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, fmt.Errorf("parse policy document: %w", err)
	}
	if len(raw.Statement) == 0 {
		return nil, nil
	}
	var list []map[string]any
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		var one map[string]any
		if err2 := json.Unmarshal(raw.Statement, &one); err2 != nil {
			return nil, fmt.Errorf("parse policy statements: %w", err)
		}
		list = []map[string]any{one}
	}
	out := make([]Statement, 0, len(list))
	for i, m := range list {
		out = append(out, statementFromJSON(i, m))
	}
	return out, nil
}

func statementFromJSON(i int, m map[string]any) Statement {
	s := Statement{Index: i, Principals: map[string][]string{}}
	s.Sid, _ = m["Sid"].(string)
	s.Effect, _ = m["Effect"].(string)
	principal, ok := m["Principal"]
	if !ok {
		if np, has := m["NotPrincipal"]; has {
			principal, s.NotPrincipal = np, true
		}
	}
	switch p := principal.(type) {
	case string:
		s.Principals["*"] = []string{p}
	case map[string]any:
		for k, v := range p {
			s.Principals[k] = jsonStrings(v)
		}
	}
	if a, ok := m["Action"]; ok {
		s.Actions = jsonStrings(a)
	} else if a, ok := m["NotAction"]; ok {
		s.Actions, s.NotAction = jsonStrings(a), true
	}
	if c, ok := m["Condition"].(map[string]any); ok {
		ops := slices.Sorted(maps.Keys(c))
		for _, op := range ops {
			keys, _ := c[op].(map[string]any)
			for _, k := range slices.Sorted(maps.Keys(keys)) {
				s.Conditions = append(s.Conditions, Condition{Operator: op, Key: k, Values: jsonStrings(keys[k])})
			}
		}
	}
	return s
}

// jsonStrings renders a JSON string, number, bool or list of them as strings.
func jsonStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case bool:
		return []string{fmt.Sprint(x)}
	case float64:
		return []string{fmt.Sprint(x)}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}

// IsAllow reports whether the statement grants (Effect Allow; IAM requires exactly this
// spelling).
func (s Statement) IsAllow() bool { return s.Effect == "Allow" }

// AnyPrincipal reports whether the statement applies to every principal: Principal "*",
// {"AWS": "*"} or a list that contains "*", or an Allow with NotPrincipal (which grants
// everyone but the principals named).
func (s Statement) AnyPrincipal() bool {
	if s.NotPrincipal {
		return true
	}
	for _, typ := range []string{"*", "AWS", "CanonicalUser"} {
		for _, v := range s.Principals[typ] {
			if v == "*" {
				return true
			}
		}
	}
	return false
}

// restrictingKeys are the condition keys that, with a concrete value, limit a statement to
// known callers (a network, an account, an organization, a specific source resource), so
// that a statement with Principal "*" is no longer open to anyone. Keys compare
// case-insensitively, as IAM does.
var restrictingKeys = map[string]bool{
	"aws:sourcevpce":            true,
	"aws:sourcevpc":             true,
	"aws:sourceip":              true,
	"aws:vpcsourceip":           true,
	"aws:sourcearn":             true,
	"aws:sourceaccount":         true,
	"aws:sourceorgid":           true,
	"aws:sourceorgpaths":        true,
	"aws:sourceowner":           true,
	"aws:principalorgid":        true,
	"aws:principalorgpaths":     true,
	"aws:principalaccount":      true,
	"aws:principalarn":          true,
	"aws:userid":                true,
	"aws:username":              true,
	"aws:resourceaccount":       true,
	"aws:principalservicename":  true,
	"s3:dataaccesspointaccount": true,
	"s3:dataaccesspointarn":     true,
}

// unknownRestricts reports whether a condition entry with operator op on key limits the
// caller whatever its values are. That holds for a caller-identifying key under an exact
// string match: StringEquals has no wildcards, so an unknown value (a parameter without
// a default, a variable without a value) admits only the callers that have that one
// value, and a caller without the key (anonymous) matches nothing. ForAnyValue: matches
// nothing when the key is absent too. StringLike, ArnEquals and ArnLike take wildcards,
// and ...IfExists and ForAllValues: pass when the key is absent, so an unknown value
// under them stays open.
func unknownRestricts(op, key string) bool {
	if !restrictingKeys[strings.ToLower(key)] {
		return false
	}
	switch strings.TrimPrefix(strings.ToLower(op), "foranyvalue:") {
	case "stringequals", "stringequalsignorecase":
		return true
	}
	return false
}

// arnKeys hold ARNs: a wildcard in the resource part still limits the caller to one
// account, a wildcard in the account part does not.
var arnKeys = map[string]bool{
	"aws:sourcearn":         true,
	"aws:principalarn":      true,
	"s3:dataaccesspointarn": true,
}

// RestrictingCondition returns the first condition that limits who can use the
// statement, or false when none does. A condition restricts when its key is one of the
// caller-identifying keys, its operator is a positive match (not a Not... operator, and
// not ...IfExists, which passes when the key is absent, as it is for anonymous callers),
// and every value is concrete (not "*", not 0.0.0.0/0, no account wildcard in an ARN).
func (s Statement) RestrictingCondition() (Condition, bool) {
	for _, c := range s.Conditions {
		if conditionRestricts(c) {
			return c, true
		}
	}
	return Condition{}, false
}

func conditionRestricts(c Condition) bool {
	key := strings.ToLower(c.Key)
	if !restrictingKeys[key] {
		return false
	}
	op := strings.ToLower(c.Operator)
	if strings.Contains(op, "not") || strings.HasSuffix(op, "ifexists") || op == "null" {
		return false
	}
	if len(c.Values) == 0 && c.Opaque == 0 {
		return false
	}
	for _, v := range c.Values {
		if !concreteValue(key, v) {
			return false
		}
	}
	return true
}

func concreteValue(key, v string) bool {
	v = strings.TrimSpace(v)
	switch v {
	case "", "*", "0.0.0.0/0", "::/0":
		return false
	}
	if arnKeys[key] {
		// arn:partition:service:region:account:resource
		parts := strings.SplitN(v, ":", 6)
		if len(parts) < 6 {
			return !strings.Contains(v, "*")
		}
		return !strings.ContainsAny(parts[4], "*?") && parts[4] != ""
	}
	return !strings.ContainsAny(v, "*?")
}

// Public reports whether the statement grants access to anyone: an Allow for any
// principal without a condition that limits the caller. Deny statements are never public
// (the common "deny insecure transport" statement has Principal "*"). When the known parts
// of the statement leave the answer open and some part is unknown, it returns false and
// the unknown places, which the caller records as undecided.
func (s Statement) Public() (public bool, undecided []UnknownAt) {
	if len(s.UnknownEffect) == 0 && !s.IsAllow() {
		return false, nil
	}
	anyPrincipal := s.AnyPrincipal()
	if !anyPrincipal && len(s.UnknownPrincipals) == 0 {
		return false, nil
	}
	if _, restricted := s.RestrictingCondition(); restricted {
		return false, nil
	}
	undecided = append(undecided, s.UnknownEffect...)
	if !anyPrincipal {
		undecided = append(undecided, s.UnknownPrincipals...)
	}
	undecided = append(undecided, s.UnknownConditions...)
	if len(undecided) > 0 {
		return false, undecided
	}
	return true, nil
}

// CallerLimitText words, for a message about a public statement, what its conditions do:
// "with no condition that limits the caller", or when it has conditions that do not (an
// open CIDR, a wildcard organization, a key such as aws:SecureTransport or aws:Referer
// that does not identify the caller), "with a condition that does not limit the caller
// (IpAddress aws:SourceIp "0.0.0.0/0")". Saying there is no condition when one is written
// would make a correct finding read as wrong.
func (s Statement) CallerLimitText() string {
	switch len(s.Conditions) {
	case 0:
		return "with no condition that limits the caller"
	case 1:
		return "with a condition that does not limit the caller (" + conditionText(s.Conditions[0]) + ")"
	}
	// A statement has a few conditions; past three the rest is counted.
	parts := firstThree(len(s.Conditions), func(i int) string { return conditionText(s.Conditions[i]) })
	return "with conditions that do not limit the caller (" + strings.Join(parts, "; ") + ")"
}

// firstThree renders the first three of n items and counts the rest ("and 2 more"), so
// that a message stays short whatever the policy holds.
func firstThree(n int, render func(i int) string) []string {
	const shown = 3
	out := make([]string, 0, min(n, shown+1))
	for i := range n {
		if i == shown {
			return append(out, fmt.Sprintf("and %d more", n-shown))
		}
		out = append(out, render(i))
	}
	return out
}

// conditionText renders a condition as written: operator, key and quoted values, so that
// an empty or wildcard value is visible.
func conditionText(c Condition) string {
	vals := firstThree(len(c.Values), func(i int) string { return fmt.Sprintf("%q", c.Values[i]) })
	switch {
	case c.Opaque == 1:
		vals = append(vals, "a value known at deployment")
	case c.Opaque > 1:
		vals = append(vals, fmt.Sprintf("%d values known at deployment", c.Opaque))
	}
	text := c.Operator + " " + c.Key
	if len(vals) > 0 {
		text += " " + strings.Join(vals, ", ")
	}
	return text
}

// Describe names the statement for messages: its Sid when it has one, else its position.
func (s Statement) Describe() string {
	if s.Sid != "" {
		return fmt.Sprintf("statement %q", s.Sid)
	}
	return fmt.Sprintf("statement %d", s.Index+1)
}

// ActionSummary renders the actions for messages, shortened after three.
func (s Statement) ActionSummary() string {
	acts := s.Actions
	prefix := ""
	if s.NotAction {
		prefix = "every action except "
	}
	if len(acts) == 0 {
		return prefix + "no action"
	}
	if len(acts) > 3 {
		return prefix + strings.Join(acts[:3], ", ") + fmt.Sprintf(" and %d more", len(acts)-3)
	}
	return prefix + strings.Join(acts, ", ")
}

// StatementsFromObject reads a policy document written as an object in the template
// itself (CloudFormation's PolicyDocument) into statements located in r, so that a
// finding can point at the statement's own lines. Statement may be one object or a
// list; Principal, Action and condition values may be a string or a list, as IAM
// accepts. Parts that are unknown statically are recorded on the statement (or, for the
// statement list itself, returned) rather than guessed, except values built only from the
// stack's own resources that identify one thing, which g tells apart (see deploymentValue).
func StatementsFromObject(g *graph.Graph, r *graph.Resource, doc graph.Value) ([]Statement, []UnknownAt) {
	sv := doc.Get("Statement")
	if !sv.IsKnown() {
		return nil, []UnknownAt{{Resource: r, Path: sv.Path()}}
	}
	var out []Statement
	var unknown []UnknownAt
	for i, el := range sv.List() {
		if !el.IsKnown() {
			unknown = append(unknown, UnknownAt{Resource: r, Path: el.Path()})
			continue
		}
		if !el.IsObject() {
			// Not a statement: CloudFormation rejects the policy.
			continue
		}
		out = append(out, objectStatement(g, r, i, el))
	}
	return out, unknown
}

// objectStatement reads the statement el, the i-th of its policy.
func objectStatement(g *graph.Graph, r *graph.Resource, i int, el graph.Value) Statement {
	s := Statement{Index: i, Source: r, Path: el.Path(), Principals: map[string][]string{}}
	s.Sid, _ = el.Get("Sid").Str()
	if ev := el.Get("Effect"); !ev.IsKnown() {
		s.UnknownEffect = append(s.UnknownEffect, UnknownAt{Resource: r, Path: ev.Path()})
	} else {
		s.Effect, _ = ev.Str()
	}
	pv := el.Get("Principal")
	if !pv.Exists() {
		if np := el.Get("NotPrincipal"); np.Exists() {
			pv, s.NotPrincipal = np, true
		}
	}
	switch {
	case !pv.IsKnown():
		s.UnknownPrincipals = append(s.UnknownPrincipals, UnknownAt{Resource: r, Path: pv.Path()})
	case pv.IsObject():
		for _, typ := range pv.Keys() {
			ids := pv.Get(typ)
			// A principal known only at deployment but built from the stack's own
			// resources is a named principal, never "*".
			for _, u := range unknownIn(r, ids) {
				if !deploymentValue(g, r, u.Path) {
					s.UnknownPrincipals = append(s.UnknownPrincipals, u)
				}
			}
			s.Principals[typ] = append(s.Principals[typ], ids.Strings()...)
		}
	default:
		if p, ok := pv.Str(); ok {
			s.Principals["*"] = []string{p}
		}
	}
	if a := el.Get("Action"); a.Exists() {
		s.Actions = a.Strings()
	} else if a := el.Get("NotAction"); a.Exists() {
		s.Actions, s.NotAction = a.Strings(), true
	}
	cv := el.Get("Condition")
	if !cv.IsKnown() {
		s.UnknownConditions = append(s.UnknownConditions, UnknownAt{Resource: r, Path: cv.Path()})
	}
	for _, op := range cv.Keys() {
		ov := cv.Get(op)
		if !ov.IsKnown() {
			s.UnknownConditions = append(s.UnknownConditions, UnknownAt{Resource: r, Path: ov.Path()})
			continue
		}
		for _, key := range ov.Keys() {
			vals := ov.Get(key)
			c := Condition{Operator: op, Key: key, Values: vals.Strings()}
			var unknown []UnknownAt
			for _, u := range unknownIn(r, vals) {
				if unknownRestricts(op, key) || deploymentValue(g, r, u.Path) {
					c.Opaque++
				} else {
					unknown = append(unknown, u)
				}
			}
			if len(unknown) > 0 {
				s.UnknownConditions = append(s.UnknownConditions, unknown...)
				continue
			}
			s.Conditions = append(s.Conditions, c)
		}
	}
	return s
}

// unknownIn lists where a string or list of strings is unknown: the value itself, or
// its unknown elements.
func unknownIn(r *graph.Resource, v graph.Value) []UnknownAt {
	if !v.IsKnown() {
		return []UnknownAt{{Resource: r, Path: v.Path()}}
	}
	var out []UnknownAt
	for _, e := range v.List() {
		if !e.IsKnown() {
			out = append(out, UnknownAt{Resource: r, Path: e.Path()})
		}
	}
	return out
}

// deploymentValue reports whether the unknown value at path of a CloudFormation resource
// is unknown only because it names one thing of the stack itself: a Ref of one of its AWS
// resources, an identifier attribute of one (Fn::GetAtt Role.Arn), or the
// pseudo-parameters AWS::AccountId, AWS::Region, AWS::StackName, AWS::StackId (alone or
// inside Fn::Sub or Fn::Join with literal text). Such a value is one concrete ID, ARN or
// name, never "*". A parameter without a default, Fn::ImportValue, an undecided
// condition, the output of a nested stack, the data of a custom resource, wait condition
// or SSM parameter, or any attribute of a registry type may be anything, so any other
// reason leaves the value open (see stackValuesOnly, which the partial policy strings
// share). The reasons are the ones the CloudFormation parser records; the fixtures under
// fixtures/cloudformation/aws-s3-public-policy pin the wording.
func deploymentValue(g *graph.Graph, r *graph.Resource, path graph.Path) bool {
	if r.Format != graph.CloudFormation {
		return false
	}
	info := r.AttrInfo(path)
	if info == nil || len(info.Unknown) == 0 {
		return false
	}
	return stackValuesOnly(g, r, info.Unknown)
}

// resourceType returns the type of the resource id that r refers to, or "" when r has no
// such reference.
func resourceType(g *graph.Graph, r *graph.Resource, id string) string {
	if g == nil {
		return ""
	}
	for _, e := range g.Out(r) {
		if e.To.Address == id {
			return e.To.Type
		}
	}
	return ""
}

// namingRef reports whether Ref of a resource of type t is one concrete identifier. AWS
// documents Ref of its own types as a name, ID or ARN; anything else (a registry type,
// a module, Custom::*) answers Ref with what its code chooses. The exceptions are AWS
// types whose Ref is not theirs to choose either: a custom resource's physical ID comes
// from its provider code, and a Route 53 record's Ref is its domain name, which may be a
// wildcard record ("*.example.com").
func namingRef(t string) bool {
	return strings.HasPrefix(t, "AWS::") && !freeRef[t]
}

// freeRef are the AWS:: types whose Ref may be any text (see namingRef). A nested stack's
// Ref is its stack ID, but it stays here so that its Ref and its outputs read alike.
var freeRef = map[string]bool{
	"AWS::CloudFormation::CustomResource": true,
	"AWS::CloudFormation::Stack":          true,
	"AWS::Route53::RecordSet":             true,
}

// identifierAttr reports whether the Fn::GetAtt attribute attr of a resource of type t is
// an identifier AWS assigns or the template names: an ARN, an ID, a name, a URL or an
// address. Other attributes may carry data: AWS::SSM::Parameter.Value is the parameter's
// value, AWS::CloudFormation::WaitCondition.Data whatever was signalled at run time, and
// a nested stack's Outputs.X whatever its template computes (Outputs.BucketArn included),
// so any of them may be "*". Only AWS:: types qualify, for the reasons of namingRef.
func identifierAttr(t, attr string) bool {
	if !strings.HasPrefix(t, "AWS::") || freeRef[t] || strings.HasPrefix(attr, "Outputs.") {
		return false
	}
	// Nested attributes (Endpoint.Address) are judged by their last part.
	last := attr[strings.LastIndex(attr, ".")+1:]
	for _, suffix := range identifierSuffixes {
		if strings.HasSuffix(last, suffix) {
			return true
		}
	}
	return false
}

// identifierSuffixes end the names of the attributes that identify something.
var identifierSuffixes = []string{"Arn", "ARN", "Id", "ID", "Name", "Url", "URL", "Address"}

// stackPseudo are the pseudo-parameters whose value is one concrete fact about the stack.
var stackPseudo = map[string]bool{
	"AWS::AccountId": true,
	"AWS::Region":    true,
	"AWS::StackName": true,
	"AWS::StackId":   true,
}
