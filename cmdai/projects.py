"""The project the working directory is, where a request speaks of it: Node.js or Python.

In a folder with a ``package.json``, "run the tests" was declined, "start the server" became
``sudo systemctl start nginx``, "install the dependencies" ``sudo apt-get update`` and "which
version of left-pad is installed" ``which left-pad`` (the thirty-seventh by-hand round): the
model is shown files a request names, and this request names none. Where the request speaks
of the project (npm's words, "the project", a script of it run, a dependency's version), the
facts (``cmdai.context``) show what the manifest says: its name and version, its npm scripts
and its dependencies. The same for a Python project's ``pyproject.toml`` (the thirty-eighth
round: "install the project with its dev extras" had been ``npm install --save-dev``, "bump
the version to 0.3.2" a sed on a ``package.json``). And a Rust crate's ``Cargo.toml`` (the
thirty-ninth: "run the tests" had been ``cd tests && ./run_tests.sh``, "build the project"
``make``, "update the dependencies" ``sudo apt update && sudo apt upgrade``), shown for a
wider set of words, as a crate's everyday requests rarely name it: building, running, testing,
linting or formatting the code, its examples, features and documentation. And an app run
with Docker Compose (the fortieth: "start all the services in the background" had been
``systemctl start --user all``, "restart the worker" ``sudo systemctl restart worker``, "show
the logs of the web service" a ``tail`` of nginx's log): its services, what each is built from
or runs, their ports, and the named volumes. And a Makefile's targets with their ``##``
descriptions (the forty-third: "check the code for problems" and "deploy to staging" were
declined, "install the dependencies" was ``sudo apt-get update`` beside ``make install``).
And systemd unit files (the forty-sixth: "start the shop api service" was ``systemctl start
shop-api`` beside ``shopapi.service``, its logs a ``tail`` of a made-up ``shop-api.log``).
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

from cmdai.ansible_project import ansible_fact
from cmdai.cmake_project import cmake_fact
from cmdai.django_project import django_fact
from cmdai.dockerfile_project import dockerfile_fact
from cmdai.go_project import go_fact
from cmdai.k8s_project import k8s_fact
from cmdai.managed_project import managed_fact
from cmdai.maven_project import maven_fact
from cmdai.npm_workspaces import workspaces_fact
from cmdai.project_files import (
    COMPOSE_FILES,
    MAKEFILES,
    parse_manifest,
    request_words,
    section,
    small_text,
    yaml_documents,
)
from cmdai.submodules import submodules_fact
from cmdai.terraform_project import terraform_fact
from cmdai.venv_project import venv_fact

MAX_SCRIPTS = 8
_SCRIPT_CHARS = 40
_PROJECT_WORDS = re.compile(
    r"\b(?:npm|package\.json|dependenc(?:y|ies)|devdependenc\w*|outdated|vulnerabilit\w*|audit)\b"
    r"|\b(?:the|this|my|our)\s+(?:project|package|app)(?:'s)?\b|\bbump\b"
    r"|\b(?:wheel|sdist|source\s+distribution|pypi|editable|extras)\b",
    re.IGNORECASE,
)
_ABOUT_A_DEPENDENCY = re.compile(
    r"\b(?:version|installed|upgrade|update|remove|uninstall|depend|depends)\b", re.IGNORECASE
)


def node_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("package.json", "Node.js project shop-api 1.4.2; npm scripts: ...")``, or None.

    None where there is no readable ``package.json`` here, or the request uses no word of it.
    """
    manifest = read_manifest(workdir / "package.json")
    if manifest is None:
        return None
    scripts = section(manifest, "scripts")
    dependencies = section(manifest, "dependencies")
    dev = section(manifest, "devDependencies")
    if not _speaks_of(request, scripts, {*dependencies, *dev}):
        return None
    parts = [" ".join(str(manifest.get(k, "")) for k in ("name", "version")).strip()]
    if scripts:
        shown = [f"{n} ({_clip(str(scripts[n]))})" for n in list(scripts)[:MAX_SCRIPTS]]
        parts.append("npm scripts: " + ", ".join(shown))
    if dependencies:
        parts.append("dependencies: " + ", ".join(dependencies))
    if dev:
        parts.append("devDependencies: " + ", ".join(dev))
    head = "Node.js project " + parts[0] if parts[0] else "Node.js project"
    return "package.json", "; ".join([head, *parts[1:]])


