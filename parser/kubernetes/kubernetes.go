// Package kubernetes reads Kubernetes manifests (multi-document YAML and JSON, including
// kind: List) into graph resources: one resource per object, its attributes as cty, an
// exact position for every key and sequence item, and the pod spec of every workload kind
// named once in Parts so that checks need not know each kind's layout.
package kubernetes

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/iacscan/iacscan/parser/graph"
)

// Scope is the one scope every Kubernetes resource of a scan shares, so that references
// (a Service selecting a Deployment, a RoleBinding naming a Role) cross files.
const Scope = "kubernetes"

// Limits that keep a hostile or absurd manifest from exhausting the scanner. Hitting one
// is a diagnostic on the file, never a crash.
const (
	// MaxFileSize is the largest manifest read, in bytes.
	MaxFileSize = 16 << 20
	// maxDepth bounds the nesting of mappings and sequences walked for positions. It is
	// the YAML parser's own limit (it refuses deeper documents), so that every value of a
	// document that parses has its position: the nesting a user limits is --max-depth,
	// checked before parsing. Only aliases can lead deeper, and maxNodes bounds them.
	maxDepth = 10_000
	// maxNodes bounds the number of positions recorded for one document, aliases
	// included, so that alias expansion cannot blow up.
	maxNodes = 1 << 20
)

// Detect reports whether the file at path with content src is a Kubernetes manifest: at
// least one of its documents is a mapping with string apiVersion and kind. Other YAML and
// JSON (workflows, compose files, OpenAPI, values.yaml, kustomization files) is not.
func Detect(path string, src []byte) bool {
	if len(src) > MaxFileSize {
		// Too large to parse safely; a file that names apiVersion and kind at the top
		// level is still claimed so that Parse can report the limit.
		return looksLikeManifest(src)
	}
	if isKustomization(path) {
		return false
	}
	// Most YAML and JSON in a repository never names both keys; skip parsing it.
	if !bytes.Contains(src, []byte("apiVersion")) || !bytes.Contains(src, []byte("kind")) {
		return false
	}
	for _, d := range splitDocuments(path, src) {
		if d.blank() {
			continue
		}
		if plainObjectHeader(d.src) {
			return true
		}
		head, err := parseHead(d.src)
		if err != nil {
			// A broken document still counts when its text reads like a manifest: the
			// error is then worth reporting rather than skipping the file silently.
			if looksLikeManifest(d.src) && !isTemplate(d.src) {
				return true
			}
			continue
		}
		if head.isObject() && !head.isKustomize() {
			return true
		}
	}
	return false
}

// Parse reads one Kubernetes manifest (path is its display path). A document that cannot
// be read is an error diagnostic; the file's other documents are still returned.
func Parse(path string, src []byte) ([]*graph.Resource, graph.Diagnostics) {
	if len(src) > MaxFileSize {
		return nil, graph.Diagnostics{{
			Severity: graph.DiagError,
			Summary:  "file too large",
			Detail:   fmt.Sprintf("%d bytes exceeds the limit of %d bytes for a Kubernetes manifest", len(src), MaxFileSize),
			Range:    graph.Range{File: path, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
		}}
	}
	docs := splitDocuments(path, src)
	if len(docs) == 1 {
		// Most files hold one document: it is parsed here, without workers to hand it to.
		if docs[0].blank() {
			return nil, nil
		}
		return parseDocument(path, 0, docs[0])
	}
	type result struct {
		rs    []*graph.Resource
		diags graph.Diagnostics
	}
	results := make([]result, len(docs))
	// Documents are independent: a large multi-document file is parsed on every core,
	// and the results are merged in document order so that output stays deterministic.
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if docs[i].blank() {
					continue
				}
				rs, ds := parseDocument(path, i, docs[i])
				results[i] = result{rs, ds}
			}
		}()
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	var (
		out   []*graph.Resource
		diags graph.Diagnostics
	)
	for _, r := range results {
		out = append(out, r.rs...)
		diags = append(diags, r.diags...)
	}
	return out, diags
}

// isKustomization reports whether path is a kustomize file: it lists resources to build
// and patches to apply, it is not a resource itself. The files it lists are scanned on
// their own.
func isKustomization(p string) bool {
	switch strings.ToLower(path.Base(p)) {
	case "kustomization.yaml", "kustomization.yml", "kustomization":
		return true
	}
	return false
}

var (
	apiVersionLine = regexp.MustCompile(`(?m)^"?apiVersion"?\s*:\s*\S`)
	kindLine       = regexp.MustCompile(`(?m)^"?kind"?\s*:\s*\S`)
	jsonAPIVersion = regexp.MustCompile(`"apiVersion"\s*:\s*"`)
	jsonKind       = regexp.MustCompile(`"kind"\s*:\s*"`)
)

// looksLikeManifest is a textual test for documents that do not parse: top-level
// apiVersion and kind keys.
func looksLikeManifest(src []byte) bool {
	trimmed := bytes.TrimSpace(src)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return jsonAPIVersion.Match(src) && jsonKind.Match(src)
	}
	return apiVersionLine.Match(src) && kindLine.Match(src)
}

// isTemplate reports whether a document holds Go template actions (Helm, gomplate...):
// such a file is not YAML until rendered, so failing to parse it is not an error.
func isTemplate(src []byte) bool {
	return bytes.Contains(src, []byte("{{")) && bytes.Contains(src, []byte("}}"))
}
