"""A Terraform configuration in the working directory, where a request speaks of it.

In a folder with ``main.tf``, two environments' ``.tfvars`` and a state file (the
fifty-fourth by-hand round), "show the plan for staging" was a ``psql EXPLAIN``, "list the
resources in the state" a ``curl`` of GitHub, "create a workspace called qa" a ``mkdir``, and
"destroy the staging environment", "what variables does this configuration take" and four
more were declined as no shell task: the model is shown files a request names, and these name
none. Where the request speaks of Terraform or its words (plan, state, workspace, provider,
module, resource, variable, output), or names an environment by its variable file, the facts
(through ``cmdai.projects.project_facts``) show what the ``.tf`` files here declare, the
variable files, the saved plans and what the state file says. ``cmdai.terraform_fixes``
reads the same files.

HCL is read by its block headers and a few attributes, not parsed whole: enough for names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cmdai.project_files import expand_in, request_words, small_text

TF_WORDS = re.compile(
    r"\b(?:terraform|tf|tofu|opentofu|plans?|state|workspaces?|providers?|modules?|resources?"
    r"|variables?|vars?|outputs?|infrastructure|backend|environments?|configuration|valid\w*"
    r"|fmt|format\w*|lock\w*|unlock)\b",
    re.IGNORECASE,
)
MAX_FILES = 40
_BLOCK = re.compile(
    r'^(resource|data|module|variable|output|provider)\s+"([^"]+)"(?:\s+"([^"]+)")?', re.M
)
_REQUIRED = re.compile(
    r'^\s*([\w-]+)\s*=\s*\{[^}]*?source\s*=\s*"([^"]+)"(?:[^}]*?version\s*=\s*"([^"]+)")?', re.M
)


@dataclass(frozen=True)
class State:
    """What ``terraform.tfstate`` says: the version that wrote it, addresses and outputs."""

    version: str
    resources: list[str]  # module.db.aws_db_instance.main
    outputs: list[str]


@dataclass
class Terraform:
    """What a configuration's files say, as far as the facts and the fixes need it."""

    files: list[str] = field(default_factory=list)  # main.tf, variables.tf
    resources: list[str] = field(default_factory=list)  # aws_instance.web
    modules: dict[str, str] = field(default_factory=dict)  # db -> ./modules/db
    module_resources: dict[str, list[str]] = field(default_factory=dict)  # db -> [...]
    variables: dict[str, str] = field(default_factory=dict)  # instance_type -> "t3.micro"
    outputs: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)  # aws (hashicorp/aws ~> 5.0)
    backend: str = ""
    settings_file: str = ""  # the .tf file with the terraform block (required_providers)
    var_files: dict[str, list[str]] = field(default_factory=dict)  # prod.tfvars -> [keys]
    plans: list[str] = field(default_factory=list)  # prod.tfplan
    state: State | None = None
    initialised: bool = False
    workspaces: list[str] = field(default_factory=list)


def _blocks(text: str, into: Terraform, module: str | None = None, file: str = "") -> None:
    for kind, first, second in _BLOCK.findall(text):
        if kind == "resource" and second:
            (into.module_resources.setdefault(module, []) if module else into.resources).append(
                f"{first}.{second}"
            )
        elif module is not None:
            continue
        elif kind == "module":
            body = text[text.index(f'module "{first}"') :]
            source = re.search(r'^\s*source\s*=\s*"([^"]+)"', body, re.M)
            into.modules[first] = source[1] if source else ""
        elif kind == "variable":
            body = text[text.index(f'variable "{first}"') :].split("\n}", 1)[0]
            default = re.search(r'^\s*default\s*=\s*"?([^"\n]*)"?', body, re.M)
            into.variables[first] = default[1].strip() if default else ""
        elif kind == "output":
            into.outputs.append(first)
    if module is None:
        for name, source, version in _REQUIRED.findall(text):
            shown = f"{name} ({source}" + (f" {version}" if version else "") + ")"
            into.providers.append(shown)
        if re.search(r"^\s*required_providers\s*\{", text, re.M):
            into.settings_file = into.settings_file or file
        backend = re.search(r'^\s*backend\s+"([^"]+)"', text, re.M)
        if backend:
            into.backend = backend[1]


