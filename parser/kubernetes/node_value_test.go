package kubernetes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// checkNodeValue asserts that, for every document of src, nodeValue either declines or
// gives exactly what decode gives, and returns how many documents it declined.
func checkNodeValue(t *testing.T, path string, src []byte) (declined int) {
	t.Helper()
	for _, d := range splitDocuments(path, src) {
		if d.blank() {
			continue
		}
		h, err := parseHead(d.src)
		if err != nil || h.root == nil {
			continue
		}
		want, err := decode(path, d.src)
		got, ok := nodeValue(h.root)
		if !ok {
			declined++
			continue
		}
		if err != nil {
			t.Errorf("%s:%d: decode failed (%v) but nodeValue read %#v", path, d.line, err, got)
			continue
		}
		if !got.RawEquals(want) {
			t.Errorf("%s:%d: nodeValue\n%#v\nwant\n%#v", path, d.line, got, want)
		}
	}
	return declined
}

func TestNodeValueEqualsDecodedValueForEveryFixture(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/kubernetes/*/*.yaml")
	yml, _ := filepath.Glob("../../fixtures/kubernetes/*/*.yml")
	files = append(files, yml...)
	if len(files) == 0 {
		t.Skip("no fixtures")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkNodeValue(t, f, src)
	}
}

func TestNodeValueDeclinesScalarsYAML11ReadsDifferently(t *testing.T) {
	for _, v := range []string{"yes", "No", "on", "OFF", "y", "0777", "1_000", "0x1f", "1.5", "2001-12-14",
		"+1", ".inf", "!!str 12", "12345678901234567890", "-0",
		"2001-12-14 21:59:43.10 -5", "1e3", "0b101", "1:20"} {
		src := "apiVersion: v1\nkind: ConfigMap\ndata:\n  k: " + v + "\n"
		if declined := checkNodeValue(t, "c.yaml", []byte(src)); declined != 1 {
			t.Errorf("value %q was converted directly; YAML 1.1 may read it differently", v)
		}
	}
	if declined := checkNodeValue(t, "k.yaml", []byte("apiVersion: v1\nkind: ConfigMap\ndata:\n  on: x\n")); declined != 1 {
		t.Error("key on was converted directly; YAML 1.1 reads it as true")
	}
	if declined := checkNodeValue(t, "m.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nbase: &b {x: 1}\ndata:\n  <<: *b\n")); declined != 1 {
		t.Error("a merge key was converted directly")
	}
}

func TestNodeValueConvertsOrdinaryManifests(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  paused: false
  template:
    spec:
      hostNetwork: null
      containers:
        - name: app
          image: "nginx:1.25"
          args: ['--port', "8080"]
          command:
            - sh
          env: []
          ports: [{containerPort: -1}, {containerPort: 0}]
          resources: {limits: {cpu: 500m, memory: 256Mi}}
          cidrs: [10.0.0.0/8, 1.2.3-rc1]
          script: |
            echo ünïcode
`
	if declined := checkNodeValue(t, "d.yaml", []byte(src)); declined != 0 {
		t.Error("an ordinary manifest was not converted directly")
	}
	if !strings.Contains(src, "ünïcode") {
		t.Fatal("test source lost its non-ASCII text")
	}
}

func TestYAML11WordIgnoresLetterCaseLikeToLower(t *testing.T) {
	for _, s := range []string{
		"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "on", "On", "ON", "off", "Off",
		"true", "True", "TRUE", "false", "FaLsE", "null", "Null", "NULL", "~",
		"", "ye", "yess", "TCP", "Deployment", "ClusterIP", "nul", "falsey", "o", "\u212a",
		"\u0130", "yé", "ＹＥＳ", "Ｎｏ", "nULL ", " no",
	} {
		want := false
		switch strings.ToLower(s) {
		case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~":
			want = true
		}
		if got := yaml11Word(s); got != want {
			t.Errorf("yaml11Word(%q) = %t, want %t", s, got, want)
		}
	}
}

func TestNodeValueIntegersEqualParsedNumbers(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "8080", "-42", "999999999999999999", "-999999999999999999", "123456789012345678"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("n: "+s), &doc); err != nil {
			t.Fatal(err)
		}
		got, ok := nodeValue(doc.Content[0].Content[1])
		want := cty.MustParseNumberVal(s)
		if !ok || !got.RawEquals(want) {
			t.Fatalf("%s: got %#v, want %#v", s, got, want)
		}
		g, w := got.AsBigFloat(), want.AsBigFloat()
		if g.Prec() != w.Prec() || g.Mode() != w.Mode() || g.Acc() != w.Acc() || g.Text('g', -1) != w.Text('g', -1) || g.Text('f', -1) != w.Text('f', -1) {
			t.Errorf("%s: got %v (prec %d, %v), want %v (prec %d, %v)", s, g, g.Prec(), g.Mode(), w, w.Prec(), w.Mode())
		}
	}
}
