"""A Node.js project (cmdai.projects in the facts, cmdai.node_fixes; the thirty-seventh by-hand
round). The fixed commands that npm answers without the network run with the npm here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.context import render_facts, workspace_facts
from cmdai.projects import node_fact

MANIFEST = {
    "name": "shop-api",
    "version": "1.4.2",
    "scripts": {"start": "node src/server.js", "test": "node --test test/", "lint": "node l.js"},
    "dependencies": {"left-pad": "^1.3.0"},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "package.json": json.dumps(MANIFEST, indent=2) + "\n",
            "src/add.js": "module.exports = (a, b) => a + b;\n",
            "test/add.test.js": 'const t = require("node:test");\nt("ok", () => {});\n',
            "test/other.test.js": 'const t = require("node:test");\nt("other", () => {});\n',
            "node_modules/left-pad/package.json": '{"name": "left-pad", "version": "1.3.0"}\n',
        },
    )


def test_the_project_is_shown_where_the_request_speaks_of_it(project: Path) -> None:
    shown = node_fact("run the tests", project)
    assert shown is not None
    assert shown[0] == "package.json"
    assert shown[1].startswith("Node.js project shop-api 1.4.2; npm scripts: start (node src/")
    assert "dependencies: left-pad" in shown[1]
    for request in (
        "start the server",
        "install the dependencies",
        "bump the patch version",
        "which version of left-pad is installed",
        "show the project's version",
    ):
        assert node_fact(request, project) is not None, request
    # words of other requests: the kernel's version, a file test.txt, a folder named node_modules
    for request in (
        "show the kernel version",
        "sort test.txt",
        "count the lines in src",
        "find TODO but not in node_modules",
        "make a folder left-pad",
    ):
        assert node_fact(request, project) is None, request
    assert "package.json (Node.js project" in render_facts(
        workspace_facts("run the tests", project)
    )
    (project / "package.json").write_text("{broken\n")
    assert node_fact("run the tests", project) is None


def test_npm_asked_its_way(project: Path) -> None:
    assert (
        fixed("grep -r scripts package.json", "list the scripts this project has", project)
        == "npm run"
    )
    assert fixed("ls -l scripts", "list the files in scripts", project) is None
    assert (
        fixed(
            "sed -i 's/left-pad//' package.json", "remove left-pad from the dependencies", project
        )
        == "npm uninstall left-pad"
    )
    assert (
        fixed("sed -i 's/x//' package.json", "remove express from the dependencies", project)
        is None
    )  # no such dependency
    assert (
        fixed("npm show shop-api version", "show the project's version", project)
        == "npm pkg get version"
    )
    assert fixed("npm show react version", "show the package's version", project) is None
    assert (
        fixed("rm -rf node_modules", "delete node_modules and install everything again", project)
        == "rm -rf node_modules && npm install"
    )
    assert (
        fixed("apt-cache rdepends left-pad", "show which packages depend on left-pad", project)
        == "npm ls left-pad"
    )
    assert fixed("apt-cache rdepends curl", "show which packages depend on curl", project) is None


def test_one_test_file_run_by_the_test_scripts_runner(project: Path) -> None:
    one = fixed("node add.test.js", "run add.test.js on its own", project)
    assert one == "node --test test/add.test.js"
    assert fixed("npm run test", "run add.test.js on its own", project) == one
    assert fixed(one, "run add.test.js on its own", project) is None
    if shutil.which("node"):
        done = run_bash(one, project)
        assert "# pass 1" in done.stdout  # the one test, not test/other.test.js's too
    manifest = dict(MANIFEST, scripts={"test": "jest"})
    (project / "package.json").write_text(json.dumps(manifest))
    assert fixed("npm test", "run add.test.js on its own", project) == "npx jest test/add.test.js"


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
def test_npm_answers_the_fixed_commands_offline(project: Path) -> None:
    assert run_bash("npm pkg get version", project).stdout == '"1.4.2"\n'
    listed = run_bash("npm run", project).stdout
    assert "start" in listed
    assert "lint" in listed


def test_a_folder_excluded_from_grep_by_its_own_option(project: Path) -> None:
    write_files(
        project,
        {"node_modules/left-pad/index.js": "// TODO: theirs\n", "src/todo.js": "// TODO: ours\n"},
    )
    draft = 'grep -r --exclude=node_modules/* "TODO" .'
    assert "theirs" in run_bash(draft, project).stdout  # --exclude never matched the folder
    better = fixed(draft, "find the TODO comments, not in node_modules", project)
    assert better == 'grep -r --exclude-dir=node_modules "TODO" .'
    assert run_bash(better, project).stdout == "./src/todo.js:// TODO: ours\n"
    assert fixed('grep -r --exclude="*.min.js" TODO .', "find the TODO comments", project) is None
