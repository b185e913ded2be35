"""Kubernetes manifests and kustomizations here, where a request speaks of a cluster's objects.

In a folder with an app's manifests (the fifty-third by-hand round: a kustomize base and two
overlays), "what image does the shop-web deployment run" was a ``kubectl get`` against a
cluster nobody named, "decode the database password in the base secret" a ``kubectl get
secret`` of a made-up name, and "change the replicas in the base deployment to 3" a ``kubectl
scale`` of the live cluster, not the file: the model is shown files a request names, and these
name none. Where the request speaks of Kubernetes, a cluster or its objects, the facts
(through ``cmdai.projects.project_facts``) show what the manifests say: each file's objects by
kind and name (a Deployment's image, replicas and port; a Service's ports; a ConfigMap's or
Secret's keys, never its values) and each kustomization's folder, namespace and bases.
``cmdai.k8s_fixes`` reads the same files.

Only the working directory's own YAML files and the folders that conventionally hold
manifests (``k8s``, ``deploy``, ...) are read, each at most 64 KB, 40 files in all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cmdai.project_files import request_words, small_text, yaml_documents
from cmdai.walk import TooMany, walk

K8S_WORDS = re.compile(
    r"\b(?:kubernetes|k8s|kubectl|kustomiz\w*|clusters?|pods?|deployments?|manifests?"
    r"|overlays?|namespaces?|replicas?|rollouts?|configmaps?|secrets?|services?|ingress\w*"
    r"|statefulsets?|daemonsets?|cronjobs?|events)\b",
    re.IGNORECASE,
)
FOLDERS = ("k8s", "kubernetes", "kube", "manifests", "deploy", "deployment", "kustomize")
"""Folders that hold manifests by convention; walked (three levels down) when present."""
KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")
MAX_FILES = 40
_OBJECT = re.compile(r"^apiVersion:", re.M)


@dataclass(frozen=True)
class K8sObject:
    """One object of a manifest, as far as the facts and the fixes need it."""

    kind: str
    name: str
    file: str  # relative to the working directory
    namespace: str = ""
    images: tuple[str, ...] = ()
    replicas: int | None = None
    ports: tuple[str, ...] = ()  # a container's "8000", a service's "80 -> 8000"
    keys: tuple[str, ...] = ()  # a ConfigMap's or Secret's data keys


@dataclass(frozen=True)
class Kustomization:
    """A kustomization's folder and what it changes."""

    folder: str  # relative to the working directory ("" for the working directory itself)
    file: str  # kustomization.yaml
    namespace: str
    resources: tuple[str, ...]
    replicas: tuple[str, ...]  # "shop-web 4"


@dataclass(frozen=True)
class Manifests:
    """Every object and kustomization found here."""

    objects: tuple[K8sObject, ...]
    kustomizations: tuple[Kustomization, ...]

    def named(self, kind: str) -> list[K8sObject]:
        """The objects of one kind (``Deployment``), in the order they were found."""
        return [o for o in self.objects if o.kind.lower() == kind.lower()]


def manifest_names(names: Iterable[str]) -> list[str]:
    """Of relative file names, the YAML files here and in the conventional folders below."""
    found = []
    for name in names:
        parts = name.split("/")
        yaml = parts[-1].endswith((".yaml", ".yml")) or parts[-1] == "Kustomization"
        if yaml and (len(parts) == 1 or parts[0] in FOLDERS or parts[0] in ("base", "overlays")):
            found.append(name)
    return sorted(found)[:MAX_FILES]


def _yaml_files(workdir: Path) -> list[str]:
    """The YAML files here and in the conventional folders below, at most ``MAX_FILES``."""
    names: list[str] = []
    try:
        with os.scandir(workdir) as entries:
            top = list(entries)
    except OSError:
        return []
    for entry in top:
        names.append(entry.name)
        folder = entry.name in FOLDERS or entry.name in ("base", "overlays")
        if folder and entry.is_dir(follow_symlinks=False):
            try:
                names.extend(
                    Path(e.path).relative_to(workdir).as_posix() for e, _ in walk(Path(entry.path))
                )
            except TooMany:
                continue
    return manifest_names(names)


def _documents(text: str) -> list[dict[str, object]]:
    """The YAML documents of a file that are mappings (empty: not YAML, or PyYAML missing)."""
    return [d for d in yaml_documents(text) if isinstance(d, dict)]


def _mapping(value: object, key: str) -> dict[str, object]:
    if isinstance(value, dict):
        inner = value.get(key)
        if isinstance(inner, dict):
            return {str(k): v for k, v in inner.items()}
    return {}


