package kubernetes

import (
	"regexp"
	"sort"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// literalValues returns the keys of a Secret's data or stringData map that hold a value
// written in the manifest, in the order they are written (by position in the file, which
// is what a reviewer reads; cty sorts object keys by name).
func literalValues(r *graph.Resource, field string) []string {
	m := r.Get(field)
	var keys []string
	for _, k := range m.Keys() {
		s, ok := m.Get(k).Str()
		if !ok || strings.TrimSpace(s) == "" || isPlaceholder(s) {
			continue
		}
		keys = append(keys, k)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := r.RangeOf(field, keys[i]).Start, r.RangeOf(field, keys[j]).Start
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return keys
}

var secretLiteralData = &check.Check{
	ID:       "k8s-secret-committed-data",
	Title:    "Secret values are committed in the manifest",
	Severity: check.High,
	Category: check.CategorySecrets,
	Description: "A Secret manifest with data or stringData carries the secret itself (base64 is " +
		"an encoding, not encryption) into the repository, its history and every clone. " +
		"Empty values and deploy-time placeholders (${VAR}, {{ }}) are not reported. " +
		"Reported once per map, at its first key with a committed value, naming every such " +
		"key of the map.",
	Remediation: "Keep the values out of the repository: create the Secret from a secret " +
		"manager (External Secrets, Sealed Secrets, SOPS) or at deploy time, and rotate the " +
		"committed values.",
	Links:   []string{linkSecretPractices, linkSecrets},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, r := range p.Graph.Resources("Secret") {
			if r.Format != graph.Kubernetes || r.Meta["apiVersion"] != "v1" {
				continue
			}
			for _, field := range []string{"data", "stringData"} {
				// One finding per map, at its first committed value: the line a reviewer
				// must remove, with every other key named so that none is missed.
				if keys := literalValues(r, field); len(keys) > 0 {
					p.Reportf(r, graph.P(field, keys[0]), "%s holds %s for %s", field,
						plural(len(keys), "a literal value", "literal values"), quoteList(keys))
				}
			}
		}
	},
}

// credentialName matches environment variable names that hold credentials.
var credentialName = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET|CONN(ECTION)?_?STRING)`)

// notCredentialSuffix matches names that only point at or describe a credential: a file
// path, a secret's name, a lifetime, a header name.
var notCredentialSuffix = regexp.MustCompile(`(?i)_(FILE|PATH|DIR|NAME|REF|TTL|EXPIRY|EXPIRES|EXPIRATION|TIMEOUT|LENGTH|HEADER|URL|ENDPOINT|ENABLED|KEY_ID|ID|TYPE|VERSION)$`)

// notASecretValue matches literal values that cannot be credentials: booleans, numbers,
// references to other variables.
var notASecretValue = regexp.MustCompile(`(?i)^\s*(true|false|yes|no|on|off|null|none|[0-9]+|\$\([^)]*\)|\$\{[^}]*\})\s*$`)

var envLiteralSecret = &check.Check{
	ID:       "k8s-pod-env-literal-secret",
	Title:    "Credential written as a literal environment variable",
	Severity: check.High,
	Category: check.CategorySecrets,
	Description: "An environment variable named like a credential (PASSWORD, SECRET, TOKEN, " +
		"API_KEY...) with a literal value puts the credential in the repository and in the " +
		"pod spec, readable by anyone who can read the workload. valueFrom (secretKeyRef) is " +
		"fine; names that point at a credential (..._FILE, ..._PATH, ..._NAME) and values that " +
		"are booleans, numbers or $(VAR) references are not reported. Reported at the value.",
	Remediation: "Store the value in a Secret and reference it: " +
		"`valueFrom: {secretKeyRef: {name: db, key: password}}`.",
	Links:   []string{linkSecretPractices},
	Formats: k8sOnly,
	Run: func(p *check.Pass) {
		for _, pd := range pods(p.Graph) {
			for _, c := range pd.containers() {
				for _, env := range c.get("env").List() {
					name, _ := env.Get("name").Str()
					if !credentialName.MatchString(name) || notCredentialSuffix.MatchString(name) {
						continue
					}
					val := env.Get("value")
					s, ok := val.Str()
					if !ok || strings.TrimSpace(s) == "" || notASecretValue.MatchString(s) || isPlaceholder(s) {
						continue
					}
					p.Reportf(pd.r, val.Path(), "%s sets %s to a literal value", c.label(), name)
				}
			}
		}
	},
}
