"""Sure fixes from the fifty-third by-hand round: an app's Kubernetes manifests, with kustomize.

Shown the manifests (``cmdai.k8s_project.k8s_fact``), the model wrote ``kubectl`` commands,
many for another task: ``kubectl apply -k`` for "show what the production overlay renders to"
and for "show what would change if I applied it" (both change the cluster), ``kubectl apply``
again for "restart", "scale" and "roll back" the deployment, ``kubectl delete -f
overlay/kustomization.yaml`` (a kustomization is no object: ``-k``), ``kubectl rollout status
shop-web`` (no kind), a made-up pod name to open a shell in, a port forwarded to the
container's port where a service takes its own, and the live cluster's default namespace
asked what the manifests say ("what image does the shop-web deployment run").

Where the folder holds manifests and the request asks for one of these everyday tasks that the
draft does not do, the draft is replaced by kubectl's own form of it, in the namespace of the
overlay the request names ("in production": the ``namespace:`` of
``overlays/production/kustomization.yaml``), and questions about what the manifests say are
read from them. ``k8s_fix`` returns the fixed command with a ``fixed here:`` note, or None;
it is called (through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.k8s_project import K8sObject, Kustomization, Manifests, manifest_names, parse_manifests
from cmdai.project_files import Done, environment_names, holds, joined, request_words, runs_only

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: kubectl's own way for these manifests"
_REPLACEABLE = frozenset(
    "kubectl kustomize grep egrep ls cat find awk sed yq head tail base64 echo watch".split()  # noqa: SIM905
)
"""The programs of a draft these fixes may replace: kubectl's and readers of files. Anything
else (``helm``, ``docker``, ``systemctl``) is another tool, left alone."""


def k8s_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no manifest is here)."""
    names = manifest_names([*here.expand("*.y*ml"), *here.below("*.yaml"), *here.below("*.yml")])
    if not names or not runs_only(command, _REPLACEABLE):
        return None
    found = parse_manifests(names, joined(here.lines))
    if found is None:
        return None
    task = _task(request, found, here)
    if task is not None:
        fixed, done = task
        return None if done(command) else (fixed, _NOTE)
    return _kustomize_option_fix(command, found)


def overlay(request: str, found: Manifests, tops: bool = True) -> Kustomization | None:
    """The kustomization the request names by its folder's last part or its namespace.

    "in production" names ``overlays/production`` (or ``overlays/prod``); "shop-staging" the
    one whose namespace it is. With ``tops``, only those no other one builds on (the
    environments, not their base). None: none, or more than one.
    """
    words = request_words(request)
    named = []
    used = _used(found)
    for k in found.kustomizations:
        if tops and (k.folder or ".") in used:
            continue
        aliases = environment_names(k.folder.rsplit("/", 1)[-1]) | ({k.namespace.lower()} - {""})
        if aliases & words:
            named.append(k)
    return named[0] if len(named) == 1 else None


def _object(request: str, found: Manifests, kind: str) -> K8sObject | None:
    """The one object of ``kind`` the request names, or the only one where it says the kind.

    "the shop-web service", or "the service" where the manifests hold one (None: neither).
    """
    of_kind = found.named(kind)
    words = request_words(request)
    named = [o for o in of_kind if o.name.lower() in words]
    if len(named) == 1:
        return named[0]
    said = re.search(rf"\b{kind}s?\b", request, re.I)
    return of_kind[0] if len(of_kind) == 1 and not named and said else None


def _ns(target: Kustomization | None) -> str:
    return f" -n {target.namespace}" if target is not None and target.namespace else ""


