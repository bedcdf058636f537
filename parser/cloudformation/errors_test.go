package cloudformation

import (
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestYAMLSyntaxErrorHasLineAndColumn(t *testing.T) {
	rs, diags := Parse("t.yaml", []byte("AWSTemplateFormatVersion: x\nResources:\n  B:\n    Type: AWS::S3::Bucket\n      Properties: x: y\n"))
	if len(rs) != 0 || len(diags) != 1 || diags[0].Severity != graph.DiagError {
		t.Fatalf("resources %v, diagnostics %v", rs, diags)
	}
	if got := diags[0].Range.String(); got != "t.yaml:5:7" {
		t.Errorf("position %s, want t.yaml:5:7 (%s)", got, diags[0].Error())
	}
}

func TestJSONSyntaxErrorHasExactPosition(t *testing.T) {
	_, diags := Parse("t.json", []byte("{\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\" \"X\": 1}\n  }\n}\n"))
	if len(diags) != 1 || diags[0].Severity != graph.DiagError {
		t.Fatalf("diagnostics %v", diags)
	}
	if got := diags[0].Range.String(); got != "t.json:3:37" {
		t.Errorf("position %s, want t.json:3:37 (%s)", got, diags[0].Error())
	}
}

func TestInvalidIntrinsicIsDiagnosedWithPositionAndLeftUnknown(t *testing.T) {
	rs, diags := parseString(`
Resources:
  T:
    Type: AWS::SNS::Topic
    Properties:
      A: !Join [only-one]
      B: {"Fn::Frobnicate": x}
      C: !Bogus x
      D: !Select [5, [a, b]]
      E: !Ref Nowhere
      F: !GetAtt NoDot
      G: !If [Undefined, a, b]
      H: ok
`)
	wantDiag(t, diags, "invalid Fn::Join", 6)
	wantDiag(t, diags, "unknown intrinsic function Fn::Frobnicate", 7)
	wantDiag(t, diags, "unknown intrinsic function !Bogus", 8)
	wantDiag(t, diags, "invalid Fn::Select", 9)
	wantDiag(t, diags, "Ref to undefined Nowhere", 10)
	wantDiag(t, diags, "invalid Fn::GetAtt", 11)
	wantDiag(t, diags, "undefined condition Undefined", 12)
	r := resource(t, rs, "T", "")
	for _, a := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		if r.Get(a).IsKnown() {
			t.Errorf("%s is known: %v", a, r.Get(a).Raw())
		}
	}
	wantStr(t, r, "ok", "H")
	wantUnknown(t, r, "invalid Fn::Join", "A")
}

func TestResourceCycleIsDiagnosed(t *testing.T) {
	rs, diags := parseString(`
Resources:
  A:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !GetAtt B.TopicName
  B:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${A}"
`)
	if len(rs) != 2 {
		t.Errorf("%d resources, want 2", len(rs))
	}
	wantDiag(t, diags, "circular dependency", 3)
}

func TestDeepNestingIsALimitNotACrash(t *testing.T) {
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	rs, diags := parseString("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      A: " + deep + "\n      B: ok\n")
	wantDiag(t, diags, "nested too deeply", 5)
	r := resource(t, rs, "T", "")
	wantStr(t, r, "ok", "B")
}

func TestAliasExpansionIsBounded(t *testing.T) {
	src := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := string(rune('b' + i))
		src += "      " + name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	_, diags := parseString(src)
	wantDiag(t, diags, "too many YAML aliases", 6)
}

func TestOversizedTemplateIsDiagnosed(t *testing.T) {
	src := "AWSTemplateFormatVersion: x\nResources: {}\n#" + strings.Repeat("x", maxFileSize)
	if !Detect("big.yaml", []byte(src)) {
		t.Error("an oversized template is not detected")
	}
	rs, diags := Parse("big.yaml", []byte(src))
	if len(rs) != 0 || len(diags) != 1 || diags[0].Summary != "template too large" {
		t.Errorf("resources %v, diagnostics %v", rs, diags)
	}
}

func TestOddShapesDoNotPanic(t *testing.T) {
	for _, src := range []string{
		"Resources: []",
		"Resources: {B: x}",
		"Resources: {B: {Properties: {}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: [1, 2]}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: !Ref AWS::NoValue}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !If [C, x]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Join [x, !Ref AWS::NoValue]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Join ['', [[1], {}]]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Select [x, y]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Sub [x, y, z]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Sub '${'}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Split ['', x]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !FindInMap [M, a, b]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !GetAtt [a]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Length x, C: !ToJsonString {a: [1, true, null]}}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {A: !Equals [a], C: !Not [x]}}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Condition: [x], DependsOn: [Nope, {}]}}",
		"Resources: {B: {Type: AWS::S3::Bucket, Properties: {? [a] : b, A: ~, C: .inf}}}",
		"Conditions: {C: x, D: !And [!Condition C]}\nResources: {B: {Type: AWS::S3::Bucket, Condition: D}}",
		"Conditions: {C: !Equals [!Ref AWS::Region, !GetAZs '']}\nResources: {B: {Type: AWS::S3::Bucket, Condition: C}}",
		"Resources: {B: {Type: AWS::S3::Buckett}}",
		"- a\n- b\n",
		"",
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: !Sub |\n        multi\n        line\n",
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%q: panic %v", src, r)
				}
			}()
			Parse("t.yaml", []byte(src))
		}()
	}
}

func TestUnknownResourceTypeIsWarned(t *testing.T) {
	_, diags := parseString("Resources:\n  B:\n    Type: AWS::S3::Buckett\n  C:\n    Type: Custom::Thing\n  D:\n    Type: AWS::S3::Bucket\n")
	if len(diags) != 1 || diags[0].Severity != graph.DiagWarning || diags[0].Range.Start.Line != 3 {
		t.Errorf("diagnostics %v, want one warning on line 3", diags)
	}
}
