package terraform

// panicHook is called as each root module's evaluation starts. It does nothing; tests
// make it panic to see that a panic costs that root module only and is reported on it.
var panicHook = func(root string) {}
