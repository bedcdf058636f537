package aws

import "testing"

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
