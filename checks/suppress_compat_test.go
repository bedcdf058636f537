package checks

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeListsEveryCompatID keeps the README's mapping table in step with CompatIDs,
// which users read to know which of their existing comments still work.
func TestReadmeListsEveryCompatID(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range CompatIDs {
		for _, id := range append(append([]string{}, c.IDs...), c.Ours...) {
			if !strings.Contains(string(readme), "`"+id+"`") {
				t.Errorf("README.md's \"Suppressing findings\" table lacks %s", id)
			}
		}
	}
}
