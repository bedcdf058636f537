package kubernetes

import (
	"fmt"
	"strings"
	"testing"
)

// benchManifest is a multi-document file of n Deployments with their Services, written
// the way charts render them.
func benchManifest(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app%[1]d
  namespace: ns%[2]d
  labels: {app: app%[1]d}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app%[1]d}
  template:
    metadata:
      labels: {app: app%[1]d, tier: backend}
    spec:
      containers:
        - name: app
          image: registry.example.com/app%[1]d:1.2.3
          ports: [{containerPort: 8080}]
          env:
            - {name: MODE, value: "production"}
          resources:
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            runAsNonRoot: true
            readOnlyRootFilesystem: true
---
apiVersion: v1
kind: Service
metadata: {name: app%[1]d, namespace: ns%[2]d}
spec:
  selector: {app: app%[1]d}
  ports: [{port: 80, targetPort: 8080}]
`, i, i%10)
	}
	return []byte(b.String())
}

func BenchmarkParseManifest(b *testing.B) {
	src := benchManifest(50)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if rs, _ := Parse("m.yaml", src); len(rs) != 100 {
			b.Fatalf("%d resources", len(rs))
		}
	}
}

func BenchmarkLinkManyWorkloads(b *testing.B) {
	src := benchManifest(2000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		// Link adds references to the resources: each round links fresh ones.
		b.StopTimer()
		rs, _ := Parse("m.yaml", src)
		b.StartTimer()
		Link(rs)
	}
}

// BenchmarkParseSingleDocument parses a file of one Deployment, the most common shape of
// a manifest in a repository.
func BenchmarkParseSingleDocument(b *testing.B) {
	deployment, _, _ := strings.Cut(strings.TrimPrefix(string(benchManifest(1)), "---\n"), "\n---\n")
	src := []byte(deployment)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if rs, _ := Parse("m.yaml", src); len(rs) != 1 {
			b.Fatalf("%d resources", len(rs))
		}
	}
}
