package terraform

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// maxHashedFile bounds the files the file hash functions read. Hashes such as
// filebase64sha256 usually feed source_code_hash of a deployment archive, which no check
// decides on, so a larger file is simply unknown.
const maxHashedFile = 256 << 20

// A file that does not exist in the scanned tree, typically a build artifact such as the
// archive of a Lambda function, is an unknown value rather than an error: an error would
// make the whole enclosing expression unknown, while the file only decides its own part.

// fileAccess resolves the paths file functions receive against the module directory and
// confines them to the scan root.
type fileAccess struct {
	baseDir string
	root    string // absolute, symbolic links resolved
	lim     limits
}

// realPath is the absolute form of p with symbolic links resolved as far as they exist, so
// that a link inside the root pointing outside it is judged by its target.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = filepath.Clean(p)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	// The path does not exist (yet): resolve the deepest existing ancestor instead, so that
	// a missing file beneath a linked directory is still judged by where it would be.
	dir, rest := abs, ""
	for {
		parent := filepath.Dir(dir)
		rest = filepath.Join(filepath.Base(dir), rest)
		if parent == dir {
			return abs
		}
		dir = parent
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
	}
}

// within reports whether p is root or beneath it; both must be clean absolute paths.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolve turns a path argument into the real absolute path to read, or reports false
// when the path lies outside the root or names the home directory of whoever runs
// Terraform (~), which a static scan does not read.
//
// A relative path is looked up beneath baseDir first. When nothing exists there, it is
// looked up from the working directory, because path.module and path.root, which
// configurations prefix their paths with, hold paths relative to the working directory
// of the scan (as they are relative to Terraform's own working directory).
func (fa *fileAccess) resolve(p string) (string, bool) {
	if p == "" || strings.HasPrefix(p, "~") {
		return "", false
	}
	if !filepath.IsAbs(p) {
		fromBase := filepath.Join(fa.baseDir, p)
		if _, err := os.Lstat(fromBase); err != nil {
			if _, err := os.Lstat(p); err == nil {
				fromBase = p
			}
		}
		p = fromBase
	}
	real := realPath(p)
	if !within(fa.root, real) {
		return "", false
	}
	return real, true
}

// readBounded reads a regular file of at most max bytes.
func readBounded(path string, max int64) ([]byte, error) {
	// Opening a FIFO for reading blocks until a writer comes: look before opening.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", filepath.Base(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: not a regular file", filepath.Base(path))
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("read %s: file of %d bytes exceeds the limit of %d bytes", filepath.Base(path), fi.Size(), max)
	}
	return io.ReadAll(io.LimitReader(f, max+1))
}

// fileFunc is file (or filebase64): the module-relative file's content, checked against the
// root and the string budget before go-cty-funcs reads it.
func (fa *fileAccess) fileFunc(b64 bool) function.Function {
	read := filesystem.MakeFileFunc("", b64)
	return function.New(&function.Spec{
		Description: read.Description(),
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			path, ok := fa.resolve(args[0].AsString())
			if !ok {
				return cty.UnknownVal(cty.String), nil
			}
			fi, err := os.Stat(path)
			if os.IsNotExist(err) {
				return cty.UnknownVal(cty.String), nil
			} else if err != nil {
				return cty.UnknownVal(cty.String), fmt.Errorf("read %s: %w", args[0].AsString(), err)
			}
			if !fi.Mode().IsRegular() {
				// A FIFO would block the read forever, a device never end it.
				return cty.UnknownVal(cty.String), fmt.Errorf("%s is not a regular file", args[0].AsString())
			}
			size := fi.Size()
			if b64 {
				size = (size + 2) / 3 * 4
			}
			if size > int64(fa.lim.maxStr) {
				return cty.UnknownVal(cty.String), fmt.Errorf("%s: content of %d bytes exceeds the limit of %d bytes", args[0].AsString(), size, fa.lim.maxStr)
			}
			return read.Call([]cty.Value{cty.StringVal(path)})
		},
	})
}

// fileExistsFunc is fileexists, confined to the root.
func (fa *fileAccess) fileExistsFunc() function.Function {
	exists := filesystem.MakeFileExistsFunc("")
	return function.New(&function.Spec{
		Description: exists.Description(),
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			path, ok := fa.resolve(args[0].AsString())
			if !ok {
				return cty.UnknownVal(cty.Bool), nil
			}
			return exists.Call([]cty.Value{cty.StringVal(path)})
		},
	})
}

// fileSetFunc is fileset(path, pattern), confined to the root: a pattern climbing out of it
// is unknown, and matches whose real location lies outside (through a symbolic link) are
// left out.
func (fa *fileAccess) fileSetFunc() function.Function {
	glob := filesystem.MakeFileSetFunc("")
	return function.New(&function.Spec{
		Description: glob.Description(),
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "pattern", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			unknown := cty.UnknownVal(retType)
			dir, ok := fa.resolve(args[0].AsString())
			if !ok {
				return unknown, nil
			}
			pattern := args[1].AsString()
			// Join cleans "..", so a pattern climbing above the root shows here.
			if !within(fa.root, filepath.Join(dir, pattern)) {
				return unknown, nil
			}
			set, err := glob.Call([]cty.Value{cty.StringVal(dir), args[1]})
			if err != nil || !set.IsKnown() {
				return unknown, err
			}
			var kept []cty.Value
			for it := set.ElementIterator(); it.Next(); {
				_, m := it.Element()
				if within(fa.root, realPath(filepath.Join(dir, filepath.FromSlash(m.AsString())))) {
					kept = append(kept, m)
				}
			}
			if len(kept) > fa.lim.maxColl {
				return unknown, fa.lim.collErr(len(kept))
			}
			if len(kept) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			return cty.SetVal(kept), nil
		},
	})
}

// fileHashFunc builds filemd5, filesha256, filebase64sha256 and their kin: the hash of a
// file's bytes, streamed rather than loaded.
func (fa *fileAccess) fileHashFunc(h fileHasher) function.Function {
	return function.New(&function.Spec{
		Description: "Returns a hash of the contents of a file.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			path, ok := fa.resolve(args[0].AsString())
			if !ok {
				return cty.UnknownVal(cty.String), nil
			}
			if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
				// Opening a FIFO for reading blocks until a writer comes.
				return cty.UnknownVal(cty.String), fmt.Errorf("%s is not a regular file", args[0].AsString())
			}
			f, err := os.Open(path)
			if os.IsNotExist(err) {
				return cty.UnknownVal(cty.String), nil
			} else if err != nil {
				return cty.UnknownVal(cty.String), fmt.Errorf("read %s: %w", args[0].AsString(), err)
			}
			defer f.Close()
			if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
				return cty.UnknownVal(cty.String), fmt.Errorf("%s is not a regular file", args[0].AsString())
			} else if fi.Size() > maxHashedFile {
				return cty.UnknownVal(cty.String), nil
			}
			sum := h.new()
			if _, err := io.Copy(sum, io.LimitReader(f, maxHashedFile)); err != nil {
				return cty.UnknownVal(cty.String), fmt.Errorf("read %s: %w", args[0].AsString(), err)
			}
			return cty.StringVal(h.enc(sum.Sum(nil))), nil
		},
	})
}
