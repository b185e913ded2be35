"""A C program built with make (cmdai.build_fixes; the thirtieth by-hand round).
Each fixed command is run with bash on a small project built with the compiler here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("cc", "make", "strip", "size")),
    reason="needs a C compiler, make and binutils",
)

MAKEFILE = "app: main.o util.o\n\tcc -o app main.o util.o\n\nclean:\n\trm -f app *.o\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "Makefile": MAKEFILE,
            "main.c": '#include <stdio.h>\n#include "util.h"\nint main(void)'
            ' { printf("%d\\n", add(2, 3)); return 0; }\n',
            "util.h": "int add(int a, int b);\n",
            "util.c": '#include "util.h"\nint add(int a, int b) { return a + b; }\n',
        },
    )
    run_bash("make -s", tmp_path)
    return tmp_path


def test_the_makefiles_own_targets(project: Path) -> None:
    clean = fixed("rm -rf build/*", "clean the build outputs", project)
    assert clean == "make clean"
    run_bash(clean, project)
    assert not (project / "app").exists()
    assert not (project / "main.o").exists()
    assert (project / "main.c").exists()
    run_bash("make -s", project)
    assert (
        fixed(
            "sudo apt-get update && sudo apt-get upgrade",
            "rebuild everything even if nothing changed",
            project,
        )
        == "make -B"
    )
    assert "cc -o app" in run_bash("make -B", project).stdout  # remade though up to date
    dry = fixed("which make", "show what make would run without running anything", project)
    assert dry == "make -n"
    (project / "app").unlink()
    assert run_bash(dry, project).stdout == "cc -o app main.o util.o\n"
    assert not (project / "app").exists()


def test_make_is_not_sure_where_the_draft_builds_another_way_or_there_is_no_makefile(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert fixed("make clean", "clean the build outputs", project) is None
    assert fixed("gradle clean", "clean the build directory", project) is None
    assert fixed("make -B", "rebuild everything even if nothing changed", project) is None
    (project / "package.json").write_text("{}\n")  # npm's project: its clean may be meant
    assert fixed("rm -rf build/*", "clean the build outputs", project) is None
    bare = tmp_path_factory.mktemp("bare")
    assert fixed("rm -rf build/*", "clean the build outputs", bare) is None
    # a Makefile without a clean target
    write_files(bare, {"Makefile": "all:\n\ttrue\n"})
    assert fixed("rm -rf build/*", "clean the build outputs", bare) is None


def test_a_binary_stripped_or_its_sections_sized(project: Path) -> None:
    draft = "objdump -d app | grep -v '^[0-9a-fA-F ]'"
    stripped = fixed(draft, "strip the symbols from app", project)
    assert stripped == "strip app"
    before = (project / "app").stat().st_size
    run_bash(stripped, project)
    assert (project / "app").stat().st_size < before
    assert "main" not in run_bash("nm app", project, check=False).stdout
    debug = fixed(draft, "strip the debugging symbols from util.o", project)
    assert debug == "strip --strip-debug util.o"
    sized = fixed("du -sh app", "how big is each section of app", project)
    assert sized == "size -A app"
    assert ".text" in run_bash(sized, project).stdout
    assert fixed("readelf -S app", "how big is each section of app", project) is None
    # main.c is a text file, not a program: nothing sure to strip or size
    assert fixed("du -sh main.c", "how big is each section of main.c", project) is None
    assert fixed("cat main.c", "strip the symbols from main.c", project) is None


def test_the_headers_a_file_includes_are_read_from_the_file(project: Path) -> None:
    draft = "gcc -E main.c | grep '#include'"
    assert run_bash(draft, project, check=False).stdout == ""  # the preprocessor replaced them
    headers = fixed(draft, "which header files does main.c include")
    assert headers == "grep '^#include' main.c"
    assert run_bash(headers, project).stdout == '#include <stdio.h>\n#include "util.h"\n'
    assert fixed("cpp util.c | grep include", "which headers does util.c include") == (
        "grep '^#include' util.c"
    )
    assert fixed("gcc -E main.c | grep -c add", "count the uses of add") is None
    assert fixed("gcc -M main.c | grep include", "which headers does main.c include") is None
