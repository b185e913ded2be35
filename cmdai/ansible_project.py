"""An Ansible project in the working directory, where a request speaks of it.

In a folder with ``ansible.cfg``, two inventories (staging and production), a site playbook
importing two others, three roles and a vault-encrypted file (the fifty-seventh by-hand
round), "deploy everything to production" was declined as no shell task, "ping all the
staging hosts" was ``ping staging.*``, "edit the production secrets" ``nano
production-secrets`` and "create a new role called redis" ``adduser redis``: the model is shown
files a request names, and these name none. Where the request speaks of Ansible or its words
(playbook, inventory, host, role, task, tag, vault), or names an environment, a group or a host
of an inventory, the facts (through ``cmdai.projects.project_facts``) show the playbooks and
the hosts they target, each inventory with its groups and hosts, the roles with their tasks'
tags, the encrypted files and the requirements file. ``cmdai.ansible_fixes`` reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cmdai.project_files import (
    environment_names,
    expand_in,
    request_words,
    small_text,
    yaml_documents,
)

ANSIBLE_WORDS = re.compile(
    r"\b(?:ansible\S*|playbooks?|plays?|inventor(?:y|ies)|hosts?|roles?|tasks?|tags?|vaults?"
    r"|secrets?|encrypt\w*|decrypt\w*|galaxy|collections?|deploy\w*|servers?|ping|lint\w*"
    r"|provision\w*|handlers?|group_vars|host_vars|requirements)\b",
    re.IGNORECASE,
)
MAX_FILES = 40
INVENTORY_FOLDERS = ("inventories", "inventory")
"""The folders where each environment's inventory conventionally lives (``inventories/prod``)."""
_INVENTORY_NAMES = (
    "hosts",
    "hosts.ini",
    "hosts.yml",
    "hosts.yaml",
    "inventory.ini",
    "inventory.yml",
    "inventory.yaml",
    "inventory",
)
_REQUIREMENTS = (
    "requirements.yml",
    "requirements.yaml",
    "roles/requirements.yml",
    "collections/requirements.yml",
)
_VAULT_PLACES = (
    "group_vars/*",
    "group_vars/*/*",
    "host_vars/*",
    "host_vars/*/*",
    "vars/*",
    "*.yml",
    "*.yaml",
    "roles/*/vars/*",
    *(f"{f}/*/group_vars/*" for f in INVENTORY_FOLDERS),
    *(f"{f}/*/group_vars/*/*" for f in INVENTORY_FOLDERS),
    *(f"{f}/group_vars/*" for f in INVENTORY_FOLDERS),
    *(f"{f}/group_vars/*/*" for f in INVENTORY_FOLDERS),
)

_VARIABLE_PLACES = (
    "group_vars/*",
    "group_vars/*/*",
    "host_vars/*",
    "host_vars/*/*",
    "roles/*/defaults/*",
    "roles/*/vars/*",
    *(f"{f}/*/group_vars/*" for f in INVENTORY_FOLDERS),
    *(f"{f}/*/group_vars/*/*" for f in INVENTORY_FOLDERS),
)
"""Where variables are set, in the files the fixes read them from."""
_TAG_WORDS = re.compile(r"\b(?:tags?|tasks?|only|skip\w*)\b", re.IGNORECASE)
_VAULT_WORDS = re.compile(r"\b(?:vaults?|secrets?|encrypt\w*|decrypt\w*|passwords?)\b", re.I)


@dataclass(frozen=True)
class Inventory:
    """One inventory: the environment it is for (``""``: the only one), its file, its groups."""

    environment: str
    path: str  # inventories/staging/hosts.ini
    groups: dict[str, list[str]]  # web -> [web1.staging.example.com, ...]

    def hosts(self) -> list[str]:
        """Every host of every group, once each."""
        return list(dict.fromkeys(h for hosts in self.groups.values() for h in hosts))


@dataclass(frozen=True)
class Play:
    """One play of a playbook: whom it targets, which roles it applies."""

    name: str
    hosts: str
    roles: list[str]


@dataclass(frozen=True)
class Task:
    """One task: where it is, its name and its tags."""

    role: str  # "" for a playbook's own task
    name: str
    tags: list[str]


