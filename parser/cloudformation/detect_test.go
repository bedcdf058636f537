package cloudformation

import "testing"

func TestDetect(t *testing.T) {
	cases := []struct {
		name, path, src string
		want            bool
	}{
		{"yaml with version", "a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", true},
		{"json with version", "a.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, true},
		{"resources only", "a.yml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"json resources only", "a.json", `{"Resources": {"B": {"Type": "AWS::SNS::Topic"}}}`, true},
		{"sam transform", "template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", true},
		{"sam transform list", "template.yaml", "Transform: [AWS::Serverless-2016-10-31]\nResources: {}\n", true},
		{"broken template", "a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - : : x\n", true},
		{"kubernetes", "d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n", false},
		{"kubernetes mentioning AWS", "cm.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    Type: AWS::S3::Bucket\n", false},
		{"workflow", ".github/workflows/ci.yml", "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    env: {AWS_REGION: x}\n", false},
		{"package.json", "package.json", `{"name": "x", "dependencies": {"aws-sdk": "2"}}`, false},
		{"tsconfig", "tsconfig.json", `{"compilerOptions": {"strict": true}}`, false},
		{"resources of another kind", "r.yaml", "Resources:\n  - Type: AWS::S3::Bucket\n", false},
		{"helm template", "templates/x.yaml", "{{- if .Values.aws }}\nType: AWS::S3::Bucket\n{{- end }}\n", false},
		{"empty", "e.yaml", "", false},
		{"broken json template", "a.json", "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n", true},
		{"json version key of a nested object", "a.json", "{\"Outputs\": {\n  \"AWSTemplateFormatVersion\": 1}, \"Resources\": {}}", false},
		{"json version key after a nested one", "a.json", "{\"x\": {\"y\": [1, \"AWSTemplateFormatVersion\"]},\n \"AWSTemplateFormatVersion\": \"2010-09-09\"}", true},
		{"json version value, not key", "a.json", "{\"x\":\n\"AWSTemplateFormatVersion\", \"y\": \"\\\"AWS::\"}", false},
		{"version key of a document after an end marker", "multi.yaml", "a: 1\n...\nAWSTemplateFormatVersion: '2010-09-09'\n", false},
		{"version key of a later document", "multi.yaml", "a: 1\n---\nAWSTemplateFormatVersion: '2010-09-09'\n", false},
		{"helm template embedding one", "templates/cm.yaml", "data:\n  t: |\n    AWSTemplateFormatVersion: x\n{{ .Values.x }}: [\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Detect(c.path, []byte(c.src)); got != c.want {
				t.Errorf("Detect = %v, want %v", got, c.want)
			}
		})
	}
}
