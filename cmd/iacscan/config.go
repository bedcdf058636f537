package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"gopkg.in/yaml.v3"
)

// fileConfig is the shape of .iacscan.yml. Unknown keys are an error, so that a typo does
// not silently disable a setting.
type fileConfig struct {
	Format        string   `yaml:"format"`
	Severity      string   `yaml:"severity"`
	SoftFail      *bool    `yaml:"soft-fail"`
	Include       []string `yaml:"include"`
	Exclude       []string `yaml:"exclude"`
	VarFiles      []string `yaml:"var-files"`
	CFNParams     []string `yaml:"cfn-params"`
	ShowUndecided *bool    `yaml:"show-undecided"`
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
	if c.Severity != "" && !o.set["severity"] {
		o.severity = c.Severity
	}
	if c.SoftFail != nil && !o.set["soft-fail"] {
		o.softFail = *c.SoftFail
	}
	if c.ShowUndecided != nil && !o.set["show-undecided"] {
		o.showUndecided = *c.ShowUndecided
	}
	if !o.set["include"] {
		o.include = append(o.include, c.Include...)
	}
	if !o.set["exclude"] {
		o.exclude = append(o.exclude, c.Exclude...)
	}
	// Variable files from the config come first; those on the command line override them.
	o.varFiles = append(append(listFlag{}, c.VarFiles...), o.varFiles...)
	o.cfnParams = append(append(listFlag{}, c.CFNParams...), o.cfnParams...)
	return nil
}
