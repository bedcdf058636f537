package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// listFlag is a repeatable flag that also accepts comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// scanOptions are the settings of one scan, from flags and the config file.
type scanOptions struct {
	format        string
	output        string
	severity      string
	softFail      bool
	include       listFlag
	exclude       listFlag
	varFiles      listFlag
	cfnParams     listFlag
	workspace     string
	config        string
	showUndecided bool
	noColor       bool
	noIgnores     bool

	// Workflow settings: which findings to report and where else to write them.
	includePaths      listFlag
	excludePaths      listFlag
	severityOverrides map[string]string
	changedSince      string
	baseline          string
	baselineOut       string
	summary           string
	also              []extraOutput

	// limits are the scan's budgets (--max-*).
	limits limitOptions

	// set records which flags were given on the command line, so that they win over the
	// config file.
	set map[string]bool
}

func newScanFlags(errOut io.Writer) (*flag.FlagSet, *scanOptions) {
	o := &scanOptions{set: map[string]bool{}, severityOverrides: map[string]string{}}
	fs := flag.NewFlagSet("iacscan scan", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.format, "format", "text", "output format: text, json, sarif, github, junit")
	fs.StringVar(&o.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.severity, "severity", "low", "minimum `SEVERITY` to report and fail on: low, medium, high, critical")
	fs.BoolVar(&o.softFail, "soft-fail", false, "exit 0 even when findings are reported (parse failures still exit 2)")
	fs.Var(&o.include, "include", "run only these check `IDs` (repeatable, comma-separated)")
	fs.Var(&o.exclude, "exclude", "skip these check `IDs` (repeatable, comma-separated)")
	fs.Var(&o.varFiles, "var-file", "extra Terraform variable `FILE` for every root module (repeatable)")
	fs.StringVar(&o.workspace, "workspace", "", "Terraform workspace `NAME` for terraform.workspace (default \"default\", named as an assumption in every decision that depends on it)")
	fs.Var(&o.cfnParams, "cfn-params", "CloudFormation parameter values `FILE` (aws cloudformation JSON, Key=Value list or CodePipeline shape), for every template (repeatable)")
	fs.StringVar(&o.config, "config", "", "config `FILE` (default .iacscan.yml in the working directory when present)")
	fs.BoolVar(&o.showUndecided, "show-undecided", false, "list the decisions that depend on values not known statically")
	fs.BoolVar(&o.noColor, "no-color", false, "never colour the text report (NO_COLOR is honoured too)")
	fs.BoolVar(&o.noIgnores, "no-ignores", false, "disregard ignore comments, Metadata and annotations: report every finding unsuppressed")
	fs.Var(&o.includePaths, "include-path", "report only findings in files matching `GLOB` (repeatable; ** matches directories)")
	fs.Var(&o.excludePaths, "exclude-path", "report nothing from files matching `GLOB` (repeatable; ** matches directories)")
	fs.Var(overrideFlag(o.severityOverrides), "severity-override", "change a check's severity: `ID=SEVERITY` (repeatable)")
	fs.StringVar(&o.changedSince, "changed-since", "", "report only findings on lines changed since git `REF`, or whose value comes from such a line")
	fs.StringVar(&o.baseline, "baseline", "", "report and fail only on findings not recorded in the baseline `FILE`")
	fs.StringVar(&o.baselineOut, "baseline-out", "", "record the findings of this scan in the baseline `FILE`")
	fs.StringVar(&o.summary, "summary", "", "append a Markdown summary to `FILE` (default $GITHUB_STEP_SUMMARY with --format github)")
	fs.Var(alsoFlag{&o.also}, "also", "write another report too: `FORMAT[=FILE]` (repeatable; standard output without FILE)")
	addLimitFlags(fs, &o.limits)
	return fs, o
}

// parseInterleaved parses flags that may come before or after the paths, as users write
// both `iacscan --format sarif .` and `iacscan . --format sarif`.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			paths = append(paths, rest[1:]...)
			break
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
	return paths, nil
}

func validFormat(f string) error {
	switch f {
	case "text", "json", "sarif", "github", "junit":
		return nil
	}
	return fmt.Errorf("unknown format %q (want text, json, sarif, github or junit)", f)
}

// extraOutput is one more report written besides the main one.
type extraOutput struct {
	format string
	file   string // "" for standard output
}

// alsoFlag is the repeatable --also FORMAT[=FILE] flag.
type alsoFlag struct{ outs *[]extraOutput }

func (a alsoFlag) String() string {
	if a.outs == nil {
		return ""
	}
	var parts []string
	for _, o := range *a.outs {
		parts = append(parts, o.format+"="+o.file)
	}
	return strings.Join(parts, ",")
}

func (a alsoFlag) Set(v string) error {
	format, file, _ := strings.Cut(v, "=")
	if err := validFormat(format); err != nil {
		return err
	}
	*a.outs = append(*a.outs, extraOutput{format: format, file: file})
	return nil
}

// overrideFlag is the repeatable --severity-override ID=SEVERITY flag.
type overrideFlag map[string]string

func (m overrideFlag) String() string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var parts []string
	for _, id := range ids {
		parts = append(parts, id+"="+m[id])
	}
	return strings.Join(parts, ",")
}

func (m overrideFlag) Set(v string) error {
	for _, pair := range strings.Split(v, ",") {
		id, sev, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || id == "" || sev == "" {
			return fmt.Errorf("want ID=SEVERITY, got %q", pair)
		}
		m[id] = sev
	}
	return nil
}
