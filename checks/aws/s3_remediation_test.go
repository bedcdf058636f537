package aws

import (
	"slices"
	"strings"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// The first paragraph of a remediation is shown alone as the fix (GitHub annotations,
// JUnit), to users of either format: it must not name one format's resources.
func TestS3RemediationFixLineIsFormatNeutral(t *testing.T) {
	for _, c := range s3Checks() {
		fix, _, _ := strings.Cut(c.Remediation, "\n\n")
		for _, word := range []string{"aws_", "AWS::", "```", "Terraform", "CloudFormation"} {
			if strings.Contains(fix, word) {
				t.Errorf("%s: fix %q names %q", c.ID, fix, word)
			}
		}
	}
}

// Each format gets its own labelled example: Terraform's HCL first, then CloudFormation's
// YAML, for every check that covers CloudFormation.
func TestS3RemediationShowsEachFormatSeparately(t *testing.T) {
	for _, c := range s3Checks() {
		r := c.Remediation
		tf, hcl := strings.Index(r, "\n\nTerraform"), strings.Index(r, "```hcl")
		if tf < 0 || hcl < tf {
			t.Errorf("%s: no labelled Terraform example", c.ID)
		}
		if !slices.Contains(c.Formats, graph.CloudFormation) {
			if strings.Contains(r, "```yaml") {
				t.Errorf("%s: CloudFormation example for a Terraform-only check", c.ID)
			}
			continue
		}
		cfn, yaml := strings.Index(r, "\n\nCloudFormation"), strings.Index(r, "```yaml")
		if cfn < 0 || yaml < cfn || cfn < hcl {
			t.Errorf("%s: no labelled CloudFormation example after the Terraform one", c.ID)
		}
		if strings.Contains(r[cfn:], "aws_") {
			t.Errorf("%s: the CloudFormation part names a Terraform resource", c.ID)
		}
	}
}
