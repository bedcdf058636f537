// Package cloudformation reads cloudformation files into graph resources.
package cloudformation

import "github.com/iacscan/iacscan/parser/graph"

// Detect reports whether the file at path with content src is a cloudformation file.
func Detect(path string, src []byte) bool { return false }

// Parse reads one cloudformation file (path is its display path).
func Parse(path string, src []byte) ([]*graph.Resource, graph.Diagnostics) { return nil, nil }
