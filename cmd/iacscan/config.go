package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

// fileConfig is the shape of .iacscan.yml. Unknown keys are an error, so that a typo does
// not silently disable a setting.
type fileConfig struct {
	Format            string            `yaml:"format"`
	Output            string            `yaml:"output"`
	Outputs           []outputConfig    `yaml:"outputs"`
	Severity          string            `yaml:"severity"`
	SeverityOverrides map[string]string `yaml:"severity-overrides"`
	SoftFail          *bool             `yaml:"soft-fail"`
	Include           []string          `yaml:"include"`
	Exclude           []string          `yaml:"exclude"`
	IncludePaths      []string          `yaml:"include-paths"`
	ExcludePaths      []string          `yaml:"exclude-paths"`
	VarFiles          []string          `yaml:"var-files"`
	Workspace         string            `yaml:"workspace"`
	CFNParams         []string          `yaml:"cfn-params"`
	Baseline          string            `yaml:"baseline"`
	ShowUndecided     *bool             `yaml:"show-undecided"`
}

// outputConfig is one extra report of the config's outputs list: a format and the file it
// goes to (standard output when empty).
type outputConfig struct {
	Format string `yaml:"format"`
	File   string `yaml:"file"`
}

const defaultConfigName = ".iacscan.yml"

// loadConfig reads the config file named by --config, or .iacscan.yml in the working
// directory when present, and applies what the command line did not set.
func loadConfig(o *scanOptions) error {
	path := o.config
	if path == "" {
		if _, err := os.Stat(defaultConfigName); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		path = defaultConfigName
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var c fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config %s: %w", path, err)
	}
	if c.Format != "" && !o.set["format"] {
		o.format = c.Format
	}
	if c.Output != "" && !o.set["output"] {
		o.output = c.Output
	}
	if c.Severity != "" && !o.set["severity"] {
		o.severity = c.Severity
	}
	if c.SoftFail != nil && !o.set["soft-fail"] {
		o.softFail = *c.SoftFail
	}
	if c.ShowUndecided != nil && !o.set["show-undecided"] {
		o.showUndecided = *c.ShowUndecided
	}
	if c.Workspace != "" && !o.set["workspace"] {
		o.workspace = c.Workspace
	}
	if c.Baseline != "" && !o.set["baseline"] {
		o.baseline = c.Baseline
	}
	if !o.set["include"] {
		o.include = append(o.include, c.Include...)
	}
	if !o.set["exclude"] {
		o.exclude = append(o.exclude, c.Exclude...)
	}
	// Path filters and extra outputs add up: the command line can only narrow or add.
	o.includePaths = append(append(listFlag{}, c.IncludePaths...), o.includePaths...)
	o.excludePaths = append(append(listFlag{}, c.ExcludePaths...), o.excludePaths...)
	for i, out := range c.Outputs {
		if out.Format == "" {
			return fmt.Errorf("config %s: outputs[%d]: format is required", path, i)
		}
		o.also = append(o.also, extraOutput{format: out.Format, file: out.File})
	}
	// Severity overrides from the config are applied in ID order, so that an error names
	// the same check every time.
	ids := make([]string, 0, len(c.SeverityOverrides))
	for id := range c.SeverityOverrides {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if _, ok := o.severityOverrides[id]; !ok {
			o.severityOverrides[id] = c.SeverityOverrides[id]
		}
	}
	// Variable files from the config come first; those on the command line override them.
	o.varFiles = append(append(listFlag{}, c.VarFiles...), o.varFiles...)
	o.cfnParams = append(append(listFlag{}, c.CFNParams...), o.cfnParams...)
	return nil
}
