package terraform

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// evalFunc evaluates one HCL expression with the functions of a module in dir, and with
// the variables vars (may be nil).
func evalFunc(t *testing.T, dir string, opts FuncOptions, vars map[string]cty.Value, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags)
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: Functions(dir, opts)}
	return expr.Value(ctx)
}

type funcCase struct {
	expr string
	want cty.Value
}

// runFuncCases checks every expression against the value Terraform documents for it.
func runFuncCases(t *testing.T, dir string, opts FuncOptions, vars map[string]cty.Value, cases []funcCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := evalFunc(t, dir, opts, vars, c.expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", c.expr, diags)
			}
			if !got.RawEquals(c.want) {
				t.Errorf("%s\n got  %#v\n want %#v", c.expr, got, c.want)
			}
		})
	}
}

// wantError checks that each expression fails to evaluate, which the evaluator turns into
// an unknown value, and that it does so without panicking.
func wantError(t *testing.T, dir string, opts FuncOptions, exprs ...string) {
	t.Helper()
	for _, e := range exprs {
		t.Run(e, func(t *testing.T) {
			got, diags := evalFunc(t, dir, opts, nil, e)
			if !diags.HasErrors() {
				t.Errorf("%s = %#v, want an error", e, got)
			}
		})
	}
}

func strs(ss ...string) []cty.Value {
	out := make([]cty.Value, len(ss))
	for i, s := range ss {
		out[i] = cty.StringVal(s)
	}
	return out
}

func TestCollectionFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`lookup({a="ay", b="bee"}, "a", "what?")`, cty.StringVal("ay")},
		{`lookup({a="ay", b="bee"}, "c", "what?")`, cty.StringVal("what?")},
		{`lookup({a="ay"}, "a")`, cty.StringVal("ay")},
		{`lookup({a="ay"}, "c", null)`, cty.NullVal(cty.DynamicPseudoType)},
		{`merge({a="b", c="d"}, {e="f", c="z"})`, cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("b"), "c": cty.StringVal("z"), "e": cty.StringVal("f")})},
		{`concat(["a", ""], ["b", "c"])`, cty.TupleVal(strs("a", "", "b", "c"))},
		{`coalesce("a", "b")`, cty.StringVal("a")},
		{`coalesce("", "b")`, cty.StringVal("b")},
		{`coalesce(null, 1, 2)`, cty.NumberIntVal(1)},
		{`coalescelist(["a", "b"], ["c", "d"])`, cty.TupleVal(strs("a", "b"))},
		{`coalescelist([], ["c", "d"])`, cty.TupleVal(strs("c", "d"))},
		{`compact(["a", "", "b", null, "c"])`, cty.ListVal(strs("a", "b", "c"))},
		{`contains(["a", "b", "c"], "a")`, cty.True},
		{`contains(["a", "b", "c"], "d")`, cty.False},
		{`distinct(["a", "b", "a", "c", "d", "b"])`, cty.ListVal(strs("a", "b", "c", "d"))},
		{`element(["a", "b", "c"], 1)`, cty.StringVal("b")},
		{`element(["a", "b", "c"], 3)`, cty.StringVal("a")},
		{`element(["a", "b", "c"], -1)`, cty.StringVal("c")},
		{`flatten([["a", "b"], [], ["c"]])`, cty.TupleVal(strs("a", "b", "c"))},
		{`index(["a", "b", "c"], "b")`, cty.NumberIntVal(1)},
		{`keys({a=1, c=2, d=3})`, cty.TupleVal(strs("a", "c", "d"))},
		{`values({a=3, c=2, d=1})`, cty.TupleVal([]cty.Value{cty.NumberIntVal(3), cty.NumberIntVal(2), cty.NumberIntVal(1)})},
		{`length([])`, cty.NumberIntVal(0)},
		{`length(["a", "b"])`, cty.NumberIntVal(2)},
		{`length({"a" = "b"})`, cty.NumberIntVal(1)},
		{`length("hello")`, cty.NumberIntVal(5)},
		{`length("👾🕹️")`, cty.NumberIntVal(2)},
		{`one([])`, cty.NullVal(cty.DynamicPseudoType)},
		{`one(["hello"])`, cty.StringVal("hello")},
		{`one(tolist([]))`, cty.NullVal(cty.DynamicPseudoType)},
		{`sum([10, 13, 6, 4.5])`, cty.NumberFloatVal(33.5)},
		{`core::length(["a"])`, cty.NumberIntVal(1)},
		{`alltrue(["true", true])`, cty.True},
		{`alltrue([true, false])`, cty.False},
		{`alltrue([])`, cty.True},
		{`anytrue(["true"])`, cty.True},
		{`anytrue([true, false])`, cty.True},
		{`anytrue([])`, cty.False},
		{`range(3)`, cty.ListVal([]cty.Value{cty.NumberIntVal(0), cty.NumberIntVal(1), cty.NumberIntVal(2)})},
		{`range(1, 4)`, cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2), cty.NumberIntVal(3)})},
		{`range(1, 8, 2)`, cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(3), cty.NumberIntVal(5), cty.NumberIntVal(7)})},
		{`range(4, 1)`, cty.ListVal([]cty.Value{cty.NumberIntVal(4), cty.NumberIntVal(3), cty.NumberIntVal(2)})},
		{`zipmap(["a", "b"], [1, 2])`, cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.NumberIntVal(2)})},
		{`setproduct(["development", "staging"], ["app1", "app2"])`, cty.ListVal([]cty.Value{
			cty.TupleVal(strs("development", "app1")), cty.TupleVal(strs("development", "app2")),
			cty.TupleVal(strs("staging", "app1")), cty.TupleVal(strs("staging", "app2")),
		})},
		{`setunion(["a", "b"], ["b", "c"], ["d"])`, cty.SetVal(strs("a", "b", "c", "d"))},
		{`setintersection(["a", "b"], ["b", "c"], ["b", "d"])`, cty.SetVal(strs("b"))},
		{`setsubtract(["a", "b", "c"], ["a", "c"])`, cty.SetVal(strs("b"))},
		{`slice(["a", "b", "c", "d"], 1, 3)`, cty.TupleVal(strs("b", "c"))},
		{`sort(["e", "d", "a", "x"])`, cty.ListVal(strs("a", "d", "e", "x"))},
		{`reverse([1, 2, 3])`, cty.TupleVal([]cty.Value{cty.NumberIntVal(3), cty.NumberIntVal(2), cty.NumberIntVal(1)})},
		{`chunklist(["a", "b", "c", "d", "e"], 2)`, cty.ListVal([]cty.Value{cty.ListVal(strs("a", "b")), cty.ListVal(strs("c", "d")), cty.ListVal(strs("e"))})},
		{`matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])`, cty.ListVal(strs("i-abc", "i-def"))},
		{`transpose({"a" = ["1", "2"], "b" = ["2", "3"]})`, cty.MapVal(map[string]cty.Value{
			"1": cty.ListVal(strs("a")), "2": cty.ListVal(strs("a", "b")), "3": cty.ListVal(strs("b")),
		})},
	})
}

func TestStringFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`format("Hello, %s!", "Ander")`, cty.StringVal("Hello, Ander!")},
		{`format("There are %d lights", 4)`, cty.StringVal("There are 4 lights")},
		{`format("%-5s|%5s|%05d|%.2f|%t|%q|%%", "a", "b", 42, 3.14159, true, "x")`, cty.StringVal(`a    |    b|00042|3.14|true|"x"|%`)},
		{`format("%v", {a = 1})`, cty.StringVal(`{"a":1}`)},
		{`formatlist("Hello, %s!", ["Valentina", "Ander"])`, cty.ListVal(strs("Hello, Valentina!", "Hello, Ander!"))},
		{`formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])`, cty.ListVal(strs("Salutations, Valentina!", "Salutations, Ander!"))},
		{`join(", ", ["foo", "bar", "baz"])`, cty.StringVal("foo, bar, baz")},
		{`join(", ", ["foo"])`, cty.StringVal("foo")},
		{`split(",", "foo,bar,baz")`, cty.ListVal(strs("foo", "bar", "baz"))},
		{`split(",", "")`, cty.ListVal(strs(""))},
		{`replace("1 + 2 + 3", "+", "-")`, cty.StringVal("1 - 2 - 3")},
		{`replace("hello world", "/w.*d/", "everybody")`, cty.StringVal("hello everybody")},
		{`replace("hello world", "/(h)(e)/", "$2$1")`, cty.StringVal("ehllo world")},
		{`regex("[a-z]+", "53453453.345345aaabbbccc23454")`, cty.StringVal("aaabbbccc")},
		{`regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`, cty.TupleVal(strs("2019", "02", "01"))},
		{`regexall("[a-z]+", "1234abcd5678efgh9")`, cty.ListVal(strs("abcd", "efgh"))},
		{`length(regexall("[a-z]+", "1234abcd5678efgh9"))`, cty.NumberIntVal(2)},
		{`lower("HELLO")`, cty.StringVal("hello")},
		{`upper("hello")`, cty.StringVal("HELLO")},
		{`title("hello world")`, cty.StringVal("Hello World")},
		{`trim("?!hello?!", "!?")`, cty.StringVal("hello")},
		{`trimprefix("helloworld", "hello")`, cty.StringVal("world")},
		{`trimsuffix("helloworld", "world")`, cty.StringVal("hello")},
		{`trimspace("  hello\n\n")`, cty.StringVal("hello")},
		{`chomp("hello\r\n")`, cty.StringVal("hello")},
		{`indent(2, "[\n  foo,\n  bar,\n]\n")`, cty.StringVal("[\n    foo,\n    bar,\n  ]\n  ")},
		{`substr("hello world", 1, 4)`, cty.StringVal("ello")},
		{`substr("🤔🤷", 0, 1)`, cty.StringVal("🤔")},
		{`substr("hello world", -5, -1)`, cty.StringVal("world")},
		{`startswith("hello world", "hello")`, cty.True},
		{`startswith("hello world", "world")`, cty.False},
		{`endswith("hello world", "world")`, cty.True},
		{`strcontains("hello world", "wor")`, cty.True},
		{`strcontains("hello world", "wod")`, cty.False},
		{`strrev("hello")`, cty.StringVal("olleh")},
		{`strrev("a ☃")`, cty.StringVal("☃ a")},
	})
}

func TestEncodingFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`jsonencode({"hello"="world"})`, cty.StringVal(`{"hello":"world"}`)},
		// Keys are sorted, as Terraform documents for maps and objects.
		{`jsonencode({b = 1, a = [true, null, "<x>"]})`, cty.StringVal(`{"a":[true,null,"\u003cx\u003e"],"b":1}`)},
		{`jsondecode("{\"hello\": \"world\"}")`, cty.ObjectVal(map[string]cty.Value{"hello": cty.StringVal("world")})},
		{`jsondecode("true")`, cty.True},
		{`yamlencode({"a":"b", "c":"d"})`, cty.StringVal("\"a\": \"b\"\n\"c\": \"d\"\n")},
		{`yamldecode("hello: world")`, cty.ObjectVal(map[string]cty.Value{"hello": cty.StringVal("world")})},
		{`yamldecode("- a\n- 1\n- true")`, cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1), cty.True})},
		{`base64encode("Hello World")`, cty.StringVal("SGVsbG8gV29ybGQ=")},
		{`base64decode("SGVsbG8gV29ybGQ=")`, cty.StringVal("Hello World")},
		{`base64gzip("hello")`, cty.StringVal("H4sIAAAAAAAA/8pIzcnJBwQAAP//hqYQNgUAAAA=")},
		{`textencodebase64("Hello World", "UTF-16LE")`, cty.StringVal("SABlAGwAbABvACAAVwBvAHIAbABkAA==")},
		{`textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")`, cty.StringVal("Hello World")},
		{`urlencode("Hello World!")`, cty.StringVal("Hello+World%21")},
		{`urlencode("☃")`, cty.StringVal("%E2%98%83")},
		{`csvdecode("a,b\n1,2")`, cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.StringVal("2")})})},
	})
}

func TestHashFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`md5("hello world")`, cty.StringVal("5eb63bbbe01eeed093cb22bb8f5acdc3")},
		{`sha1("hello world")`, cty.StringVal("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")},
		{`sha256("hello world")`, cty.StringVal("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")},
		{`sha512("hello world")`, cty.StringVal("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")},
		{`base64sha256("hello world")`, cty.StringVal("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")},
		{`base64sha512("hello world")`, cty.StringVal("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")},
		{`uuidv5("dns", "www.terraform.io")`, cty.StringVal("a5008fae-b28c-5ba5-96cd-82b4c53552d6")},
	})
}

func TestNumberFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`abs(-12.4)`, cty.NumberFloatVal(12.4)},
		{`ceil(5.1)`, cty.NumberIntVal(6)},
		{`floor(4.9)`, cty.NumberIntVal(4)},
		{`log(16, 2)`, cty.NumberIntVal(4)},
		{`max(12, 54, 3)`, cty.NumberIntVal(54)},
		{`max([12, 54, 3]...)`, cty.NumberIntVal(54)},
		{`min(12, 54, 3)`, cty.NumberIntVal(3)},
		{`parseint("100", 10)`, cty.NumberIntVal(100)},
		{`parseint("FF", 16)`, cty.NumberIntVal(255)},
		{`parseint("-10", 16)`, cty.NumberIntVal(-16)},
		{`parseint("1011111011101111", 2)`, cty.NumberIntVal(48879)},
		{`pow(3, 2)`, cty.NumberIntVal(9)},
		{`signum(-13)`, cty.NumberIntVal(-1)},
		{`signum(0)`, cty.NumberIntVal(0)},
	})
}

func TestNetworkFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`cidrhost("10.12.112.0/20", 16)`, cty.StringVal("10.12.112.16")},
		{`cidrhost("10.12.112.0/20", 268)`, cty.StringVal("10.12.113.12")},
		{`cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, cty.StringVal("fd00:fd12:3456:7890::22")},
		{`cidrnetmask("172.16.0.0/12")`, cty.StringVal("255.240.0.0")},
		{`cidrsubnet("172.16.0.0/12", 4, 2)`, cty.StringVal("172.18.0.0/16")},
		{`cidrsubnet("10.1.2.0/24", 4, 15)`, cty.StringVal("10.1.2.240/28")},
		{`cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, cty.StringVal("fd00:fd12:3456:7800:a200::/72")},
		{`cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, cty.ListVal(strs("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"))},
	})
}

func TestConversionFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`tobool(true)`, cty.True},
		{`tobool("true")`, cty.True},
		{`tobool(null)`, cty.NullVal(cty.Bool)},
		{`tolist(["a", "b", "c"])`, cty.ListVal(strs("a", "b", "c"))},
		{`tolist(["a", "b", 3])`, cty.ListVal(strs("a", "b", "3"))},
		{`tomap({"a" = 1, "b" = 2})`, cty.MapVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.NumberIntVal(2)})},
		{`tomap({"a" = "foo", "b" = true})`, cty.MapVal(map[string]cty.Value{"a": cty.StringVal("foo"), "b": cty.StringVal("true")})},
		{`tonumber("1")`, cty.NumberIntVal(1)},
		{`toset(["a", "b", "c", "b"])`, cty.SetVal(strs("a", "b", "c"))},
		{`tostring(1)`, cty.StringVal("1")},
		{`tostring(true)`, cty.StringVal("true")},
		{`can(tonumber("x"))`, cty.False},
		{`can(tonumber("1"))`, cty.True},
		{`try(tonumber("x"), "fallback")`, cty.StringVal("fallback")},
		{`try({a = 1}.b, 2)`, cty.NumberIntVal(2)},
		{`sensitive("secret")`, cty.StringVal("secret")},
		{`nonsensitive("secret")`, cty.StringVal("secret")},
		{`issensitive(sensitive("secret"))`, cty.False},
		{`ephemeralasnull("x")`, cty.StringVal("x")},
	})
}

func TestDateFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")`, cty.StringVal("02 Jan 2018 23:12 UTC")},
		{`formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")`, cty.StringVal("Tuesday, 02-Jan-18 23:12:01 UTC")},
		{`formatdate("HH:mmaa", "2018-01-02T23:12:01Z")`, cty.StringVal("11:12pm")},
		{`timeadd("2017-11-22T00:00:00Z", "10m")`, cty.StringVal("2017-11-22T00:10:00Z")},
		{`timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")`, cty.NumberIntVal(0)},
		{`timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")`, cty.NumberIntVal(-1)},
		{`timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00")`, cty.NumberIntVal(0)},
	})
}

// TestValuesKnownOnlyAtApplyAreUnknown: a check must not decide on a timestamp, a random
// UUID or a salted hash, which differ between the scan and the apply.
func TestValuesKnownOnlyAtApplyAreUnknown(t *testing.T) {
	for _, e := range []string{
		`timestamp()`, `plantimestamp()`, `uuid()`, `bcrypt("hello")`, `bcrypt("hello", 10)`,
		`pathexpand("~/.ssh/id_rsa")`, `abspath("relative/dir")`,
		`formatdate("YYYY", timestamp())`, `timeadd(timestamp(), "24h")`,
	} {
		got, diags := evalFunc(t, t.TempDir(), FuncOptions{}, nil, e)
		if diags.HasErrors() {
			t.Errorf("%s: %s", e, diags)
			continue
		}
		if got.IsKnown() {
			t.Errorf("%s = %#v, want unknown", e, got)
		}
	}
}

func TestPathFunctionsFollowTerraformDocs(t *testing.T) {
	runFuncCases(t, t.TempDir(), FuncOptions{}, nil, []funcCase{
		{`basename("foo/bar/baz.txt")`, cty.StringVal("baz.txt")},
		{`dirname("foo/bar/baz.txt")`, cty.StringVal("foo/bar")},
		{`pathexpand("/etc/resolv.conf")`, cty.StringVal("/etc/resolv.conf")},
		{`abspath("/etc/../etc/hosts")`, cty.StringVal("/etc/hosts")},
	})
}

