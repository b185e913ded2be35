"""A Go module (cmdai.go_project.go_fact, cmdai.go_fixes; the fifty-first by-hand round). Go is
not installed here, so its commands are checked as text; the grep of go.mod runs for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.go_project import go_fact, parse_go_mod, read_go_module

GO_MOD = """module github.com/example/linkcheck

go 1.22

require (
\tgithub.com/spf13/cobra v1.8.0
\tgolang.org/x/net v0.25.0
\tgithub.com/inconshreveable/mousetrap v1.1.0 // indirect
)

require golang.org/x/text v0.15.0
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "go.mod": GO_MOD,
            "cmd/linkcheck/main.go": "package main\n",
            "cmd/linkserver/main.go": "package main\n",
            "internal/crawl/crawl.go": "package crawl\n",
            "internal/crawl/crawl_test.go": "package crawl\n",
        },
    )


def test_the_module_is_shown_where_the_request_speaks_of_it(module: Path) -> None:
    assert parse_go_mod(GO_MOD) == (
        "github.com/example/linkcheck",
        "1.22",
        ("github.com/spf13/cobra v1.8.0", "golang.org/x/net v0.25.0", "golang.org/x/text v0.15.0"),
    )
    assert go_fact("run all the tests", module) == (
        "go.mod",
        "Go module github.com/example/linkcheck (go 1.22); requires: github.com/spf13/cobra "
        "v1.8.0, golang.org/x/net v0.25.0, golang.org/x/text v0.15.0; programs: "
        "./cmd/linkcheck, ./cmd/linkserver; packages with tests: ./internal/crawl",
    )
    for request in ("count the lines of notes.txt", "show the disk usage", "list the files"):
        assert go_fact(request, module) is None, request
    found = read_go_module(module)
    assert found is not None
    assert found.programs == ("./cmd/linkcheck", "./cmd/linkserver")


def test_no_module_line_is_no_module(tmp_path: Path) -> None:
    assert parse_go_mod("go 1.22\n") is None
    write_files(tmp_path, {"go.mod": "go 1.22\n"})
    assert go_fact("run the tests", tmp_path) is None
    assert fixed("go test", "show the test coverage", tmp_path) is None


@pytest.mark.parametrize(
    ("command", "request_text", "expected"),
    [
        (
            "go test ./cmd/linkcheck ./cmd/linkserver ./internal/crawl",
            "run the TestLinksRelative test",
            "go test -run '^TestLinksRelative$' ./...",
        ),
        ("go test ./internal/crawl", "show the test coverage", "go test -cover ./..."),
        ("go test ./internal/crawl", "run the benchmarks", "go test -run '^$' -bench . ./..."),
        (
            "go build -o bin/linkcheck cmd/linkcheck",
            "build the linkcheck program into bin/",
            "go build -o bin/linkcheck ./cmd/linkcheck",
        ),
        (
            'go build -o linkcheck_linux_arm64 -ldflags "-extldflags -static" ./cmd/linkcheck',
            "build it for linux on arm64",
            "GOOS=linux GOARCH=arm64 go build -o bin/linux-arm64/ ./...",
        ),
        (
            "sudo apt update",
            "update cobra to its latest version",
            "go get github.com/spf13/cobra@latest",
        ),
        ("find . -type f ! -name go.mod", "list the files that are not formatted", "gofmt -l ."),
        ("go mod tidy", "format all the code", "gofmt -w ."),
        (
            "go mod edit -require github.com/spf13/cobra v1.8.0",
            "which Go version does the module need",
            "grep '^go ' go.mod",
        ),
        (
            "go list -m github.com/example/linkcheck",
            "list the packages in this module",
            "go list ./...",
        ),
        (
            "grep -E 'golang.org/x/net' go.mod",
            "show why golang.org/x/net is needed",
            "go mod why -m golang.org/x/net",
        ),
        ("go clean -modcache", "clear the test cache", "go clean -testcache"),
        (
            "go mod download",
            "build everything and report any compile errors",
            "go build ./...",
        ),
        ("go vet", "check the code for suspicious constructs", "go vet ./..."),
    ],
)
def test_another_task_is_gos_own_way(
    module: Path, command: str, request_text: str, expected: str
) -> None:
    assert fixed(command, request_text, module) == expected


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("go test -race ./...", "run the tests with the race detector"),
        ("go run ./cmd/linkserver", "run the linkserver program"),
        ("go test ./internal/crawl -v", "run the tests of the crawl package only, verbosely"),
        ("go test -cover ./internal/crawl", "show the test coverage of the crawl package"),
        ("cargo bench", "Execute all benchmarks of a package"),  # another tool's way
        ("npm run test", "run the tests"),
        ("make format", "format the code"),
        ("go list -json time net/http", "List packages in JSON format"),
        ("find / -name '*.jbd' -ls", "list in long format all files whose name ends in jbd"),
        ("find . -name '*.php' -exec grep -l eval {} +", "Find suspicious PHP files"),
        ("go get github.com/spf13/cobra@latest", "update cobra to its latest version"),
        ("ls -l", "list the files"),
    ],
)
def test_a_right_draft_or_another_way_is_left_alone(
    module: Path, command: str, request_text: str
) -> None:
    assert fixed(command, request_text, module) is None


def test_the_go_version_is_read_from_go_mod(module: Path) -> None:
    assert run_bash("grep '^go ' go.mod", module).stdout == "go 1.22\n"
