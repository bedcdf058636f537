package checks

import (
	"github.com/iacscan/iacscan/checks/aws"
	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/checks/kubernetes"
)

// All returns every built-in check, sorted by ID. The list is explicit: adding a check
// means adding it to its provider package's Checks list.
func All() []*check.Check {
	var all []*check.Check
	all = append(all, aws.Checks()...)
	all = append(all, kubernetes.Checks()...)
	sortChecks(all)
	return all
}

// ByID returns the built-in check with the given ID, or nil.
func ByID(id string) *check.Check {
	for _, c := range All() {
		if c.ID == id {
			return c
		}
	}
	return nil
}
