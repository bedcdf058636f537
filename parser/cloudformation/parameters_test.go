package cloudformation

import (
	"os"
	"testing"
)

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestParametersFileOverridesDefaults(t *testing.T) {
	params, diags := ReadParameters("testdata/params.json", mustRead(t, "testdata/params.json"))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if len(params) != 2 || params["Env"].Value != "prod" || params["Env"].Range.Start.Line != 2 {
		t.Fatalf("params = %+v", params)
	}
	rs := parseTestdata(t, "bucket.yaml", Options{Parameters: params})
	web := resource(t, rs, "WebBucket", "")
	wantStr(t, web, "Private", "AccessControl")
	wantOrigin(t, web, `parameter Env = "prod"`, 2, "AccessControl")
	for _, o := range web.OriginsOf("AccessControl") {
		if o.Message == `parameter Env = "prod"` && o.Range.File != "testdata/params.json" {
			t.Errorf("origin file %q", o.Range.File)
		}
	}
	if n := count(rs, "LogBucket"); n != 1 {
		t.Errorf("LogBucket has %d resources, want 1 (IsProd is true)", n)
	}
	// BucketAcl has a value now: no variants.
	wantStr(t, resource(t, rs, "AclBucket", ""), "AuthenticatedRead", "AccessControl")
}

func TestCodePipelineConfigurationFileIsRead(t *testing.T) {
	params, diags := ReadParameters("testdata/pipeline-config.json", mustRead(t, "testdata/pipeline-config.json"))
	if len(diags) != 0 || params["Env"].Value != "prod" || params["Env"].Range.Start.Line != 3 {
		t.Fatalf("params = %+v, diags = %v", params, diags)
	}
}

func TestParametersFileOfKeyValueStrings(t *testing.T) {
	params, diags := ReadParameters("p.json", []byte(`["Env=prod", "Bad"]`))
	if params["Env"].Value != "prod" {
		t.Errorf("params = %+v", params)
	}
	if len(diags) != 1 {
		t.Errorf("diagnostics = %v, want one for \"Bad\"", diags)
	}
}

func TestParametersFileOfAnotherShapeIsDiagnosed(t *testing.T) {
	for _, src := range []string{`"x"`, `{"Other": 1}`, `[{"ParameterValue": "x"}]`, `{`} {
		if _, diags := ReadParameters("p.json", []byte(src)); len(diags) == 0 {
			t.Errorf("%s: no diagnostic", src)
		}
	}
}

func TestParameterWithoutDefaultIsUnknownAndSSMParameterToo(t *testing.T) {
	rs, _ := parseString(`
Parameters:
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/ami}
  Name: {Type: String}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "a,b"}
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
      KeyName: !Ref Name
      SubnetId: !Select [1, !Ref Subnets]
`)
	r := resource(t, rs, "I", "")
	wantUnknown(t, r, "parameter Ami is read from SSM Parameter Store at deployment", "ImageId")
	wantUnknown(t, r, "parameter Name has no default", "KeyName")
	wantStr(t, r, "b", "SubnetId")
}