def _speaks_of(request: str, scripts: dict[str, object], packages: set[str]) -> bool:
    """Whether the request is about this project: npm's words, a script run, a dependency.

    Words of any request ("version" of the kernel, "test.txt", a folder "foo" that is also a
    dependency's name) are not enough: they had shown the project to requests about other
    things, in the dev sets' fixtures.
    """
    if _PROJECT_WORDS.search(request):
        return True
    for name in scripts:
        word = re.escape(name)
        runs = rf"\b(?:run|start)\s+(?:the\s+)?{word}s?\b|\bthe\s+{word}\s+script\b"
        if re.search(runs, request, re.IGNORECASE):
            return True
    if "start" in scripts and re.search(r"\bstart\s+the\s+(?:server|app)\b", request, re.I):
        return True
    words = {w.lower() for w in re.findall(r"[\w.@/-]+", request)}
    return bool(words & {p.lower() for p in packages}) and bool(_ABOUT_A_DEPENDENCY.search(request))


def read_manifest(path: Path) -> dict[str, object] | None:
    """``parse_manifest`` of the file at ``path`` (None: none, too big, or unreadable)."""
    text = small_text(path)
    return parse_manifest(path.name, text) if text is not None else None


def _clip(text: str) -> str:
    return text if len(text) <= _SCRIPT_CHARS else text[: _SCRIPT_CHARS - 3] + "..."


def project_facts(request: str, workdir: Path) -> list[tuple[str, str]]:
    """What here the request speaks of, as facts.

    npm (and its workspaces), Python, Cargo, Compose, make, systemd, CMake, Maven, a
    Dockerfile, Go, a virtual environment, Kubernetes manifests, a Terraform configuration,
    git submodules, an Ansible project, a Django project, a Poetry or uv project.
    """
    found = [
        node_fact(request, workdir),
        workspaces_fact(request, workdir),
        python_fact(request, workdir),
        rust_fact(request, workdir),
        compose_fact(request, workdir),
        make_fact(request, workdir),
        units_fact(request, workdir),
        cmake_fact(request, workdir),
        maven_fact(request, workdir),
        dockerfile_fact(request, workdir),
        go_fact(request, workdir),
        venv_fact(request, workdir),
        k8s_fact(request, workdir),
        terraform_fact(request, workdir),
        submodules_fact(request, workdir),
        ansible_fact(request, workdir),
        django_fact(request, workdir),
        managed_fact(request, workdir),
    ]
    return [fact for fact in found if fact is not None]


def python_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("pyproject.toml", "Python project notecli 0.3.1; dependencies: ...")``, or None."""
    data = read_manifest(workdir / "pyproject.toml") or {}
    project = section(data, "project")
    if not project:
        return None
    scripts = section(project, "scripts")
    extras = section(project, "optional-dependencies")
    listed = project.get("dependencies")
    dependencies = [d for d in listed if isinstance(d, str)] if isinstance(listed, list) else []
    named = {re.split(r"[\s<>=!~;\[]", d, maxsplit=1)[0] for d in dependencies}
    if not _speaks_of(request, {}, named):  # its scripts run once installed, by their names
        return None
    version = project.get("version") or "(version set at build time)"
    backend = str(section(data, "build-system").get("build-backend", "")).split(".")[0]
    parts = [f"Python project {project.get('name', '')} {version}".strip()]
    parts[0] += f" (built with {backend})" if backend else ""
    if dependencies:
        parts.append("dependencies: " + ", ".join(dependencies))
    if extras:
        parts.append(
            "extras: "
            + ", ".join(
                f"{k} ({', '.join(map(str, v))})" for k, v in extras.items() if isinstance(v, list)
            )
        )
    if scripts:
        parts.append("scripts: " + ", ".join(f"{k} ({v})" for k, v in scripts.items()))
    return "pyproject.toml", "; ".join(parts)


_CRATE_WORDS = re.compile(
    r"\b(?:cargo|crates?|rust|clippy|rustfmt|release\s+(?:mode|build)|features?|examples?"
    r"|build|compiles?|compiling|lint|format|documentation|docs|binary|the\s+tests?"
    r"|the\s+(?:code|program))\b",
    re.IGNORECASE,
)


def rust_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("Cargo.toml", "Rust crate wordcount 0.2.0 (built with cargo); ...")``, or None.

    None where there is no readable ``Cargo.toml`` with a package here, or the request speaks
    neither of the project (the words of ``node_fact``) nor of building, running or testing it.
    """
    data = read_manifest(workdir / "Cargo.toml") or {}
    package = section(data, "package")
    dependencies = [*section(data, "dependencies"), *section(data, "dev-dependencies")]
    if not package or not (
        _CRATE_WORDS.search(request) or _speaks_of(request, {}, set(dependencies))
    ):
        return None
    head = f"Rust crate {package.get('name', '')} {package.get('version', '')}".strip()
    parts = [head + " (built with cargo)"]
    targets = [
        label
        for label, path in (("a program", "src/main.rs"), ("a library", "src/lib.rs"))
        if (workdir / path).is_file()
    ]
    if targets:
        parts.append(" and ".join(targets))
    if dependencies:
        parts.append("dependencies: " + ", ".join(dependencies))
    if features := [f for f in section(data, "features") if f != "default"]:
        parts.append("features: " + ", ".join(features))
    try:
        examples = sorted(p.stem for p in (workdir / "examples").glob("*.rs"))[:MAX_SCRIPTS]
    except OSError:
        examples = []
    if examples:
        parts.append("examples: " + ", ".join(examples))
    return "Cargo.toml", "; ".join(parts)


