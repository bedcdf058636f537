package terraform

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The variable files found in a directory's listing are those a stat of each name
// finds: symbolic links are followed, directories are not files.
func TestVarFileNamesFromListing(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x = 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("real.tfvars")
	write("b.auto.tfvars")
	write("a.auto.tfvars.json")
	if err := os.Mkdir(filepath.Join(dir, "terraform.tfvars.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "d.auto.tfvars"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.tfvars", filepath.Join(dir, "terraform.tfvars")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := os.Symlink("missing", filepath.Join(dir, "c.auto.tfvars")); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := filepath.ToSlash(dir)
	got := varFileNames(d, ents)
	want := []string{d + "/terraform.tfvars", d + "/a.auto.tfvars.json", d + "/b.auto.tfvars", d + "/c.auto.tfvars"}
	if !slices.Equal(got, want) {
		t.Errorf("varFileNames = %q, want %q", got, want)
	}
	// A directory the loader could not list gives the same, listed here.
	if got := unlistedVarFiles(d); !slices.Equal(got, want) {
		t.Errorf("unlistedVarFiles = %q, want %q", got, want)
	}
}
