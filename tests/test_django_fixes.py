"""A Django project (cmdai.django_project.django_fact, cmdai.django_fixes; the fifty-eighth
by-hand round). Django is not a dependency, so its commands are checked as text; the reads of
the files run for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.django_project import django_fact, named_model, read_django

MANAGE = """#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""
BASE = """from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
STATIC_ROOT = BASE_DIR / "staticfiles"
"""
MODELS = """from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=100)


class Product(models.Model):
    name = models.CharField(max_length=200)


class Helper:
    pass
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "manage.py": MANAGE,
            "mysite/__init__.py": "",
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": BASE,
            "mysite/settings/dev.py": "from .base import *\nDEBUG = True\n",
            "mysite/settings/production.py": "from .base import *\nDEBUG = False\n",
            "shop/__init__.py": "",
            "shop/apps.py": "from django.apps import AppConfig\n",
            "shop/models.py": MODELS,
            "shop/migrations/__init__.py": "",
            "shop/migrations/0001_initial.py": "# made by Django\n",
            "shop/migrations/0002_product_in_stock.py": "# made by Django\n",
            "shop/fixtures/sample_data.json": "[]\n",
            "shop/tests.py": "from django.test import TestCase\n",
            "static/site.css": "body {}\n",
        },
    )


def test_the_facts_show_the_settings_apps_and_database(project: Path) -> None:
    label, text = django_fact("apply the database migrations", project) or ("", "")
    assert label == "manage.py"
    assert text == (
        "Django project (run with python3 manage.py): default settings mysite.settings.dev "
        "(also mysite.settings.base, mysite.settings.production); app shop (models Category, "
        "Product; migrations 0001_initial, 0002_product_in_stock; fixtures "
        "shop/fixtures/sample_data.json; tests); database sqlite3 db.sqlite3 (in "
        "mysite/settings/base.py, not made yet); STATIC_ROOT staticfiles"
    )
    (project / "db.sqlite3").write_bytes(b"")
    _, text = django_fact("open a database shell", project) or ("", "")
    assert "database sqlite3 db.sqlite3 (in mysite/settings/base.py);" in text


def test_the_facts_need_a_word_of_django_or_a_name_here(project: Path) -> None:
    for request in ("count the products", "what is in the shop", "create the migrations"):
        assert django_fact(request, project) is not None, request
    for request in ("count the lines of notes.txt", "show the disk usage", "who am i"):
        assert django_fact(request, project) is None, request


def test_a_manage_py_of_another_kind_is_not_django(tmp_path: Path) -> None:
    write_files(tmp_path, {"manage.py": "import click\n", "app/models.py": "class A: pass\n"})
    assert read_django(tmp_path) is None
    assert django_fact("run the migrations", tmp_path) is None
    assert fixed("python manage.py migrate", "apply the migrations", tmp_path) is None


def test_a_single_settings_module_and_models_by_their_plural(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "manage.py": MANAGE.replace("mysite.settings.dev", "blog.settings"),
            "blog/settings.py": "DATABASES = {'default': {'ENGINE': "
            "'django.db.backends.postgresql', 'NAME': 'blog'}}\n",
            "posts/models.py": "from django.db.models import Model\nclass Entry(Model): ...\n"
            "class Category(Model): ...\n",
        },
    )
    found = read_django(tmp_path)
    assert found is not None
    assert found.settings_modules == ["blog.settings"]
    assert (found.engine, found.database, found.database_made) == ("postgresql", "blog", False)
    assert [(a.name, a.models, a.tests) for a in found.apps] == [
        ("posts", ["Entry", "Category"], False)
    ]
    model = named_model("how many categories are there", found)
    assert model is not None
    assert model[1] == "Category"
    _, text = django_fact("show the entries", tmp_path) or ("", "")
    assert text.endswith("database postgresql blog (in blog/settings.py)")


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        (
            "python3 manage.py runserver 8080",
            "run the dev server on port 8080 so other machines can reach it",
            "python3 manage.py runserver 0.0.0.0:8080",
        ),
        (
            "python3 manage.py makemigrations",
            "apply the database migrations",
            "python3 manage.py migrate",
        ),
        (
            "python3 manage.py makemigrations",
            "apply the migrations of the shop app",
            "python3 manage.py migrate shop",
        ),
        (
            "python manage.py check --dry-run",
            "which migrations have not been applied yet",
            "python manage.py migrate --plan",
        ),
        ("npm test", "run the tests of the shop app", "python3 manage.py test shop"),
        (
            "python manage.py test",
            "run the django tests with the production settings",
            "python manage.py test --settings=mysite.settings.production",
        ),
        ("sqlite3", "open a database shell", "python3 manage.py dbshell"),
        (
            "find static -type f -exec cp {} . \\;",
            "collect the static files",
            "python3 manage.py collectstatic --noinput",
        ),
        (
            "python3 manage.py check",
            "check the project for problems before deploying",
            "python3 manage.py check --deploy",
        ),
        (
            "cat shop/migrations/0001_initial.py",
            "show the SQL of the shop app's first migration",
            "python3 manage.py sqlmigrate shop 0001",
        ),
        (
            "git reset --hard HEAD~1",
            "roll the shop app back to its first migration",
            "python3 manage.py migrate shop 0001",
        ),
        (
            "python3 manage.py migrate",
            "undo every migration of the shop app",
            "python3 manage.py migrate shop zero",
        ),
        (
            "python manage.py dumpdata --output products.json",
            "dump the products to a JSON file",
            "python manage.py dumpdata shop.Product --indent 2 -o products.json",
        ),
        (
            "python manage.py dumpdata > x.json",
            "export the categories into cats.json",
            "python manage.py dumpdata shop.Category --indent 2 -o cats.json",
        ),
        (
            "cp sample_data.sql .db",
            "load the sample data fixture",
            "python3 manage.py loaddata sample_data",
        ),
        (
            "python manage.py count_products",
            "count the products in the database",
            "python manage.py shell -c 'from shop.models import Product; "
            "print(Product.objects.count())'",
        ),
        ("mkdir blog", "create a new app called blog", "python3 manage.py startapp blog"),
        (
            "sudo adduser --system admin",
            "create an admin user",
            "python3 manage.py createsuperuser",
        ),
        ("python manage.py flush", "delete the expired sessions", "python manage.py clearsessions"),
        (
            "python manage.py show_settings",
            "which settings module does manage.py use by default",
            "grep -n DJANGO_SETTINGS_MODULE manage.py",
        ),
        (
            "psql -c 'SELECT datname FROM pg_database'",
            "what database does the project use",
            "grep -n -A 4 '^DATABASES' mysite/settings/base.py",
        ),
        # already right, or not Django's task: left alone
        ("python3 manage.py runserver", "start the development server", None),
        ("python manage.py makemigrations shop", "create the migrations for the shop app", None),
        ("pytest tests/test_cli.py", "run the tests", None),
        ("npm start", "start the server", None),
        ("python -m http.server", "start the built-in HTTP server on port 8000 here", None),
        ("grep -E 'ERROR|WARNING' app.log", "show lines in app.log that are errors", None),
        ("sudo mkdir -p /opt/lib", "create the directory as super user", None),
        ("docker compose up -d", "start the app with compose", None),
    ],
)
def test_django_s_own_way_for_the_task_asked(
    project: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, project) == expected


def test_a_virtual_environment_here_runs_manage_py(project: Path) -> None:
    write_files(project, {".venv/pyvenv.cfg": "home = /usr/bin\n"})
    assert (
        fixed("sqlite3", "open a database shell", project) == ".venv/bin/python manage.py dbshell"
    )


def test_the_settings_module_is_read_from_manage_py(project: Path) -> None:
    out = run_bash("grep -n DJANGO_SETTINGS_MODULE manage.py", project).stdout
    assert "mysite.settings.dev" in out
