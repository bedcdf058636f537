package kubernetes

import "testing"

func TestPlainObjectHeaderAgreesWithParsingTheDocument(t *testing.T) {
	for _, src := range []string{
		"apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
		"apiVersion: apps/v1 # comment\nkind: Deployment\r\n",
		"kind: Service\nspec: {}\napiVersion: v1\n",
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
		"apiVersion: v1\nkind: true\n",
		"apiVersion: v1\nkind: 12\n",
		"apiVersion: v1\nkind: Pod\nkind: Service\n",
		"apiVersion: v1\nkind: \"Pod\"\n",
		"apiVersion: v1\nkind: {{ .Values.kind }}\n",
		"data: |\n  apiVersion: v1\n  kind: Pod\n",
		"apiVersion: v1\n",
	} {
		if !plainObjectHeader([]byte(src)) {
			continue
		}
		h, err := parseHead([]byte(src))
		if err != nil || !h.isObject() || h.isKustomize() {
			t.Errorf("%q: the text says object, parsing says not (%v)", src, err)
		}
	}
	if !plainObjectHeader([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")) {
		t.Error("an ordinary manifest was not recognised from its text")
	}
}