@dataclass
class Ansible:
    """What an Ansible project's files say, as far as the facts and the fixes need it."""

    config: str = ""  # ansible.cfg, where there is one
    default_inventory: str = ""  # ansible.cfg's inventory
    roles_path: str = "roles"
    vault_password_file: str = ""
    playbooks: dict[str, list[Play]] = field(default_factory=dict)  # site.yml -> plays
    imports: dict[str, list[str]] = field(default_factory=dict)  # site.yml -> [web.yml]
    inventories: list[Inventory] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    vault_files: list[str] = field(default_factory=list)
    requirements: str = ""
    variables: dict[str, list[str]] = field(default_factory=dict)  # nginx_port -> [files]

    def tags(self) -> list[str]:
        """Every tag of every task, once each."""
        return list(dict.fromkeys(t for task in self.tasks for t in task.tags))

    def main_playbook(self) -> str | None:
        """The playbook that runs the others (``site.yml``), or the only one (None: neither)."""
        imported = {i for files in self.imports.values() for i in files}
        top = [p for p in self.playbooks if p not in imported]
        if len(top) == 1:
            return top[0]
        named = [p for p in top if p.rsplit(".", 1)[0] in ("site", "main", "playbook")]
        return named[0] if len(named) == 1 else None


def read_ansible(workdir: Path, unspoken: str = "") -> Ansible | None:
    """The Ansible project here (None: none).

    With ``unspoken``, a request that says none of Ansible's words: a folder counts only by an
    ``ansible.cfg``, a roles folder or an inventories folder, and the project is read on only
    where the request names an environment, a group or a host of its inventories.
    """

    def expand(pattern: str) -> list[str]:
        return expand_in(workdir, pattern)

    def text(name: str) -> str | None:
        return small_text(workdir / name, replace=True)

    return parse_ansible(expand, text, unspoken)


def _marked(expand: Callable[[str], list[str]]) -> bool:
    return bool(
        expand("ansible.cfg")
        or expand("roles/*/tasks")
        or any(expand(f"{folder}/*") for folder in INVENTORY_FOLDERS)
    )


def parse_ansible(
    expand: Callable[[str], list[str]],
    text: Callable[[str], str | None],
    unspoken: str = "",
) -> Ansible | None:
    """The project that ``expand`` (a glob here) and ``text`` (a small file's text) show."""
    marked = _marked(expand)
    if unspoken and not marked:
        return None
    found = Ansible()
    if config := text("ansible.cfg"):
        found.config = "ansible.cfg"
        found.default_inventory = _setting(config, "inventory")
        found.roles_path = _setting(config, "roles_path").split(":")[0] or "roles"
        found.vault_password_file = _setting(config, "vault_password_file")
    found.inventories = _inventories(expand, text)
    if not found.inventories and found.config:
        found.inventories = _top_inventory(expand, text, found.default_inventory)
    if unspoken and not names_in(unspoken, found):
        return None
    candidates = [n for n in expand("*.yml") + expand("*.yaml") if n not in _REQUIREMENTS]
    for name in candidates[:MAX_FILES]:
        body = text(name)
        if body is None or not re.search(r"^\s*-?\s*(?:hosts|import_playbook):", body, re.M):
            continue
        plays, imports = _playbook(body)
        if plays or imports:
            found.playbooks[name], found.imports[name] = plays, imports
            found.tasks.extend(_tasks(body, ""))
    if not (marked or found.playbooks):
        return None  # no ansible.cfg, role, inventories folder or playbook: not Ansible's
    if not found.inventories and found.playbooks:  # `hosts` beside a playbook, no ansible.cfg
        found.inventories = _top_inventory(expand, text, "")
    roles = found.roles_path.rstrip("/")
    found.roles = [r.rsplit("/", 1)[-1] for r in expand(f"{roles}/*") if expand(f"{r}/tasks")]
    for role in found.roles:
        for name in expand(f"{roles}/{role}/tasks/*.yml")[:MAX_FILES]:
            found.tasks.extend(_tasks(text(name) or "", role))
    for pattern in _VAULT_PLACES:
        for name in expand(pattern)[:MAX_FILES]:
            if name not in found.vault_files and (text(name) or "").startswith("$ANSIBLE_VAULT"):
                found.vault_files.append(name)
    found.requirements = next((r for r in _REQUIREMENTS if expand(r)), "")
    for pattern in _VARIABLE_PLACES:
        for name in expand(pattern.replace("roles/", f"{roles}/"))[:MAX_FILES]:
            if name in found.vault_files or not name.endswith((".yml", ".yaml")):
                continue
            for variable in re.findall(r"^([A-Za-z_]\w*):", text(name) or "", re.M):
                found.variables.setdefault(variable, []).append(name)
    if not (found.config or found.playbooks or found.roles or found.inventories):
        return None
    return found


