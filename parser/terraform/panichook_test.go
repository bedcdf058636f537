package terraform

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// setHook sets a test hook, package state every Parse reads, for the rest of the test
// and restores it afterwards. t.Setenv makes a test that sets a hook fail if it runs in
// parallel, where another test's Parse would see the hook.
func setHook[F any](t *testing.T, hook *F, f F) {
	t.Helper()
	t.Setenv("IACSCAN_TEST_HOOK", "set")
	saved := *hook
	t.Cleanup(func() { *hook = saved })
	*hook = f
}

// setProcs runs the rest of the test with GOMAXPROCS n, so that the loader and the root
// modules run on several goroutines even on a one-core machine.
func setProcs(t *testing.T, n int) {
	t.Setenv("IACSCAN_TEST_PROCS", "set")
	saved := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(saved) })
}

// TestPanicInOneRootModuleCostsThatModuleOnly: a panic while evaluating one root module
// is an error on its directory; the other root modules are evaluated as usual.
func TestPanicInOneRootModuleCostsThatModuleOnly(t *testing.T) {
	setHook(t, &panicHook, func(root string, evaluated bool) {
		if root == "b" && !evaluated {
			panic("evaluator bug")
		}
	})
	res := parseTree(t, map[string]string{
		"a/main.tf": "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
		"b/main.tf": "resource \"aws_s3_bucket\" \"b\" {}\n",
		"c/main.tf": "resource \"aws_s3_bucket\" \"c\" {}\n",
	}, Options{})
	var errs []string
	for _, d := range res.Diagnostics {
		if d.Severity == graph.DiagError {
			errs = append(errs, d.Error())
		}
	}
	if len(errs) != 1 || errs[0] != "b: internal error evaluating module: evaluator bug; the root module is not scanned" {
		t.Errorf("errors %q: want one internal error on b", errs)
	}
	var got []string
	for _, r := range res.Resources {
		got = append(got, r.Range.File+" "+r.Address)
	}
	if len(got) != 2 || got[0] != "a/main.tf aws_s3_bucket.a" || got[1] != "c/main.tf aws_s3_bucket.c" {
		t.Errorf("resources %q: want those of a and c", got)
	}
	if s := str(t, find(t, res, "aws_s3_bucket.a"), "bucket"); s != "a" {
		t.Errorf("bucket = %q", s)
	}
}

// TestPanicLateInARootModuleDropsWhatItEvaluated: a root module that panics after some of
// its resources are evaluated keeps none of them, since what it did not reach (a public
// access block, say) would make the others look insecure.
func TestPanicLateInARootModuleDropsWhatItEvaluated(t *testing.T) {
	setHook(t, &panicHook, func(root string, evaluated bool) {
		if root == "b" && evaluated {
			panic("evaluator bug")
		}
	})
	res := parseTree(t, map[string]string{
		"a/main.tf": "resource \"aws_s3_bucket\" \"a\" {}\n",
		"b/main.tf": "resource \"aws_s3_bucket\" \"b\" {}\nresource \"aws_s3_bucket\" \"b2\" {}\n",
	}, Options{})
	var got []string
	for _, r := range res.Resources {
		got = append(got, r.Address)
	}
	if !slices.Equal(got, []string{"aws_s3_bucket.a"}) {
		t.Errorf("resources %q: want only a's", got)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Error() != "b: internal error evaluating module: evaluator bug; the root module is not scanned" {
		t.Errorf("diagnostics %v", res.Diagnostics)
	}
}

// TestPanicLoadingOneDirectoryCostsThatDirectoryOnly: a panic while loading a directory,
// on the loader's worker goroutines or while a root module loads a module it calls, is an
// error on that directory; the other directories, and the rest of the root module that
// calls it, are still scanned.
func TestPanicLoadingOneDirectoryCostsThatDirectoryOnly(t *testing.T) {
	for _, procs := range []int{1, 4} {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setProcs(t, procs)
			setHook(t, &loadHook, func(dir string) {
				if dir == "b" || dir == "d/m" {
					panic("loader bug")
				}
			})
			res := parseTree(t, map[string]string{
				"a/main.tf": "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n",
				"b/main.tf": "resource \"aws_s3_bucket\" \"b\" {}\n",
				"c/main.tf": "resource \"aws_s3_bucket\" \"c\" {}\n",
				// d calls d/m: d is still evaluated, without the module.
				"d/main.tf":   "module \"m\" {\n  source = \"./m\"\n}\n\nresource \"aws_s3_bucket\" \"d\" {}\n",
				"d/m/main.tf": "resource \"aws_s3_bucket\" \"m\" {}\n",
			}, Options{})
			var errs []string
			for _, d := range res.Diagnostics {
				if d.Severity == graph.DiagError {
					errs = append(errs, d.Error())
				}
			}
			want := []string{
				"b: internal error loading module: loader bug; the directory is not scanned",
				"d/m: internal error loading module: loader bug; the directory is not scanned",
			}
			if !slices.Equal(errs, want) {
				t.Errorf("errors %q, want %q", errs, want)
			}
			var got []string
			for _, r := range res.Resources {
				got = append(got, r.Range.File+" "+r.Address)
			}
			if want := []string{"a/main.tf aws_s3_bucket.a", "c/main.tf aws_s3_bucket.c", "d/main.tf aws_s3_bucket.d"}; !slices.Equal(got, want) {
				t.Errorf("resources %q, want %q", got, want)
			}
			if s := str(t, find(t, res, "aws_s3_bucket.a"), "bucket"); s != "a" {
				t.Errorf("bucket = %q", s)
			}
		})
	}
}

// TestParallelRaisesWorkerPanicOnCaller: a panic in one call of parallel's f, on a
// worker goroutine, does not stop the other calls and is raised on the caller's
// goroutine, where the caller's recover sees it; of several, the lowest index's.
func TestParallelRaisesWorkerPanicOnCaller(t *testing.T) {
	for _, procs := range []int{1, 4} {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setProcs(t, procs)
			const n = 40
			ran := make([]bool, n)
			got := func() (r any) {
				defer func() { r = recover() }()
				parallel(n, func(i int) {
					ran[i] = true
					if i == 7 || i == 31 {
						panic(fmt.Sprint("bug at ", i))
					}
				})
				return nil
			}()
			if got != "bug at 7" {
				t.Errorf("recovered %v, want bug at 7", got)
			}
			for i, ok := range ran {
				if !ok {
					t.Errorf("f(%d) did not run", i)
				}
			}
		})
	}
}