def _items(value: object) -> list[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _object(doc: dict[str, object], file: str) -> K8sObject | None:
    kind, metadata = doc.get("kind"), _mapping(doc, "metadata")
    name = metadata.get("name")
    if not isinstance(kind, str) or not isinstance(name, str):
        return None
    spec = _mapping(doc, "spec")
    pod = _mapping(_mapping(spec, "template"), "spec") or spec  # a Pod is its own template
    if kind == "CronJob":
        job = _mapping(_mapping(spec, "jobTemplate"), "spec")
        pod = _mapping(_mapping(job, "template"), "spec")
    containers = _items(pod.get("containers"))
    images = tuple(str(c["image"]) for c in containers if isinstance(c.get("image"), str))
    ports: list[str] = []
    if kind == "Service":
        for port in _items(spec.get("ports")):
            target = port.get("targetPort")
            shown = f"{port.get('port')}" + (f" -> {target}" if target is not None else "")
            ports.append(shown)
    else:
        for container in containers:
            ports.extend(str(p.get("containerPort")) for p in _items(container.get("ports")))
    keys = [*_mapping(doc, "data"), *_mapping(doc, "stringData")] if kind in _KEYED else []
    replicas = spec.get("replicas")
    namespace = metadata.get("namespace")
    return K8sObject(
        kind=kind,
        name=name,
        file=file,
        namespace=namespace if isinstance(namespace, str) else "",
        images=images,
        replicas=replicas if isinstance(replicas, int) else None,
        ports=tuple(p for p in ports if p != "None"),
        keys=tuple(dict.fromkeys(keys)),
    )


_KEYED = ("ConfigMap", "Secret")


def _kustomization(doc: dict[str, object], folder: str, file: str) -> Kustomization:
    namespace = doc.get("namespace")
    resources = doc.get("resources") or doc.get("bases")
    replicas = [
        f"{r.get('name')} {r.get('count')}" for r in _items(doc.get("replicas")) if r.get("name")
    ]
    return Kustomization(
        folder=folder,
        file=file,
        namespace=namespace if isinstance(namespace, str) else "",
        resources=tuple(str(r) for r in resources) if isinstance(resources, list) else (),
        replicas=tuple(replicas),
    )


def read_manifests(workdir: Path) -> Manifests | None:
    """The manifests and kustomizations here (None: none)."""
    return parse_manifests(
        _yaml_files(workdir), lambda name: small_text(workdir / name, replace=True)
    )


def parse_manifests(names: list[str], read: Callable[[str], str | None]) -> Manifests | None:
    """The manifests and kustomizations among the files ``names`` (None: none)."""
    objects: list[K8sObject] = []
    kustomizations: list[Kustomization] = []
    for name in names:
        text = read(name)
        base = name.rsplit("/", 1)[-1]
        if text is None or (not _OBJECT.search(text) and base not in KUSTOMIZATIONS):
            continue
        for doc in _documents(text):
            if base in KUSTOMIZATIONS or doc.get("kind") == "Kustomization":
                folder = name.rsplit("/", 1)[0] if "/" in name else ""
                kustomizations.append(_kustomization(doc, folder, base))
            elif (found := _object(doc, name)) is not None:
                objects.append(found)
    if not objects and not kustomizations:
        return None
    return Manifests(tuple(objects), tuple(kustomizations))


def _describe(obj: K8sObject) -> str:
    parts = []
    if obj.namespace:
        parts.append(f"namespace: {obj.namespace}")
    if obj.replicas is not None:
        parts.append(f"{obj.replicas} replicas")
    if obj.images:
        parts.append("image " + ", ".join(obj.images))
    if obj.ports:
        said = "port " if obj.kind == "Service" else "container port "
        parts.append(said + ", ".join(obj.ports))
    if obj.keys:
        parts.append("keys " + ", ".join(obj.keys[:6]) + (", ..." if len(obj.keys) > 6 else ""))
    return f"{obj.kind} {obj.name}" + (f" ({'; '.join(parts)})" if parts else "")


def k8s_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("k8s/", "Kubernetes manifests: k8s/base/deployment.yaml: Deployment shop-web ...")``.

    None where no manifest or kustomization is here, or the request speaks neither of
    Kubernetes or a cluster's objects nor of one of theirs by name (a namespace, an object).
    """
    spoken = K8S_WORDS.search(request)
    if not spoken and not any((workdir / folder).is_dir() for folder in FOLDERS):
        return None
    found = read_manifests(workdir)
    if found is None or (not spoken and not names_in(request, found)):
        return None
    by_file: dict[str, list[str]] = {}
    for obj in found.objects:
        by_file.setdefault(obj.file, []).append(_describe(obj))
    parts = [f"{file}: {', '.join(shown)}" for file, shown in by_file.items()]
    for k in found.kustomizations:
        said = [f"namespace: {k.namespace}"] if k.namespace else []
        said += [f"resources {', '.join(k.resources)}"] if k.resources else []
        said += [f"replicas {', '.join(k.replicas)}"] if k.replicas else []
        where = f"{k.folder}/" if k.folder else ""
        parts.append(f"{where}{k.file} (kustomize" + "".join(f"; {x}" for x in said) + ")")
    first = found.objects[0].file if found.objects else found.kustomizations[0].folder
    label = first.split("/", 1)[0] + "/" if "/" in first else first or "kustomization.yaml"
    return label, "Kubernetes manifests: " + "; ".join(parts)


def names_in(request: str, found: Manifests) -> set[str]:
    """The namespaces and object names of ``found`` that the request names."""
    words = request_words(request)
    names = {o.name for o in found.objects} | {o.namespace for o in found.objects}
    names |= {k.namespace for k in found.kustomizations}
    return {n for n in names if n and n.lower() in words}
