package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// defaultConfig is what `iacscan init` writes: every key with its default, commented, so
// that the file documents itself and loads as is.
const defaultConfig = `# iacscan configuration. Flags on the command line win over these settings.
# Every key is optional; an unknown key is an error that names its line.

# Report format on standard output (or in "output"): text, json, sarif, github, junit.
format: text
# output: iacscan.sarif

# More reports written by the same scan, e.g. SARIF for code scanning and JUnit for CI.
# A missing file means standard output.
outputs: []
#  - format: sarif
#    file: iacscan.sarif
#  - format: junit
#    file: iacscan-junit.xml

# Minimum severity to report and to fail on: low, medium, high, critical.
severity: low
# Exit 0 even when findings are reported (files that cannot be parsed still exit 2).
soft-fail: false

# Checks to run (empty: all) and to skip, by ID; see "iacscan checks".
include: []
exclude: []
# Change the severity of a check, e.g. to fail only on what the team agreed on.
severity-overrides: {}
#  aws-s3-no-public-access-block: low

# Report only findings in files matching these globs (empty: everywhere), and never in
# files matching the exclude globs. "*" stays inside a directory, "**" crosses them, and a
# pattern without a slash matches any file or directory name.
include-paths: []
exclude-paths: []
#  - examples
#  - "test/**/fixtures"

# Terraform variable files applied to every root module, after terraform.tfvars and
# *.auto.tfvars.
var-files: []
# The Terraform workspace terraform.workspace names. Without it, it is "default" (as in
# Terraform with no workspace selected) and every decision that depends on it says so.
# workspace: prod
# CloudFormation parameter files (aws cloudformation JSON, Key=Value lines or CodePipeline
# template configuration) applied to every template.
cfn-params: []

# Report and fail only on findings not recorded here (see iacscan scan --baseline-out).
# baseline: iacscan-baseline.json

# List the decisions that depend on values not known statically.
show-undecided: false
`

// runInit writes a commented default config file. It refuses to replace an existing one
// unless --force is given: the file is the team's, not ours.
func runInit(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("iacscan init", flag.ContinueOnError)
	fl.SetOutput(stderr)
	force := fl.Bool("force", false, "replace an existing config file")
	path := fl.String("config", defaultConfigName, "config `FILE` to write")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "iacscan init: unexpected argument %q\n", fl.Arg(0))
		return exitError
	}
	if _, err := os.Stat(*path); err == nil && !*force {
		fmt.Fprintf(stderr, "iacscan init: %s exists (use --force to replace it)\n", *path)
		return exitError
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "iacscan init: %v\n", err)
		return exitError
	}
	if err := os.WriteFile(*path, []byte(defaultConfig), 0o644); err != nil {
		fmt.Fprintf(stderr, "iacscan init: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %s\n", *path)
	return exitOK
}
