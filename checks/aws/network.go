package aws

import "github.com/iacscan/iacscan/checks/check"

func networkChecks() []*check.Check { return nil }
