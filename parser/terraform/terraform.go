// Package terraform loads Terraform modules with hcl/v2 and evaluates them with go-cty into
// graph resources.
package terraform

import "github.com/iacscan/iacscan/parser/graph"

// Options tune loading.
type Options struct {
	// VarFiles are extra variable files applied to every root module, in order, after
	// terraform.tfvars and *.auto.tfvars.
	VarFiles []string
}

// Result is what loading produced.
type Result struct {
	Resources   []*graph.Resource
	Diagnostics graph.Diagnostics
	// Files holds every file read (configuration, tfvars, module files), by display path.
	Files map[string][]byte
	// FileCount is the number of .tf and .tf.json files scanned.
	FileCount int
}

// Parse loads the Terraform modules in dirs (display paths).
func Parse(dirs []string, opts Options) *Result { return &Result{} }
