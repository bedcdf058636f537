package aws

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/parser/graph"
)

func onlyStatement(t *testing.T, doc string) Statement {
	t.Helper()
	stmts, err := ParsePolicyJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 1 {
		t.Fatalf("got %d statements, want 1", len(stmts))
	}
	return stmts[0]
}

func TestPolicyStatementPublicity(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{"principal star string", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}]}`, true},
		{"principal AWS star", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*"}]}`, true},
		{"principal list containing star", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:GetObject"}]}`, true},
		{"single statement object", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}`, true},
		{"not principal allow", `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject"}]}`, true},
		{"deny insecure transport", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, false},
		{"secure transport does not restrict the caller", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"Bool":{"aws:SecureTransport":true}}}]}`, true},
		{"source vpce restricts", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`, false},
		{"condition keys are case-insensitive", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEquals":{"AWS:PRINCIPALORGID":"o-abc123"}}}]}`, false},
		{"wildcard value does not restrict", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringLike":{"aws:SourceVpce":"*"}}}]}`, true},
		{"IfExists does not restrict", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}}]}`, true},
		{"negated operator does not restrict", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, true},
		{"open CIDR does not restrict", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":["0.0.0.0/0"]}}}]}`, true},
		{"specific CIDR restricts", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}}]}`, false},
		{"ARN with account wildcard does not restrict", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::*:distribution/*"}}}]}`, true},
		{"ARN with resource wildcard restricts", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}}]}`, false},
		{"service principal is not public", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject"}]}`, false},
		{"effect spelled differently is not an allow", `{"Statement":[{"Effect":"allow","Principal":"*","Action":"s3:GetObject"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, und := onlyStatement(t, tt.doc).Public()
			if got != tt.want || len(und) != 0 {
				t.Errorf("Public() = %v, %v; want %v, none", got, und, tt.want)
			}
		})
	}
}

func TestPolicyJSONThatIsEmptyHasNoStatements(t *testing.T) {
	for _, doc := range []string{"", "  ", `{"Version":"2012-10-17"}`} {
		stmts, err := ParsePolicyJSON(doc)
		if err != nil || len(stmts) != 0 {
			t.Errorf("ParsePolicyJSON(%q) = %v, %v; want no statements", doc, stmts, err)
		}
	}
}

func TestPolicyJSONThatIsInvalidIsAnError(t *testing.T) {
	if _, err := ParsePolicyJSON(`{"Statement": [`); err == nil {
		t.Error("want an error")
	}
	if _, err := ParsePolicyJSON(`{"Statement": "x"}`); err == nil {
		t.Error("want an error for a statement that is a string")
	}
}

func TestStatementDescribeUsesSidOrPosition(t *testing.T) {
	if got := (Statement{Sid: "Public"}).Describe(); got != `statement "Public"` {
		t.Errorf("got %s", got)
	}
	if got := (Statement{Index: 1}).Describe(); got != "statement 2" {
		t.Errorf("got %s", got)
	}
	s := Statement{Actions: []string{"a", "b", "c", "d", "e"}}
	if got := s.ActionSummary(); got != "a, b, c and 2 more" {
		t.Errorf("got %s", got)
	}
}

func TestCallerLimitTextNamesConditionsThatDoNotLimitTheCaller(t *testing.T) {
	const head = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"`
	tests := []struct {
		name, cond, want string
	}{
		{"no condition", ``, "with no condition that limits the caller"},
		{"open CIDR", `,"Condition":{"IpAddress":{"aws:SourceIp":["0.0.0.0/0"]}}`,
			`with a condition that does not limit the caller (IpAddress aws:SourceIp "0.0.0.0/0")`},
		{"wildcard organization", `,"Condition":{"StringLike":{"aws:PrincipalOrgID":"*"}}`,
			`with a condition that does not limit the caller (StringLike aws:PrincipalOrgID "*")`},
		{"transport", `,"Condition":{"Bool":{"aws:SecureTransport":true}}`,
			`with a condition that does not limit the caller (Bool aws:SecureTransport "true")`},
		{"two conditions", `,"Condition":{"StringLike":{"aws:Referer":["https://a.example/*","https://b.example/*"]},"Bool":{"aws:SecureTransport":"true"}}`,
			`with conditions that do not limit the caller (Bool aws:SecureTransport "true"; StringLike aws:Referer "https://a.example/*", "https://b.example/*")`},
		{"many values", `,"Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","172.16.0.0/12","192.168.0.0/16","100.64.0.0/10"]}}`,
			`with a condition that does not limit the caller (NotIpAddress aws:SourceIp "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", and 1 more)`},
		{"many conditions", `,"Condition":{"Bool":{"aws:SecureTransport":"true"},"StringLike":{"aws:Referer":"x","aws:UserAgent":"*"},"NumericLessThan":{"s3:max-keys":"10"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`,
			`with conditions that do not limit the caller (Bool aws:SecureTransport "true"; DateGreaterThan aws:CurrentTime "2020-01-01T00:00:00Z"; NumericLessThan s3:max-keys "10"; and 2 more)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := onlyStatement(t, head+tt.cond+`}]}`)
			if pub, _ := s.Public(); !pub {
				t.Fatalf("statement is not public: %+v", s)
			}
			if got := s.CallerLimitText(); got != tt.want {
				t.Errorf("CallerLimitText() =\n %s\nwant\n %s", got, tt.want)
			}
		})
	}
	// A value known only at deployment is counted rather than shown.
	s := Statement{Conditions: []Condition{{Operator: "StringEquals", Key: "aws:Referer", Opaque: 2}}}
	if got, want := s.CallerLimitText(), `with a condition that does not limit the caller (StringEquals aws:Referer 2 values known at deployment)`; got != want {
		t.Errorf("CallerLimitText() = %s, want %s", got, want)
	}
}

func TestPublicPolicyMessageNamesTheConditionThatDoesNotLimitTheCaller(t *testing.T) {
	const doc = `{"Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"s3:GetObject",` +
		`"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}`
	b := bucketWith(nil)
	pol := companion(tfBucketPolicy, "b", b, map[string]cty.Value{"policy": str(doc)})
	p := run(s3PublicPolicy, b, pol)
	expectList(t, "findings", findingsAt(p), "aws_s3_bucket_policy.b policy")
	want := `policy statement "Open" allows s3:GetObject to any principal ("*") with a condition that ` +
		`does not limit the caller (IpAddress aws:SourceIp "0.0.0.0/0"), so anyone on the internet can use it`
	if got := p.Findings()[0].Message; got != want {
		t.Errorf("message\n %s\nwant\n %s", got, want)
	}
}

func TestDataSourceReasonNamingTheAttributeReadNamesTheDataSource(t *testing.T) {
	// The parser may name the attribute read from a data source
	// ("data.T.N.json is read at apply time"); it is the same data source.
	typ, ref, ok := referenceIn("data.aws_iam_policy_document.deny.json is read at apply time")
	if typ != "aws_iam_policy_document" || ref != "data.aws_iam_policy_document.deny" || !ok {
		t.Errorf("referenceIn = %q, %q, %v", typ, ref, ok)
	}
	if _, _, ok := referenceIn("data.aws_iam_policy_document.deny.json.x is read at apply time"); ok {
		t.Error("a reason with a nested attribute path is not read")
	}

	// A document that was read explains its reason in either form.
	b := bucketWith(nil)
	private := policyDoc("private", map[string]cty.Value{
		"actions":    strs("s3:GetObject"),
		"principals": blocks(map[string]cty.Value{"type": str("AWS"), "identifiers": strs("arn:aws:iam::111122223333:root")}),
	})
	d := combinedDoc("data.aws_iam_policy_document.deny_insecure_transport.json is read at apply time",
		"data.aws_iam_policy_document.private.json is read at apply time")
	d.AddRef(private.Address, graph.P("source_policy_documents"))
	p := run(s3PublicPolicy, b, private, d, policyFromDoc(b, d))
	expectList(t, "findings", findingsAt(p))
	expectList(t, "undecided", undecidedAt(p))
}

func TestPolicyDocumentExactMatchOnUnknownValueRestricts(t *testing.T) {
	docWith := func(op string, values cty.Value) (*graph.Resource, *graph.Resource, *graph.Resource) {
		b := bucketWith(nil)
		d := policyDoc("p", map[string]cty.Value{
			"actions":    strs("s3:GetObject"),
			"principals": blocks(map[string]cty.Value{"type": str("AWS"), "identifiers": strs("*")}),
			"condition":  blocks(map[string]cty.Value{"test": str(op), "variable": str("aws:SourceVpce"), "values": values}),
		})
		return b, d, policyFromDoc(b, d)
	}
	oneUnknown := cty.TupleVal([]cty.Value{cty.UnknownVal(cty.String)})
	// StringEquals has no wildcards: whatever the endpoint is, only it matches.
	b, d, pol := docWith("StringEquals", oneUnknown)
	p := run(s3PublicPolicy, b, d, pol)
	expectList(t, "StringEquals findings", findingsAt(p))
	expectList(t, "StringEquals undecided", undecidedAt(p))
	// StringLike may be given "*"; an unknown list may be empty.
	cond := "data.aws_iam_policy_document.p statement[0].condition[0]"
	for name, c := range map[string]struct {
		op     string
		values cty.Value
	}{
		"StringLike":   {"StringLike", oneUnknown},
		"unknown list": {"StringEquals", cty.UnknownVal(cty.List(cty.String))},
	} {
		b, d, pol := docWith(c.op, c.values)
		p := run(s3PublicPolicy, b, d, pol)
		expectList(t, name+" findings", findingsAt(p))
		expectList(t, name+" undecided", undecidedAt(p), cond)
	}
}
