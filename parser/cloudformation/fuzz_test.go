package cloudformation

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Detect or Parse panic or hang.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("Resources: {A: {Type: AWS::S3::Bucket, Properties: {X: !If [C, !Sub '${A.Arn}', !Select [0, !GetAZs '']]}}}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		Detect("f.yaml", src)
		Parse("f.yaml", src)
		ReadParameters("p.json", src)
	})
}
