package checks

import (
	"reflect"
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestIgnoreCommentGrammar(t *testing.T) {
	tests := []struct {
		name     string
		comment  string
		entries  []ignoreEntry
		reason   string
		problems int
	}{
		{"one ID", "iacscan:ignore:aws-s3-public-acl",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}}, "", 0},
		{"reason after the ID", " iacscan:ignore:aws-s3-public-acl static website, reviewed by sec",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}}, "static website, reviewed by sec", 0},
		{"dash before the reason", "iacscan:ignore:aws-s3-public-acl -- public by design",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}}, "public by design", 0},
		{"expiry", "iacscan:ignore:aws-s3-public-acl:exp:2030-01-31 until the CDN is live",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl", Expires: date("2030-01-31")}}, "until the CDN is live", 0},
		{"several markers separated by spaces", "iacscan:ignore:aws-s3-public-acl iacscan:ignore:aws-s3-public-policy website",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}, {Tool: ToolIacscan, ID: "aws-s3-public-policy"}}, "website", 0},
		{"bare IDs after the marker", "iacscan:ignore:aws-s3-public-acl aws-s3-public-policy[logs] website bucket",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}, {Tool: ToolIacscan, ID: "aws-s3-public-policy", Selector: "logs"}}, "website bucket", 0},
		{"a reason that starts like an ID is a reason", "iacscan:ignore:aws-s3-public-acl aws-buckets-are-fine",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}}, "aws-buckets-are-fine", 0},
		{"repeated comment on one line", "iacscan:ignore:aws-s3-public-acl #iacscan:ignore:aws-s3-public-policy",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}, {Tool: ToolIacscan, ID: "aws-s3-public-policy"}}, "", 0},
		{"comma-separated IDs", "iacscan:ignore:aws-s3-public-acl,aws-s3-public-policy",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}, {Tool: ToolIacscan, ID: "aws-s3-public-policy"}}, "", 0},
		{"instance key", "iacscan:ignore:aws-s3-public-acl[logs]",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl", Selector: "logs"}}, "", 0},
		{"instance address with spaces in the key and an expiry", `iacscan:ignore:aws-s3-public-acl[aws_s3_bucket.b["my logs"]]:exp:2030-01-01 ok`,
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl", Selector: `aws_s3_bucket.b["my logs"]`, Expires: date("2030-01-01")}}, "ok", 0},
		{"tfsec", "tfsec:ignore:aws-s3-no-public-access-with-acl:exp:2030-01-01",
			[]ignoreEntry{{Tool: ToolTfsec, ID: "aws-s3-no-public-access-with-acl", Expires: date("2030-01-01")}}, "", 0},
		{"trivy AVD ID", "trivy:ignore:AVD-AWS-0086",
			[]ignoreEntry{{Tool: ToolTrivy, ID: "AVD-AWS-0086"}}, "", 0},
		{"checkov with its reason", "checkov:skip=CKV_AWS_20: the bucket hosts a public website",
			[]ignoreEntry{{Tool: ToolCheckov, ID: "CKV_AWS_20"}}, "the bucket hosts a public website", 0},
		{"a later comment ends the reason", "iacscan:ignore:aws-s3-public-acl website # TODO move to CloudFront # iacscan:ignore:aws-s3-public-policy",
			[]ignoreEntry{{Tool: ToolIacscan, ID: "aws-s3-public-acl"}, {Tool: ToolIacscan, ID: "aws-s3-public-policy"}}, "website", 0},
		{"bad date", "iacscan:ignore:aws-s3-public-acl:exp:2030-13-01", nil, "", 1},
		{"stray text after the ID", "iacscan:ignore:aws-s3-public-acl:forever", nil, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseIgnoreComment(tt.comment)
			if !ok {
				t.Fatalf("%q not read as an ignore", tt.comment)
			}
			if !reflect.DeepEqual(c.Entries, tt.entries) {
				t.Errorf("entries = %+v, want %+v", c.Entries, tt.entries)
			}
			if c.Reason != tt.reason {
				t.Errorf("reason = %q, want %q", c.Reason, tt.reason)
			}
			if len(c.Problems) != tt.problems {
				t.Errorf("problems = %q, want %d", c.Problems, tt.problems)
			}
		})
	}
}

