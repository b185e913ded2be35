"""A Rust crate built with Cargo (cmdai.projects' facts, cmdai.cargo_fixes; the thirty-ninth
by-hand round). The fixed commands that need no network run here where Cargo is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.projects import project_facts, rust_fact

CARGO_TOML = """[package]
name = "wordcount"
version = "0.2.0"
edition = "2021"

[dependencies]
regex = "1"

[features]
json = []
"""
LIB = """pub fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn empty_text() {
        println!("checking the empty text");
        assert_eq!(super::count_words(""), 0);
    }
}
"""
needs_cargo = pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")


@pytest.fixture
def crate(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "Cargo.toml": CARGO_TOML,
            "src/main.rs": "fn main() {}\n",
            "src/lib.rs": LIB,
            "examples/demo.rs": "fn main() {}\n",
        },
    )


def test_the_crate_is_shown_where_the_request_builds_runs_or_tests_it(crate: Path) -> None:
    shown = (
        "Cargo.toml",
        "Rust crate wordcount 0.2.0 (built with cargo); a program and a library; "
        "dependencies: regex; features: json; examples: demo",
    )
    for request in ("run the tests", "build it in release mode", "which version of regex is used"):
        assert rust_fact(request, crate) == shown, request
    assert project_facts("run the program on input.txt", crate) == [shown]
    for request in ("count the lines of input.txt", "show the kernel version", "list the files"):
        assert rust_fact(request, crate) is None, request
    assert rust_fact("run the tests", crate.parent / "elsewhere") is None
    (crate / "Cargo.toml").write_text("[package\n")
    assert rust_fact("run the tests", crate) is None


def test_cargo_arguments_it_refuses_or_reads_otherwise(crate: Path) -> None:
    assert fixed("cargo fmt Cargo.toml", "format the code", crate) == "cargo fmt"
    assert fixed("cargo tree wordcount", "show the dependency tree", crate) == "cargo tree"
    assert fixed("cargo tree --prune regex", "the tree without regex", crate) is None
    assert (
        fixed("cargo install wordcount", "install this program into my cargo bin folder", crate)
        == "cargo install --path ."
    )
    assert fixed("cargo install ripgrep", "install ripgrep", crate) is None
    assert fixed("cargo update regex", "update the dependencies", crate) == "cargo update"
    assert fixed("cargo update regex", "update regex", crate) is None
    assert (
        fixed("cargo test", "run the tests and show what they print", crate)
        == "cargo test -- --nocapture"
    )
    assert fixed("cargo test", "run the tests", crate) is None
    assert fixed("cargo clippy --features json", "lint the code with clippy", crate) == (
        "cargo clippy"
    )
    assert fixed("cargo build --features json", "build with the json feature", crate) is None
    # None of them outside a crate.
    assert fixed("cargo fmt Cargo.toml", "format the code", crate / "src") is None


def test_a_dependency_added_and_the_crates_own_version(crate: Path) -> None:
    sed = "sed -i 's/regex/serde/' Cargo.toml"
    assert fixed(sed, "add the serde crate as a dependency", crate) == "cargo add serde"
    assert fixed("cargo add serde", "add the serde crate as a dependency", crate) is None
    assert fixed("pip install serde", "add the serde crate as a dependency", crate) is None
    metadata = "cargo metadata --format=json | jq '.dependencies[\"regex\"].version'"
    version = fixed(metadata, "what version is this crate", crate)
    assert version == "grep -m 1 '^version' Cargo.toml"
    assert run_bash(version, crate).stdout == 'version = "0.2.0"\n'
    own = "cargo metadata --no-deps --format-version 1 | jq -r '.packages[0].version'"
    assert fixed(own, "what version is this crate", crate) is None


@needs_cargo
def test_the_fixed_commands_run(tmp_path: Path) -> None:
    # No dependency: nothing to fetch, so Cargo runs offline.
    crate = write_files(
        tmp_path,
        {"Cargo.toml": CARGO_TOML.replace('regex = "1"\n', ""), "src/lib.rs": LIB},
    )
    env = f"CARGO_TARGET_DIR={tmp_path / 'target'} CARGO_NET_OFFLINE=true "
    assert run_bash(env + "cargo tree", crate).stdout.startswith("wordcount v0.2.0")
    tests = run_bash(env + "cargo test -q -- --nocapture", crate)
    assert "checking the empty text" in tests.stdout
    if shutil.which("rustfmt") is not None:
        (crate / "src/lib.rs").write_text(LIB.replace("    text.split", "text.split"))
        run_bash(env + "cargo fmt", crate)
        assert (crate / "src/lib.rs").read_text() == LIB