// scanTree lays out a scan root with a module directory and a secret file beside the root,
// returning the root and the module directory.
func scanTree(t *testing.T) (root, module string) {
	t.Helper()
	top := t.TempDir()
	root = filepath.Join(top, "repo")
	module = filepath.Join(root, "modules", "web")
	files := map[string]string{
		filepath.Join(top, "secret.txt"):              "outside",
		filepath.Join(root, "shared", "policy.json"):  `{"Effect":"Allow"}`,
		filepath.Join(module, "hello.txt"):            "Hello World",
		filepath.Join(module, "bin.dat"):              "\xff\xfe\x00",
		filepath.Join(module, "files", "a.txt"):       "a",
		filepath.Join(module, "files", "b.txt"):       "b",
		filepath.Join(module, "files", "sub", "c.md"): "c",
		filepath.Join(module, "user.tftpl"): "%{ for u in users ~}\n" +
			"user ${u} of ${lower(team)}\n" +
			"%{ endfor ~}",
		filepath.Join(module, "policy.tftpl"):    `${jsonencode({Statement = [for a in actions : {Action = a}]})}`,
		filepath.Join(module, "nested.tftpl"):    `${templatefile("user.tftpl", {users = [], team = ""})}`,
		filepath.Join(module, "recursive.tftpl"): `${core::templatefile("recursive.tftpl", {})}`,
	}
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root, module
}

func TestFileFunctionsReadBeneathTheModule(t *testing.T) {
	root, module := scanTree(t)
	runFuncCases(t, module, FuncOptions{Root: root}, nil, []funcCase{
		{`file("hello.txt")`, cty.StringVal("Hello World")},
		{`file("../../shared/policy.json")`, cty.StringVal(`{"Effect":"Allow"}`)},
		{`jsondecode(file("../../shared/policy.json")).Effect`, cty.StringVal("Allow")},
		{`filebase64("hello.txt")`, cty.StringVal("SGVsbG8gV29ybGQ=")},
		{`filebase64("bin.dat")`, cty.StringVal("//4A")},
		{`fileexists("hello.txt")`, cty.True},
		{`fileexists("missing.txt")`, cty.False},
		{`fileset(".", "files/*.txt")`, cty.SetVal(strs("files/a.txt", "files/b.txt"))},
		{`fileset("files", "**")`, cty.SetVal(strs("a.txt", "b.txt", "sub/c.md"))},
		{`fileset(".", "*.none")`, cty.SetValEmpty(cty.String)},
		{`filemd5("hello.txt")`, cty.StringVal("b10a8db164e0754105b7a99be72e3fe5")},
		{`filesha1("hello.txt")`, cty.StringVal("0a4d55a8d778e5022fab701977c5d840bbc486d0")},
		{`filesha256("hello.txt")`, cty.StringVal("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e")},
		{`filesha512("hello.txt")`, cty.StringVal("2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b")},
		{`filebase64sha256("hello.txt")`, cty.StringVal("pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=")},
		{`filebase64sha512("hello.txt")`, cty.StringVal("LHT9F+2v2A6ER7DUZ0HuJDt+t03SFJoKsbkkb7MDgvJ+hT2FhXGeDmfL2g2qj1FnEGRhXWRa4nrLFb+xRH9Fmw==")},
		{`templatefile("user.tftpl", {users = ["ann", "bob"], team = "OPS"})`, cty.StringVal("user ann of ops\nuser bob of ops\n")},
		{`jsondecode(templatefile("policy.tftpl", {actions = ["s3:*"]}))`, cty.ObjectVal(map[string]cty.Value{
			"Statement": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"Action": cty.StringVal("s3:*")})}),
		})},
		{`templatestring("Hello, $${name}!", {name = "Ander"})`, cty.StringVal("Hello, Ander!")},
	})
}

