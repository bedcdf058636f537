package main

import (
	"flag"
	"fmt"
	"io"
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
	config        string
	showUndecided bool
	noColor       bool

	// set records which flags were given on the command line, so that they win over the
	// config file.
	set map[string]bool
}

func newScanFlags(errOut io.Writer) (*flag.FlagSet, *scanOptions) {
	o := &scanOptions{set: map[string]bool{}}
	fs := flag.NewFlagSet("iacscan scan", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.format, "format", "text", "output format: text, json, sarif")
	fs.StringVar(&o.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.severity, "severity", "low", "minimum `SEVERITY` to report and fail on: low, medium, high, critical")
	fs.BoolVar(&o.softFail, "soft-fail", false, "exit 0 even when findings are reported (parse failures still exit 2)")
	fs.Var(&o.include, "include", "run only these check `IDs` (repeatable, comma-separated)")
	fs.Var(&o.exclude, "exclude", "skip these check `IDs` (repeatable, comma-separated)")
	fs.Var(&o.varFiles, "var-file", "extra Terraform variable `FILE` for every root module (repeatable)")
	fs.Var(&o.cfnParams, "cfn-params", "CloudFormation parameter values `FILE` (aws cloudformation JSON, Key=Value list or CodePipeline shape), for every template (repeatable)")
	fs.StringVar(&o.config, "config", "", "config `FILE` (default .iacscan.yml in the working directory when present)")
	fs.BoolVar(&o.showUndecided, "show-undecided", false, "list the decisions that depend on values not known statically")
	fs.BoolVar(&o.noColor, "no-color", false, "never colour the text report (NO_COLOR is honoured too)")
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
	case "text", "json", "sarif":
		return nil
	}
	return fmt.Errorf("unknown format %q (want text, json or sarif)", f)
}
