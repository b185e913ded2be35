#!/bin/sh
# The thirty-eighth by-hand round's scratch folder: a Python package built from a
# pyproject.toml (a src layout, a console script, tests, a tox-free dev setup).
set -e
d=${1:-/tmp/scratch38}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > pyproject.toml <<'TOML'
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "notecli"
version = "0.3.1"
dependencies = ["click>=8.1"]

[project.optional-dependencies]
dev = ["pytest", "ruff"]

[project.scripts]
notes = "notecli.cli:main"
TOML
mkdir -p src/notecli tests
printf '__version__ = "0.3.1"\n' > src/notecli/__init__.py
printf 'import click\n\n\n@click.command()\ndef main():\n    click.echo("notes")\n' > src/notecli/cli.py
printf 'def test_main():\n    assert True\n' > tests/test_cli.py