// TestFileFunctionsOutsideRootOrMissingAreUnknown: configuration can name any path, but the scan
// reads nothing outside its root; such values are unknown, not errors.
func TestFileFunctionsOutsideRootOrMissingAreUnknown(t *testing.T) {
	root, module := scanTree(t)
	if err := os.Symlink(filepath.Join(root, "..", "secret.txt"), filepath.Join(module, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, ".."), filepath.Join(module, "up")); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{
		`file("../../../secret.txt")`,
		`file("/etc/hostname")`,
		`file("~/.aws/credentials")`,
		`file("link.txt")`,
		`file("up/secret.txt")`,
		`filebase64("../../../secret.txt")`,
		`filesha256("../../../secret.txt")`,
		`fileexists("../../../secret.txt")`,
		`fileset("../../..", "*.txt")`,
		`fileset(".", "../../../*.txt")`,
		`templatefile("../../../secret.txt", {})`,
		// Missing files, such as build artifacts, are unknown like values outside the root.
		`file("missing.txt")`,
		`filebase64sha256("lambda.zip")`,
		`filemd5("missing.txt")`,
		`templatefile("missing.tftpl", {})`,
	} {
		got, diags := evalFunc(t, module, FuncOptions{Root: root}, nil, e)
		if diags.HasErrors() {
			t.Errorf("%s: %s", e, diags)
			continue
		}
		if got.IsKnown() {
			t.Errorf("%s = %#v, want unknown", e, got)
		}
	}
	// A link inside the root that points outside it is left out of fileset's matches.
	got, diags := evalFunc(t, module, FuncOptions{Root: root}, nil, `fileset(".", "*.txt")`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if want := cty.SetVal(strs("hello.txt")); !got.RawEquals(want) {
		t.Errorf("fileset = %#v, want %#v", got, want)
	}
}

func TestFileFunctionErrorsAreDiagnostics(t *testing.T) {
	root, module := scanTree(t)
	wantError(t, module, FuncOptions{Root: root},
		`file("bin.dat")`,
		`file("files")`,
		`templatefile("user.tftpl", {users = ["ann"]})`,
		`templatefile("user.tftpl", "not a map")`,
		`templatefile("nested.tftpl", {})`,
		`templatefile("recursive.tftpl", {})`,
		`base64decode("not base64!")`,
		`base64decode(filebase64("bin.dat"))`,
	)
}

// TestOversizedResultsAreErrorsNotAllocations: each expression would build gigabytes or
// billions of elements if evaluated naively; it must fail quickly instead.
func TestOversizedResultsAreErrorsNotAllocations(t *testing.T) {
	root, module := scanTree(t)
	big := strings.Repeat("x", 100_000)
	bigList := make([]cty.Value, 2_000)
	for i := range bigList {
		bigList[i] = cty.StringVal(big[:1000])
	}
	tpl := filepath.Join(module, "loops.tftpl")
	if err := os.WriteFile(tpl, []byte("%{for i in range(1000)}%{for j in range(1000)}x%{endfor}%{endfor}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(module, "repeat.tftpl"), []byte("%{for i in range(100)}-${big}%{endfor}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(module, "many.tftpl"), []byte(strings.Repeat("${big}", 20)), 0o644); err != nil {
		t.Fatal(err)
	}
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 0, "a"; i < 9; i++ {
		name := string(rune('b' + i))
		laughs += name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+", ", 10), ", ") + "]\n"
		prev = name
	}
	vars := map[string]cty.Value{
		"big":      cty.StringVal(big),
		"big_list": cty.ListVal(bigList),
		"laughs":   cty.StringVal(laughs),
	}
	opts := FuncOptions{Root: root}
	for _, e := range []string{
		`range(1000000)`,
		`range(0, 1, 0.0000001)`,
		`format("%0999999999d", 1)`,
		`format("%.999999999f", 1)`,
		`format("%s%s%s%s%s%s%s%s%s%s%s", big, big, big, big, big, big, big, big, big, big, big)`,
		`formatlist("%0100000d", range(1000))`,
		`formatlist("%s%s", big, range(1000))`,
		`join(",", big_list)`,
		`join(big, big_list)`,
		`indent(1000000000, "a\nb")`,
		`indent(100000, join("\n", range(1000)))`,
		`replace(big, "", big)`,
		`replace(big, "/x*?/", big)`,
		`replace(big, "x", big)`,
		`setproduct(range(1000), range(1000), range(1000))`,
		`templatefile("loops.tftpl", {})`,
		`templatefile("repeat.tftpl", {big = big})`,
		`templatefile("many.tftpl", {big = big})`,
		`yamldecode(laughs)`,
		`jsondecode("${join("", [for i in range(1000) : "[[[["])}")`,
		`split("", big)`,
		`length(regexall(".", "${big}${big}"))`,
	} {
		t.Run(e, func(t *testing.T) {
			expr, diags := hclsyntax.ParseExpression([]byte(e), "test.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: Functions(module, opts)})
			if !diags.HasErrors() {
				t.Errorf("%s succeeded with %d bytes, want an error", e, deepStrLen(got, 1<<40))
			}
		})
	}
}

// TestSmallBudgetsApply: the budgets come from the options, not from constants.
func TestSmallBudgetsApply(t *testing.T) {
	opts := FuncOptions{MaxStringLen: 10, MaxCollection: 5}
	dir := t.TempDir()
	wantError(t, dir, opts,
		`range(6)`,
		`concat([1, 2, 3], [4, 5, 6])`,
		`join("", ["aaaaaa", "bbbbbb"])`,
		`format("%11s", "a")`,
		`base64encode("0123456789")`,
		`jsonencode("0123456789")`,
	)
	runFuncCases(t, dir, opts, nil, []funcCase{
		{`length(range(5))`, cty.NumberIntVal(5)},
		{`join("", ["aaaaa", "bbbbb"])`, cty.StringVal("aaaaabbbbb")},
	})
}

// TestUnknownArgumentsGiveUnknownResults: a value the scan cannot know must not turn into a
// known one (or an error) by passing through a function.
func TestUnknownArgumentsGiveUnknownResults(t *testing.T) {
	root, module := scanTree(t)
	vars := map[string]cty.Value{
		"s":    cty.UnknownVal(cty.String),
		"n":    cty.UnknownVal(cty.Number),
		"l":    cty.UnknownVal(cty.List(cty.String)),
		"m":    cty.UnknownVal(cty.Map(cty.String)),
		"d":    cty.DynamicVal,
		"half": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
	}
	for _, e := range []string{
		`upper(s)`, `length(s)`, `length(l)`, `length(d)`, `lookup(m, "k", "x")`, `lookup(m, "k")`,
		`lookup({a = 1}, s, 2)`, `one(l)`, `sum(l)`, `index(half, "b")`, `index(l, "a")`,
		`alltrue([true, tobool(s)])`, `anytrue([false, tobool(s)])`, `replace(s, "a", "b")`,
		`replace("abc", s, "b")`, `join(",", half)`, `format("%s-%d", s, n)`, `formatlist("%s", l)`,
		`indent(n, "a\nb")`, `range(n)`, `setproduct(l, ["a"])`, `concat(l, ["a"])`, `merge(m, {a = "b"})`,
		`coalesce(s, "x")`, `startswith(s, "a")`, `strcontains("abc", s)`, `cidrsubnet(s, 8, 1)`,
		`file(s)`, `fileexists(s)`, `fileset(".", s)`, `filesha256(s)`, `jsondecode(s)`, `yamldecode(s)`,
		`base64decode(s)`, `sha256(s)`, `transpose(d)`, `matchkeys(l, l, ["a"])`, `tostring(d)`,
		`templatefile("user.tftpl", {users = l, team = "x"})`, `templatefile(s, {})`, `templatestring(s, {})`,
		`timecmp(s, "2020-01-01T00:00:00Z")`, `sensitive(s)`, `abspath(s)`,
	} {
		got, diags := evalFunc(t, module, FuncOptions{Root: root}, vars, e)
		if diags.HasErrors() {
			t.Errorf("%s: %s", e, diags)
			continue
		}
		if got.IsWhollyKnown() {
			t.Errorf("%s = %#v, want unknown", e, got)
		}
	}
	// A known element decides anytrue and alltrue whatever the unknown ones are.
	runFuncCases(t, module, FuncOptions{Root: root}, vars, []funcCase{
		{`anytrue([true, tobool(s)])`, cty.True},
		{`alltrue([false, tobool(s)])`, cty.False},
		{`length(half)`, cty.NumberIntVal(2)},
		{`index(half, "a")`, cty.UnknownVal(cty.Number)},
		{`try(upper(s), "fallback")`, cty.DynamicVal},
	})
}

// TestMarksSurviveFunctions: the evaluator marks values with where they came from; a value
// passed through a function must keep its marks so that findings can name the origin.
func TestMarksSurviveFunctions(t *testing.T) {
	root, module := scanTree(t)
	const mark = "origin"
	vars := map[string]cty.Value{
		"s":    cty.StringVal("Public-Read").Mark(mark),
		"m":    cty.MapVal(map[string]cty.Value{"acl": cty.StringVal("public-read")}).Mark(mark),
		"o":    cty.ObjectVal(map[string]cty.Value{"acl": cty.StringVal("public-read").Mark(mark)}),
		"l":    cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}).Mark(mark),
		"cidr": cty.StringVal("10.0.0.0/8").Mark(mark),
	}
	for _, e := range []string{
		`lower(s)`, `length(s)`, `length(l)`, `lookup(m, "acl", "private")`, `lookup(m, "x", "private")`,
		`lookup(o, "acl")`, `lookup(o, "acl", "private")`, `one(slice(l, 0, 1))`, `replace(s, "-", "_")`,
		`format("%s", s)`, `join(",", l)`, `index(l, "b")`, `element(l, 0)`, `coalesce(s, "x")`,
		`cidrsubnet(cidr, 8, 1)`, `sensitive(s)`, `tostring(s)`, `jsonencode({acl = s})`,
		`templatestring("$${acl}", {acl = s})`, `templatefile("user.tftpl", {users = l, team = "x"})`,
		`try(lower(s), "x")`, `startswith(s, "Public")`, `sum([length(s), 1])`, `alltrue([s != ""])`,
	} {
		got, diags := evalFunc(t, module, FuncOptions{Root: root}, vars, e)
		if diags.HasErrors() {
			t.Errorf("%s: %s", e, diags)
			continue
		}
		if !got.ContainsMarked() {
			t.Errorf("%s = %#v lost the mark", e, got)
		}
	}
}

