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
