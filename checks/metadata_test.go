package checks_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/checks"
	"github.com/iacscan/iacscan/checks/check"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+){2,}$`)

// TestCheckMetadata validates every check's metadata in one place, since docs, the CLI
// listing and SARIF rules are all generated from it.
func TestCheckMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range checks.All() {
		if !idPattern.MatchString(c.ID) {
			t.Errorf("%s: ID is not kebab-case <provider>-<service>-<what>", c.ID)
		}
		if seen[c.ID] {
			t.Errorf("%s: duplicate ID", c.ID)
		}
		seen[c.ID] = true
		if c.Title == "" || strings.HasSuffix(c.Title, ".") || strings.Contains(c.Title, "\n") {
			t.Errorf("%s: title must be one line without a final period", c.ID)
		}
		if c.Severity < check.Low || c.Severity > check.Critical {
			t.Errorf("%s: invalid severity", c.ID)
		}
		if !slices.Contains(check.Categories, c.Category) {
			t.Errorf("%s: category %q is not in the vocabulary", c.ID, c.Category)
		}
		if len(c.Description) < 40 {
			t.Errorf("%s: description too short to explain the risk", c.ID)
		}
		if !strings.HasSuffix(strings.TrimSpace(c.Remediation), ".") && !strings.HasSuffix(strings.TrimSpace(c.Remediation), "```") {
			t.Errorf("%s: remediation must end with a period (or a closing code block)", c.ID)
		}
		if len(c.Links) == 0 {
			t.Errorf("%s: no links", c.ID)
		}
		for _, l := range c.Links {
			if !strings.HasPrefix(l, "https://") {
				t.Errorf("%s: link %q is not https", c.ID, l)
			}
		}
		if len(c.Formats) == 0 {
			t.Errorf("%s: no formats", c.ID)
		}
		if c.Run == nil {
			t.Errorf("%s: no Run", c.ID)
		}
	}
}
