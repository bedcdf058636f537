package report

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// srcRoot is the uriBaseId of every relative URI: the directory the scan ran in, which is
// the repository root in CI, so code-scanning platforms resolve paths against checkouts.
const srcRoot = "%SRCROOT%"

// SARIF writes in as one SARIF 2.1.0 run, in the shape GitHub code scanning expects. The
// bytes depend on in only: no timestamps, no durations, everything sorted.
func SARIF(w io.Writer, in *Input) error {
	b := newSARIFBuilder(in)
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{b.run()}}
	if err := writeJSON(w, log); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

type sarifBuilder struct {
	in        *Input
	src       *source
	checks    []*check.Check
	ruleIndex map[string]int
	// artifacts are the files any location names, sorted; artifactIndex maps them back.
	artifacts     []string
	artifactIndex map[string]int
}

func newSARIFBuilder(in *Input) *sarifBuilder {
	b := &sarifBuilder{in: in, src: newSource(in.Files), ruleIndex: map[string]int{}, artifactIndex: map[string]int{}}
	b.checks = sortedChecks(in)
	for i, c := range b.checks {
		b.ruleIndex[c.ID] = i
	}
	files := map[string]bool{}
	for _, r := range in.Results {
		files[r.Range.File] = true
		for _, rel := range r.Related {
			files[rel.Range.File] = true
		}
	}
	for _, d := range in.Diagnostics {
		if locatable(d.Range) {
			files[d.Range.File] = true
		}
	}
	for f := range files {
		if f != "" {
			b.artifacts = append(b.artifacts, f)
		}
	}
	sort.Strings(b.artifacts)
	for i, f := range b.artifacts {
		b.artifactIndex[f] = i
	}
	return b
}

func (b *sarifBuilder) run() sarifRun {
	name := b.in.Tool.Name
	if name == "" {
		name = "iacscan"
	}
	version := b.in.Tool.Version
	if version == "" {
		version = "dev"
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifToolComponent{
			Name: name, Version: version, SemanticVersion: version,
			InformationURI: b.in.Tool.InformationURI,
			Rules:          []sarifReportingDescriptor{},
		}},
		// Graph positions count characters, not UTF-16 code units (SARIF's default).
		ColumnKind:         "unicodeCodePoints",
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{srcRoot: b.rootLocation()},
		Results:            []sarifResult{},
	}
	for _, c := range b.checks {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule(c))
	}
	for _, f := range b.artifacts {
		a := sarifArtifact{Location: b.artifactLocation(f, false)}
		if src, ok := b.in.Files[f]; ok {
			a.Length = ptr(len(src))
		}
		run.Artifacts = append(run.Artifacts, a)
	}
	for _, r := range b.in.Results {
		run.Results = append(run.Results, b.result(r))
	}

	inv := sarifInvocation{ExecutionSuccessful: !b.in.Diagnostics.HasErrors()}
	for _, d := range b.in.Diagnostics {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, b.notification(d))
	}
	run.Invocations = []sarifInvocation{inv}

	files := map[string]graph.Counts{}
	for _, f := range formats(b.in.Stats) {
		files[string(f)] = counts(b.in.Stats, f)
	}
	run.Properties = map[string]any{"files": files, "undecided": len(b.in.Undecided)}
	return run
}

// rootLocation describes %SRCROOT%: the scan's root directory as a file URI when known.
func (b *sarifBuilder) rootLocation() sarifArtifactLocation {
	if b.in.Root == "" {
		return sarifArtifactLocation{Description: &sarifMessage{Text: "The directory iacscan was run in."}}
	}
	p := filepath.ToSlash(b.in.Root)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return sarifArtifactLocation{URI: fileURI(p)}
}

func rule(c *check.Check) sarifReportingDescriptor {
	d := sarifReportingDescriptor{
		ID:                   c.ID,
		Name:                 pascalCase(c.ID),
		ShortDescription:     &sarifMultiformatMessage{Text: c.Title},
		FullDescription:      &sarifMultiformatMessage{Text: c.Description},
		Help:                 &sarifMultiformatMessage{Text: helpText(c), Markdown: helpMarkdown(c)},
		DefaultConfiguration: &sarifReportingConfig{Level: level(c.Severity)},
		Properties: &sarifRuleProperties{
			Tags:             []string{c.Category, "security"},
			Precision:        "high",
			SecuritySeverity: securitySeverity(c.Severity),
		},
	}
	if len(c.Links) > 0 {
		d.HelpURI = c.Links[0]
	}
	return d
}

func helpText(c *check.Check) string {
	var b strings.Builder
	b.WriteString(c.Description)
	if c.Remediation != "" {
		b.WriteString("\n\nRemediation: ")
		b.WriteString(c.Remediation)
	}
	if len(c.Links) > 0 {
		b.WriteString("\n\nReferences:")
		for _, l := range c.Links {
			b.WriteString("\n- " + l)
		}
	}
	return b.String()
}

func helpMarkdown(c *check.Check) string {
	var b strings.Builder
	b.WriteString(c.Description)
	if c.Remediation != "" {
		b.WriteString("\n\n**Remediation**\n\n")
		b.WriteString(c.Remediation)
	}
	if len(c.Links) > 0 {
		b.WriteString("\n\n**References**\n")
		for _, l := range c.Links {
			b.WriteString("\n- <" + l + ">")
		}
	}
	return b.String()
}

