package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2/hclparse"
	"gopkg.in/yaml.v3"
)

// floorResult is what the floor process reports to its parent.
type floorResult struct {
	Files  int `json:"files"`
	Bytes  int `json:"bytes"`
	Errors int `json:"errors"`
}

// skipDir mirrors the directories the scanner never walks, so that both sides read the
// same files.
func skipDir(name string) bool {
	switch name {
	case ".git", ".terraform", "node_modules", ".terragrunt-cache", "vendor":
		return true
	}
	return false
}

type fileKind int

const (
	notIaC fileKind = iota
	hclFile
	hclJSONFile
	yamlFile
)

func kindOf(name string) fileKind {
	name = strings.ToLower(name)
	switch {
	case strings.HasSuffix(name, ".tf.json"), strings.HasSuffix(name, ".tfvars.json"):
		return hclJSONFile
	case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tfvars"):
		return hclFile
	case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"),
		strings.HasSuffix(name, ".json"), strings.HasSuffix(name, ".template"):
		return yamlFile
	}
	return notIaC
}

// runFloor is the parse-only floor: walk dir, read every IaC file and parse it with the
// format's parser library (hclparse for Terraform, yaml.v3 nodes for YAML and JSON) and
// nothing else, with as many workers as the scanner uses. It prints a floorResult.
func runFloor(dir string, out io.Writer) error {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && kindOf(d.Name()) != notIaC {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("walk %s: %w", dir, err)
	}

	type partial struct{ bytes, errors int }
	workers := runtime.GOMAXPROCS(0)
	parts := make([]partial, workers)
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(part *partial) {
			defer wg.Done()
			for p := range jobs {
				n, ok := parseOne(p)
				part.bytes += n
				if !ok {
					part.errors++
				}
			}
		}(&parts[i])
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()

	res := floorResult{Files: len(paths)}
	for _, p := range parts {
		res.Bytes += p.bytes
		res.Errors += p.errors
	}
	return json.NewEncoder(out).Encode(res)
}

// parseOne reads and parses one file, returning its size and whether it parsed.
func parseOne(path string) (int, bool) {
	src, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	switch kindOf(filepath.Base(path)) {
	case hclFile:
		_, diags := hclparse.NewParser().ParseHCL(src, path)
		return len(src), !diags.HasErrors()
	case hclJSONFile:
		_, diags := hclparse.NewParser().ParseJSON(src, path)
		return len(src), !diags.HasErrors()
	default:
		dec := yaml.NewDecoder(bytes.NewReader(src))
		for {
			var n yaml.Node
			if err := dec.Decode(&n); err != nil {
				return len(src), errors.Is(err, io.EOF)
			}
		}
	}
}