def read_terraform(workdir: Path) -> Terraform | None:
    """The configuration here (None: no ``.tf`` file here)."""

    def expand(pattern: str) -> list[str]:
        return expand_in(workdir, pattern)

    def lines(name: str) -> list[str] | None:
        text = small_text(workdir / name, replace=True)
        return text.splitlines() if text is not None else None

    return parse_terraform(expand("*.tf"), expand, lines)


def parse_terraform(
    tf: list[str],
    expand: Callable[[str], list[str]],
    lines: Callable[[str], list[str] | None],
) -> Terraform | None:
    """The configuration of the ``.tf`` files ``tf`` (None: none).

    ``expand`` globs a relative pattern here, ``lines`` reads a small file here (as
    ``cmdai.context.Workdir`` does, for the fixes, or the folder itself, for the facts).
    """
    tf = tf[:MAX_FILES]
    if not tf:
        return None
    found = Terraform(files=tf)

    def text(name: str) -> str | None:
        read = lines(name)
        return "\n".join(read) if read is not None else None

    for name in tf:
        if (body := text(name)) is not None:
            _blocks(body, found, file=name)
    for module, source in found.modules.items():
        if source.startswith("./"):
            for name in expand(source.removeprefix("./").rstrip("/") + "/*.tf")[:MAX_FILES]:
                if (body := text(name)) is not None:
                    _blocks(body, found, module)
    for name in expand("*.tfvars") + expand("*.tfvars.json"):
        found.var_files[name] = re.findall(
            r'^\s*"?([A-Za-z_][\w-]*)"?\s*[=:]', text(name) or "", re.M
        )
    found.plans = [n for n in expand("*plan") if n.endswith((".tfplan", ".plan")) or n == "tfplan"]
    found.state = _state(text("terraform.tfstate"))
    found.initialised = bool(expand(".terraform"))
    found.workspaces = [n.rsplit("/", 1)[-1] for n in expand("terraform.tfstate.d/*")]
    return found


def _state(text: str | None) -> State | None:
    """A state file's writer, resource addresses and output names (None: none, or unreadable)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    addresses = []
    for r in data.get("resources") or []:
        if isinstance(r, dict) and r.get("mode") == "managed":
            prefix = f"{r['module']}." if isinstance(r.get("module"), str) else ""
            addresses.append(f"{prefix}{r.get('type')}.{r.get('name')}")
    outputs = data.get("outputs")
    return State(
        version=str(data.get("terraform_version", "")),
        resources=addresses,
        outputs=sorted(outputs) if isinstance(outputs, dict) else [],
    )


def environments(found: Terraform) -> dict[str, str]:
    """Each variable file by the environment it names: ``{"prod": "prod.tfvars"}``."""
    return {re.sub(r"\.tfvars(?:\.json)?$", "", name): name for name in found.var_files}


def terraform_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("main.tf", "Terraform configuration (main.tf, ...): providers aws (...); ...")``.

    None where no ``.tf`` file is here, or the request speaks neither of Terraform's words nor
    of an environment by its variable file's name.
    """
    found = read_terraform(workdir)  # None without a .tf file here
    if found is None:
        return None
    words = request_words(request)
    if not TF_WORDS.search(request) and not words & set(environments(found)):
        return None
    parts = []
    if found.providers:
        parts.append("providers " + ", ".join(found.providers))
    if found.backend:
        parts.append(f"backend {found.backend}")
    if found.resources:
        parts.append("resources " + ", ".join(found.resources[:12]))
    for name, source in found.modules.items():
        inner = found.module_resources.get(name, [])
        parts.append(f"module {name} ({source}" + (f": {', '.join(inner[:6])})" if inner else ")"))
    if found.variables:
        shown = [f"{n} (default {d})" if d else n for n, d in found.variables.items()]
        parts.append("variables " + ", ".join(shown[:12]))
    if found.outputs:
        parts.append("outputs " + ", ".join(found.outputs[:12]))
    for name, keys in found.var_files.items():
        parts.append(f"variable file {name} (sets {', '.join(keys[:8])})")
    if found.plans:
        parts.append("saved plans " + ", ".join(found.plans))
    if found.state is not None:
        parts.append(
            f"state terraform.tfstate (written by terraform {found.state.version}; "
            f"{len(found.state.resources)} resources)"
        )
    if found.workspaces:
        parts.append("workspaces default, " + ", ".join(found.workspaces))
    parts.append("initialised" if found.initialised else "not initialised (no .terraform folder)")
    return found.files[0], f"Terraform configuration ({', '.join(found.files)}): " + "; ".join(
        parts
    )
