"""npm workspaces (cmdai.npm_workspaces.workspaces_fact, cmdai.workspace_fixes; the
fifty-fifth by-hand round). The scripts run for real with npm where it is installed: npm runs
a workspace's scripts and reads its package.json without a network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.npm_workspaces import named, parse_workspaces, read_workspaces, workspaces_fact


def _package(name: str, version: str, scripts: dict[str, str], **deps: str) -> str:
    return json.dumps(
        {"name": name, "version": version, "scripts": scripts, "dependencies": deps or None}
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    test = "const test = require('node:test');\ntest('works', () => {});\n"
    return write_files(
        tmp_path,
        {
            "package.json": json.dumps(
                {
                    "name": "shop",
                    "private": True,
                    "workspaces": ["packages/*"],
                    "scripts": {"lint": "echo linted"},
                }
            ),
            "packages/api/package.json": _package(
                "@shop/api",
                "1.2.0",
                {
                    "start": "node src/server.js",
                    "dev": "node --watch src/server.js",
                    "test": "node --test",
                },
                express="^4.19.0",
                **{"@shop/shared": "*"},
            ),
            "packages/api/src/server.js": "console.log('api up');\n",
            "packages/api/test/api.test.js": test,
            "packages/web/package.json": _package(
                "@shop/web",
                "0.9.1",
                {"build": "node build.js", "test": "node --test"},
                lodash="^4.17.21",
                **{"@shop/shared": "*"},
            ),
            "packages/web/build.js": "console.log('built');\n",
            "packages/shared/package.json": _package(
                "@shop/shared", "0.2.4", {"test": "node --test"}
            ),
            "packages/notes.txt": "not a workspace\n",
        },
    )


def test_the_facts_list_each_workspace(repo: Path) -> None:
    assert workspaces_fact("run the tests of the api package", repo) == (
        "workspaces",
        "npm workspaces (run in one with -w NAME): @shop/api (packages/api; 1.2.0; scripts "
        "start, dev, test; depends on express, @shop/shared), @shop/shared (packages/shared; "
        "0.2.4; scripts test), @shop/web (packages/web; 0.9.1; scripts build, test; depends on "
        "lodash, @shop/shared)",
    )
    assert workspaces_fact("start the api server", repo) is not None  # named by its last part
    for request in ("count the lines of notes.txt", "show the disk usage"):
        assert workspaces_fact(request, repo) is None, request


def test_odd_manifests_list_no_workspace(tmp_path: Path) -> None:
    texts = {
        "package.json": json.dumps({"workspaces": {"packages": ["libs/*", "/abs", "../up"]}}),
        "libs/a/package.json": "{broken",
        "libs/b/package.json": json.dumps({"version": "1.0.0"}),  # no name
        "libs/c/package.json": json.dumps({"name": "c", "scripts": ["not", "a", "table"]}),
    }
    found = parse_workspaces(
        texts.get, lambda p: ["libs/a", "libs/b", "libs/c"] if p == "libs/*" else []
    )
    assert [(w.name, w.folder, w.scripts) for w in found] == [("c", "libs/c", ())]
    assert parse_workspaces({"package.json": "[1]"}.get, lambda p: []) == []
    assert read_workspaces(tmp_path) == []  # no package.json here
    assert workspaces_fact("list the workspaces", tmp_path) is None


def test_a_workspace_is_named_by_its_name_its_last_part_or_its_folder(repo: Path) -> None:
    found = read_workspaces(repo)
    for request, expected in (
        ("test @shop/api", ["@shop/api"]),
        ("build the web package", ["@shop/web"]),
        ("lint packages/shared", ["@shop/shared"]),
        ("test the api and web packages", ["@shop/api", "@shop/web"]),
        ("test everything", []),
    ):
        assert [w.name for w in named(request, found)] == expected, request


@pytest.mark.parametrize(
    ("command", "asked", "expected"),
    [
        ("npm test", "run the tests of the api package", "npm test -w @shop/api"),
        (
            "npm test",
            "run the tests of the api and web packages",
            "npm test -w @shop/api -w @shop/web",
        ),
        ("npm test", "run the tests in every workspace", "npm test --workspaces"),
        ("npm start", "start the api server", "npm start -w @shop/api"),
        (
            "npm run build",
            "run the build script in every package that has one",
            "npm run build --workspaces --if-present",
        ),
        ("npm start -w @shop/api", "run the api in watch mode", "npm run dev -w @shop/api"),
        (
            "npm install express",
            "add express to the web package",
            "npm install express -w @shop/web",
        ),
        (
            "npm install --save-dev lodash",
            "add lodash as a dev dependency of the shared package",
            "npm install lodash -D -w @shop/shared",
        ),
        (
            "npm uninstall lodash",
            "remove lodash from the web package",
            "npm uninstall lodash -w @shop/web",
        ),
        (
            "npm version 0.3.0",
            "bump the shared package to version 0.3.0",
            "npm pkg set version=0.3.0 -w @shop/shared",
        ),
        ("npm init -y", "create a new workspace called admin", "npm init -y -w packages/admin"),
        ("ls", "list the workspaces", "npm pkg get name --workspaces"),
        (
            "npm version --workspace @shop/shared --new-version 0.3.0",  # no such option
            "bump the shared package to version 0.3.0",
            "npm pkg set version=0.3.0 -w @shop/shared",
        ),
        (
            "npm uninstall @shop/web lodash -w @shop/web",
            "remove lodash from the web package",
            "npm uninstall lodash -w @shop/web",
        ),  # the workspace itself is no dependency to remove
        (
            "npm run lint --workspaces --root",
            "run the lint script only in the root package",
            "npm run lint",
        ),
        # already right, or not npm's task: left alone
        ("npm version 0.3.0 -w @shop/shared", "bump the shared package to version 0.3.0", None),
        ("npm uninstall -w @shop/web lodash", "remove lodash from the web package", None),
        ("cd packages/api && npm test", "run the tests of the api package", None),
        ("npm test --workspace=packages/api", "run the tests of the api package", None),
        ("npm run lint", "run the lint script only in the root package", None),
        ("npm install", "install all the dependencies", None),
        ("yarn workspace @shop/api test", "run the tests of the api package", None),
        ("npm test -w @shop/web", "run the tests of the web package", None),
    ],
)
def test_npm_s_own_way_in_a_workspace(
    repo: Path, command: str, asked: str, expected: str | None
) -> None:
    assert fixed(command, asked, repo) == expected


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_the_fixed_commands_run_in_the_workspace(repo: Path) -> None:
    version = fixed("npm pkg get version", "which version is the api package", repo)
    assert version == "npm pkg get version -w @shop/api"
    assert json.loads(run_bash(version, repo).stdout) == {"@shop/api": "1.2.0"}
    depends = fixed("npm ls", "what does the web package depend on", repo)
    assert depends == "npm pkg get dependencies -w @shop/web"
    assert json.loads(run_bash(depends, repo).stdout)["@shop/web"]["lodash"] == "^4.17.21"
    scripts = fixed("cat package.json", "show the scripts of the web package", repo)
    assert scripts == "npm pkg get scripts -w @shop/web"
    start = fixed("npm start", "start the api server", repo)
    assert start is not None
    assert "api up" in run_bash(start, repo).stdout
    bump = fixed("npm version 0.3.0", "bump the shared package to version 0.3.0", repo)
    assert bump is not None
    run_bash(bump, repo)
    assert json.loads((repo / "packages/shared/package.json").read_text())["version"] == "0.3.0"
    users = fixed("npm ls @shop/shared", "which packages depend on @shop/shared", repo)
    assert users == "grep -l '\"@shop/shared\"' packages/api/package.json packages/web/package.json"
    assert run_bash(users, repo).stdout.split() == [
        "packages/api/package.json",
        "packages/web/package.json",
    ]