// level maps a severity to a SARIF level: what must be fixed is an error, what should be
// a warning, the rest a note.
func level(s check.Severity) string {
	switch s {
	case check.Critical, check.High:
		return "error"
	case check.Medium:
		return "warning"
	default:
		return "note"
	}
}

// securitySeverity is the CVSS-like score GitHub uses to rank security alerts; it wants
// it as a string.
func securitySeverity(s check.Severity) string {
	switch s {
	case check.Critical:
		return "9.5"
	case check.High:
		return "8.0"
	case check.Medium:
		return "5.5"
	default:
		return "2.0"
	}
}

// pascalCase turns a kebab-case ID into a rule name: aws-s3-public-acl -> AwsS3PublicAcl.
func pascalCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (b *sarifBuilder) result(r checks.Result) sarifResult {
	id := checkID(r.Check)
	index, ok := b.ruleIndex[id]
	if !ok {
		index = -1 // SARIF's "no rule object": only a result without a check gets here
	}
	res := sarifResult{
		RuleID:    id,
		RuleIndex: index,
		Level:     level(severityOf(r)),
		Message:   sarifMessage{Text: sentence(r.Message)},
		Locations: []sarifLocation{},
	}
	// checks.Run always positions results; a result without a file has no location
	// rather than one with an empty URI.
	if r.Range.File != "" {
		res.Locations = append(res.Locations, sarifLocation{PhysicalLocation: b.physicalLocation(r.Range, true)})
	}
	for i, rel := range r.Related {
		if rel.Range.File == "" {
			continue
		}
		msg := rel.Message
		if msg == "" {
			msg = "Related location"
		}
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
			ID:               ptr(i + 1),
			PhysicalLocation: b.physicalLocation(rel.Range, false),
			Message:          &sarifMessage{Text: sentence(msg)},
		})
	}

	res.PartialFingerprints = map[string]string{fingerprintKey: fingerprint(r)}
	if h, ok := lineHash(b.src, r.Range.File, b.src.regionOf(r.Range).startLine); ok {
		res.PartialFingerprints["primaryLocationLineHash"] = h
	}

	addrs := []string{}
	for _, x := range r.Resources {
		if x != nil {
			addrs = append(addrs, x.Address)
		}
	}
	res.Properties = map[string]any{"resources": addrs}
	if p := r.Path.String(); p != "" {
		res.Properties["attribute"] = p
	}
	return res
}

// physicalLocation places rng in its artifact; withSnippet adds the region's source text.
func (b *sarifBuilder) physicalLocation(rng graph.Range, withSnippet bool) *sarifPhysicalLocation {
	g := b.src.regionOf(rng)
	reg := &sarifRegion{StartLine: g.startLine, StartColumn: g.startColumn, EndLine: g.endLine, EndColumn: g.endColumn}
	if withSnippet {
		if text := b.src.snippet(rng.File, g); text != "" {
			reg.Snippet = &sarifArtifactContent{Text: text}
		}
	}
	return &sarifPhysicalLocation{ArtifactLocation: b.artifactLocation(rng.File, true), Region: reg}
}

// artifactLocation names file relative to %SRCROOT% (or as a file URI when it lies outside
// the scan's root), with its index in run.artifacts when indexed is set.
func (b *sarifBuilder) artifactLocation(file string, indexed bool) sarifArtifactLocation {
	var loc sarifArtifactLocation
	p := filepath.ToSlash(file)
	if isAbs(p) {
		loc.URI = fileURI(p)
	} else {
		loc.URI = escapePath(p)
		loc.URIBaseID = srcRoot
	}
	if i, ok := b.artifactIndex[file]; ok && indexed {
		loc.Index = ptr(i)
	}
	return loc
}

func (b *sarifBuilder) notification(d graph.Diagnostic) sarifNotification {
	n := sarifNotification{Level: "error"}
	if d.Severity == graph.DiagWarning {
		n.Level = "warning"
	}
	msg := d.Summary
	if detail := firstLine(d.Detail); detail != "" {
		msg += ": " + detail
	}
	n.Message = sarifMessage{Text: sentence(msg)}
	// A detail of several lines (the stack of an internal error) does not fit a message.
	if strings.ContainsAny(d.Detail, "\r\n") {
		n.Properties = map[string]any{"detail": d.Detail}
	}
	if locatable(d.Range) {
		pl := &sarifPhysicalLocation{ArtifactLocation: b.artifactLocation(d.Range.File, true)}
		if d.Range.Start.Line > 0 {
			pl.Region = &sarifRegion{StartLine: d.Range.Start.Line}
			if d.Range.Start.Column > 0 {
				pl.Region.StartColumn = d.Range.Start.Column
			}
		}
		n.Locations = []sarifLocation{{PhysicalLocation: pl}}
	}
	return n
}

// locatable reports whether a diagnostic's range names a real file; internal errors name
// pseudo-files such as "<check aws-s3-public-acl>".
func locatable(r graph.Range) bool {
	return r.File != "" && !strings.HasPrefix(r.File, "<")
}

// sentence ends a message with a period, as SARIF viewers expect of message text.
func sentence(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if s == "" {
		return "No message."
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// isAbs reports whether a slash-separated path is absolute, on any platform.
func isAbs(p string) bool {
	if strings.HasPrefix(p, "/") {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && p[2] == '/' && unicode.IsLetter(rune(p[0]))
}

// fileURI turns an absolute slash-separated path into a file URI.
func fileURI(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter: file:///C:/...
	}
	return "file://" + escapePath(p)
}

// escapePath percent-encodes a slash-separated path for use in a URI reference.
func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

func ptr[T any](v T) *T { return &v }
