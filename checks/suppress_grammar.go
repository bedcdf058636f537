package checks

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Tool names the grammar an ignore was written in. Ours is the contract; the others are
// read so that a team moving from those tools keeps its existing decisions.
type Tool string

// The ignore grammars iacscan reads.
const (
	ToolIacscan Tool = "iacscan"
	ToolTfsec   Tool = "tfsec"
	ToolTrivy   Tool = "trivy"
	ToolCheckov Tool = "checkov"
)

// ignoreEntry is one check ID (or a foreign tool's ID) an ignore names, with its optional
// instance selector and expiry.
type ignoreEntry struct {
	Tool Tool
	// ID is the ID as written: one of ours for ToolIacscan, the other tool's otherwise.
	ID string
	// Selector limits the ignore to one instance made by count or for_each: the instance
	// key (logs, 0, "logs") or a full resource address. Empty means every instance.
	Selector string
	// Expires is the last day the ignore applies; zero means it never expires.
	Expires time.Time
}

// ignoreComment is everything one comment says: the entries and the reason.
type ignoreComment struct {
	Entries []ignoreEntry
	Reason  string
	// Problems are markers that could not be read (a bad date, a stray character); they
	// are reported as warnings so that a typo does not silently suppress nothing.
	Problems []string
}

var markerPrefixes = []struct {
	prefix string
	tool   Tool
}{
	{"iacscan:ignore:", ToolIacscan},
	{"tfsec:ignore:", ToolTfsec},
	{"trivy:ignore:", ToolTrivy},
	{"checkov:skip=", ToolCheckov},
}

// markerTool reports which grammar a token (without its comment leader) is written in.
func markerTool(tok string) (Tool, string, bool) {
	for _, m := range markerPrefixes {
		if len(tok) > len(m.prefix) && strings.EqualFold(tok[:len(m.prefix)], m.prefix) {
			return m.tool, tok[len(m.prefix):], true
		}
	}
	return "", "", false
}

// parseIgnoreComment reads the text of one comment (what follows # or //). It returns
// false when the comment does not start with an ignore marker: prose that merely
// mentions a marker later on is not an ignore.
func parseIgnoreComment(text string) (ignoreComment, bool) {
	toks := splitTokens(text)
	if len(toks) == 0 {
		return ignoreComment{}, false
	}
	if _, _, ok := markerTool(stripLeader(toks[0])); !ok {
		return ignoreComment{}, false
	}
	var c ignoreComment
	var reason []string
	closed := false
	for _, tok := range toks {
		tool, rest, ok := markerTool(stripLeader(tok))
		if !ok && !closed && len(reason) == 0 && len(c.Entries) > 0 && c.Entries[len(c.Entries)-1].Tool == ToolIacscan {
			// "#iacscan:ignore:a b": right after our marker, a word that is one of our
			// check IDs (with its optional [instance] and :exp:) names another check.
			if es, err := parseEntry(ToolIacscan, tok); err == nil && allKnown(es) {
				c.Entries = append(c.Entries, es...)
				continue
			}
		}
		if !ok {
			// A further comment on the line ("... reason # other note") ends the reason;
			// markers after it still count.
			if tok == "#" || tok == "//" {
				closed = true
			} else if !closed {
				reason = append(reason, tok)
			}
			continue
		}
		if tool == ToolCheckov {
			// checkov:skip=CKV_AWS_20:the reason, which may go on after spaces.
			id, why, _ := strings.Cut(rest, ":")
			if id == "" {
				c.Problems = append(c.Problems, fmt.Sprintf("%q names no check", tok))
				continue
			}
			c.Entries = append(c.Entries, ignoreEntry{Tool: tool, ID: id})
			if why != "" {
				reason = append(reason, why)
			}
			continue
		}
		e, err := parseEntry(tool, rest)
		if err != nil {
			c.Problems = append(c.Problems, fmt.Sprintf("%q: %v", stripLeader(tok), err))
			continue
		}
		c.Entries = append(c.Entries, e...)
	}
	c.Reason = cleanReason(strings.Join(reason, " "))
	return c, true
}