def _task(request: str, found: Manifests, here: Here) -> tuple[str, Done] | None:
    """The command for the task the request asks for, and a test a draft doing it passes."""
    target = overlay(request, found)
    deployment = _object(request, found, "Deployment")
    ns = _ns(target)
    need_ns = (
        rf"(?:-n|--namespace)[= ]{re.escape(target.namespace)}\b"
        if target is not None and target.namespace
        else ""
    )
    live = [need_ns] if need_ns else []
    named = overlay(request, found, tops=False)
    if named is not None and re.search(r"\brenders?\b|\brendered\b", request, re.I):
        folder = named.folder or "."
        return f"kubectl kustomize {folder}", holds(
            rf"\b(?:kubectl\s+kustomize|kustomize\s+build)\s+{re.escape(folder)}"
        )
    if named is not None and re.search(
        r"\bwhat\s+would\s+change\b|\bif\s+I\s+appl(?:y|ied)\b|\bdiff\b", request, re.I
    ):
        return f"kubectl diff -k {named.folder or '.'}", holds(r"\bkubectl\s+diff\b")
    if re.search(r"\bvalid(?:ate)?\b", request, re.I) and re.search(
        r"\bwithout\s+(?:touching|applying|a|the|any)\b|\boffline\b", request, re.I
    ):
        return _validate(found)
    if deployment is not None:
        task = _deployment_task(request, found, deployment, target, here)
        if task is not None:
            command, patterns = task
            return command, holds(*patterns, *live)
    service = _object(request, found, "Service")
    forward = re.search(r"\b(?:forward|port-forward)\w*\b.*?\bport\s+(\d+)\b", request, re.I)
    pod = re.search(r"\bpods?\b", request, re.I)
    by_name = service is not None and service.name.lower() in request_words(request)
    if service is not None and forward is not None and service.ports and by_name and not pod:
        port = service.ports[0].split()[0]
        return f"kubectl port-forward service/{service.name} {forward[1]}:{port}{ns}", holds(
            rf"\bport-forward\s+(?:.*\s)?(?:svc|service)/{re.escape(service.name)}\b",
            rf"\s{forward[1]}:{port}\b",
            *live,
        )
    return _read_task(request, found, target, service)


def _deployment_task(
    request: str,
    found: Manifests,
    deployment: K8sObject,
    target: Kustomization | None,
    here: Here,
) -> tuple[str, list[str]] | None:
    """A task on one Deployment: in the cluster (an overlay's namespace) or in its file."""
    name, ns = deployment.name, _ns(target)
    ref = f"deployment/{name}"
    kind = rf"(?:deploy(?:ment)?s?[/ ]){re.escape(name)}\b"
    replicas = re.search(r"\breplicas\b.*?\bto\s+(\d+)\b|\bto\s+(\d+)\s+replicas\b", request, re.I)
    in_file = target is None and re.search(r"\b(?:base|manifests?|file|yaml)\b", request, re.I)
    if replicas is not None and in_file and re.search(r"\b(?:change|set)\b", request, re.I):
        count = replicas[1] or replicas[2]
        lines = [
            line for line in (here.lines(deployment.file) or []) if re.match(r"\s*replicas:", line)
        ]
        if len(lines) != 1:
            return None
        old = lines[0]
        new = re.sub(r"\d+", count, old)
        return (
            f"sed -i {shlex.quote(f's/^{old}$/{new}/')} {deployment.file}",
            [rf"{re.escape(deployment.file)}", rf"replicas:\s*{count}\b|replicas\s*=\s*{count}\b"],
        )
    if target is None and not re.search(r"\b(?:cluster|running|live)\b", request, re.I):
        if re.search(r"\b(?:what|which)\s+images?\b", request, re.I) and deployment.images:
            return f"grep -n 'image:' {deployment.file}", [re.escape(deployment.file)]
        return None
    if replicas is not None and re.search(r"\bscale\b", request, re.I):
        count = replicas[1] or replicas[2]
        return f"kubectl scale {ref} --replicas={count}{ns}", [
            rf"\bkubectl\s+scale\s+(?:.*\s)?{kind}",
            rf"--replicas[= ]{count}\b",
        ]
    if re.search(r"\broll\s*(?:it\s+)?back\b|\bundo\b", request, re.I):
        return f"kubectl rollout undo {ref}{ns}", [rf"\brollout\s+undo\s+(?:.*\s)?{kind}"]
    if re.search(r"\brollout\b", request, re.I) and re.search(
        r"\b(?:watch|status|finish\w*|until|done|complete\w*)\b", request, re.I
    ):
        return f"kubectl rollout status {ref}{ns}", [rf"\brollout\s+status\s+(?:.*\s)?{kind}"]
    if re.search(r"\brestart\b", request, re.I):
        return f"kubectl rollout restart {ref}{ns}", [rf"\brollout\s+restart\s+(?:.*\s)?{kind}"]
    if re.search(r"\blogs?\b", request, re.I):
        follow = re.search(r"\b(?:follow\w*|keep\s+\w+ing|stream\w*|tail)\b", request, re.I)
        patterns = [rf"\bkubectl\s+logs\s+(?:.*\s)?{kind}"]
        if follow:
            patterns.append(r"\s(?:-f|--follow)\b")
        return f"kubectl logs {'-f ' if follow else ''}{ref}{ns}", patterns
    if re.search(r"\bshell\b", request, re.I):
        return f"kubectl exec -it {ref}{ns} -- sh", [rf"\bkubectl\s+exec\s+(?:.*\s)?{kind}"]
    if re.search(r"\b(?:what|which)\s+images?\b", request, re.I):
        path = "{.spec.template.spec.containers[*].image}"
        command = f"kubectl get {ref}{ns} -o jsonpath='{path}'"
        return command, [rf"\bkubectl\s+get\s+(?:.*\s)?{kind}"]
    return None


