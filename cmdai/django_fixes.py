"""Sure fixes from the fifty-eighth by-hand round: a Django project.

Shown the project (``cmdai.django_project.django_fact``), the model wrote ``manage.py``
commands, many for another task: ``makemigrations`` to apply the migrations, ``shell`` for a
database shell, ``check --dry-run`` (no such option) for the migrations not applied yet,
``showmigrations`` for a migration's SQL, ``migrate --fake-initial`` to roll an app back,
``flush`` (every row deleted) for the expired sessions, ``dumpdata`` of everything for "the
products", made-up commands (``count_products``, ``show_settings``), a ``find -exec cp`` for
the static files, and ``runserver 8080`` where other machines must reach it (it listens on
127.0.0.1 only).

Where the folder holds Django's ``manage.py`` and the request asks for one of these everyday
tasks that the draft does not do, the draft is replaced by ``manage.py``'s own command for
it, with the app, the model, the migration and the fixture the request names, and questions
about the project are read from its files. ``django_fix`` returns the fixed command with a
``fixed here:`` note, or None; it is called (through ``cmdai.project_fixes.project_fix``) with
the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.django_project import Django, named_app, named_model, parse_django
from cmdai.project_files import Done, holds, joined, request_words, runs_only

if TYPE_CHECKING:
    from cmdai.pitfalls import Here

_NOTE = "fixed here: Django's own way for this project"
_REPLACEABLE = frozenset(
    "python python3 manage.py django-admin grep cat ls find awk sed head tail echo cp mkdir "  # noqa: SIM905
    "sqlite3 psql mysql adduser useradd npm pytest git rm jq".split()
)
"""The programs of a draft these fixes may replace: Django's, readers of files, and what the
model writes for a Django task when it does not know the project (``sqlite3`` for the database
shell, ``adduser`` for an admin user, ``git reset`` to roll back a migration)."""


def django_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies (None: none does, or no Django project is here)."""
    if not here.exists("manage.py") or not runs_only(command, _REPLACEABLE):
        return None
    found = parse_django(here.expand, joined(here.lines))
    if found is None:
        return None
    python = _python(command, here)
    task = _task(request, command, found, python)
    if task is None:
        return None
    fixed, done = task
    return None if done(command) else (fixed, _NOTE)


def _python(command: str, here: Here) -> str:
    """How the draft runs Python (``python3`` where it does not, or a venv's python here)."""
    cfgs = here.expand("*/pyvenv.cfg") + here.expand(".*/pyvenv.cfg")
    venvs = [p.removesuffix("/pyvenv.cfg") for p in cfgs]
    if len(venvs) == 1:
        return f"{venvs[0]}/bin/python"
    used = re.search(r"(?:^|[\s;&|(])((?:\S*/)?python[0-9.]*)\s+(?:\S*/)?manage\.py\b", command)
    return used[1] if used else "python3"


def _manage(python: str, args: str) -> str:
    return f"{python} manage.py {args}"


_MANAGE = r"(?:manage\.py|django-admin)\s+(?:.*\s)?"
"""A draft's ``manage.py`` (or ``django-admin``) before the sub-command a test looks for."""


def _task(request: str, command: str, found: Django, python: str) -> tuple[str, Done] | None:
    """The command for the task the request asks for, and a test a draft doing it passes."""
    return (
        _migration_task(request, found, python)
        or _server_task(request, command, python)
        or _data_task(request, found, python)
        or _admin_task(request, found, python)
        or _read_task(request, found)
    )


def _migration(request: str, app_migrations: list[str]) -> str | None:
    """The migration the request names: "first"/"initial", its number, or its name."""
    if re.search(r"\b(?:first|initial)\b", request, re.I) and app_migrations:
        return app_migrations[0].split("_")[0]
    number = re.search(r"\b(\d{4})\b", request)
    if number and any(m.startswith(number[1]) for m in app_migrations):
        return number[1]
    return None