def _setting(config: str, key: str) -> str:
    """A ``[defaults]`` setting of ansible.cfg (``""``: not set)."""
    match = re.search(rf"^\s*{key}\s*[=:]\s*(\S[^\n#;]*)", config, re.M)
    return match[1].strip().removeprefix("./") if match else ""


def _playbook(body: str) -> tuple[list[Play], list[str]]:
    plays: list[Play] = []
    imports: list[str] = []
    for document in yaml_documents(body):
        for item in document if isinstance(document, list) else []:
            if not isinstance(item, dict):
                continue
            imported = item.get("import_playbook") or item.get("ansible.builtin.import_playbook")
            if isinstance(imported, str):
                imports.append(imported)
            elif "hosts" in item:
                roles = [
                    r if isinstance(r, str) else str(r.get("role") or r.get("name") or "")
                    for r in item.get("roles") or []
                    if isinstance(r, (str, dict))
                ]
                plays.append(Play(str(item.get("name") or ""), str(item["hosts"]), roles))
    return plays, imports


def _tasks(body: str, role: str) -> list[Task]:
    """The named tasks of a task file (a list) or of a playbook's plays (their task lists)."""
    found: list[Task] = []
    for document in yaml_documents(body):
        items = document if isinstance(document, list) else []
        if not role:  # a playbook: its plays' tasks
            items = [
                t
                for play in items
                if isinstance(play, dict)
                for key in ("pre_tasks", "tasks", "post_tasks")
                for t in play.get(key) or []
            ]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                tags = item.get("tags") or []
                tags = [tags] if isinstance(tags, str) else [str(t) for t in tags]
                found.append(Task(role, item["name"], tags))
    return found


def _inventories(
    expand: Callable[[str], list[str]], text: Callable[[str], str | None]
) -> list[Inventory]:
    """Each environment's inventory: ``inventories/ENV/hosts.ini`` or ``inventory/ENV.ini``."""
    found: list[Inventory] = []
    for folder in INVENTORY_FOLDERS:
        for entry in expand(f"{folder}/*")[:MAX_FILES]:
            name = entry.rsplit("/", 1)[-1]
            files = [f for n in _INVENTORY_NAMES for f in expand(f"{entry}/{n}")]
            if files:  # inventories/staging/hosts.ini
                found.append(_inventory(name, files[0], text(files[0]) or ""))
            elif re.fullmatch(r"[\w-]+(?:\.ini|\.ya?ml)?", name) and not expand(f"{entry}/*"):
                body = text(entry)  # inventory/prod.ini
                if body is not None and name not in ("group_vars", "host_vars"):
                    found.append(_inventory(re.sub(r"\.(?:ini|ya?ml)$", "", name), entry, body))
    return [i for i in found if i.groups]


def _top_inventory(
    expand: Callable[[str], list[str]], text: Callable[[str], str | None], default: str
) -> list[Inventory]:
    """The one inventory of a project without environments: ansible.cfg's, or ``hosts``."""
    for name in ([default] if default else []) + list(_INVENTORY_NAMES):
        if expand(name) and (body := text(name)) is not None:
            inventory = _inventory("", name, body)
            return [inventory] if inventory.groups else []
    return []


def _inventory(environment: str, path: str, body: str) -> Inventory:
    if path.endswith((".yml", ".yaml")) or re.match(r"\s*(?:---|all:)", body):
        groups: dict[str, list[str]] = {}
        for document in yaml_documents(body):
            _yaml_groups(document, groups)
        return Inventory(environment, path, groups)
    return Inventory(environment, path, _ini_groups(body))


