package cloudformation

import (
	"testing"

	"github.com/iacscan/iacscan/parser/graph"
)

// chosenTemplate has Fn::If choose whole objects (the Properties, a nested mapping) and
// AWS::NoValue, with condition IsProd false by the default of Env.
const chosenTemplate = `Parameters:
  Env: {Type: String, Default: dev}
  Size: {Type: Number, Default: 8}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Whole:
    Type: AWS::EC2::Volume
    Properties: !If
      - IsProd
      - {AvailabilityZone: a, Size: !Ref Size, Encrypted: true, Tags: [{Key: k, Value: v}]}
      - {AvailabilityZone: a, Size: !Ref Size, Tags: [{Key: k}]}
  Nested:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs: !If
            - IsProd
            - {VolumeSize: !Ref Size, Encrypted: true, KmsKeyId: k}
            - {VolumeSize: !Ref Size}
  Deep:
    Type: AWS::EC2::Instance
    Properties: !If
      - IsProd
      - {ImageId: ami-1, Monitoring: true, CpuOptions: {CoreCount: 2, ThreadsPerCore: 1}, KeyName: !Ref AWS::NoValue}
      - {ImageId: ami-1, CpuOptions: {CoreCount: 2}}
  NoValue:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: a
      Encrypted: !If [IsProd, true, !Ref AWS::NoValue]
  Literal:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: a
`

func TestWholeObjectChosenByIfCarriesItsConditionBeneath(t *testing.T) {
	rs, diags := parseString(chosenTemplate)
	if diags.HasErrors() {
		t.Fatalf("diagnostics: %v", diags)
	}
	const cond, param = "condition IsProd is false", `parameter Env default "dev"`
	for _, c := range []struct {
		addr string
		path []any
	}{
		// Absent because the branch taken lacks what the other sets.
		{"Whole", []any{"Encrypted"}},
		{"Nested", []any{"BlockDeviceMappings", 0, "Ebs", "Encrypted"}},
		{"Nested", []any{"BlockDeviceMappings", 0, "Ebs", "KmsKeyId"}},
		{"Deep", []any{"Monitoring"}},
		{"Deep", []any{"CpuOptions", "ThreadsPerCore"}},
		{"NoValue", []any{"Encrypted"}},
		// Present, written in the branch taken.
		{"Whole", []any{"AvailabilityZone"}},
		{"Whole", []any{"Tags", 0, "Key"}},
		{"Deep", []any{"CpuOptions", "CoreCount"}},
		// Present, with origins of their own.
		{"Whole", []any{"Size"}},
		{"Nested", []any{"BlockDeviceMappings", 0, "Ebs", "VolumeSize"}},
	} {
		r := resource(t, rs, c.addr, "")
		wantOrigin(t, r, cond, 5, c.path...)
		wantOrigin(t, r, param, 2, c.path...)
	}
	// Own origins are kept beside the condition's.
	wantOrigin(t, resource(t, rs, "Whole", ""), `parameter Size default "8"`, 3, "Size")
	wantOrigin(t, resource(t, rs, "Nested", ""), `parameter Size default "8"`, 3, "BlockDeviceMappings", 0, "Ebs", "VolumeSize")

	// An absent attribute keeps pointing at the resource, or at the mapping that lacks it.
	whole := resource(t, rs, "Whole", "")
	if got, want := whole.RangeOf("Encrypted"), whole.DefRange; got != want {
		t.Errorf("Whole Encrypted range = %v, want the logical ID %v", got, want)
	}
	if whole.Get("Encrypted").Exists() {
		t.Error("Whole Encrypted exists, want it absent")
	}
	nv := resource(t, rs, "NoValue", "")
	if got, want := nv.RangeOf("Encrypted"), nv.DefRange; got != want {
		t.Errorf("NoValue Encrypted range = %v, want the logical ID %v", got, want)
	}
	nested := resource(t, rs, "Nested", "")
	if got, want := nested.RangeOf("BlockDeviceMappings", 0, "Ebs", "Encrypted"), nested.RangeOf("BlockDeviceMappings", 0, "Ebs"); got != want || got.Start.Line != 19 {
		t.Errorf("Nested Ebs.Encrypted range = %v, want that of Ebs at line 19 (%v)", got, want)
	}

	// What neither branch sets at the top, and what no condition chose, names no
	// condition. (Beneath a chosen property, everything finds the condition on it.)
	for _, c := range []struct {
		addr string
		path []any
	}{
		{"Whole", []any{"Iops"}},
		{"Deep", []any{"KeyName"}},
		{"Literal", []any{"Encrypted"}},
		{"Nested", []any{"ImageId"}},
		{"Nested", []any{"Monitoring"}},
	} {
		if o := resource(t, rs, c.addr, "").OriginsOf(c.path...); len(o) != 0 {
			t.Errorf("%s %v origins = %v, want none", c.addr, graph.Path(c.path), o)
		}
	}
}