def _migration_task(request: str, found: Django, python: str) -> tuple[str, Done] | None:
    if not re.search(r"\bmigrat\w*", request, re.I):
        return None
    app = named_app(request, found)
    label = f" {app.name}" if app else ""
    if re.search(r"\b(?:create|make|generate|new)\b", request, re.I):
        return _manage(python, f"makemigrations{label}"), holds(
            rf"{_MANAGE}makemigrations\b", *([rf"makemigrations\s+{app.name}\b"] if app else [])
        )
    if app and re.search(r"\bsql\b", request, re.I):
        migration = _migration(request, app.migrations)
        if migration is None:
            return None
        return _manage(python, f"sqlmigrate {app.name} {migration}"), holds(
            rf"{_MANAGE}sqlmigrate\s+{app.name}\s+{migration}"
        )
    if app and re.search(r"\b(?:roll\w*\s+back|revert|undo|back\s+to|unapply)\b", request, re.I):
        if re.search(r"\b(?:all|every|zero|nothing)\b", request, re.I):
            target = "zero"
        else:
            target = _migration(request, app.migrations) or ""
        if not target:
            return None
        return _manage(python, f"migrate {app.name} {target}"), holds(
            rf"{_MANAGE}migrate\s+{app.name}\s+{target}\b"
        )
    if re.search(r"\b(?:not|un|yet|pending|unapplied|outstanding)\b", request, re.I) and re.search(
        r"\b(?:which|what|list|show)\b", request, re.I
    ):
        return _manage(python, f"migrate{label} --plan"), holds(
            rf"{_MANAGE}(?:migrate\s+(?:.*\s)?--plan|showmigrations\b)"
        )
    if re.search(r"\b(?:apply|run|migrate)\b", request, re.I):
        return _manage(python, f"migrate{label}"), holds(rf"{_MANAGE}migrate\b(?!.*--plan)")
    return None


def _server_task(request: str, command: str, python: str) -> tuple[str, Done] | None:
    """Django's development server (where the request or the draft says it is Django's)."""
    server = re.search(r"\bserver\b", request, re.I)
    django = re.search(r"\bdev(?:elopment)?\s+server\b|\bdjango\b", request, re.I) or re.search(
        rf"{_MANAGE}runserver\b", command
    )
    if not (server and django) or not re.search(r"\b(?:start|run|launch|serve)\b", request, re.I):
        return None
    port = re.search(r"\bport\s+(\d{2,5})\b", request, re.I)
    outside = re.search(
        r"\bother\s+(?:machines|computers|devices|hosts)\b|\bnetwork\b|\bexternal\w*|\b0\.0\.0\.0\b"
        r"|\banywhere\b|\beveryone\b|\blan\b|\bpublic\w*",
        request,
        re.I,
    )
    address = ("0.0.0.0:" if outside else "") + (port[1] if port else ("8000" if outside else ""))
    args = f"runserver {address}".strip()
    patterns = [rf"{_MANAGE}runserver\b"]
    if address:
        patterns.append(rf"runserver\s+{re.escape(address)}(?:\s|$)")
    return _manage(python, args), holds(*patterns)


def _data_task(request: str, found: Django, python: str) -> tuple[str, Done] | None:
    """Data in and out of the database: a fixture loaded, a model dumped, rows counted."""
    fixtures = [f for a in found.apps for f in a.fixtures]
    words = request_words(request) | {w.replace(" ", "_") for w in re.findall(r"\w+ \w+", request)}
    if re.search(r"\bload\w*\b", request, re.I) and fixtures:
        named = [f for f in fixtures if _stem(f) in words or set(_stem(f).split("_")) <= words]
        if len(named) == 1:
            name = _stem(named[0])
            return _manage(python, f"loaddata {name}"), holds(
                rf"{_MANAGE}loaddata\s+(?:\S*/)?{name}\b"
            )
    model = named_model(request, found)
    if model is not None and re.search(r"\b(?:dump|export|backup|back\s+up)\w*", request, re.I):
        app, name = model
        out = re.search(r"\b(?:to|into|in)\s+([\w./-]+\.json)\b", request, re.I)
        file = out[1] if out else f"{name.lower()}s.json"
        label = f"{app.name}.{name}"
        return _manage(python, f"dumpdata {label} --indent 2 -o {file}"), holds(
            rf"{_MANAGE}dumpdata\s+(?:.*\s)?{re.escape(label)}\b"
        )
    if model is not None and re.search(r"\b(?:count|how\s+many|number\s+of)\b", request, re.I):
        app, name = model
        code = f"from {app.name}.models import {name}; print({name}.objects.count())"
        return _manage(python, f"shell -c {shlex.quote(code)}"), holds(
            rf"{_MANAGE}shell\s+(?:.*\s)?(?:-c|--command)\b", rf"{name}\.objects\.count\(\)"
        )
    return None


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()


