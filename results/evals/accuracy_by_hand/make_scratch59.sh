#!/bin/sh
# The fifty-ninth by-hand round's scratch folder: a Python project managed with Poetry (a
# pyproject.toml with [tool.poetry], a dependency group for development, a console script, a
# lock file not yet made, a package and tests; no virtual environment made yet).
set -e
d=${1:-/tmp/scratch59}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > pyproject.toml <<'EOF'
[tool.poetry]
name = "wordstats"
version = "0.3.1"
description = "Count words in text files"
authors = ["Ada <ada@example.com>"]
readme = "README.md"
packages = [{ include = "wordstats", from = "src" }]

[tool.poetry.dependencies]
python = "^3.9"
click = "^8.1"
requests = "^2.31"

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
ruff = "^0.4"

[tool.poetry.scripts]
wordstats = "wordstats.cli:main"

[build-system]
requires = ["poetry-core>=1.9"]
build-backend = "poetry.core.masonry.api"
EOF
mkdir -p src/wordstats tests
cat > src/wordstats/__init__.py <<'EOF'
"""Count words in text files."""

__version__ = "0.3.1"
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
