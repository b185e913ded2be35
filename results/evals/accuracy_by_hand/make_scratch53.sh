#!/bin/sh
# The fifty-third by-hand round's scratch folder: an app's Kubernetes manifests, a base and two
# kustomize overlays (no cluster here; kubectl renders kustomizations without one).
set -e
d=${1:-/tmp/scratch53}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p k8s/base k8s/overlays/staging k8s/overlays/production
cat > k8s/base/deployment.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  labels:
    app: shop-web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop-web
  template:
    metadata:
      labels:
        app: shop-web
    spec:
      containers:
        - name: web
          image: registry.example.com/shop-web:1.4.2
          ports:
            - containerPort: 8000
          envFrom:
            - configMapRef:
                name: shop-config
            - secretRef:
                name: shop-secrets
YAML
cat > k8s/base/service.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: shop-web
spec:
  selector:
    app: shop-web
  ports:
    - port: 80
      targetPort: 8000
YAML
cat > k8s/base/configmap.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  LOG_LEVEL: info
  CURRENCY: EUR
YAML
cat > k8s/base/secret.yaml <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: shop-secrets
type: Opaque
data:
  DB_PASSWORD: aHVudGVyMg==
YAML
cat > k8s/base/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
  - configmap.yaml
  - secret.yaml
YAML
cat > k8s/overlays/staging/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-staging
resources:
  - ../../base
YAML
cat > k8s/overlays/production/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-prod
resources:
  - ../../base
replicas:
  - name: shop-web
    count: 4
images:
  - name: registry.example.com/shop-web
    newTag: 1.4.2
YAML
printf 'from flask import Flask\n\nserver = Flask(__name__)\n' > app.py
