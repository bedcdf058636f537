// Package kubernetes holds the checks for Kubernetes manifests.
package kubernetes

import "github.com/iacscan/iacscan/checks/check"

// Checks returns the Kubernetes checks in a stable order.
func Checks() []*check.Check { return nil }
