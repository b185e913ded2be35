"""The software installed on this machine (cmdai.package_fixes; the thirty-second by-hand round).
Where dpkg is here, each fixed command is run and its answer checked against dpkg's own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import sure_fixed as fixed

from cmdai.package_fixes import installed, owner_fix

has_dpkg = pytest.mark.skipif(
    shutil.which("dpkg") is None or not installed("coreutils"), reason="needs dpkg and coreutils"
)


def run(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)


def test_the_files_a_package_installed_and_the_packages_counted(tmp_path: Path) -> None:
    info = tmp_path / "info"
    info.mkdir()
    (info / "coreutils.list").write_text("/.\n/bin/ls\n")
    (info / "libc6:amd64.list").write_text("/.\n")
    assert installed("coreutils", str(info))
    assert installed("libc6", str(info))
    assert not installed("zzz", str(info))
    assert not installed("coreutils", str(tmp_path / "none"))
    counted = fixed("dpkg -l | wc -l", "how many debian packages are installed")
    assert counted == "dpkg -l | grep -c '^ii'"
    assert fixed("dpkg -l | grep -c '^ii'", "how many debian packages are installed") is None
    assert fixed("dpkg -l | wc -l", "how many lines does dpkg -l print") is None


@has_dpkg
def test_dpkg_answers_the_fixed_commands() -> None:
    files = fixed("dpkg -l | grep coreutils", "list the files that the coreutils package installed")
    assert files == "dpkg -L coreutils"
    assert any(line.endswith("bin/ls") for line in run(files).stdout.splitlines())
    assert (
        fixed("dpkg -l | grep zzz-none", "list the files that the zzz-none package installed")
        is None
    )
    counted = run("dpkg -l | grep -c '^ii'").stdout.strip()
    assert int(counted) < len(run("dpkg -l").stdout.splitlines())  # the titles are gone
    assert int(counted) == len(
        run("dpkg-query -W -f '${db:Status-Abbrev}\\n' | grep '^ii'").stdout.splitlines()
    )


@pytest.mark.skipif(
    not os.path.islink("/bin") or shutil.which("dpkg") is None, reason="merged /usr"
)
def test_a_programs_package_is_found_whichever_path_it_names() -> None:
    owner = run("dpkg -S /usr/bin/ls")
    draft = "dpkg -S /usr/bin/ls"
    found = fixed(draft, "which debian package does /usr/bin/ls come from")
    if owner.returncode == 0:  # coreutils names /usr/bin/ls here: nothing to fix
        assert found is None
        return
    assert found == "dpkg -S '*/bin/ls'"
    assert run(found).stdout == "coreutils: /bin/ls\n"
    assert fixed("dpkg -S /usr/bin/ls /bin/cat", "whose are ls and cat") is None


def test_the_owner_fix_reads_the_package_lists(tmp_path: Path) -> None:
    info = tmp_path / "info"
    info.mkdir()
    (info / "git.list").write_text("/usr/bin/git\n")
    if not os.path.islink("/bin"):
        pytest.skip("needs a merged /usr")
    assert owner_fix([["dpkg", "-S", "/usr/bin/git"]], str(info)) is None
    assert owner_fix([["dpkg", "-S", "/usr/bin/ls"]], str(info)) == (
        "dpkg -S '*/bin/ls'",
        "fixed here: /bin is /usr/bin here, and a package may name either; the pattern finds ls",
    )
    assert owner_fix([["dpkg", "-S", "/usr/bin/ls"]], str(tmp_path / "none")) is None
