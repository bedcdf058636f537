package cloudformation

// DefaultMaxDepth is how deeply nested values are evaluated when Options.MaxDepth is not
// set: the default of --max-depth, so that a template reads the same through Parse as
// through a scan with default limits.
const DefaultMaxDepth = 500

// maxDepth is the evaluation depth limit in effect.
func (o Options) maxDepth() int {
	if o.MaxDepth > 0 {
		return o.MaxDepth
	}
	return DefaultMaxDepth
}
