#!/bin/sh
# The fifty-second by-hand round's scratch folder: Python scripts with a requirements.txt and a
# virtual environment in .venv (made here, with pip; nothing installed in it yet).
set -e
d=${1:-/tmp/scratch52}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
printf 'requests==2.31.0\nrich>=13\n' > requirements.txt
cat > fetch_prices.py <<'PY'
"""Fetch prices for the last N days."""
import argparse

import requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=1, help="how many days back")
    args = parser.parse_args()
    print(f"fetching {args.days} days", requests.__name__)


if __name__ == "__main__":
    main()
PY
cat > report.py <<'PY'
"""Print a report."""
print("report")
PY
mkdir -p tests
printf 'def test_report():\n    assert True\n' > tests/test_report.py
python3 -m venv .venv
