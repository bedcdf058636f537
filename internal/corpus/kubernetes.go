package corpus

import (
	"fmt"
	"strings"
)

// kubernetes writes one multi-document manifest: a Deployment with its Service and
// ConfigMap, and sometimes an Ingress, a NetworkPolicy or RBAC objects.
func (w *writer) kubernetes(i int) {
	r := w.rng
	app := pick(r, "api", "web", "worker", "gateway", "cron", "indexer", "auth") + fmt.Sprint(i)
	ns := pick(r, "default", "payments", "search", "platform", "data")
	var docs []string

	hardened := w.chance(0.7)
	sc := `          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]`
	if !hardened {
		sc = `          securityContext:
            allowPrivilegeEscalation: true`
	}
	tag := pick(r, "1.4.2", "2.0.0", "3.1.7", "latest")
	var containers strings.Builder
	for c, n := 0, 1+r.IntN(3); c < n; c++ {
		fmt.Fprintf(&containers, `        - name: %s-%d
          image: registry.example.com/%s:%s
          ports:
            - containerPort: %d
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_HOST
              valueFrom:
                configMapKeyRef: {name: %s-config, key: db_host}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 512Mi}
%s
`, app, c, app, tag, 8080+c, app, sc)
	}
	docs = append(docs, fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
  namespace: %s
  labels: {app: %s, tier: backend}
spec:
  replicas: %d
  selector:
    matchLabels: {app: %s}
  template:
    metadata:
      labels: {app: %s, tier: backend}
    spec:
      automountServiceAccountToken: false
      serviceAccountName: %s
      containers:
%s`, app, ns, app, 1+r.IntN(5), app, app, app, strings.TrimRight(containers.String(), "\n")))

	svcType := pick(r, "ClusterIP", "ClusterIP", "ClusterIP", "NodePort", "LoadBalancer")
	docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
spec:
  type: %s
  selector: {app: %s}
  ports:
    - port: 80
      targetPort: 8080`, app, ns, svcType, app))

	docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: ConfigMap
metadata:
  name: %s-config
  namespace: %s
data:
  db_host: %s-db.%s.svc.cluster.local
  feature_flags: "search,checkout"`, app, ns, app, ns))

	if w.chance(0.5) {
		docs = append(docs, fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: %s
  namespace: %s
spec:
  podSelector:
    matchLabels: {app: %s}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels: {tier: frontend}`, app, ns, app))
	}
	if w.chance(0.4) {
		tls := ""
		if w.chance(0.7) {
			tls = fmt.Sprintf(`
  tls:
    - hosts: [%s.example.com]
      secretName: %s-tls`, app, app)
		}
		docs = append(docs, fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %s
  namespace: %s
spec:%s
  rules:
    - host: %s.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: %s
                port: {number: 80}`, app, ns, tls, app, app))
	}
	if w.chance(0.3) {
		verbs := `["get", "list", "watch"]`
		if w.chance(0.2) {
			verbs = `["*"]`
		}
		docs = append(docs, fmt.Sprintf(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: %s
  namespace: %s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: %s-reader
  namespace: %s
rules:
  - apiGroups: [""]
    resources: ["configmaps", "pods"]
    verbs: %s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: %s-reader
  namespace: %s
subjects:
  - kind: ServiceAccount
    name: %s
    namespace: %s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: %s-reader`, app, ns, app, ns, verbs, app, ns, app, ns, app))
	}
	w.write(fmt.Sprintf("kubernetes/%s/%s.yaml", ns, app), &w.stats.Kubernetes, "# "+app+" in "+ns+"\n"+strings.Join(docs, "\n---\n")+"\n")
}
