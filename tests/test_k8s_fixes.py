"""Kubernetes manifests with kustomize (cmdai.k8s_project.k8s_fact, cmdai.k8s_fixes; the
fifty-third by-hand round). No cluster is here: kubectl's cluster commands are checked as text;
``kubectl kustomize`` and the reads of the manifests run for real where kubectl is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.k8s_fixes import overlay
from cmdai.k8s_project import k8s_fact, parse_manifests, read_manifests

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/shop-web:1.4.2
          ports:
            - containerPort: 8000
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: shop-web
spec:
  ports:
    - port: 80
      targetPort: 8000
"""
SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: shop-secrets
data:
  DB_PASSWORD: aHVudGVyMg==
"""
BASE = "resources:\n  - deployment.yaml\n  - service.yaml\n  - secret.yaml\n"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "k8s/base/deployment.yaml": DEPLOYMENT,
            "k8s/base/service.yaml": SERVICE,
            "k8s/base/secret.yaml": SECRET,
            "k8s/base/kustomization.yaml": BASE,
            "k8s/overlays/staging/kustomization.yaml": "namespace: shop-staging\n"
            "resources:\n  - ../../base\n",
            "k8s/overlays/production/kustomization.yaml": "namespace: shop-prod\n"
            "resources:\n  - ../../base\nreplicas:\n  - name: shop-web\n    count: 4\n",
            "app.py": "print('hi')\n",
        },
    )


def test_the_facts_show_each_file_s_objects_and_each_kustomization(app: Path) -> None:
    label, text = k8s_fact("restart the shop-web deployment in production", app) or ("", "")
    assert label == "k8s/"
    assert "k8s/base/deployment.yaml: Deployment shop-web (2 replicas; image " in text
    assert "container port 8000" in text
    assert "Service shop-web (port 80 -> 8000)" in text
    assert "Secret shop-secrets (keys DB_PASSWORD)" in text  # the keys, never the values
    assert "aHVudGVyMg" not in text
    assert (
        "k8s/overlays/production/kustomization.yaml (kustomize; namespace: shop-prod; "
        "resources ../../base; replicas shop-web 4)" in text
    )


def test_the_facts_need_a_word_of_kubernetes_or_a_name_of_theirs(app: Path) -> None:
    assert k8s_fact("show the recent events in shop-staging", app) is not None  # a namespace
    assert k8s_fact("how big is shop-web", app) is not None  # an object's name
    for request in ("count the lines of app.py", "show the disk usage", "list the files"):
        assert k8s_fact(request, app) is None, request
    assert k8s_fact("list the pods", app.parent / "nowhere") is None


def test_only_the_conventional_folders_and_the_top_are_read(tmp_path: Path) -> None:
    write_files(tmp_path, {"docs/deployment.yaml": DEPLOYMENT, "notes.yaml": "a: 1\n"})
    assert read_manifests(tmp_path) is None  # docs/ is no manifests folder; notes.yaml no object
    write_files(tmp_path, {"pod.yaml": DEPLOYMENT})
    found = read_manifests(tmp_path)
    assert found is not None
    assert [o.file for o in found.objects] == ["pod.yaml"]
    assert k8s_fact("scale the deployment", tmp_path) == (
        "pod.yaml",
        "Kubernetes manifests: pod.yaml: Deployment shop-web (2 replicas; image "
        "registry.example.com/shop-web:1.4.2; container port 8000)",
    )


def test_broken_yaml_and_odd_documents_are_skipped() -> None:
    texts = {
        "k8s/a.yaml": "apiVersion: v1\nkind: [unclosed\n",
        "k8s/b.yaml": "apiVersion: v1\n---\n- a list\n---\nkind: ConfigMap\nmetadata: {}\n",
        "k8s/c.yaml": "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n"
        "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
        "            - image: busybox:1.36\n",
    }
    found = parse_manifests(sorted(texts), texts.get)
    assert found is not None
    assert [(o.kind, o.name, o.images) for o in found.objects] == [
        ("CronJob", "nightly", ("busybox:1.36",))
    ]


def test_an_overlay_is_named_by_its_folder_a_synonym_or_its_namespace(app: Path) -> None:
    found = read_manifests(app)
    assert found is not None
    for request, folder in (
        ("restart it in production", "k8s/overlays/production"),
        ("restart it in prod", "k8s/overlays/production"),
        ("list the pods in shop-staging", "k8s/overlays/staging"),
        ("restart it in staging or production", None),
        ("change the base", None),  # the base is no environment
    ):
        named = overlay(request, found)
        assert (named.folder if named else None) == folder, request
    named = overlay("render the base", found, tops=False)
    assert named is not None
    assert named.folder == "k8s/base"


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        (
            "kubectl apply -k k8s/overlays/production",
            "show what the production overlay renders to",
            "kubectl kustomize k8s/overlays/production",
        ),
        (
            "kubectl apply -k k8s/overlays/production",
            "show what would change in the cluster if I applied the production overlay",
            "kubectl diff -k k8s/overlays/production",
        ),
        (
            "kubectl apply -f k8s/overlays/production/kustomization.yaml",
            "restart the shop-web deployment in production",
            "kubectl rollout restart deployment/shop-web -n shop-prod",
        ),
        (
            "kubectl apply -f k8s/overlays/production/kustomization.yaml",
            "scale shop-web to 6 replicas in production",
            "kubectl scale deployment/shop-web --replicas=6 -n shop-prod",
        ),
        (
            "kubectl logs -n shop-staging -l app=shop-web",
            "follow the logs of the shop-web deployment in staging",
            "kubectl logs -f deployment/shop-web -n shop-staging",
        ),
        (
            "kubectl port-forward svc/shop-web -p 8080:8000 -n shop-staging",
            "forward local port 8080 to the shop-web service in staging",
            "kubectl port-forward service/shop-web 8080:80 -n shop-staging",
        ),
        (
            "kubectl exec -it shop-web-0 -n shop-staging -- /bin/bash",
            "open a shell in a shop-web pod in staging",
            "kubectl exec -it deployment/shop-web -n shop-staging -- sh",
        ),
        (
            "kubectl rollout status shop-web -n shop-prod --watch",
            "watch the rollout of shop-web in production until it finishes",
            "kubectl rollout status deployment/shop-web -n shop-prod",
        ),
        (
            "kubectl apply -f k8s/overlays/staging/kustomization.yaml",
            "roll back the shop-web deployment in production to the previous version",
            "kubectl rollout undo deployment/shop-web -n shop-prod",
        ),
        (
            "kubectl delete -f k8s/overlays/staging/kustomization.yaml",
            "delete everything the staging overlay created",
            "kubectl delete -k k8s/overlays/staging",
        ),
        (
            "kubectl get deployment shop-web -o jsonpath='{.spec.template.spec.containers[0]}'",
            "what image does the shop-web deployment run",
            "grep -n 'image:' k8s/base/deployment.yaml",
        ),
        (
            "kubectl get deployment shop-web -o name",
            "what image does the shop-web deployment run in production",
            "kubectl get deployment/shop-web -n shop-prod "
            "-o jsonpath='{.spec.template.spec.containers[*].image}'",
        ),
        # already right, or another task: left alone
        ("kubectl apply -k k8s/overlays/staging", "apply the staging overlay to the cluster", None),
        ("kubectl get pods -n shop-staging", "list the pods in the shop-staging namespace", None),
        ("kubectl get events -n shop-staging", "show the recent events in shop-staging", None),
        (
            "kubectl rollout restart deploy/shop-web --namespace=shop-prod",
            "restart the shop-web deployment in production",
            None,
        ),
        ("helm upgrade shop ./chart", "restart the shop-web deployment in production", None),
        ("sudo systemctl restart shop-web", "restart the shop-web deployment in production", None),
    ],
)
def test_kubectl_s_own_way_for_the_task_asked(
    app: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, app) == expected


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_the_renders_run_without_a_cluster(app: Path) -> None:
    check = fixed(
        "kubectl kustomize validate k8s/overlays/production/kustomization.yaml",
        "check the manifests are valid without touching the cluster",
        app,
    )
    assert check == (
        'for d in k8s/overlays/production k8s/overlays/staging; do kubectl kustomize "$d" '
        '> /dev/null && echo "$d: ok"; done'
    )
    assert run_bash(check, app).stdout.splitlines() == [
        "k8s/overlays/production: ok",
        "k8s/overlays/staging: ok",
    ]
    kinds = fixed("ls -lR", "list every kind of resource the base defines", app)
    assert kinds == "kubectl kustomize k8s/base | grep '^kind:' | sort | uniq -c"
    assert run_bash(kinds, app).stdout.split() == [
        "1",
        "kind:",
        "Deployment",
        "1",
        "kind:",
        "Secret",
        "1",
        "kind:",
        "Service",
    ]


def test_questions_about_the_files_are_read_from_them(app: Path) -> None:
    decode = fixed(
        "kubectl get secret shop-secrets -o jsonpath='{.data.DB_PASSWORD}' | base64 -d",
        "decode the database password in the base secret",
        app,
    )
    assert decode == "awk '$1 == \"DB_PASSWORD:\" {print $2}' k8s/base/secret.yaml | base64 -d"
    assert run_bash(decode, app).stdout == "hunter2"
    port = fixed(
        "kubectl get svc shop-web -o jsonpath='{.spec.ports[0].targetPort}'",
        "which port does the shop-web service forward to",
        app,
    )
    assert port == "grep -E 'port:|targetPort:' k8s/base/service.yaml"
    assert run_bash(port, app).stdout.split() == ["-", "port:", "80", "targetPort:", "8000"]
    namespace = fixed(
        "grep -r shop k8s", "which namespace does the production overlay deploy to", app
    )
    assert namespace == "grep '^namespace:' k8s/overlays/production/kustomization.yaml"
    assert run_bash(namespace, app).stdout == "namespace: shop-prod\n"


def test_the_replicas_are_changed_in_the_file_when_the_request_speaks_of_it(
    app: Path,
) -> None:
    edit = fixed(
        'kubectl edit deployment shop-web -n shop-prod --patch \'{"spec":{"replicas":3}}\'',
        "change the replicas in the base deployment to 3",
        app,
    )
    assert edit == "sed -i 's/^  replicas: 2$/  replicas: 3/' k8s/base/deployment.yaml"
    run_bash(edit, app)
    assert "  replicas: 3\n" in (app / "k8s/base/deployment.yaml").read_text()
    # two replicas lines in the file (a second deployment in it): which one is meant is unsure
    second = DEPLOYMENT.replace("shop-web", "shop-worker")
    (app / "k8s/base/deployment.yaml").write_text(DEPLOYMENT + "---\n" + second)
    asked = "set the replicas of shop-web in the base deployment to 3"
    assert fixed("kubectl scale deploy/shop-web --replicas=3", asked, app) is None


def test_no_manifests_no_fix(tmp_path: Path) -> None:
    write_files(tmp_path, {"app.py": "print('hi')\n"})
    assert (
        fixed("kubectl apply -f k8s", "restart the shop-web deployment in production", tmp_path)
        is None
    )