def _used(found: Manifests) -> set[str]:
    """The folders of kustomizations another one builds on (``k8s/base``)."""
    return {
        _join(k.folder, r) for k in found.kustomizations for r in k.resources if "." not in r[-5:]
    }


def _validate(found: Manifests) -> tuple[str, Done] | None:
    """Each kustomization no other one builds on, rendered without a cluster."""
    used = _used(found)
    tops = [k.folder or "." for k in found.kustomizations if (k.folder or ".") not in used]
    if not tops:
        return None
    loop = f'for d in {" ".join(tops)}; do kubectl kustomize "$d" > /dev/null'
    loop += ' && echo "$d: ok"; done'
    renders = [
        re.compile(rf"\b(?:kubectl\s+kustomize|kustomize\s+build)\s+{re.escape(t)}/?(?:[\s;|&]|$)")
        for t in tops
    ]

    def done(draft: str) -> bool:  # every environment rendered, or a schema validator run
        found = all(r.search(draft) for r in renders)
        return found or bool(re.search(r"\b(?:kubeconform|kubeval)\b", draft))

    return loop, done


def _join(folder: str, resource: str) -> str:
    """``k8s/overlays/staging`` + ``../../base`` = ``k8s/base``."""
    parts = [p for p in folder.split("/") if p]
    for part in resource.rstrip("/").split("/"):
        if part == "..":
            if not parts:
                return resource
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) or "."


def _read_task(
    request: str, found: Manifests, target: Kustomization | None, service: K8sObject | None
) -> tuple[str, Done] | None:
    """Questions about what the manifests say, answered from their files."""
    if target is not None and re.search(r"\b(?:which|what)\s+namespace\b", request, re.I):
        file = f"{target.folder}/{target.file}" if target.folder else target.file
        return f"grep '^namespace:' {file}", holds(re.escape(file))
    if re.search(r"\bkinds?\b", request, re.I) and re.search(
        r"\b(?:list|show|which|what|every|all)\b", request, re.I
    ):
        named = overlay(request, found, tops=False)
        if named is not None:
            folder = named.folder or "."
            return f"kubectl kustomize {folder} | grep '^kind:' | sort | uniq -c", holds(
                r"kind:", rf"{re.escape(folder)}"
            )
        return None
    if target is not None or re.search(r"\b(?:cluster|running|live)\b", request, re.I):
        return None
    if service is not None and re.search(r"\b(?:which|what)\s+ports?\b", request, re.I):
        return f"grep -E 'port:|targetPort:' {service.file}", holds(re.escape(service.file))
    secret = _object(request, found, "Secret")
    if secret is not None and re.search(r"\bdecode\b", request, re.I):
        words = request_words(request)
        keys = [k for k in secret.keys if k.lower() in words or set(k.lower().split("_")) & words]
        if len(keys) == 1:
            key = keys[0]
            return (
                f"awk '$1 == \"{key}:\" {{print $2}}' {secret.file} | base64 -d",
                holds(re.escape(secret.file), "base64"),
            )
    return None


def _kustomize_option_fix(command: str, found: Manifests) -> tuple[str, str] | None:
    """``kubectl apply -k DIR`` for ``-f DIR`` or ``-f DIR/kustomization.yaml``.

    A kustomization is no object: ``-f`` on it fails ("no matches for kind Kustomization"),
    and on its folder applies the base's files without the overlay's changes.
    """
    match = re.match(
        r"(?P<head>\s*kubectl\s+(?:apply|delete|diff|create)\s+(?:\S+\s+)*?)"
        r"(?:-f|--filename)[= ](?P<path>\S+)(?P<tail>.*)$",
        command,
    )
    if match is None:
        return None
    path = match["path"].rstrip("/")
    for k in found.kustomizations:
        folder = k.folder or "."
        if path in (folder, f"{k.folder}/{k.file}" if k.folder else k.file):
            fixed = f"{match['head']}-k {folder}{match['tail']}"
            return fixed, "fixed here: a kustomization is applied with -k, not -f"
    return None
