"""Sure fixes from the fifty-seventh by-hand round: an Ansible project.

Shown the project (``cmdai.ansible_project.ansible_fact``), the model wrote ``ansible-playbook``
for nearly everything: for "ping all the staging hosts", "check the disk space on every
production web server", "install the roles and collections from the requirements file",
"create a new role called redis" and "edit the production secrets"; the task tags listed in
the facts copied whole after ``-t``; ``--diff`` without ``--check`` for a dry run (which then
runs for real); greps of an ``inventory/`` folder that is ``inventories/`` here.

Where the folder is an Ansible project and the request asks for one of its everyday tasks that
the draft does not do, the draft is replaced by Ansible's own form of it, with the inventory of
the environment the request names ("in production": ``inventories/production/hosts.ini``), the
group it names (``web`` for "the web servers"), the one host it names by its first label
("db1"), the tag and the task it names. ``ansible_fix`` returns the fixed command with a
``fixed here:`` note, or None; it is called (through ``cmdai.project_fixes.project_fix``) with
the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.ansible_project import Ansible, Inventory, inventory_for, parse_ansible
from cmdai.project_files import Done, holds, joined, request_words, runs_only

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: Ansible's own way for this project"
_ANSIBLE = frozenset(
    "ansible ansible-playbook ansible-inventory ansible-galaxy ansible-vault ansible-doc".split()  # noqa: SIM905
)
_REPLACEABLE = _ANSIBLE | frozenset(
    "grep egrep cat ls find awk sed head tail echo nano vim vi less openssl ping df free "  # noqa: SIM905
    "uptime systemctl service adduser useradd mkdir".split()
)
"""The programs of a draft these fixes may replace: Ansible's, readers of files, and what the
model writes for a task on the hosts when it does not reach them (``ping``, ``df``,
``systemctl``). Anything else (``terraform``, ``kubectl``, ``docker``) is another tool."""
_SERVICE_VERBS = {"restart": "restarted", "reload": "reloaded", "stop": "stopped"}
_SERVICE_VERBS["start"] = "started"
_AD_HOC = (  # what a request asks of each host, and the command that tells it
    (r"\bdisk\s+(?:space|usage)\b|\bfree\s+space\b", "df -h"),
    (r"\bmemory\b|\bram\b", "free -h"),
    (r"\buptime\b|\bhow\s+long\b.*\b(?:up|running)\b", "uptime"),
)


def ansible_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no Ansible project is here)."""
    if not here.exists("ansible.cfg") and not here.expand("roles/*/tasks"):
        return None
    if not runs_only(command, _REPLACEABLE):
        return None
    if re.search(r"\b(?:terraform|kubectl|helm|docker|pulumi|vagrant|salt|puppet)\b", request):
        return None  # another tool, named
    found = parse_ansible(here.expand, joined(here.lines))
    task = _task(request, found) if found is not None else None
    if task is None:
        return None
    fixed, done = task
    return None if done(command) else (fixed, _NOTE)


def _task(request: str, found: Ansible) -> tuple[str, Done] | None:
    """The command for the task the request asks for, and a test a draft doing it passes."""
    return (
        _vault_task(request, found)
        or _galaxy_task(request, found)
        or _listing_task(request, found)
        or _ad_hoc_task(request, found)
        or _playbook_task(request, found)
        or _variable_task(request, found)
    )


def _named(request: str, found: Ansible) -> bool:
    """Whether the request names an environment, a group or a host, or a playbook, of here.

    Generic requests ("ping the broadcast address", "run the tasks in a playbook") are another
    task, or a placeholder's.
    """
    option, inventory = _inventory_option(request, found)
    if option or _group(request, inventory, found) or _host(request, inventory):
        return True
    return _playbook(request, found, named=True) is not None


def _inventory_option(request: str, found: Ansible) -> tuple[str, Inventory | None]:
    """``-i PATH `` for the environment named, said even where it is ansible.cfg's.

    ``""`` where none is named, with the only inventory or ansible.cfg's.
    """
    inventory = inventory_for(request, found)
    if inventory is None:
        default = [i for i in found.inventories if i.path == found.default_inventory]
        only = found.inventories if len(found.inventories) == 1 else default
        return "", only[0] if only else None
    return f"-i {inventory.path} ", inventory


def _vault_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    vault = re.search(r"\b(?:vaults?|encrypted|decrypt\w*|ansible-vault)\b", request, re.I)
    secrets = re.search(r"\bsecrets\b", request, re.I) and inventory_for(request, found)
    if not found.vault_files or not (vault or secrets):
        return None
    words = request_words(request)
    if (inventory := inventory_for(request, found)) is not None:
        words |= {inventory.environment.lower()}
    files = [f for f in found.vault_files if words & (_path_words(f) - _GENERIC_PATH_WORDS)]
    if len(files) != 1:
        return None  # "view an encrypted vault file": which one is not said
    file = shlex.quote(files[0])
    if re.search(r"\b(?:edit|change|update|modify|add)\b", request, re.I):
        return f"ansible-vault edit {file}", holds(r"ansible-vault\s+edit\b", re.escape(file))
    if re.search(r"\b(?:show|view|see|print|read|display|decrypted|what)\b", request, re.I):
        return f"ansible-vault view {file}", holds(r"ansible-vault\s+view\b", re.escape(file))
    return None