// TestNoFunctionPanicsOnOddArguments calls every function with nulls, unknowns, marks,
// wrong types, empty and huge values. cty turns a panic inside a function into a
// PanicError, which would hide a bug as an ordinary failure; none may occur.
func TestNoFunctionPanicsOnOddArguments(t *testing.T) {
	root, module := scanTree(t)
	samples := []cty.Value{
		cty.NullVal(cty.DynamicPseudoType),
		cty.DynamicVal,
		cty.StringVal(""),
		cty.StringVal("a\nb").Mark("m"),
		cty.StringVal("10.0.0.0/8"),
		cty.StringVal("/(a)/"),
		cty.NumberIntVal(-1),
		cty.NumberFloatVal(1e300),
		cty.NumberFloatVal(0.5),
		cty.True,
		cty.EmptyTupleVal,
		cty.ListVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		cty.ListValEmpty(cty.Number),
		cty.MapVal(map[string]cty.Value{"k": cty.ListVal([]cty.Value{cty.StringVal("v")})}),
		cty.ObjectVal(map[string]cty.Value{"k": cty.NullVal(cty.String), "n": cty.NumberIntVal(3)}),
		cty.SetVal([]cty.Value{cty.True}),
		cty.UnknownVal(cty.Map(cty.String)),
		cty.ListVal([]cty.Value{cty.StringVal("1").Mark("m"), cty.StringVal("true")}),
		cty.SetVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		cty.TupleVal([]cty.Value{cty.NumberIntVal(1).Mark("m"), cty.NullVal(cty.Number)}),
	}
	funcs := Functions(module, FuncOptions{Root: root, MaxStringLen: 1 << 16, MaxCollection: 1000})
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		if !strings.HasPrefix(n, "core::") { // Aliases of the same functions.
			names = append(names, n)
		}
	}
	sort.Strings(names)
	call := func(name string, args []cty.Value) {
		_, err := funcs[name].Call(args)
		var pe function.PanicError
		if errors.As(err, &pe) {
			t.Errorf("%s%#v panicked: %v", name, args, pe)
		}
	}
	for _, name := range names {
		call(name, nil)
		for _, a := range samples {
			call(name, []cty.Value{a})
			for _, b := range samples {
				call(name, []cty.Value{a, b})
			}
		}
		for _, a := range samples[:8] {
			for _, b := range samples[:8] {
				for _, c := range samples[6:] {
					call(name, []cty.Value{a, b, c})
				}
			}
		}
	}
}

