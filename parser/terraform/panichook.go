package terraform

// panicHook is called as each root module's evaluation starts (evaluated false) and once
// its resources are evaluated (evaluated true), and loadHook as each module directory's
// loading starts. They do nothing; tests make them panic to see that
// a panic costs that root module or directory only and is reported on it. Tests that set
// them do not run in parallel and restore them when done.
var (
	panicHook = func(root string, evaluated bool) {}
	loadHook  = func(dir string) {}
)
