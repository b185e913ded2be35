"""A Django project in the working directory, where a request speaks of it.

In a folder with ``manage.py``, settings split into base, dev and production and a ``shop`` app
with models, a migration and a fixture (the fifty-eighth by-hand round), "run the tests of the
shop app" was ``npm test``, "create an admin user" an ``adduser``, "collect the static files" a
``find -exec cp``, "roll the shop app back to its first migration" a ``git reset --hard``, and
"check the project for problems before deploying" was declined: the model is shown files a
request names, and these name none. Where the request speaks of Django or its words (migration,
app, model, fixture, static files, admin user, settings, the server, the database) or names an
app or a model here, the facts (through ``cmdai.projects.project_facts``) show the settings
modules and the default one, each app with its models, migrations and fixtures, and the
database. ``cmdai.django_fixes`` reads the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cmdai.project_files import expand_in, request_words, small_text

DJANGO_WORDS = re.compile(
    r"\b(?:django|manage\.py|migrat\w*|apps?|models?|fixtures?|static|admin|superuser"
    r"|settings|server|database|db|dbshell|sessions?|sql|shell|deploy\w*|templates?|urls?"
    r"|tests?|checks?|dump\w*|load\w*)\b",
    re.IGNORECASE,
)
MAX_APPS = 24
_MODEL = re.compile(r"^class\s+(\w+)\((?:models\.)?Model\)", re.M)
_STATIC_ROOT = re.compile(r"""^STATIC_ROOT\s*=\s*(?:BASE_DIR\s*/\s*)?["']([^"']+)["']""", re.M)
_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")


@dataclass(frozen=True)
class App:
    """One app of the project: its folder, models, migrations and fixtures."""

    name: str  # shop
    models: list[str]  # Category, Product
    migrations: list[str]  # 0001_initial
    fixtures: list[str]  # shop/fixtures/sample_data.json
    tests: bool


@dataclass
class Django:
    """What a Django project's files say, as far as the facts and the fixes need it."""

    settings: str = ""  # mysite.settings.dev, manage.py's default
    settings_modules: list[str] = field(default_factory=list)  # mysite.settings.production
    apps: list[App] = field(default_factory=list)
    engine: str = ""  # sqlite3
    database: str = ""  # db.sqlite3
    database_file: str = ""  # the settings file that says which
    database_made: bool = False
    static_root: str = ""

    def app(self, name: str) -> App | None:
        """The app called ``name`` (None: none here)."""
        return next((a for a in self.apps if a.name == name), None)


def read_django(workdir: Path) -> Django | None:
    """The project here (None: no ``manage.py`` of Django's here)."""

    def expand(pattern: str) -> list[str]:
        return expand_in(workdir, pattern)

    def text(name: str) -> str | None:
        return small_text(workdir / name, replace=True)

    return parse_django(expand, text)


def parse_django(
    expand: Callable[[str], list[str]], text: Callable[[str], str | None]
) -> Django | None:
    """The project that ``expand`` (a glob here) and ``text`` (a small file's text) show."""
    manage = text("manage.py")
    if manage is None or "django" not in manage.lower():
        return None
    found = Django()
    if (default := _SETTINGS.search(manage)) is not None:
        found.settings = default[1]
        parts = default[1].split(".")
        package = "/".join(parts[:-1])
        if package and expand(f"{package}/__init__.py") and len(parts) > 2:  # a package of them
            found.settings_modules = [
                f"{'.'.join(parts[:-1])}.{name.rsplit('/', 1)[-1][:-3]}"
                for name in expand(f"{package}/*.py")
                if not name.endswith("__init__.py")
            ]
        else:
            found.settings_modules = [default[1]]
    for module in found.settings_modules:
        body = text(module.replace(".", "/") + ".py") or ""
        engine = re.search(r"""["']ENGINE["']\s*:\s*["']django\.db\.backends\.(\w+)""", body)
        if engine is not None and not found.engine:
            found.engine, found.database_file = engine[1], module.replace(".", "/") + ".py"
            name = re.search(r"""["']NAME["']\s*:\s*(?:BASE_DIR\s*/\s*)?["']([^"']+)["']""", body)
            found.database = name[1] if name else ""
        static = re.search(
            r"^STATIC_ROOT\s*=\s*(?:BASE_DIR\s*/\s*)?[\"']([^\"']+)[\"']", body, re.M
        )
        if static is not None and not found.static_root:
            found.static_root = static[1]
    found.database_made = found.engine == "sqlite3" and bool(expand(found.database))
    for folder in sorted({n.split("/")[0] for n in expand("*/apps.py") + expand("*/models.py")}):
        if len(found.apps) >= MAX_APPS:
            break
        models = _MODEL.findall(text(f"{folder}/models.py") or "")
        migrations = [
            n.rsplit("/", 1)[-1][:-3]
            for n in expand(f"{folder}/migrations/[0-9][0-9][0-9][0-9]_*.py")
        ]
        fixtures = expand(f"{folder}/fixtures/*.json") + expand(f"{folder}/fixtures/*.yaml")
        tests = bool(expand(f"{folder}/tests.py") or expand(f"{folder}/tests"))
        found.apps.append(App(folder, models, migrations, fixtures, tests))
    return found


def named_app(request: str, found: Django) -> App | None:
    """The one app the request names ("the shop app", "shop"), or None."""
    words = request_words(request)
    named = [a for a in found.apps if a.name.lower() in words]
    return named[0] if len(named) == 1 else None


def named_model(request: str, found: Django) -> tuple[App, str] | None:
    """The one model the request names, by its name or its plural ("the products")."""
    words = {w.lower() for w in re.findall(r"[\w-]+", request)}
    named = [
        (app, model)
        for app in found.apps
        for model in app.models
        if {model.lower(), _plural(model.lower())} & words
    ]
    return named[0] if len(named) == 1 else None


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def django_fact(request: str, workdir: Path) -> tuple[str, str] | None:
    """``("manage.py", "Django project (manage.py; settings mysite.settings.dev ...")``.

    None where no Django ``manage.py`` is here, or the request speaks neither of Django's words
    nor of an app or a model here by name.
    """
    if not (workdir / "manage.py").is_file():
        return None
    found = read_django(workdir)
    if found is None:
        return None
    if not DJANGO_WORDS.search(request) and not (
        named_app(request, found) or named_model(request, found)
    ):
        return None
    parts = []
    if found.settings:
        others = [m for m in found.settings_modules if m != found.settings]
        also = f" (also {', '.join(others)})" if others else ""
        parts.append(f"default settings {found.settings}{also}")
    for app in found.apps:
        said = [f"models {', '.join(app.models)}"] if app.models else []
        said += [f"migrations {', '.join(app.migrations)}"] if app.migrations else []
        said += [f"fixtures {', '.join(app.fixtures)}"] if app.fixtures else []
        said += ["tests"] if app.tests else []
        parts.append(f"app {app.name}" + (f" ({'; '.join(said)})" if said else ""))
    if found.engine:
        made = "" if found.database_made or found.engine != "sqlite3" else ", not made yet"
        where = f" {found.database}" if found.database else ""
        parts.append(f"database {found.engine}{where} (in {found.database_file}{made})")
    if found.static_root:
        parts.append(f"STATIC_ROOT {found.static_root}")
    return "manage.py", "Django project (run with python3 manage.py): " + "; ".join(parts)
