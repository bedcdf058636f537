package aws

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// encVal builds a cty value from Go literals: maps become objects, slices tuples
// (nested blocks are lists of objects), and cty values pass through (for unknowns).
func encVal(x any) cty.Value {
	switch v := x.(type) {
	case cty.Value:
		return v
	case string:
		return cty.StringVal(v)
	case bool:
		return cty.BoolVal(v)
	case int:
		return cty.NumberIntVal(int64(v))
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case map[string]any:
		attrs := map[string]cty.Value{}
		for k, e := range v {
			attrs[k] = encVal(e)
		}
		return cty.ObjectVal(attrs)
	case []any:
		if len(v) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(v))
		for i, e := range v {
			elems[i] = encVal(e)
		}
		return cty.TupleVal(elems)
	}
	panic(fmt.Sprintf("encVal: unsupported %T", x))
}

// encRes builds a Terraform resource with the given attributes.
func encRes(typ, name string, attrs map[string]any) *graph.Resource {
	return &graph.Resource{
		Format: graph.Terraform, Type: typ, Address: typ + "." + name, Scope: ".",
		Attrs: encVal(attrs),
	}
}

// unknownVal is a value not known statically, as a variable without a value evaluates.
var unknownVal = cty.UnknownVal(cty.DynamicPseudoType)

// encRun runs c over the resources and returns "address path" for every finding and
// "undecided address path" for every undecided decision, sorted.
func encRun(t *testing.T, c *check.Check, rs ...*graph.Resource) []string {
	t.Helper()
	p := check.NewPass(graph.New(rs))
	c.Run(p)
	var out []string
	for _, f := range p.Findings() {
		if f.Message == "" {
			t.Errorf("%s: finding on %s has no message", c.ID, f.Path)
		}
		out = append(out, f.Resource.Address+" "+f.Path.String())
	}
	for _, u := range p.Undecideds() {
		out = append(out, "undecided "+u.Resource.Address+" "+u.Path.String())
	}
	sort.Strings(out)
	return out
}

// encExpect compares encRun's output with want.
func encExpect(t *testing.T, got []string, want ...string) {
	t.Helper()
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestReadFlagAcceptsStringsAndTreatsEmptyAsAbsent(t *testing.T) {
	cases := []struct {
		v    cty.Value
		want flagState
	}{
		{cty.True, flagTrue},
		{cty.StringVal("true"), flagTrue},
		{cty.StringVal("1"), flagTrue},
		{cty.StringVal("False"), flagFalse},
		{cty.StringVal("0"), flagFalse},
		{cty.StringVal(""), flagAbsent},
		{cty.NullVal(cty.Bool), flagAbsent},
		{cty.UnknownVal(cty.Bool), flagUnknown},
		{cty.NumberIntVal(3), flagAbsent},
	}
	for _, c := range cases {
		if got := readFlag(graph.ValueAt(c.v, nil)); got != c.want {
			t.Errorf("readFlag(%#v) = %d, want %d", c.v, got, c.want)
		}
	}
}

func TestEncryptionChecksHaveUniqueIDsInStableOrder(t *testing.T) {
	a, b := encryptionChecks(), encryptionChecks()
	seen := map[string]bool{}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Fatalf("order changed between calls at %d", i)
		}
		if seen[a[i].ID] {
			t.Errorf("duplicate %s", a[i].ID)
		}
		seen[a[i].ID] = true
	}
}

func TestEncryptionChecksIgnoreOtherFormats(t *testing.T) {
	tf := encRes("aws_ebs_volume", "x", map[string]any{"encrypted": false})
	tf.Format = graph.Kubernetes
	cf := cfnEnc("AWS::EC2::Volume", "Y", map[string]any{"Encrypted": false})
	cf.Format = graph.Kubernetes
	for _, c := range encryptionChecks() {
		encExpect(t, encRun(t, c, tf, cf))
	}
}

func TestTerraformTypeWrittenInATemplateIsNotRead(t *testing.T) {
	r := encRes("aws_ebs_volume", "x", map[string]any{"encrypted": false})
	r.Format = graph.CloudFormation
	for _, c := range encryptionChecks() {
		encExpect(t, encRun(t, c, r))
	}
}

// TestEncryptionCheckMetadataIsComplete applies the repository's metadata rules to these
// checks alone, so they can be validated while other packages are being built.
func TestEncryptionCheckMetadataIsComplete(t *testing.T) {
	for _, c := range encryptionChecks() {
		if !strings.HasPrefix(c.ID, "aws-") || strings.ToLower(c.ID) != c.ID {
			t.Errorf("%s: ID is not aws-<service>-<what>", c.ID)
		}
		if c.Title == "" || strings.HasSuffix(c.Title, ".") || strings.Contains(c.Title, "\n") {
			t.Errorf("%s: title must be one line without a final period", c.ID)
		}
		if c.Category != check.CategoryEncryption || c.Severity < check.Low || c.Severity > check.Critical {
			t.Errorf("%s: category or severity", c.ID)
		}
		rem := strings.TrimSpace(c.Remediation)
		if !strings.HasSuffix(rem, ".") && !strings.HasSuffix(rem, "```") {
			t.Errorf("%s: remediation must end with a period or a code block", c.ID)
		}
		if len(c.Description) < 40 || len(c.Links) == 0 || len(c.Formats) == 0 || c.Run == nil {
			t.Errorf("%s: incomplete metadata", c.ID)
		}
		for _, l := range c.Links {
			if !strings.HasPrefix(l, "https://") {
				t.Errorf("%s: link %q is not https", c.ID, l)
			}
		}
	}
}
