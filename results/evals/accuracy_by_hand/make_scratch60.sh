#!/bin/sh
# The sixtieth by-hand round's scratch folder: a Python project managed with uv (a PEP 621
# pyproject.toml with a dev dependency group, a console script and a [tool.uv] table, a
# .python-version, a src layout and tests; no uv.lock or environment made yet).
set -e
d=${1:-/tmp/scratch60}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > pyproject.toml <<'EOF'
[project]
name = "wordstats"
version = "0.3.1"
description = "Count words in text files"
readme = "README.md"
requires-python = ">=3.9"
dependencies = [
    "click>=8.1",
    "requests>=2.31",
]

[project.scripts]
wordstats = "wordstats.cli:main"

[dependency-groups]
dev = [
    "pytest>=8.0",
    "ruff>=0.4",
]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.uv]
package = true
EOF
mkdir -p src/wordstats tests
cat > src/wordstats/__init__.py <<'EOF'
"""Count words in text files."""
EOF
cat > src/wordstats/cli.py <<'EOF'
import click


@click.command()
@click.argument("path")
def main(path):
    with open(path) as f:
        click.echo(len(f.read().split()))
EOF
cat > tests/test_cli.py <<'EOF'
from click.testing import CliRunner

from wordstats.cli import main


def test_counts_words(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("one two three")
    result = CliRunner().invoke(main, [str(p)])
    assert result.output.strip() == "3"
EOF
printf '# wordstats\n\nCount words in text files.\n' > README.md
printf 'the quick brown fox\njumps over the lazy dog\n' > sample.txt
printf '3.11\n' > .python-version