_COMPOSE_WORDS = re.compile(
    r"\b(?:docker|compose|containers?|services?|images?|volumes?)\b", re.IGNORECASE
)
_SERVICE_VERBS = re.compile(
    r"\b(?:logs?|shell|restart|stop|start|run|copies|scale|exec|rebuild|port)\b", re.IGNORECASE
)


def compose_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("compose.yaml", "Docker Compose app: services web (built here; ports ...)")``, or None.

    None where no readable Compose file with services is here, or the request speaks neither
    of containers, services, images or volumes nor of a service by its name with a verb.
    """
    for name in COMPOSE_FILES:
        services, volumes = _compose(workdir / name)
        if services:
            break
    else:
        return None
    named = {w.lower() for w in re.findall(r"[\w-]+", request)} & {s.lower() for s in services}
    if not _COMPOSE_WORDS.search(request) and not (named and _SERVICE_VERBS.search(request)):
        return None
    shown = [f"{service} ({_service(spec)})" for service, spec in list(services.items())[:8]]
    text = f"Docker Compose app (run with docker compose): services {', '.join(shown)}"
    if volumes:
        text += "; volumes: " + ", ".join(volumes)
    return name, text


def _compose(path: Path) -> tuple[dict[str, dict[str, object]], list[str]]:
    """A Compose file's services and named volumes (empty: none here, or unreadable)."""
    text = small_text(path)
    return parse_compose(text) if text is not None else ({}, [])


def parse_compose(text: str) -> tuple[dict[str, dict[str, object]], list[str]]:
    """A Compose file's services (each a table) and named volumes (empty: unreadable)."""
    documents = yaml_documents(text)
    data = documents[0] if len(documents) == 1 else None  # several: not a Compose file
    if not isinstance(data, dict):
        return {}, []
    services = {
        name: {str(k): v for k, v in spec.items()}
        for name, spec in section(data, "services").items()
        if isinstance(spec, dict)
    }
    return services, list(section(data, "volumes"))


def compose_services(text: str) -> dict[str, dict[str, object]]:
    """``parse_compose``'s services alone."""
    return parse_compose(text)[0]


def _service(spec: dict[str, object]) -> str:
    """What a service is built from or runs, its command and ports, in a few words."""
    build = spec.get("build")
    if isinstance(build, dict):
        build = build.get("context", ".")
    if build is not None:
        folder = str(build).rstrip("/") or "."
        where = "here" if folder in (".", "./") else "in " + folder
        parts = ["built from the Dockerfile " + where]
    else:
        parts = [f"image {spec.get('image', '?')}"]
    command = spec.get("command")
    if command:
        words = " ".join(map(str, command)) if isinstance(command, list) else str(command)
        parts.append(f"command {words}")
    ports = spec.get("ports")
    if isinstance(ports, list) and ports:
        parts.append("ports " + ", ".join(map(str, ports)))
    return "; ".join(parts)


_TARGET = re.compile(
    r"^(?P<name>[A-Za-z0-9][\w.-]*)\s*:(?![=:])[^#\n]*(?:##\s*(?P<about>.*))?$", re.M
)
_VARIABLE = re.compile(r"^(?P<name>[A-Z][A-Z0-9_]*)\s*(?:\?|:|::)?=\s*(?P<value>.*?)\s*$", re.M)
_MAKE_WORDS = re.compile(r"\b(?:make|makefile|targets?)\b", re.IGNORECASE)
_PLAIN_WORDS = frozenset("the a an to of for and in on with my this all it".split())  # noqa: SIM905
MAX_TARGETS = 12


def make_targets(text: str) -> list[tuple[str, str]]:
    """A Makefile's explicit targets, in order, each with its ``##`` description (or "")."""
    found: dict[str, str] = {}
    for match in _TARGET.finditer(text):
        if not match["name"].startswith(".") and "%" not in match["name"]:
            found.setdefault(match["name"], (match["about"] or "").strip())
    return list(found.items())


