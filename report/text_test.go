package report

import (
	"strings"
	"testing"
)

func TestDisplayLineExpandsTabsUnderTheMarker(t *testing.T) {
	text, from, to := displayLine("\tacl = x", 2, 5)
	if text != "    acl = x" || from != 4 || to != 7 {
		t.Errorf("got %q [%d,%d), want %q [4,7)", text, from, to, "    acl = x")
	}
}

func TestDisplayLineTruncatesLongLines(t *testing.T) {
	line := strings.Repeat("a", 500)
	text, from, to := displayLine(line, 1, 3)
	if n := len([]rune(text)); n != maxColumns+1 || !strings.HasSuffix(text, "…") {
		t.Errorf("got %d characters ending %q, want %d ending with …", n, text[len(text)-5:], maxColumns+1)
	}
	if from != 0 || to != 2 {
		t.Errorf("marker [%d,%d), want [0,2)", from, to)
	}
}

func TestDisplayLineShowsARegionFarToTheRight(t *testing.T) {
	line := strings.Repeat("x", 400) + "secret" + strings.Repeat("y", 400)
	text, from, to := displayLine(line, 401, 407)
	if got := string([]rune(text)[from:to]); got != "secret" {
		t.Errorf("marker covers %q, want %q", got, "secret")
	}
	if !strings.HasPrefix(text, "…") || !strings.HasSuffix(text, "…") {
		t.Errorf("window not marked as cut on both sides: %q", text)
	}
}

func TestDisplayLineNeutralizesTerminalControls(t *testing.T) {
	text, _, _ := displayLine("name = \"\x1b[31mred\"", 1, 2)
	if strings.ContainsRune(text, '\x1b') {
		t.Errorf("escape character printed: %q", text)
	}
	if got := clean("a\x1b[2Jb\nc"); got != "a\uFFFD[2Jb c" {
		t.Errorf("clean = %q", got)
	}
}

func TestFirstSentenceSkipsAbbreviationsAndFileNames(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Set acl to \"private\". Then add a policy.", "Set acl to \"private\"."},
		{"Pin the image, e.g. nginx:1.27.2. Digests are better.", "Pin the image, e.g. nginx:1.27.2."},
		{"Edit main.tf and set encrypted = true.", "Edit main.tf and set encrypted = true."},
		{"No period at all", "No period at all"},
		{"Close it and use a bastion instead:\n\n```hcl\ningress {}\n```", "Close it and use a bastion instead."},
		{"Restrict\n  cidr_blocks. Or else.", "Restrict cidr_blocks."},
		{"", ""},
	} {
		if got := firstSentence(c.in); got != c.want {
			t.Errorf("firstSentence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextShowsCRLFSourceWithoutCarriageReturns(t *testing.T) {
	var b strings.Builder
	if err := Text(&b, syntheticInput(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "\r") {
		t.Error("text report contains a carriage return")
	}
	if !strings.Contains(b.String(), "3 |   acl    = var.acl\n") {
		t.Errorf("CRLF line not shown as written:\n%s", b.String())
	}
}
