#!/bin/sh
# The twenty-second by-hand round's scratch folder: a small Python project (an app script,
# a src package, tests, requirements, __pycache__ folders and .pyc files, a log).
set -e
d=${1:-/tmp/scratch22}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
mkdir -p src/pkg/__pycache__ src/__pycache__ tests/__pycache__
printf 'import os\nprint("debug" if os.getenv("DEBUG") else "quiet")\n' > app.py
printf 'import requests\n\n\ndef fetch(url):\n    return requests.get(url)\n\n# TODO: retry\n' > src/net.py
printf 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n' > src/pkg/maths.py
printf '' > src/pkg/__init__.py
printf 'def broken(:\n    pass\n' > src/bad.py
printf 'from src.pkg.maths import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n' > tests/test_app.py
printf 'def test_other():\n    assert True\n' > tests/test_other.py
: > conftest.py  # pytest puts this folder on sys.path, so the tests import src
printf 'requests==2.31.0\nclick>=8\n' > requirements.txt
printf 'x' > src/__pycache__/net.cpython-311.pyc && printf 'x' > src/pkg/__pycache__/maths.cpython-311.pyc
printf 'x' > tests/__pycache__/test_app.cpython-311.pyc && printf 'x' > stray.pyc
printf 'started\nrequest 1\nrequest 2\n' > out.log
