// Package check defines what a check is: its metadata, and the Pass through which it reads
// the resource graph and reports findings. Provider packages (checks/aws, ...) build their
// checks from these types; the checks package runs them.
package check

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/parser/graph"
)

// Severity ranks how bad a finding is.
type Severity int

// Severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

var severityNames = map[Severity]string{Low: "LOW", Medium: "MEDIUM", High: "HIGH", Critical: "CRITICAL"}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return "UNKNOWN"
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	for k, v := range severityNames {
		if strings.EqualFold(v, strings.TrimSpace(s)) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want low, medium, high or critical)", s)
}

// The category vocabulary: every check has exactly one.
const (
	CategoryPublicStorage = "public-storage"
	CategoryOpenNetwork   = "open-network"
	CategoryEncryption    = "encryption"
	CategoryIAM           = "iam"
	CategoryLogging       = "logging"
	CategoryWorkload      = "workload"
	CategorySecrets       = "secrets"
	CategoryOther         = "other"
)

// Categories lists the vocabulary in a stable order.
var Categories = []string{
	CategoryPublicStorage, CategoryOpenNetwork, CategoryEncryption, CategoryIAM,
	CategoryLogging, CategoryWorkload, CategorySecrets, CategoryOther,
}

// Check is one risk iacscan looks for, in every format where the risk exists.
type Check struct {
	// ID is stable and kebab-case: <provider>-<service>-<what>, e.g. aws-s3-public-acl.
	ID string
	// Title states the risk in one line.
	Title    string
	Severity Severity
	// Category is one of the category vocabulary.
	Category string
	// Description explains why the risk matters and what exactly is reported.
	Description string
	// Remediation says what to change, with a short example; it ends with a period.
	Remediation string
	Links       []string
	// Frameworks names controls of compliance frameworks, e.g. "CIS-AWS-5.0:2.1.4".
	Frameworks []string
	// Formats lists the formats the check covers (for documentation).
	Formats []graph.Format
	// Run looks at the graph and reports through the pass. It must not print, read files
	// or keep state between runs.
	Run func(p *Pass)
}

// Finding is one thing a check found wrong. The check says what and on which attribute;
// the position, the value's origins and the module call chain come from the graph.
type Finding struct {
	Resource *graph.Resource
	// Path is the attribute the finding is about; when that attribute is missing, the
	// path of the attribute that should be set (RangeOf falls back to the enclosing block).
	Path graph.Path
	// Message says what is wrong with the value, without naming the resource (the engine
	// prefixes the resource address, merging identical findings of several module
	// instances). It names the offending value.
	Message string
	// Related adds locations, e.g. the other resource of a cross-resource finding.
	Related []graph.Related
}

// Undecided records that a check could not decide about a resource because a value it
// needed is unknown statically.
type Undecided struct {
	Resource *graph.Resource
	Path     graph.Path
	// Reasons name the unknown inputs, e.g. "var.acl has no value".
	Reasons []string
}

// Pass is what a check gets to work with: the graph, and two ways to speak.
type Pass struct {
	Graph     *graph.Graph
	findings  []Finding
	undecided []Undecided
}

// NewPass prepares a pass over g. The checks package calls it; checks receive it.
func NewPass(g *graph.Graph) *Pass { return &Pass{Graph: g} }

// Report records a finding.
func (p *Pass) Report(f Finding) { p.findings = append(p.findings, f) }

// Reportf records a finding on the attribute at path of r with a formatted message.
func (p *Pass) Reportf(r *graph.Resource, path graph.Path, format string, args ...any) {
	p.Report(Finding{Resource: r, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Undecided records that the value at path of r is needed but not known statically. The
// reasons are what the parser recorded about the unknown inputs.
func (p *Pass) Undecided(r *graph.Resource, path graph.Path) {
	p.undecided = append(p.undecided, Undecided{Resource: r, Path: path, Reasons: r.UnknownOf(path...)})
}

// UndecidedBecause records an undecided decision with reasons the check words itself,
// for when what is unknown is not an attribute of r (another resource's setting, say).
func (p *Pass) UndecidedBecause(r *graph.Resource, path graph.Path, reasons ...string) {
	p.undecided = append(p.undecided, Undecided{Resource: r, Path: path, Reasons: reasons})
}

// Findings returns what was reported, in report order.
func (p *Pass) Findings() []Finding { return p.findings }

// Undecideds returns the undecided decisions, in report order.
func (p *Pass) Undecideds() []Undecided { return p.undecided }
