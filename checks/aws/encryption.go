package aws

import (
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// encryptionChecks returns the checks for data left unencrypted at rest or in transit,
// across services, in a stable order.
//
// Left out on purpose, because AWS encrypts the data whatever the configuration says and a
// finding would only be noise:
//   - DynamoDB tables: always encrypted at rest, with an AWS owned key unless a KMS key is
//     chosen. Which key protects the table is a key-management preference (who can audit
//     and revoke access to the key), not exposed data, so "no customer managed key" is
//     not reported. DAX clusters, which are not encrypted by default, are.
//   - ElastiCache Serverless caches: always encrypted at rest and in transit.
//   - SQS queues with no encryption settings: SSE-SQS is on by default for new queues.
//   - Redshift clusters without the encrypted argument: new clusters are encrypted since
//     January 2025 whatever the request says.
//
// Each check reads Terraform and CloudFormation through a small extractor next to it that
// switches on the resource's format, so that each risk is decided once. No SAM
// (AWS::Serverless::*) type carries these risks: SimpleTable is a DynamoDB table (always
// encrypted), and the others (functions, APIs, state machines) hold no storage or
// listeners judged here.
func encryptionChecks() []*check.Check {
	return []*check.Check{
		ebsVolumeUnencrypted,
		ec2BlockDeviceUnencrypted,
		rdsInstanceUnencrypted,
		rdsClusterUnencrypted,
		efsUnencrypted,
		sqsUnencrypted,
		snsUnencrypted,
		daxUnencrypted,
		elasticacheAtRestUnencrypted,
		elasticacheInTransitUnencrypted,
		redshiftUnencrypted,
		elbHTTPListener,
		cloudfrontAllowsHTTP,
		cloudfrontOutdatedTLS,
	}
}

// flagState is what a boolean setting is known to be.
type flagState int

const (
	// flagAbsent: the setting is not written (or is an empty string), so the default
	// applies.
	flagAbsent flagState = iota
	flagTrue
	flagFalse
	// flagUnknown: the setting is written but its value cannot be known statically.
	flagUnknown
)

// readFlag reads a boolean setting, accepting the strings Terraform and CloudFormation
// convert to booleans ("true", "false", "1", "0"), since launch templates and many
// modules pass them as strings.
func readFlag(v graph.Value) flagState {
	if !v.IsKnown() {
		return flagUnknown
	}
	if !v.Exists() {
		return flagAbsent
	}
	if b, ok := v.Bool(); ok {
		if b {
			return flagTrue
		}
		return flagFalse
	}
	if s, ok := v.Str(); ok {
		switch strings.TrimSpace(s) {
		case "":
			return flagAbsent
		case "1":
			return flagTrue
		case "0":
			return flagFalse
		}
	}
	// A value of another type would be rejected by Terraform and CloudFormation; treat it
	// as not written rather than guess.
	return flagAbsent
}

// textSetting is what a string setting is known to be.
type textSetting struct {
	// Value is the string, trimmed; empty when absent or unknown.
	Value string
	// Set reports whether a non-empty value is written.
	Set bool
	// Known reports whether the value (or its absence) is known statically.
	Known bool
}

// readText reads a string setting. An empty string counts as not written, since modules
// commonly pass "" to mean "use the default".
func readText(v graph.Value) textSetting {
	if !v.IsKnown() {
		return textSetting{}
	}
	s, ok := v.Str()
	s = strings.TrimSpace(s)
	if !ok || s == "" {
		return textSetting{Known: true}
	}
	return textSetting{Value: s, Set: true, Known: true}
}

// nestedBlocks returns the elements of a nested block list. known is false when the list itself
// (a dynamic block over an unknown collection, say) cannot be enumerated.
func nestedBlocks(v graph.Value) (elems []graph.Value, known bool) {
	if !v.IsKnown() {
		return nil, false
	}
	return v.List(), true
}

// falseAsWritten renders a setting turned off the way the resource's format writes it, for
// messages: encrypted = false in Terraform, Encrypted: false in CloudFormation.
func falseAsWritten(r *graph.Resource, name string) string {
	if r.Format == graph.CloudFormation {
		return name + ": false"
	}
	return name + " = false"
}

// asWrittenText renders a string setting and its value the way the resource's format
// writes it: protocol = "HTTP" in Terraform, Protocol: HTTP in CloudFormation.
func asWrittenText(r *graph.Resource, name, value string) string {
	if r.Format == graph.CloudFormation {
		return name + ": " + value
	}
	return fmt.Sprintf("%s = %q", name, value)
}
