package cloudformation

import (
	"fmt"
	"strings"
	"testing"
)

func largeTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env: {Type: String, Default: dev}\n  Acl: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  HasAcl: !Not [!Equals [!Ref Acl, '']]\nResources:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  Bucket%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${AWS::StackName}-%d-${Env}'\n      AccessControl: !If [HasAcl, !Ref Acl, Private]\n      Tags:\n        - {Key: a, Value: !If [IsProd, x, y]}\n  Policy%d:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket%d\n      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: !Sub '${Bucket%d.Arn}/*'}]}\n", i, i, i, i, i)
	}
	return []byte(b.String())
}

func BenchmarkParseLargeTemplate(b *testing.B) {
	src := largeTemplate(500)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		Parse("big.yaml", src)
	}
}

func BenchmarkDetectNonTemplate(b *testing.B) {
	src := []byte(strings.Repeat("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n", 2000))
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		Detect("x.yaml", src)
	}
}

// largeJSONTemplate is a JSON template of n buckets with their policies: every call is
// written in long form, as a mapping.
func largeJSONTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"Env": {"Type": "String", "Default": "dev"}}, "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}, "Resources": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"Bucket%[1]d": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "%[1]d", {"Ref": "Env"}]]}, "Tags": [{"Key": "a", "Value": {"Fn::If": ["IsProd", "x", "y"]}}]}},
"Policy%[1]d": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket%[1]d"}, "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": {"Fn::Sub": ["${Arn}/*", {"Arn": {"Fn::GetAtt": ["Bucket%[1]d", "Arn"]}}]}}]}}}`, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

func BenchmarkParseLargeJSONTemplate(b *testing.B) {
	src := largeJSONTemplate(500)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if rs, _ := Parse("big.json", src); len(rs) != 1000 {
			b.Fatalf("%d resources", len(rs))
		}
	}
}