def _admin_task(request: str, found: Django, python: str) -> tuple[str, Done] | None:
    """The project's chores: tests, admin user, shells, static files, checks, new apps."""
    app = named_app(request, found)
    settings = [m for m in found.settings_modules if m.rsplit(".", 1)[-1] in request_words(request)]
    named = app or len(settings) == 1 or re.search(r"\bdjango\b", request, re.I)
    if named and re.search(r"\btests?\b", request, re.I) and re.search(r"\brun\b", request, re.I):
        args = "test" + (f" {app.name}" if app else "")
        patterns = [rf"{_MANAGE}test\b"] + ([rf"test\s+(?:.*\s)?{app.name}\b"] if app else [])
        if len(settings) == 1:
            args += f" --settings={settings[0]}"
            patterns.append(rf"--settings[= ]{re.escape(settings[0])}\b")
        return _manage(python, args), holds(*patterns)
    if re.search(
        r"\b(?:create|add|make)\s+(?:an?\s+|the\s+|new\s+|django\s+)*"
        r"(?:admin(?:istrator)?\s*user|superuser|super\s+user)\b",
        request,
        re.I,
    ):
        return _manage(python, "createsuperuser"), holds(rf"{_MANAGE}createsuperuser\b")
    if re.search(r"\b(?:database|db|sql)\s+shell\b|\bdbshell\b", request, re.I):
        return _manage(python, "dbshell"), holds(rf"{_MANAGE}dbshell\b")
    if re.search(r"\bstatic\s+files\b", request, re.I) and re.search(
        r"\bcollect\w*", request, re.I
    ):
        return _manage(python, "collectstatic --noinput"), holds(rf"{_MANAGE}collectstatic\b")
    if re.search(r"\bexpired\s+sessions\b|\bsessions?\b.*\bexpired\b", request, re.I):
        return _manage(python, "clearsessions"), holds(rf"{_MANAGE}clearsessions\b")
    new_app = re.search(
        r"\b(?:create|new|make|start|add)\b.*?\bapp\s+(?:called\s+|named\s+)?([a-z_]\w*)",
        request,
        re.I,
    )
    if new_app is not None and new_app[1].lower() not in ("for", "to", "that", "with"):
        name = new_app[1]
        return _manage(python, f"startapp {name}"), holds(rf"{_MANAGE}startapp\s+{name}\b")
    if re.search(r"\b(?:check|problems?|issues?)\b", request, re.I) and re.search(
        r"\b(?:project|django)\b", request, re.I
    ):
        deploy = re.search(r"\bdeploy\w*|\bproduction\b", request, re.I)
        return _manage(python, "check --deploy" if deploy else "check"), holds(
            rf"{_MANAGE}check\b", *([r"--deploy\b"] if deploy else [])
        )
    return None


def _read_task(request: str, found: Django) -> tuple[str, Done] | None:
    """Questions about the project's settings, read from its files."""
    if found.settings and re.search(
        r"\bsettings\s+module\b|\bDJANGO_SETTINGS_MODULE\b", request, re.I
    ):
        return "grep -n DJANGO_SETTINGS_MODULE manage.py", holds(
            r"\bgrep\b.*DJANGO_SETTINGS_MODULE", r"manage\.py"
        )
    if found.database_file and re.search(
        r"\b(?:which|what)\s+database\b|\bdatabase\s+(?:engine|settings|backend)\b", request, re.I
    ):
        file = found.database_file
        return f"grep -n -A 4 '^DATABASES' {file}", holds(r"DATABASES", re.escape(file))
    return None
