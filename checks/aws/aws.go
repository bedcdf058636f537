// Package aws holds the checks for Amazon Web Services resources, in every format that
// describes them (Terraform, CloudFormation). Each file covers one service or concern.
package aws

import "github.com/iacscan/iacscan/checks/check"

// Checks returns the AWS checks in a stable order.
func Checks() []*check.Check {
	var all []*check.Check
	all = append(all, s3Checks()...)
	all = append(all, networkChecks()...)
	all = append(all, encryptionChecks()...)
	all = append(all, databaseChecks()...)
	all = append(all, kmsChecks()...)
	all = append(all, eksChecks()...)
	return all
}
