package kubernetes

import (
	"bytes"
	"regexp"
	"strings"
)

// typeLine is a top-level apiVersion or kind key with a plain value that YAML reads as a
// string: it starts with a letter and holds no character that could make it anything else.
var typeLine = regexp.MustCompile(`(?m)^(apiVersion|kind):[ \t]+([A-Za-z][A-Za-z0-9._/-]*)[ \t]*(?:#.*)?\r?$`)

// plainObjectHeader reports whether a document's text alone shows it is a Kubernetes
// object: exactly one top-level apiVersion and one kind, both plain strings, not a
// kustomize file and no template actions. Detect then need not parse the document, which
// Parse does anyway; the answer is the one parsing would give, since a document with such
// lines is a mapping with those keys when it parses and reads like a manifest when it
// does not.
func plainObjectHeader(src []byte) bool {
	if isTemplate(src) {
		return false
	}
	var apiVersion, kind []string
	for _, m := range typeLine.FindAllSubmatch(src, -1) {
		v := string(m[2])
		switch strings.ToLower(v) {
		case "true", "false", "null":
			return false
		}
		if bytes.Equal(m[1], []byte("apiVersion")) {
			apiVersion = append(apiVersion, v)
		} else {
			kind = append(kind, v)
		}
	}
	return len(apiVersion) == 1 && len(kind) == 1 && !strings.HasPrefix(apiVersion[0], "kustomize.config.k8s.io/")
}