// TestPathModulePrefixedPathsResolveFromTheWorkingDirectory: the evaluator sets path.module
// to the module's path relative to the working directory, and configurations write
// file("${path.module}/x"); such paths must reach the same file as file("x") does.
func TestPathModulePrefixedPathsResolveFromTheWorkingDirectory(t *testing.T) {
	root, _ := scanTree(t)
	t.Chdir(filepath.Dir(root))
	rel := filepath.ToSlash(filepath.Join("repo", "modules", "web"))
	vars := map[string]cty.Value{"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(rel)})}
	runFuncCases(t, rel, FuncOptions{Root: "repo"}, vars, []funcCase{
		{`file("${path.module}/hello.txt")`, cty.StringVal("Hello World")},
		{`file("hello.txt")`, cty.StringVal("Hello World")},
		{`fileexists("${path.module}/hello.txt")`, cty.True},
		{`fileset(path.module, "files/*.txt")`, cty.SetVal(strs("files/a.txt", "files/b.txt"))},
		{`templatefile("${path.module}/user.tftpl", {users = ["ann"], team = "X"})`, cty.StringVal("user ann of x\n")},
		{`file("${path.module}/../../../secret.txt")`, cty.UnknownVal(cty.String)},
	})
}

// TestInvalidCallsAreErrors: calls Terraform rejects fail here too, instead of producing a
// value Terraform would never produce.
func TestInvalidCallsAreErrors(t *testing.T) {
	wantError(t, t.TempDir(), FuncOptions{},
		`lookup({a = 1}, "b")`,
		`index(["a", "b"], "c")`,
		`one(["a", "b"])`,
		`sum([])`,
		`element([], 0)`,
		`tonumber("x")`,
		`tobool("yes")`,
		`cidrsubnet("10.0.0.0/30", 4, 1)`,
		`cidrhost("10.0.0.0/30", 8)`,
		`regex("[a-z]+", "123")`,
		`replace("a", "/(/", "b")`,
		`jsondecode("{")`,
		`yamldecode("a: [")`,
		`timecmp("yesterday", "2020-01-01T00:00:00Z")`,
		`textencodebase64("x", "no-such-encoding")`,
		`merge({a = 1}, "b")`,
		`log(-1, 10)`,
		`pow(-8, 0.5)`,
		`matchkeys(["a"], ["k", "l"], ["k"])`,
		`transpose({a = [null]})`,
		`templatestring("$${x}", {})`,
		`uuidv5("bogus", "x")`,
		`indent(-1, "a")`,
	)
}
