package cloudformation

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// partialTemplate interpolates values known only at deployment into JSON strings in every
// way a template can: Fn::Sub with and without variables, Fn::Join, the two nested, and
// Fn::ToJsonString.
const partialTemplate = `
Parameters:
  Prefix: {Type: String, Default: logs}
  Free: {Type: String}
Resources:
  B:
    Type: AWS::S3::Bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      Plain: !Sub '["arn:aws:s3:::${B}/${Prefix}/*"]'
      Attr: !Sub "  {\"r\": \"${B.Arn}/*\"}"
      Escaped: !Sub '["${!Literal}-${B}"]'
      Vars: !Sub ['["${X}:${Y}"]', {X: !GetAtt B.Arn, Y: !Join ["-", [a, !Ref B]]}]
      Joined: !Join ["/", ['["', !GetAtt B.Arn, !Sub "${Prefix}-${B}", '*"]']]
      Listed: [!Sub '{"a": "${B.Arn}"}', plain]
      Nested: {Inner: !Sub '["x-${Free}"]'}
      Chosen: !If [Never, literal, !Sub '["y-${B}"]']
      Json: !ToJsonString {A: !GetAtt B.Arn, B: [1, !Sub "x-${B}"], C: true, D: null}
      OnlyUnknown: !Sub "${B}"
      JoinOfUnknowns: !Join ["", [!Ref B, !GetAtt B.Arn]]
      Known: !Sub '["${Prefix}-x"]'
      Name: !Sub "${AWS::StackName}-${B}"
Conditions:
  Never: !Equals [a, b]
`

func TestSubAndJoinRecordPartialRenderings(t *testing.T) {
	rs, diags := parseString(partialTemplate)
	if diags.HasErrors() {
		t.Fatalf("diagnostics: %v", diags)
	}
	p := resource(t, rs, "P", "")
	u := graph.UnknownText
	for _, c := range []struct {
		path []any
		want string
	}{
		{[]any{"Plain"}, `["arn:aws:s3:::` + u + `/logs/*"]`},
		{[]any{"Attr"}, `  {"r": "` + u + `/*"}`},
		{[]any{"Escaped"}, `["${Literal}-` + u + `"]`},
		{[]any{"Vars"}, `["` + u + ":a-" + u + `"]`},
		{[]any{"Joined"}, `["/` + u + "/logs-" + u + `/*"]`},
		{[]any{"Listed", 0}, `{"a": "` + u + `"}`},
		{[]any{"Nested", "Inner"}, `["x-` + u + `"]`},
		{[]any{"Chosen"}, `["y-` + u + `"]`},
		{[]any{"Json"}, `{"A":"` + u + `","B":[1,"x-` + u + `"],"C":true,"D":null}`},
	} {
		if v := p.Get(c.path...); v.IsKnown() {
			t.Errorf("%v is known, want unknown", graph.Path(c.path))
		}
		pv, ok := p.PartialOf(c.path...)
		if !ok {
			t.Errorf("%v has no partial rendering", graph.Path(c.path))
			continue
		}
		if s, _ := pv.Str(); s != c.want {
			t.Errorf("%v partial = %q, want %q", graph.Path(c.path), strings.ReplaceAll(s, u, "<?>"), strings.ReplaceAll(c.want, u, "<?>"))
		}
	}
	// Nothing known to keep, nothing unknown, or not a JSON document: no partial
	// rendering is kept.
	for _, path := range [][]any{{"OnlyUnknown"}, {"JoinOfUnknowns"}, {"Known"}, {"Bucket"}, {"Name"}, {"Listed"}} {
		if _, ok := p.PartialOf(path...); ok {
			t.Errorf("%v has a partial rendering, want none", graph.Path(path))
		}
	}
	wantStr(t, p, `["logs-x"]`, "Known")
}
