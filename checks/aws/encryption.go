package aws

import "github.com/iacscan/iacscan/checks/check"

func encryptionChecks() []*check.Check { return nil }