def make_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("Makefile", "Makefile targets: help (show the targets), test (run the tests), ...")``.

    None where no readable Makefile with targets is here, or the request speaks neither of
    make nor of one of its targets, by name ("deploy", "docker build" for ``docker-build``)
    or by two words of its description ("check the code" for ``lint: ## check the code``).
    """
    for name in MAKEFILES:
        text = small_text(workdir / name, replace=True)
        if text is not None:
            break
    else:
        return None
    targets = make_targets(text)
    if not targets or not (_MAKE_WORDS.search(request) or _names_a_target(request, targets)):
        return None
    shown = [f"{t} ({about})" if about else t for t, about in targets[:MAX_TARGETS]]
    fact = "Makefile targets: " + ", ".join(shown)
    variables = [f"{m['name']}={m['value']}" for m in _VARIABLE.finditer(text)][:6]
    if variables:
        fact += "; variables: " + ", ".join(variables)
    return name, fact


def _names_a_target(request: str, targets: list[tuple[str, str]]) -> bool:
    words = target_words(request)
    return any(target_named(target, about, words) for target, about in targets)


def target_words(request: str) -> set[str]:
    """A request's words in lower case, with each plural's singular too ("tests": "test")."""
    words = {w.lower() for w in re.findall(r"\w+", request)}
    return words | {w[:-1] for w in words if len(w) > 3 and w.endswith("s")}


def target_named(target: str, about: str, words: set[str], prefix: bool = False) -> bool:
    """Whether ``words`` (``target_words``) name a Makefile target.

    By all its name's parts ("build the docker image" for ``docker-build``), by two words of
    its description, or, with ``prefix``, by a word it starts ("linter" for ``lint``).
    """
    parts = set(re.split(r"[-_.]", target.lower()))
    if parts <= words:
        return True
    if prefix and len(target) >= 4 and any(w.startswith(target.lower()) for w in words):
        return True
    described = {w.lower() for w in re.findall(r"[A-Za-z]+", about)} - _PLAIN_WORDS
    return len(described & words) >= 2


_UNIT_SUFFIXES = (".service", ".timer", ".socket", ".path", ".target", ".mount")
_UNIT_WORDS = re.compile(
    r"\b(?:systemd|systemctl|journalctl|services?|units?|timers?|daemon|boot|journal)\b", re.I
)
MAX_UNITS = 8
MAX_LISTED = 500
"""Entries of the working directory looked at for unit files (every request with context
lists it: a huge folder is not read to its end)."""


def unit_files(workdir: Path) -> list[tuple[str, str]]:
    """The systemd unit files here, each with its ``Description=`` (or ""), by name."""
    found: list[tuple[str, str]] = []
    try:
        with os.scandir(workdir) as listing:
            entries = sorted(
                Path(e.path)
                for e in itertools.islice(listing, MAX_LISTED)
                if Path(e.name).suffix in _UNIT_SUFFIXES
            )
    except OSError:
        return []
    for path in entries[:MAX_UNITS]:
        text = small_text(path, replace=True)
        if text is not None and re.search(
            r"^\[(?:Unit|Service|Timer|Socket|Install)\]", text, re.M
        ):
            found.append((path.name, unit_description(text.splitlines())))
    return found


def unit_description(lines: list[str]) -> str:
    """A unit file's ``Description=`` (or "")."""
    for line in lines:
        about = re.fullmatch(r"Description\s*=\s*(.+?)\s*", line)
        if about:
            return about.group(1)
    return ""


def units_named(request: str, units: list[tuple[str, str]]) -> list[str]:
    """The units a request names: by file name, by stem, or by all its description's words."""
    words = request_words(request)
    joined = re.sub(r"[^a-z0-9]", "", request.lower())
    hits = [
        name
        for name, about in units
        if name.lower() in words
        or name.rsplit(".", 1)[0].lower() in words
        or (
            len(stem := re.sub(r"[^a-z0-9]", "", name.rsplit(".", 1)[0].lower())) >= 4
            and stem in joined
        )
        or (about and {w.lower() for w in re.findall(r"\w+", about)} <= words)
    ]
    return hits


def units_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("shopapi.service", "systemd units here (not installed): ...")``, or None."""
    units = unit_files(workdir)
    if not units or not (_UNIT_WORDS.search(request) or units_named(request, units)):
        return None
    shown = ", ".join(f"{name} ({about})" if about else name for name, about in units)
    return units[0][0], f"systemd unit files: {shown}"
