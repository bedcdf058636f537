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
	"github.com/owenrumney/go-sarif/v2/sarif"
)

// srcRoot is the uriBaseId of every relative URI: the directory the scan ran in, which is
// the repository root in CI, so code-scanning platforms resolve paths against checkouts.
const srcRoot = "%SRCROOT%"

// SARIF writes in as one SARIF 2.1.0 run, in the shape GitHub code scanning expects. The
// bytes depend on in only: no timestamps, no durations, everything sorted.
//
// The results, most of a large log, are streamed (see writeJSONList): built and encoded
// a chunk at a time on GOMAXPROCS workers, never held in memory all at once.
func SARIF(w io.Writer, in *Input) error {
	b := newSARIFBuilder(in)
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("new sarif log: %w", err)
	}
	run := b.run()
	placeholder := sarif.NewRuleResult(listPlaceholder)
	run.Results = []*sarif.Result{placeholder}
	log.AddRun(run)
	// Encoded by writeJSONList rather than log.PrettyWrite: that one escapes <, > and &
	// (which the markdown help uses) and ends without a newline.
	err = writeJSONList(w, log, placeholder, len(in.Results), func(i int) any { return b.result(in.Results[i]) })
	if err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

type sarifBuilder struct {
	in     *Input
	src    *source
	checks []*check.Check
	// artifacts are the files any location names, sorted; artifactIndex maps them back.
	artifacts     []string
	artifactIndex map[string]int
	// ruleIndex maps a rule ID to its index in the run's rules, once run has added them.
	ruleIndex map[string]int
}

