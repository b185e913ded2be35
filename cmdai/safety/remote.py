"""Remote and shared state: infrastructure CLIs' deletes, and SQL given to database clients.

Read by ``cmdai.safety.effects`` for the utilities it names here. One named object deleted
(``kubectl delete pod web-1``, ``docker rm app``) is the user's own business; everything of a
kind (``--all``, ``prune``), a computed list (``$(docker ps -aq)``), or what a named delete
destroys whole (a cluster, a namespace, a project, a stack) is asked about. SQL is read
statement by statement by ``cmdai.inline.destructive_sql``, its string literals as data.
"""

from __future__ import annotations

import re

from cmdai.safety.effects_table import (
    INFRA_ALL_OPTIONS,
    INFRA_DELETE_VERBS,
    INFRA_DESTROY_VERBS,
    INFRA_SCOPES,
    MESSAGES,
    TARGET_CLASSES,
)
from cmdai.safety.model import Finding, Risk

DB_CLIENTS = frozenset(
    "psql mysql mariadb sqlite3 sqlcmd clickhouse-client cockroach duckdb snowsql bq mongo "  # noqa: SIM905
    "mongosh".split()
)
"""Database clients whose code options (``-c``, ``-e``, ``--eval``...) are read as SQL."""
_DB_CODE_OPTIONS = frozenset(
    {"-c", "--command", "-e", "--execute", "-q", "--query", "-Q", "-cmd", "--eval"}
)
_COMPUTED = re.compile(dict(TARGET_CLASSES)["computed"])
"""A word only known at run time (``$(...)``, a variable): the effects model's class."""


_MANIFEST_SETS = frozenset({"-k", "--kustomize", "-R", "--recursive"})
"""kubectl's options for a folder of manifests (a kustomization, a tree of files)."""


def _whole_app(positional: list[str], options: set[str], values: dict[str, str]) -> bool:
    """``kubectl delete -k overlays/staging``, ``-f k8s/``: every object an app's manifests make.

    One file (``-f pod.yaml``) is one named object or a few, the user's own business.
    """
    if options & _MANIFEST_SETS:
        return True
    files = [v for k, v in values.items() if k in ("-f", "--filename")]
    if options & {"-f", "--filename"} and "delete" in positional:
        files.extend(positional[positional.index("delete") + 1 :])
    return any(not f.endswith((".yaml", ".yml", ".json")) for f in files)


def infra_findings(
    positional: list[str], options: set[str], name: str = "", values: dict[str, str] | None = None
) -> list[Finding]:
    """Delete verbs of infrastructure CLIs: everything of a kind, or a computed list."""
    verbs = [w for w in positional[:3] if w in INFRA_DELETE_VERBS]
    if not verbs or positional[0] == "config":  # `kubectl config delete-cluster`: a local entry
        return []
    computed = any(_COMPUTED.match(w) for w in positional + sorted(options))
    everything = (  # or what a named delete destroys whole (a cluster, a project)
        bool(options & INFRA_ALL_OPTIONS)
        or ("prune" in verbs and bool({"volume", "container"} & set(positional[:2])))
        or positional == ["destroy"]  # `vagrant destroy`: every machine of the Vagrantfile
    )
    everything |= bool(set(verbs) & INFRA_DESTROY_VERBS or INFRA_SCOPES & set(positional[:3]))
    kube = name in ("kubectl", "oc") and verbs == ["delete"]
    everything |= kube and _whole_app(positional, options, values or {})
    if not (computed or everything):
        return []
    return [Finding("effect-remote-destroy", Risk.HIGH, MESSAGES["remote-destroy"], "")]


def sql_findings(
    name: str, positional: list[str], values: dict[str, str], stdin: str | None
) -> list[Finding]:
    """SQL given to a database client, statement by statement (literals are data)."""
    from cmdai.inline import destructive_sql

    code = [v for k, v in values.items() if k in _DB_CODE_OPTIONS]
    if name in ("sqlite3", "duckdb") and len(positional) > 1:
        code.extend(positional[1:])
    if stdin is not None:
        code.append(stdin)
    return [
        Finding(f"effect-sql-{kind}", Risk.HIGH, message, "Take a dump first (pg_dump, mysqldump).")
        for kind, message in destructive_sql(" ;\n".join(code))
    ]
