// Command iacscan scans Terraform, CloudFormation and Kubernetes files for insecure
// configuration before anything is provisioned.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK       = 0 // nothing at or above the severity threshold
	exitFindings = 1 // findings at or above the threshold
	exitError    = 2 // usage error, or an IaC file that could not be (fully) analysed
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches the subcommands and returns the exit code. It is the whole program
// except for os.Exit, so that tests can drive it.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "scan":
			return runScan(args[1:], stdout, stderr)
		case "checks":
			return runChecks(args[1:], stdout, stderr)
		case "init":
			return runInit(args[1:], stdout, stderr)
		case "version", "--version":
			fmt.Fprintf(stdout, "iacscan %s\n", version())
			return exitOK
		case "help", "-h", "--help":
			usage(stdout)
			return exitOK
		}
	}
	return runScan(args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `iacscan scans infrastructure as code for insecure configuration.

Usage:
  iacscan [scan] [flags] [PATH...]   scan files or directories (default ".")
  iacscan checks [--format text|markdown|json]
                                     list the built-in checks
  iacscan init [--force] [--config FILE]
                                     write a commented default .iacscan.yml
  iacscan version                    print the version

Scan flags:
`)
	fs, _ := newScanFlags(io.Discard)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, `
Exit codes: 0 no findings at or above --severity; 1 findings; 2 usage error or a file that
could not be parsed or fully analysed (findings in the other files are still reported).
`)
}