_GENERIC_PATH_WORDS = frozenset(
    "vault vaults yml yaml group_vars host_vars vars all inventories inventory secrets".split()  # noqa: SIM905
)


def _path_words(path: str) -> set[str]:
    return set(re.split(r"[/.-]", path.lower())) - {""}


def _galaxy_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    role = re.search(
        r"\b(?:create|new|make|scaffold|init\w*|add)\b.*?\brole\s+(?:called\s+|named\s+)?"
        r"([a-z][\w-]*)",
        request,
        re.I,
    )
    if role is not None:
        name = role[1]
        return f"ansible-galaxy role init --init-path {found.roles_path} {name}", holds(
            r"ansible-galaxy\s+(?:role\s+)?init\b", rf"\b{name}\b"
        )
    if found.requirements and re.search(
        r"\binstall\b.*\b(?:roles?|collections?|requirements|dependencies)\b", request, re.I
    ):
        file = found.requirements
        return f"ansible-galaxy install -r {file}", holds(
            r"ansible-galaxy\s+(?:\S+\s+)*install\b", rf"-r\s*{re.escape(file)}"
        )
    return None


def _group(request: str, inventory: Inventory | None, found: Ansible) -> str | None:
    """The one group the request names ("the web servers", "the db group"), or None."""
    groups = (
        set(inventory.groups) if inventory else {g for i in found.inventories for g in i.groups}
    )
    words = request_words(request)
    named = [g for g in sorted(groups) if g.lower() in words or f"{g.lower()}s" in words]
    return named[0] if len(named) == 1 else None


def _host(request: str, inventory: Inventory | None) -> str | None:
    """The one host of the inventory the request names, whole or by its first label."""
    if inventory is None:
        return None
    words = request_words(request)
    named = [h for h in inventory.hosts() if h.lower() in words or h.split(".")[0] in words]
    return named[0] if len(named) == 1 else None


def _playbook(request: str, found: Ansible, named: bool = False) -> str | None:
    """The playbook the request names (by its file, or the group its play targets).

    Where it names none: the main one (with ``named``: None).
    """
    words = request_words(request)
    spoken = re.search(r"\bplaybook\b", request, re.I)
    for name, plays in found.playbooks.items():
        stem = name.rsplit(".", 1)[0].lower()
        hosts = {p.hosts.lower() for p in plays}
        aliases = {"database", "databases"} if hosts & {"db", "dbs", "dbservers"} else set()
        if name.lower() in words or (spoken and ({stem} | hosts | aliases) & words):
            return name
    return None if named else found.main_playbook()


def _listing_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    option, inventory = _inventory_option(request, found)
    main = _playbook(request, found)
    if main and re.search(r"\b(?:which|what|list|show)\b.*\btasks\b", request, re.I):
        return f"ansible-playbook {option}{main} --list-tasks", holds(r"--list-tasks")
    if main and re.search(r"\b(?:which|what|list|show)\b.*\btags\b", request, re.I):
        return f"ansible-playbook {main} --list-tags", holds(r"--list-tags")
    host = _host(request, inventory)
    if host and re.search(r"\bvariables\b|\bvars\b|\bhost\s*vars\b", request, re.I):
        return f"ansible-inventory {option}--host {host}", holds(
            r"ansible-inventory\b", rf"--host\s+{re.escape(host)}"
        )
    if re.search(r"\b(?:which|what|list|show)\b.*\bhosts\b", request, re.I):
        group = _group(request, inventory, found)
        if group:
            return f"ansible {group} {option}--list-hosts", holds(
                rf"\bansible\s+(?:\S+\s+)*{group}\b", r"--list-hosts", re.escape(option.strip())
            )
        if re.search(r"\binventor(?:y|ies)\b", request, re.I):
            return f"ansible-inventory {option}--graph", holds(
                r"ansible-inventory\b.*--(?:graph|list)", re.escape(option.strip())
            )
    return None


def _ad_hoc_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    """A module or a command run on every host of a group (or all) of the inventory named."""
    option, inventory = _inventory_option(request, found)
    named = _group(request, inventory, found)
    if inventory is None or not (option or named):
        return None
    group = named or "all"
    if re.search(r"\bping\b", request, re.I):
        return f"ansible {group} {option}-m ping", holds(
            rf"\bansible\s+{group}\b", r"-m\s*(?:ansible\.builtin\.)?ping\b", re.escape(option)
        )
    service = re.search(r"\b(restart|reload|stop|start)\s+(?:the\s+)?([\w@.-]+)", request, re.I)
    on_hosts = re.search(
        r"\b(?:on|across)\s+(?:the\s+|all\s+|every\s+)?\S*\s*\S*\s*"
        r"(?:servers?|hosts?|machines?|nodes?)\b",
        request,
        re.I,
    )
    if service is not None and on_hosts is not None:
        state = _SERVICE_VERBS[service[1].lower()]
        args = shlex.quote(f"name={service[2]} state={state}")
        return f"ansible {group} {option}-b -m service -a {args}", holds(
            rf"\bansible\s+{group}\b", r"-m\s*(?:ansible\.builtin\.)?service\b", f"state={state}"
        )
    for asked, line in _AD_HOC:
        if re.search(asked, request, re.I) and on_hosts is not None:
            return f"ansible {group} {option}-a {shlex.quote(line)}", holds(
                rf"\bansible\s+{group}\b", re.escape(line.split()[0]), re.escape(option)
            )
    return None


