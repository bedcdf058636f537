package cloudformation

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestForEachExpandsAListIntoResourcesAtTheLoopText(t *testing.T) {
	rs, diags := parseString(`Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Identifier
    - [A, B]
    - S3Bucket${Identifier}:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub "b-${Identifier}"
          AccessControl: PublicRead
          Tags:
            - Key: name
              Value: !Ref Identifier
  Plain:
    Type: AWS::SNS::Topic
`)
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	if len(rs) != 3 {
		t.Fatalf("%d resources, want 3", len(rs))
	}
	for _, id := range []string{"A", "B"} {
		r := resource(t, rs, "S3Bucket"+id, "")
		wantStr(t, r, "b-"+id, "BucketName")
		wantStr(t, r, id, "Tags", 0, "Value")
		wantStr(t, r, "PublicRead", "AccessControl")
		wantLine(t, r, 10, 11, "AccessControl")
		if r.DefRange.Start.Line != 6 {
			t.Errorf("%s defined at line %d, want 6", r.Address, r.DefRange.Start.Line)
		}
	}
	resource(t, rs, "Plain", "")
}

func TestForEachReadsAParameterListAndNestedLoops(t *testing.T) {
	rs, diags := parseString(`Transform: AWS::LanguageExtensions
Parameters:
  Envs:
    Type: CommaDelimitedList
    Default: "dev,prod-eu"
Resources:
  Fn::ForEach::Envs:
    - Env
    - !Ref Envs
    - Fn::ForEach::Ports:
        - Port
        - ["22", "443"]
        - SG&{Env}${Port}:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: !Sub "${Env} on ${Port}"
              SecurityGroupIngress:
                - IpProtocol: tcp
                  FromPort: !Ref Port
                  CidrIp: 0.0.0.0/0
`)
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Address)
	}
	if want := "SGdev22,SGdev443,SGprodeu22,SGprodeu443"; strings.Join(got, ",") != want {
		t.Fatalf("resources %s, want %s", strings.Join(got, ","), want)
	}
	r := resource(t, rs, "SGprodeu443", "")
	wantStr(t, r, "prod-eu on 443", "GroupDescription")
	wantStr(t, r, "443", "SecurityGroupIngress", 0, "FromPort")
	wantLine(t, r, 20, 19, "SecurityGroupIngress", 0, "CidrIp")
}

func TestForEachOverAnUnknownCollectionKeepsOneRepresentative(t *testing.T) {
	rs, diags := parseString(`Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Topics:
    - Name
    - !Ref Names
    - Topic${Name}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Ref Name
          KmsMasterKeyId: alias/aws/sns
`)
	if diags.HasErrors() {
		t.Errorf("diagnostics: %v", diags)
	}
	r := resource(t, rs, "Topic${Name}", "")
	wantStr(t, r, "alias/aws/sns", "KmsMasterKeyId")
	wantUnknown(t, r, "the collection of Fn::ForEach::Topics is not known statically (parameter Names has no default)", "TopicName")
}

func TestForEachInsidePropertiesAndConditions(t *testing.T) {
	rs, diags := parseString(`Transform: AWS::LanguageExtensions
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  Fn::ForEach::Envs:
    - E
    - [dev, prod]
    - Is${E}: !Equals [!Ref Env, "${E}"]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: Isprod
    Properties:
      Fn::ForEach::Flags:
        - Flag
        - [ObjectLockEnabled]
        - ${Flag}: true
`)
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	r := resource(t, rs, "Bucket", "")
	if b, ok := r.Get("ObjectLockEnabled").Bool(); !ok || !b {
		t.Errorf("ObjectLockEnabled = %v, want true", r.Get("ObjectLockEnabled"))
	}
}

