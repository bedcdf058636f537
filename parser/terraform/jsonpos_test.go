package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestJSONConfigRecordsNestedArgumentPositions(t *testing.T) {
	res := parseTree(t, map[string]string{"main.tf.json": `{
  "resource": {
    "aws_security_group": {
      "j": {
        "name": "j",
        "ingress": [{
          "from_port": 22, "to_port": 22,
          "cidr_blocks": ["10.0.0.0/8",
                          "0.0.0.0/0"],
          "description": "caf\u00e9 \"x\" ü"
        }],
        "egress": {
          "cidr_blocks": ["0.0.0.0/0"]
        }
      }
    }
  }
}
`}, Options{})
	noErrors(t, res)
	r := find(t, res, "aws_security_group.j")
	cases := []struct {
		path      []any
		line, col int
		endLine   int
	}{
		{[]any{"ingress", 0}, 6, 21, 11},
		{[]any{"ingress", 0, "cidr_blocks"}, 8, 11, 9},
		{[]any{"ingress", 0, "cidr_blocks", 1}, 9, 27, 9},
		{[]any{"ingress", 0, "to_port"}, 7, 28, 7},
		{[]any{"ingress", 0, "description"}, 10, 11, 10},
		{[]any{"egress", "cidr_blocks"}, 13, 11, 13},
		// An object where a block goes is read as a list of one block.
		{[]any{"egress", 0, "cidr_blocks", 0}, 13, 27, 13},
	}
	for _, c := range cases {
		got := r.RangeOf(c.path...)
		if got.File != "main.tf.json" || got.Start.Line != c.line || got.Start.Column != c.col || got.End.Line != c.endLine {
			t.Errorf("RangeOf%v = %v, want line %d column %d to line %d", c.path, got, c.line, c.col, c.endLine)
		}
	}
	if got := r.Get("ingress", 0, "cidr_blocks", 1); !got.IsKnown() {
		t.Errorf("value changed: %#v", got.Raw())
	}
}

func TestJSONPositionsIgnoreMalformedText(t *testing.T) {
	for _, src := range []string{`{"a": [1, 2`, `{"a" 1}`, `["x`, `{"a": "\`, ``} {
		s := &jsonScanner{src: []byte(src), pos: hclStart()}
		_ = s.value(0)
	}
}

func hclStart() hcl.Pos { return hcl.Pos{Line: 1, Column: 1} }
