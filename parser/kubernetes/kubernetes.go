// Package kubernetes reads kubernetes files into graph resources.
package kubernetes

import "github.com/iacscan/iacscan/parser/graph"

// Detect reports whether the file at path with content src is a kubernetes file.
func Detect(path string, src []byte) bool { return false }

// Parse reads one kubernetes file (path is its display path).
func Parse(path string, src []byte) ([]*graph.Resource, graph.Diagnostics) { return nil, nil }