func newSARIFBuilder(in *Input) *sarifBuilder {
	b := &sarifBuilder{in: in, src: newSource(in.Files), checks: sortedChecks(in), artifactIndex: map[string]int{}}
	files := map[string]bool{}
	for _, r := range in.Results {
		files[r.Range.File] = true
		for _, rel := range r.Related {
			files[rel.Range.File] = true
		}
		if r.Suppressed != nil {
			files[r.Suppressed.Range.File] = true
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

func (b *sarifBuilder) run() *sarif.Run {
	name := b.in.Tool.Name
	if name == "" {
		name = "iacscan"
	}
	version := b.in.Tool.Version
	if version == "" {
		version = "dev"
	}
	driver := sarif.NewVersionedDriver(name, version).WithSemanticVersion(version)
	if b.in.Tool.InformationURI != "" {
		driver.WithInformationURI(b.in.Tool.InformationURI)
	}
	run := sarif.NewRun(*sarif.NewTool(driver)).
		// Graph positions count characters, not UTF-16 code units (SARIF's default).
		WithColumnKind("unicodeCodePoints").
		WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{srcRoot: b.rootLocation()})
	b.ruleIndex = map[string]int{}
	for _, c := range b.checks {
		addRule(run, c)
	}
	for i, rule := range run.Tool.Driver.Rules {
		if _, dup := b.ruleIndex[rule.ID]; !dup {
			b.ruleIndex[rule.ID] = i
		}
	}
	for _, f := range b.artifacts {
		// AddArtifact sets the length to -1, "unknown": it stays so for a file whose
		// content is not in Files.
		a := run.AddArtifact().WithLocation(b.artifactLocation(f, false))
		if src, ok := b.in.Files[f]; ok {
			a.WithLength(len(src))
		}
	}

	inv := run.AddInvocation(!b.in.Diagnostics.HasErrors())
	for _, d := range b.in.Diagnostics {
		inv.AddTToolExecutionNotification(b.notification(d))
	}

	files := map[string]graph.Counts{}
	for _, f := range formats(b.in.Stats) {
		files[string(f)] = counts(b.in.Stats, f)
	}
	// A property bag starts nil, and PropertyBag.Add cannot write to a nil map.
	run.AttachPropertyBag(sarif.NewPropertyBag())
	run.Add("files", files)
	run.AddInteger("undecided", len(b.in.Undecided))
	return run
}

// rootLocation describes %SRCROOT%: the scan's root directory as a file URI when known.
func (b *sarifBuilder) rootLocation() *sarif.ArtifactLocation {
	if b.in.Root == "" {
		return sarif.NewArtifactLocation().WithDescriptionText("The directory iacscan was run in.")
	}
	p := filepath.ToSlash(b.in.Root)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return sarif.NewSimpleArtifactLocation(fileURI(p))
}

// addRule adds c to the run's rules.
func addRule(run *sarif.Run, c *check.Check) {
	rule := run.AddRule(c.ID).
		WithName(pascalCase(c.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(c.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString(c.Description)).
		WithHelp(sarif.NewMultiformatMessageString(helpText(c)).WithMarkdown(helpMarkdown(c))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(c.Severity))).
		WithProperties(sarif.Properties{
			"tags":              []string{c.Category, "security"},
			"precision":         "high",
			"security-severity": securitySeverity(c.Severity),
		})
	if len(c.Links) > 0 {
		rule.WithHelpURI(c.Links[0])
	}
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

// result describes r as a SARIF result. The results are not added to the run, which
// SARIF streams them after: this is what Run.CreateResultForRule would add, without
// its linear search for the rule. It is safe for concurrent use.
func (b *sarifBuilder) result(r checks.Result) *sarif.Result {
	id := checkID(r.Check)
	res := sarif.NewRuleResult(id)
	// Only a result without a check has no rule, and then no index.
	if i, ok := b.ruleIndex[id]; ok {
		res.WithRuleIndex(i)
	}
	b.fillResult(res, r)
	return res
}

// fillResult describes r in res.
func (b *sarifBuilder) fillResult(res *sarif.Result, r checks.Result) {
	res.WithLevel(level(severityOf(r))).WithMessage(sarif.NewTextMessage(sentence(r.Message)))
	// checks.Run always positions results; a result without a file has no location
	// rather than one with an empty URI.
	if r.Range.File != "" {
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(b.physicalLocation(r.Range, true)))
	}
	for i, rel := range r.Related {
		if rel.Range.File == "" {
			continue
		}
		msg := rel.Message
		if msg == "" {
			msg = "Related location"
		}
		res.AddRelatedLocation(sarif.NewLocationWithPhysicalLocation(b.physicalLocation(rel.Range, false)).
			WithId(i + 1).
			WithMessage(sarif.NewTextMessage(sentence(msg))))
	}

	fingerprints := map[string]any{fingerprintKey: fingerprint(r)}
	if h, ok := lineHash(b.src, r.Range.File, b.src.regionOf(r.Range).startLine); ok {
		fingerprints["primaryLocationLineHash"] = h
	}
	res.WithPartialFingerPrints(fingerprints)

	addrs := []string{}
	for _, x := range r.Resources {
		if x != nil {
			addrs = append(addrs, x.Address)
		}
	}
	props := sarif.NewPropertyBag()
	props.Add("resources", addrs)
	if p := r.Path.String(); p != "" {
		props.AddString("attribute", p)
	}
	res.AttachPropertyBag(props)
	if r.Suppressed != nil {
		res.Suppressions = append(res.Suppressions, b.suppression(r))
	}
}

// physicalLocation places rng in its artifact; withSnippet adds the region's source text.
func (b *sarifBuilder) physicalLocation(rng graph.Range, withSnippet bool) *sarif.PhysicalLocation {
	g := b.src.regionOf(rng)
	reg := sarif.NewRegion().
		WithStartLine(g.startLine).WithStartColumn(g.startColumn).
		WithEndLine(g.endLine).WithEndColumn(g.endColumn)
	if withSnippet {
		if text := b.src.snippet(rng.File, g); text != "" {
			reg.WithSnippet(sarif.NewArtifactContent().WithText(text))
		}
	}
	return sarif.NewPhysicalLocation().WithArtifactLocation(b.artifactLocation(rng.File, true)).WithRegion(reg)
}

// artifactLocation names file relative to %SRCROOT% (or as a file URI when it lies outside
// the scan's root), with its index in run.artifacts when indexed is set.
func (b *sarifBuilder) artifactLocation(file string, indexed bool) *sarif.ArtifactLocation {
	loc := sarif.NewArtifactLocation()
	p := filepath.ToSlash(file)
	if isAbs(p) {
		loc.WithUri(fileURI(p))
	} else {
		loc.WithUri(escapePath(p)).WithUriBaseId(srcRoot)
	}
	if i, ok := b.artifactIndex[file]; ok && indexed {
		loc.WithIndex(i)
	}
	return loc
}

func (b *sarifBuilder) notification(d graph.Diagnostic) *sarif.Notification {
	n := sarif.NewNotification().WithLevel("error")
	if d.Severity == graph.DiagWarning {
		n.WithLevel("warning")
	}
	msg := d.Summary
	if detail := firstLine(d.Detail); detail != "" {
		msg += ": " + detail
	}
	n.WithMessage(sarif.NewTextMessage(sentence(msg)))
	// A detail of several lines (the stack of an internal error) does not fit a message.
	if strings.ContainsAny(d.Detail, "\r\n") {
		props := sarif.NewPropertyBag()
		props.AddString("detail", d.Detail)
		n.AttachPropertyBag(props)
	}
	if locatable(d.Range) {
		pl := sarif.NewPhysicalLocation().WithArtifactLocation(b.artifactLocation(d.Range.File, true))
		if d.Range.Start.Line > 0 {
			reg := sarif.NewRegion().WithStartLine(d.Range.Start.Line)
			if d.Range.Start.Column > 0 {
				reg.WithStartColumn(d.Range.Start.Column)
			}
			pl.WithRegion(reg)
		}
		n.AddLocation(sarif.NewLocationWithPhysicalLocation(pl))
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
