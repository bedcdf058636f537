package cloudformation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Detect or Parse panic or hang. It is seeded with the
// package's test templates and every CloudFormation fixture, JSON and YAML; the flag picks
// the file name's extension, which Detect takes into account.
func FuzzParse(f *testing.F) {
	var files []string
	g, _ := filepath.Glob("testdata/*.*")
	files = append(files, g...)
	_ = filepath.WalkDir("../../fixtures/cloudformation", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".want") {
			files = append(files, p)
		}
		return nil
	})
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src, strings.HasSuffix(p, ".json"))
		}
	}
	f.Add([]byte("Resources: {A: {Type: AWS::S3::Bucket, Properties: {X: !If [C, !Sub '${A.Arn}', !Select [0, !GetAZs '']]}}}"), false)
	f.Add([]byte(`{"Resources":{"A":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":{"Fn::Sub":"${B}"}}},"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":{"Ref":"A"}}}}}`), true)
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "f.yaml"
		if json {
			name = "f.json"
		}
		Detect(name, src)
		Parse(name, src)
		ReadParameters("p.json", src)
	})
}