// parseEntry reads what follows "iacscan:ignore:" (or another tool's prefix):
// id[,id...][[selector]][:exp:YYYY-MM-DD].
func parseEntry(tool Tool, s string) ([]ignoreEntry, error) {
	i := 0
	for i < len(s) && (isIDChar(s[i]) || s[i] == ',') {
		i++
	}
	var ids []string
	for _, id := range strings.Split(s[:i], ",") {
		if id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no check ID")
	}
	rest := s[i:]
	var sel string
	if strings.HasPrefix(rest, "[") {
		end := closingBracket(rest)
		if end < 0 {
			return nil, fmt.Errorf("unclosed [ in the instance selector")
		}
		sel = strings.TrimSpace(rest[1:end])
		if sel == "" {
			return nil, fmt.Errorf("empty instance selector")
		}
		rest = rest[end+1:]
	}
	var exp time.Time
	if rest != "" {
		const key = ":exp:"
		if len(rest) < len(key) || !strings.EqualFold(rest[:len(key)], key) {
			return nil, fmt.Errorf("unexpected %q after the check ID (want [instance] or :exp:YYYY-MM-DD)", rest)
		}
		d, err := time.Parse("2006-01-02", rest[len(key):])
		if err != nil {
			return nil, fmt.Errorf("expiry %q is not a date written YYYY-MM-DD", rest[len(key):])
		}
		exp = d
	}
	out := make([]ignoreEntry, 0, len(ids))
	for _, id := range ids {
		out = append(out, ignoreEntry{Tool: tool, ID: id, Selector: sel, Expires: exp})
	}
	return out, nil
}

// expired reports whether the entry no longer applies on the day of now: an ignore that
// expires on a date still applies during that whole day.
func (e ignoreEntry) expired(now time.Time) bool {
	if e.Expires.IsZero() {
		return false
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return today.After(e.Expires)
}

func isIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// closingBracket returns the index of the ] that closes the [ at s[0], skipping
// brackets inside quotes and nested ones (an address selector holds its own [key]).
func closingBracket(s string) int {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitTokens splits on white space outside brackets, so that an address selector with
// a quoted key holding spaces stays one token.
func splitTokens(s string) []string {
	var toks []string
	depth, quoted, start := 0, false, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && depth > 0:
			quoted = !quoted
		case quoted:
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		}
		space := (c == ' ' || c == '\t') && depth == 0
		if space && start >= 0 {
			toks = append(toks, s[start:i])
			start = -1
		} else if !space && start < 0 {
			start = i
		}
	}
	if start >= 0 {
		toks = append(toks, s[start:])
	}
	return toks
}

// stripLeader removes a comment leader glued to a marker, as in the second marker of
// "#iacscan:ignore:a #iacscan:ignore:b".
func stripLeader(tok string) string {
	tok = strings.TrimPrefix(tok, "//")
	return strings.TrimPrefix(tok, "#")
}

// cleanReason drops the punctuation people put between the marker and the reason.
func cleanReason(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"--", "-", ":", "—"} {
		if strings.HasPrefix(s, p+" ") || s == p {
			s = strings.TrimSpace(strings.TrimPrefix(s, p))
		}
	}
	return strings.Trim(s, `"`)
}

// commentText returns the comment on a source line: the text after the first # or //
// that is not inside a quoted string, the byte offset of its leader, and whether the line
// holds nothing but that comment. A # glued to a YAML value (a#b) does not start a
// comment.
func commentText(line string) (text string, at int, whole bool, ok bool) {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		if quote != 0 {
			if c == '\\' && quote == '"' {
				i++
				continue
			}
			if c == quote {
				quote = 0
			}
			continue
		}
		switch {
		case c == '"':
			quote = c
		case c == '\'' && (i == 0 || strings.IndexByte(" \t:[{,=(", line[i-1]) >= 0):
			// A single quote opens a string only where a value starts; elsewhere it is an
			// apostrophe in plain text.
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[i+1:], i, strings.TrimSpace(line[:i]) == "", true
		case c == '/' && i+1 < len(line) && line[i+1] == '/' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[i+2:], i, strings.TrimSpace(line[:i]) == "", true
		}
	}
	return "", 0, false, false
}

var knownIDs = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, c := range All() {
		m[c.ID] = true
	}
	return m
})

// allKnown reports whether every entry names one of our checks.
func allKnown(es []ignoreEntry) bool {
	for _, e := range es {
		if !knownIDs()[e.ID] {
			return false
		}
	}
	return len(es) > 0
}