func TestInvalidForEachIsAnError(t *testing.T) {
	for _, c := range []struct {
		body string
		line int
	}{
		{"- Id\n    - [a]", 2},
		{"- [x]\n    - [a]\n    - B${x}: {Type: AWS::SNS::Topic}", 3},
		{"- Id\n    - [a]\n    - just a string", 5},
	} {
		_, diags := parseString("Resources:\n  Fn::ForEach::Bad:\n    " + c.body + "\n")
		if !diags.HasErrors() {
			t.Errorf("%q: no error diagnostic, got %v", c.body, diags)
		}
		wantDiag(t, diags, "invalid Fn::ForEach", c.line)
	}
}

func TestForEachExpansionIsBounded(t *testing.T) {
	var vals []string
	for i := range 30 {
		vals = append(vals, fmt.Sprint(i))
	}
	list := "[" + strings.Join(vals, ", ") + "]"
	src := "Resources:\n"
	indent := "  "
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		src += fmt.Sprintf("%sFn::ForEach::L%s:\n%s  - %s\n%s  - %s\n%s  -", indent, id, indent, id, indent, list, indent)
		src += "\n"
		indent += "    "
	}
	src += indent + "R${A}x${B}x${C}x${D}x${E}: {Type: AWS::SNS::Topic}\n"
	rs, diags := parseString(src)
	if !diags.HasErrors() {
		t.Fatalf("no error after %d resources", len(rs))
	}
	if len(rs) > maxLoopEntries {
		t.Errorf("%d resources, want at most %d", len(rs), maxLoopEntries)
	}
	wantDiag(t, diags, "Fn::ForEach expands too far", 18)
}

func TestDeletionPolicyFromAParameterIsEvaluated(t *testing.T) {
	rs, _ := parseString(`Transform: AWS::LanguageExtensions
Parameters:
  Policy:
    Type: String
    Default: Retain
  Unset:
    Type: String
Resources:
  Kept:
    Type: AWS::S3::Bucket
    DeletionPolicy: !Ref Policy
    UpdateReplacePolicy: Snapshot
  Open:
    Type: AWS::S3::Bucket
    DeletionPolicy: !Ref Unset
`)
	kept := resource(t, rs, "Kept", "")
	if got := kept.Meta["deletionPolicy"]; got != "Retain" {
		t.Errorf("deletionPolicy = %q, want Retain", got)
	}
	if got := kept.Meta["updateReplacePolicy"]; got != "Snapshot" {
		t.Errorf("updateReplacePolicy = %q, want Snapshot", got)
	}
	if got, ok := resource(t, rs, "Open", "").Meta["deletionPolicy"]; ok {
		t.Errorf("deletionPolicy of an unset parameter = %q, want none", got)
	}
}

func TestFindInMapDefaultValueStandsInForAMissingMapping(t *testing.T) {
	rs, diags := parseString(`Transform: AWS::LanguageExtensions
Mappings:
  Sizes:
    prod: {Acl: Private}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !FindInMap [Nowhere, prod, Acl, {DefaultValue: PublicRead}]
      BucketName: !FindInMap [Sizes, dev, Acl, {DefaultValue: fallback}]
`)
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	r := resource(t, rs, "Bucket", "")
	wantStr(t, r, "PublicRead", "AccessControl")
	wantStr(t, r, "fallback", "BucketName")
}

func TestForEachWithAliasBombStaysFast(t *testing.T) {
	src := "Resources:\n  A: &a0 {Type: AWS::SNS::Topic, Properties: {X: 1}}\n"
	for i := 1; i < 12; i++ {
		src += fmt.Sprintf("  B%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				src += ", "
			}
			src += fmt.Sprintf("*a%d", i-1)
		}
		src += "]\n"
	}
	src += "  Fn::ForEach::L:\n    - Id\n    - [x, y]\n    - R${Id}: {Type: AWS::SNS::Topic, Properties: {Tags: *a11}}\n"
	done := make(chan struct{})
	go func() {
		defer close(done)
		parseString(src)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("parsing an alias bomb with a loop did not finish in 10s")
	}
}