def _ini_groups(body: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    group, kind, headed = "ungrouped", "", False
    for line in body.splitlines():
        line = re.split(r"\s[#;]|^[#;]", line)[0].strip()
        header = re.fullmatch(r"\[([^\]:]+)(?::(\w+))?\]", line)
        if header:
            group, kind, headed = header[1], header[2] or "", True
            if not kind:
                groups.setdefault(group, [])
        elif line and kind == "children":
            children.setdefault(group, []).append(line.split()[0])
        elif line and not kind:
            groups.setdefault(group, []).append(line.split()[0])
    if not headed:
        return {}  # no [group]: a list of names, not an inventory (/etc/hosts copied here)
    for parent, kids in children.items():
        groups[parent] = groups.get(parent, []) + [h for k in kids for h in groups.get(k, [])]
    return {g: hosts for g, hosts in groups.items() if hosts}


def _yaml_groups(node: object, groups: dict[str, list[str]], name: str = "") -> list[str]:
    """The hosts of a YAML inventory's group ``node`` (its children's too), recorded by group."""
    if not isinstance(node, dict):
        return []
    if not name:  # the top: {all: {...}} or {web: {...}, db: {...}}
        for key, value in node.items():
            _yaml_groups(value, groups, str(key))
        return []
    hosts = [str(h) for h in node.get("hosts") or {}] if isinstance(node.get("hosts"), dict) else []
    children = node.get("children")
    for key, value in children.items() if isinstance(children, dict) else []:
        hosts += _yaml_groups(value, groups, str(key))
    if hosts and name != "all":
        groups[name] = list(dict.fromkeys(hosts))
    return hosts


def inventory_for(request: str, found: Ansible) -> Inventory | None:
    """The inventory of the one environment the request names (None: none, or several)."""
    words = request_words(request)
    named = [i for i in found.inventories if environment_names(i.environment) & words]
    return named[0] if len(named) == 1 else None


def names_in(request: str, found: Ansible) -> bool:
    """Whether the request names an environment, a group or a host (its first label) here."""
    words = request_words(request)
    for inventory in found.inventories:
        names = environment_names(inventory.environment) | set(inventory.groups)
        names |= {h.split(".")[0] for h in inventory.hosts()} | set(inventory.hosts())
        if {n.lower() for n in names} & words:
            return True
    return False


def ansible_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("ansible.cfg", "Ansible project (ansible.cfg: ...): playbooks site.yml ...")``.

    None where nothing here is Ansible's, or the request speaks neither of Ansible's words nor
    of an environment, a group or a host of an inventory here.
    """
    found = read_ansible(workdir, "" if ANSIBLE_WORDS.search(request) else request)
    if found is None:
        return None
    parts = []
    if found.config:
        said = [f"inventory {found.default_inventory}"] if found.default_inventory else []
        said += [f"roles_path {found.roles_path}"]
        said += [f"vault_password_file {found.vault_password_file}"] * bool(
            found.vault_password_file
        )
        parts.append(f"ansible.cfg ({', '.join(said)})")
    main = found.main_playbook()
    for name, plays in sorted(found.playbooks.items(), key=lambda item: item[0] != main):
        said = [f"imports {', '.join(found.imports[name])}"] if found.imports.get(name) else []
        for play in plays:
            roles = f"; roles {', '.join(play.roles)}" if play.roles else ""
            said.append(f"hosts {play.hosts}{roles}")
        parts.append(f"playbook {name} ({'; '.join(said)})")
    for inventory in found.inventories:
        shown = list(inventory.groups.items())[:8]
        groups = "; ".join(f"[{g}] {', '.join(hosts[:6])}" for g, hosts in shown)
        where = f"{inventory.environment} " if inventory.environment else ""
        parts.append(f"{where}inventory {inventory.path}: {groups}")
    if found.roles:
        parts.append(f"roles ({found.roles_path}/) {', '.join(found.roles)}")
    if found.tags() and _TAG_WORDS.search(request):  # else copied into commands as they are
        parts.append("task tags " + ", ".join(found.tags()[:16]))
    if found.vault_files and _VAULT_WORDS.search(request):
        parts.append("vault-encrypted " + ", ".join(found.vault_files[:6]))
    if found.requirements:
        parts.append(f"requirements {found.requirements}")
    label = found.config or next(iter(found.playbooks), "") or found.roles_path + "/"
    return label, "Ansible project: " + "; ".join(parts)
