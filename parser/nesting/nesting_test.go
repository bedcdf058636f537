package nesting

import (
	"strings"
	"testing"
)

func TestDeepBracketsAreReportedAtTheirLine(t *testing.T) {
	src := "a = 1\nb = " + strings.Repeat("[", 11) + strings.Repeat("]", 11) + "\n"
	line, over := Exceeds([]byte(src), 10, true)
	if !over || line != 2 {
		t.Fatalf("got line %d over %v, want line 2 over true", line, over)
	}
	if _, over := Exceeds([]byte(src), 11, true); over {
		t.Fatal("11 levels exceed a limit of 11")
	}
}

func TestBracketsInStringsAndCommentsDoNotCount(t *testing.T) {
	src := `a = "[[[[\"[[[[" # {{{{{{
// ((((((
/* [[[[[[
*/ b = [1]
`
	if line, over := Exceeds([]byte(src), 1, true); over {
		t.Fatalf("reported line %d", line)
	}
	if _, over := Exceeds([]byte("x: [[['#']]]"), 2, false); !over {
		t.Fatal("YAML flow nesting not counted")
	}
}