func TestProseMentioningAMarkerIsNotAnIgnore(t *testing.T) {
	for _, c := range []string{" see iacscan:ignore:aws-s3-public-acl in the docs", " want: aws-s3-public-acl", ""} {
		if _, ok := parseIgnoreComment(c); ok {
			t.Errorf("%q read as an ignore", c)
		}
	}
}

func TestCommentIsFoundOutsideStringsOnly(t *testing.T) {
	tests := []struct {
		line  string
		text  string
		whole bool
		ok    bool
	}{
		{`  # iacscan:ignore:x`, " iacscan:ignore:x", true, true},
		{`acl = "public-read" # iacscan:ignore:x`, " iacscan:ignore:x", false, true},
		{`acl = "public-read" // iacscan:ignore:x`, " iacscan:ignore:x", false, true},
		{`name = "# iacscan:ignore:x"`, "", false, false},
		{`name = "a \" # iacscan:ignore:x"`, "", false, false},
		{`description: 'not # a comment' # iacscan:ignore:x`, " iacscan:ignore:x", false, true},
		{`description: it's fine # iacscan:ignore:x`, " iacscan:ignore:x", false, true},
		{`url: http://example.com/a#b`, "", false, false},
	}
	for _, tt := range tests {
		text, _, whole, ok := commentText(tt.line)
		if text != tt.text || whole != tt.whole || ok != tt.ok {
			t.Errorf("commentText(%q) = %q, %v, %v; want %q, %v, %v", tt.line, text, whole, ok, tt.text, tt.whole, tt.ok)
		}
	}
}

func TestIgnoreAppliesThroughItsExpiryDay(t *testing.T) {
	e := ignoreEntry{Expires: date("2030-01-31")}
	if e.expired(time.Date(2030, 1, 31, 23, 59, 0, 0, time.UTC)) {
		t.Error("expired on its expiry day")
	}
	if !e.expired(time.Date(2030, 2, 1, 0, 0, 1, 0, time.UTC)) {
		t.Error("still applies the day after its expiry")
	}
	if (ignoreEntry{}).expired(time.Now()) {
		t.Error("an ignore without a date expired")
	}
}

func TestForeignIDsMapToOurChecks(t *testing.T) {
	tests := map[string][]string{
		"AVD-AWS-0092":                     {"aws-s3-public-acl"},
		"aws-s3-no-public-access-with-acl": {"aws-s3-public-acl"},
		"ckv_aws_20":                       {"aws-s3-public-acl"},
		"AVD-KSV-0017":                     {"k8s-pod-privileged-container"},
		"KSV-0017":                         {"k8s-pod-privileged-container"},
		"KSV017":                           {"k8s-pod-privileged-container"},
		"CKV_AWS_999999":                   nil,
	}
	for id, want := range tests {
		if got := CompatChecks(id); !reflect.DeepEqual(got, want) {
			t.Errorf("CompatChecks(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestCompatTableNamesOnlyExistingChecks(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range CompatIDs {
		for _, id := range c.Ours {
			if ByID(id) == nil {
				t.Errorf("compat table maps to unknown check %q", id)
			}
		}
		for _, id := range c.IDs {
			k := normalizeForeignID(id)
			if seen[k] {
				t.Errorf("foreign ID %s is listed twice", id)
			}
			seen[k] = true
		}
	}
}

func TestModuleKeysOfAnAddress(t *testing.T) {
	got := moduleKeys(`module.a["x.y"].module.b[0].module.c.aws_s3_bucket.d["k"]`)
	want := []string{`["x.y"]`, "[0]", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("moduleKeys = %q, want %q", got, want)
	}
}

// FuzzIgnoreComment feeds arbitrary source lines through the comment finder and the
// ignore grammar: whatever a scanned file holds, reading it must not panic.
func FuzzIgnoreComment(f *testing.F) {
	for _, seed := range []string{
		`acl = "public-read" # iacscan:ignore:aws-s3-public-acl[aws_s3_bucket.b["x y"]]:exp:2030-01-01 why`,
		`# iacscan:ignore:a,b[0 # checkov:skip=:x`,
		`x: 'it''s' // tfsec:ignore:[]:exp:`,
		"# iacscan:ignore:\u212axp",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		text, at, _, ok := commentText(line)
		if ok && (at < 0 || at >= len(line)) {
			t.Fatalf("comment offset %d outside %q", at, line)
		}
		c, _ := parseIgnoreComment(text)
		for _, e := range c.Entries {
			_ = e.expired(time.Now())
		}
		_ = moduleKeys(line)
	})
}