def _playbook_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    """``ansible-playbook`` with the inventory, check mode, tags, limit and start task asked."""
    if re.search(r"\bsyntax\b", request, re.I):
        return _syntax_task(request, found)
    option, inventory = _inventory_option(request, found)
    asked = (
        _named(request, found)
        and re.search(
            r"\b(?:playbooks?|deploy(?:s|ing)?|provision\w*|dry[- ]?run|check\s+mode|run|apply"
            r"|configure)\b",
            request,
            re.I,
        )
        and not re.match(r"\s*(?:what|which|how|why|where|when|show|list)\b", request, re.I)
    )
    playbook = _playbook(request, found) if asked else None
    if playbook is None:
        return None
    options, patterns = [], [re.escape(playbook), re.escape(option.strip())]
    if re.search(r"\bdry[- ]?run\b|\bcheck\s+mode\b|\bwithout\s+chang\w*|\bwould\s+chang", request):
        options.append("--check")
        patterns.append(r"(?:--check|-C)\b")
    if re.search(r"\bdiffs?\b|\bdifferences\b", request, re.I):
        options.append("--diff")
        patterns.append(r"(?:--diff|-D)\b")
    tags = [t for t in found.tags() if re.search(rf"\bonly\b.*\b{re.escape(t)}\b", request, re.I)]
    if len(tags) == 1 and re.search(r"\btasks?\b|\btags?\b", request, re.I):
        options.append(f"--tags {tags[0]}")
        patterns.append(rf"(?:--tags|-t)[= ]{tags[0]}(?:\s|$)")
    host = _host(request, inventory)
    if host and re.search(r"\bonly\s+on\b|\bjust\s+on\b|\blimit\w*\b", request, re.I):
        options.append(f"--limit {host}")
        patterns.append(rf"(?:--limit|-l)[= ]{re.escape(host)}(?:\s|$)")
    task = _start_task(request, found)
    if task is not None:
        options.append(f"--start-at-task {shlex.quote(task)}")
        patterns.append(r"--start-at-task")
    fixed = " ".join(["ansible-playbook", option.strip(), playbook, *options]).replace("  ", " ")
    done = holds(r"\bansible-playbook\b", *patterns)

    def clean(draft: str) -> object:  # and no tag the request did not ask for
        return done(draft) and not re.search(r"(?:--tags|-t)[= ]\S+,", draft)

    return fixed, clean


def _syntax_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    if not re.search(r"\b(?:playbooks?|ansible|plays)\b", request, re.I):
        return None  # "check the syntax of all PHP files"
    playbook = _playbook(request, found)
    every = " ".join(found.playbooks) if playbook is None else playbook
    return f"ansible-playbook {every} --syntax-check", holds(r"--syntax-check", re.escape(every))


def _start_task(request: str, found: Ansible) -> str | None:
    """The task named after "starting at" / "from" by most of its words (None: no one task)."""
    asked = re.search(r"\bstart\w*\s+(?:at|from|with)\b(.*)", request, re.I)
    if asked is None:
        return None
    words = request_words(asked[1])
    scored = []
    for task in found.tasks:
        name = {w.lower() for w in re.findall(r"\w+", task.name)} - {"the", "a", "an"}
        shared = len(name & words) + len(_stems(name) & _stems(words))
        scored.append((shared, task.name))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _stems(words: set[str]) -> set[str]:
    """Words without an ending ("writes", "write": writ), for matching a task's name."""
    return {re.sub(r"(?:ing|es|s|e)$", "", w) for w in words if len(w) > 3}


_GENERIC_VARIABLE_WORDS = frozenset(
    "app name path dir file user version home root port host url id type mode env log data "  # noqa: SIM905
    "time timezone size count list".split()
)


def _variable_task(request: str, found: Ansible) -> tuple[str, Done] | None:
    """What a variable the request names by all the parts of its name is set to, where it is."""
    if not re.search(r"\b(?:what|which)\b", request, re.I):
        return None
    words = request_words(request) | _stems(request_words(request))
    named = [v for v in found.variables if set(v.lower().split("_")) <= words]
    if len(named) != 1:
        return None
    said = re.search(r"\b(?:ansible|variables?|vars?|set|value)\b", request, re.I)
    own = set(named[0].lower().split("_")) - _GENERIC_VARIABLE_WORDS  # nginx, not app_name
    if not (named[0].lower() in words or said or own or _named(request, found)):
        return None
    name, files = named[0], found.variables[named[0]]
    where = " ".join(dict.fromkeys(files))
    return f"grep -n '^{name}:' {where}", holds(rf"\b{name}\b", *map(re.escape, files[:1]))
