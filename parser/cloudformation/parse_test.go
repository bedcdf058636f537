package cloudformation

import (
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

func TestParameterDefaultDecidesConditionAndIsNamedAsOrigin(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	wantStr(t, web, "PublicRead", "AccessControl")
	wantLine(t, web, 29, 7, "AccessControl")
	wantOrigin(t, web, "condition IsProd is false", 19, "AccessControl")
	wantOrigin(t, web, `parameter Env default "dev"`, 6, "AccessControl")
}

func TestResourceIsDescribedByTypeAddressScopeAndRanges(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	if web.Format != graph.CloudFormation || web.Type != "AWS::S3::Bucket" || web.Scope != "testdata/bucket.yaml" {
		t.Errorf("got format %q type %q scope %q", web.Format, web.Type, web.Scope)
	}
	if web.Range.Start != (graph.Pos{Line: 22, Column: 3}) || web.Range.End.Line != 37 {
		t.Errorf("Range = %v..%v, want 22:3 to line 37", web.Range.Start, web.Range.End)
	}
	if web.DefRange.Start != (graph.Pos{Line: 22, Column: 3}) || web.DefRange.End != (graph.Pos{Line: 22, Column: 12}) {
		t.Errorf("DefRange = %v..%v, want 22:3..22:12", web.DefRange.Start, web.DefRange.End)
	}
	ac := web.RangeOf("AccessControl")
	if ac.End != (graph.Pos{Line: 29, Column: 55}) {
		t.Errorf("AccessControl ends at %v, want 29:55", ac.End)
	}
	// A missing attribute falls back to the logical ID.
	wantLine(t, web, 22, 3, "BucketEncryption")
}

func TestNestedPropertiesHaveTheirOwnPositions(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	wantLine(t, web, 31, 11, "Tags", 0, "Key")
	wantLine(t, web, 32, 11, "Tags", 0, "Value")
	wantLine(t, web, 31, 11, "Tags", 0)
	wantLine(t, web, 37, 13, "LifecycleConfiguration", "Rules", 0, "ExpirationInDays")
	sg := resource(t, rs, "WebSG", "")
	wantLine(t, sg, 65, 11, "SecurityGroupIngress", 0, "CidrIp")
}

func TestNoValueRemovesTheListElement(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	if n := len(web.Get("Tags").List()); n != 1 {
		t.Errorf("Tags has %d elements, want 1", n)
	}
	wantStr(t, web, "dev", "Tags", 0, "Value")
	wantOrigin(t, web, `parameter Env default "dev"`, 6, "Tags", 0, "Value")
}

func TestNoValueRemovesTheProperty(t *testing.T) {
	rs, _ := parseString(`
Conditions:
  Never: !Equals [a, b]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !If [Never, x, !Ref AWS::NoValue]
`)
	b := resource(t, rs, "B", "")
	if b.Get("BucketName").Exists() {
		t.Errorf("BucketName exists: %v", b.Get("BucketName").Raw())
	}
}

func TestFindInMapRecordsTheMappingAsOrigin(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	path := []any{"LifecycleConfiguration", "Rules", 0, "ExpirationInDays"}
	if n, ok := web.Get(path...).Int(); !ok || n != 7 {
		t.Errorf("ExpirationInDays = %d (%v), want 7", n, ok)
	}
	wantOrigin(t, web, "Mappings EnvMap.dev.Retention", 15, path...)
}

func TestFindInMapWithUnknownKeyIsKnownWhenAllEntriesAgree(t *testing.T) {
	rs, _ := parseString(`
Mappings:
  Regions:
    us-east-1: {Acl: private, Ami: ami-1}
    eu-west-1: {Acl: private, Ami: ami-2}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !FindInMap [Regions, !Ref "AWS::Region", Acl]
      Other: !FindInMap [Regions, !Ref "AWS::Region", Ami]
`)
	b := resource(t, rs, "B", "")
	wantStr(t, b, "private", "AccessControl")
	wantOrigin(t, b, "Mappings Regions.*.Acl (the same for every key)", 4, "AccessControl")
	wantUnknown(t, b, "AWS::Region is known only at deployment", "Other")
}

func TestResourceWithFalseConditionIsNotCreated(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	if n := count(rs, "LogBucket"); n != 0 {
		t.Errorf("LogBucket has %d resources, want none (IsProd is false)", n)
	}
}

func TestUnknownValuesNameTheirReason(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	wantUnknown(t, web, "AWS::StackName is known only at deployment", "BucketName")
	pol := resource(t, rs, "WebPolicy", "")
	wantUnknown(t, pol, "Ref WebBucket is known only after deployment", "Bucket")
	wantUnknown(t, pol, "WebBucket.Arn is known only after deployment", "PolicyDocument", "Statement", 0, "Resource")
	ssh := resource(t, rs, "SshIngress", "")
	wantUnknown(t, ssh, "WebSG.GroupId is known only after deployment", "GroupId")
}

func TestIntrinsicsEvaluate(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	wantStr(t, resource(t, rs, "WebSG", ""), "0.0.0.0/0", "SecurityGroupIngress", 0, "CidrIp")
	wantOrigin(t, resource(t, rs, "WebSG", ""), `parameter Cidrs default "10.0.0.0/8, 0.0.0.0/0"`, 11, "SecurityGroupIngress", 0, "CidrIp")
	wantStr(t, resource(t, rs, "SshIngress", ""), "0.0.0.0/0", "CidrIp")
	if n, ok := resource(t, rs, "SshIngress", "").Get("FromPort").Int(); !ok || n != 22 {
		t.Errorf("FromPort = %d, want 22", n)
	}
}

func TestJSONTemplateEvaluatesLikeYAML(t *testing.T) {
	rs := parseTestdata(t, "bucket.json", Options{})
	web := resource(t, rs, "WebBucket", "IsUsEast=true")
	wantStr(t, web, "PublicRead", "AccessControl")
	wantLine(t, web, 15, 9, "AccessControl")
	wantOrigin(t, web, `parameter Env default "dev"`, 4, "AccessControl")
	wantStr(t, web, "Enabled", "VersioningConfiguration", "Status")
	wantLine(t, web, 17, 11, "VersioningConfiguration", "Status")
	wantStr(t, resource(t, rs, "WebBucket", "IsUsEast=false"), "Suspended", "VersioningConfiguration", "Status")
	if web.DefRange.Start != (graph.Pos{Line: 12, Column: 5}) || web.DefRange.End != (graph.Pos{Line: 12, Column: 16}) {
		t.Errorf("DefRange = %v..%v, want 12:5..12:16", web.DefRange.Start, web.DefRange.End)
	}

	sg := resource(t, rs, "WebSG", "")
	wantStr(t, sg, "web dev in aws", "GroupDescription")
	wantStr(t, sg, "22", "SecurityGroupIngress", 0, "FromPort")
	wantLine(t, sg, 26, 33, "SecurityGroupIngress", 0, "FromPort")
	wantLine(t, sg, 26, 98, "SecurityGroupIngress", 0, "CidrIp")
	r := sg.RangeOf("SecurityGroupIngress", 0, "CidrIp")
	if r.End != (graph.Pos{Line: 26, Column: 119}) {
		t.Errorf("CidrIp ends at %v, want 26:119", r.End)
	}
	wantStr(t, resource(t, rs, "Ingress", ""), "10.0.0.0/16", "CidrIp")
}

func TestReferencesBecomeEdges(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	g := graph.New(rs)
	web := resource(t, rs, "WebBucket", "")
	pols := g.ReferencedVia(web, "Bucket", "AWS::S3::BucketPolicy")
	if len(pols) != 1 || pols[0].Address != "WebPolicy" {
		t.Errorf("bucket policies of WebBucket = %v, want WebPolicy", pols)
	}
	sg := resource(t, rs, "WebSG", "")
	ing := g.ReferencedVia(sg, "GroupId", "AWS::EC2::SecurityGroupIngress")
	if len(ing) != 1 || ing[0].Address != "SshIngress" {
		t.Errorf("ingress rules of WebSG = %v, want SshIngress", ing)
	}
	dep := g.ReferencedVia(web, "DependsOn")
	if len(dep) != 1 || dep[0].Address != "SshIngress" {
		t.Errorf("DependsOn WebBucket = %v, want SshIngress", dep)
	}
	if ssh := resource(t, rs, "SshIngress", ""); ssh.Meta["dependsOn"] != "WebBucket" {
		t.Errorf("Meta[dependsOn] = %q", ssh.Meta["dependsOn"])
	}
}

func TestMetadataIsKeptOutsideAttrs(t *testing.T) {
	rs := parseTestdata(t, "bucket.yaml", Options{})
	web := resource(t, rs, "WebBucket", "")
	if web.Get("Metadata").Exists() {
		t.Error("Metadata leaked into Attrs")
	}
	if web.Meta["ignore"] != "aws-s3-logging" || web.Meta["metadataLine"] != "24" {
		t.Errorf("Meta = %v", web.Meta)
	}
	if web.Meta["metadata"] != `{"iacscan":{"ignore":["aws-s3-logging"]}}` {
		t.Errorf("Meta[metadata] = %s", web.Meta["metadata"])
	}
}

func TestSAMResourcesKeepTheirTypes(t *testing.T) {
	rs := parseTestdata(t, "sam.yaml", Options{})
	fn := resource(t, rs, "Api", "")
	if fn.Type != "AWS::Serverless::Function" {
		t.Errorf("Type = %q", fn.Type)
	}
	wantStr(t, fn, "python3.12", "Runtime")
	table := resource(t, rs, "Table", "")
	if got := graph.New(rs).ReferencedBy(table); len(got) != 1 || got[0] != fn {
		t.Errorf("Table referenced by %v, want Api", got)
	}
}

func TestShortAndLongFormsAgree(t *testing.T) {
	rs, diags := parseString(`
Parameters:
  Name: {Type: String, Default: app}
Resources:
  Short:
    Type: AWS::SNS::Topic
    Properties:
      A: !Sub "${Name}-x"
      B: !Join [":", [a, !Ref Name]]
      C: !Select [1, !Split [",", "x,y,z"]]
      D: !Base64 hi
      E: !GetAtt Long.TopicName
      F: !GetAZs ""
      G: !ImportValue shared-vpc
      H: !Cidr ["10.0.0.0/16", 2, 8]
  Long:
    Type: AWS::SNS::Topic
    Properties:
      A: {"Fn::Sub": "${Name}-x"}
      B: {"Fn::Join": [":", [a, {Ref: Name}]]}
      C: {"Fn::Select": [1, {"Fn::Split": [",", "x,y,z"]}]}
      D: {"Fn::Base64": hi}
      E: {"Fn::GetAtt": [Third, TopicName]}
      F: {"Fn::GetAZs": ""}
      G: {"Fn::ImportValue": shared-vpc}
      H: {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}
  Third:
    Type: AWS::SNS::Topic
`)
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	for _, id := range []string{"Short", "Long"} {
		r := resource(t, rs, id, "")
		wantStr(t, r, "app-x", "A")
		wantStr(t, r, "a:app", "B")
		wantStr(t, r, "y", "C")
		wantStr(t, r, "aGk=", "D")
		wantUnknown(t, r, "Fn::GetAZs is known only at deployment", "F")
		wantUnknown(t, r, `Fn::ImportValue of "shared-vpc" is known only at deployment`, "G")
		wantUnknown(t, r, "Fn::Cidr is not evaluated", "H")
	}
	wantUnknown(t, resource(t, rs, "Short", ""), "Long.TopicName is known only after deployment", "E")
	wantUnknown(t, resource(t, rs, "Long", ""), "Third.TopicName is known only after deployment", "E")
}

func TestSubEscapesAndVariables(t *testing.T) {
	rs, _ := parseString(`
Resources:
  T:
    Type: AWS::SNS::Topic
    Properties:
      A: !Sub "${!Literal}-${AWS::Partition}"
      B: !Sub ["${X}/${Y}", {X: one, Y: !Ref "AWS::URLSuffix"}]
      C: !Sub "arn:aws:s3:::${AWS::AccountId}"
`)
	r := resource(t, rs, "T", "")
	wantStr(t, r, "${Literal}-aws", "A")
	wantStr(t, r, "one/amazonaws.com", "B")
	wantUnknown(t, r, "AWS::AccountId is known only at deployment", "C")
}

func TestColumnsCountCharactersNotBytes(t *testing.T) {
	rs, _ := Parse("t.json", []byte(`{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "héllo wörld", "TopicName": "x"}}}}`))
	r := resource(t, rs, "T", "")
	wantLine(t, r, 1, 94, "TopicName")
	if end := r.RangeOf("DisplayName").End; end.Column != 92 {
		t.Errorf("DisplayName ends at column %d, want 92", end.Column)
	}
}

func TestConditionAroundAllPropertiesIsTheOriginOfEach(t *testing.T) {
	rs, _ := parseString(`
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties: !If
      - IsProd
      - {AccessControl: Private}
      - {AccessControl: PublicRead}
`)
	b := resource(t, rs, "B", "")
	wantStr(t, b, "PublicRead", "AccessControl")
	wantLine(t, b, 12, 10, "AccessControl")
	wantOrigin(t, b, "condition IsProd is false", 5, "AccessControl")
}
