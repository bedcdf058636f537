package aws

import "github.com/iacscan/iacscan/checks/check"

func s3Checks() []*check.Check { return nil }
