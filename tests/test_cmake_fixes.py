"""A C project built with CMake (cmdai.cmake_project.cmake_fact, cmdai.cmake_fixes; the
forty-eighth by-hand round). The fixed commands are built and run here with cmake where it is
installed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.checks import NO_SUCH_FILE, command_warnings
from cmdai.cmake_project import cmake_commands, cmake_fact
from cmdai.context import Workdir
from cmdai.intent import program_missed
from cmdai.shellparse import analyse

CMAKELISTS = """cmake_minimum_required(VERSION 3.16)
project(wordstat VERSION 1.4.0 LANGUAGES C)  # the project

set(CMAKE_C_STANDARD 11)
option(WORDSTAT_WITH_COLOR "Colour the output" ON)

add_library(wordstat_core src/count.c)
target_include_directories(wordstat_core PUBLIC include)

add_executable(wordstat src/main.c)
target_link_libraries(wordstat PRIVATE wordstat_core)

enable_testing()
add_executable(test_count tests/test_count.c)
target_link_libraries(test_count PRIVATE wordstat_core)
add_test(NAME count_words COMMAND test_count)

install(TARGETS wordstat DESTINATION bin)
"""
SOURCES = {
    "include/count.h": "int count_words(const char *text);\n",
    "src/count.c": (
        '#include <ctype.h>\n#include "count.h"\nint count_words(const char *t) {\n'
        "    int n = 0, in = 0;\n    for (; *t; t++) {\n"
        "        if (isspace((unsigned char)*t)) in = 0;\n        else if (!in) { in = 1; n++; }\n"
        "    }\n    return n;\n}\n"
    ),
    "src/main.c": (
        '#include <stdio.h>\n#include "count.h"\nint main(int argc, char **argv) {\n'
        '    for (int i = 1; i < argc; i++) printf("%d\\n", count_words(argv[i]));\n'
        "    return 0;\n}\n"
    ),
    "tests/test_count.c": (
        '#include "count.h"\nint main(void) { return count_words("a b  c") == 3 ? 0 : 1; }\n'
    ),
}
needs_cmake = pytest.mark.skipif(
    shutil.which("cmake") is None or shutil.which("cc") is None,
    reason="cmake or a C compiler is not installed",
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"CMakeLists.txt": CMAKELISTS, **SOURCES})


def test_the_project_is_shown_where_the_request_speaks_of_building_it(project: Path) -> None:
    assert ("project", ["wordstat", "VERSION", "1.4.0", "LANGUAGES", "C"]) in cmake_commands(
        CMAKELISTS
    )
    shown = cmake_fact("run the tests", project)
    assert shown == (
        "CMakeLists.txt",
        "CMake project wordstat 1.4.0 (C); C standard 11; programs: wordstat, test_count; "
        "libraries: wordstat_core; tests (ctest): count_words; options: WORDSTAT_WITH_COLOR "
        "(Colour the output, ON); not configured yet (no build folder)",
    )
    for request in ("which C standard does this project use", "generate compile_commands.json"):
        assert cmake_fact(request, project) is not None, request
    assert cmake_fact("run wordstat on notes.txt", project) is not None  # a target by name
    for request in ("count the lines of notes.txt", "show the disk usage", "list the files"):
        assert cmake_fact(request, project) is None, request
    write_files(project, {"build/CMakeCache.txt": "# cache\n"})
    shown = cmake_fact("run the tests", project)
    assert shown is not None
    assert shown[1].endswith("; configured in build/")


def test_no_fact_without_a_project_line(tmp_path: Path) -> None:
    assert cmake_fact("build it", tmp_path) is None
    write_files(tmp_path, {"CMakeLists.txt": "add_subdirectory(src)\n"})
    assert cmake_fact("build it", tmp_path) is None


@pytest.mark.parametrize(
    ("command", "request_text", "expected"),
    [
        (
            "mkdir build && cd build && cmake -D CMAKE_C_STANDARD=11 .. && make -j 2",
            "build the project using 2 jobs",
            "cmake -B build && cmake --build build -j 2",
        ),
        (
            "gcc -o tests/test_count tests/test_count.c",
            "run the tests",
            "cmake -B build && cmake --build build && ctest --test-dir build",
        ),
        (
            "ctest -R count_words",
            "run only the count_words test",
            "cmake -B build && cmake --build build && ctest --test-dir build -R '^count_words$'",
        ),
        (
            "rm -rf build",
            "delete the build folder and build everything again from scratch",
            "rm -rf build && cmake -B build && cmake --build build",
        ),
        (
            "mkdir -p ~/.local/bin",
            "install the program into ~/.local",
            "cmake -B build && cmake --build build && cmake --install build --prefix ~/.local",
        ),
        (
            "cmake -B build -DCMAKE_CMAKE_EXPORT_COMPILE_COMMANDS=ON",
            "generate a compile_commands.json for my editor",
            "cmake -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
        ),
        (
            "gcc -g -o my_program my_program.c",
            "build with debug symbols",
            "cmake -B build -DCMAKE_BUILD_TYPE=Debug && cmake --build build",
        ),
        ("ninja", "build it with ninja", "cmake -B build -G Ninja && cmake --build build"),
        (
            "make -v",  # make's version
            "show the compiler commands while building",
            "cmake -B build && cmake --build build --verbose",
        ),
        (
            "cmake -DCMAKE_BUILD_TYPE=Debug",
            "show the compiler commands while building",
            "cmake -B build && cmake --build build --verbose",
        ),
        ("make", "build it", "cmake -B build && cmake --build build"),  # no Makefile here
        (
            "make lib",
            "build only the library",
            "cmake -B build && cmake --build build --target wordstat_core",
        ),
        (
            'echo "hello big world"',
            'run the program on the text "hello big world"',
            "cmake -B build && cmake --build build && ./build/wordstat 'hello big world'",
        ),
        (
            "gcc -dumpversion",
            "which C standard does this project use",
            "grep -n 'CMAKE_C.*_STANDARD' CMakeLists.txt",
        ),
        (
            "cmake --version",
            "what version is the project",
            "grep -m 1 -i 'project(' CMakeLists.txt",
        ),
        (
            "cmake --build .",
            "list the targets I can build",
            "cmake -B build && cmake --build build --target help",
        ),
        (
            "gcc -o tests/test_count tests/test_count.c",
            "run the tests and show the output of the ones that fail",
            "cmake -B build && cmake --build build && ctest --test-dir build --output-on-failure",
        ),
        (
            "mkdir build && cd build && cmake .. && make",
            "build it with clang",
            "cmake -B build -DCMAKE_C_COMPILER=clang && cmake --build build",
        ),
        (
            "make -C build",
            "turn off the colour option and rebuild",
            "cmake -B build -DWORDSTAT_WITH_COLOR=OFF && cmake --build build",
        ),
    ],
)
def test_a_build_by_hand_or_by_half_is_cmakes_own(
    project: Path, command: str, request_text: str, expected: str
) -> None:
    assert fixed(command, request_text, project) == expected


@pytest.mark.parametrize(
    ("command", "request_text"),
    [
        ("mkdir build && cd build && cmake ..", "configure the project in a build folder"),
        (
            "mkdir build && cd build && cmake -DCMAKE_BUILD_TYPE=Release .. && make",
            "build it in release mode",
        ),
        (
            "cmake -DWORDSTAT_WITH_COLOR=OFF -Bbuild && make -C build",
            "turn off the colour option and rebuild",
        ),
        ("gcc -g hello.c -o hello", "compile hello.c with debugging symbols"),  # that file
        ("pytest tests", "run the tests with pytest"),  # another way, named
        ("cargo test", "run the tests"),  # not a program these fixes replace
        ("zig build run", "Compile and run the project in the current directory"),
        ("ctest --output-on-failure", "Run all tests in the current CMake build directory"),
        ("cmake --install path/to/build --strip", "Install the build artifacts and strip them"),
        (
            "cmake -B build -DCMAKE_TOOLCHAIN_FILE=vcpkg/scripts/buildsystems/vcpkg.cmake",
            "Configure a CMake project to use vcpkg packages",
        ),
        ("grep -m 1 '^version' pyproject.toml", "show the project's version"),
        ("rm -rf build", "clean the build"),
        ("ls -l", "list the files"),
    ],
)
def test_a_right_draft_or_another_task_is_left_alone(
    project: Path, command: str, request_text: str
) -> None:
    assert fixed(command, request_text, project) is None


def test_a_makefile_of_the_folders_own_is_its_way_of_building(project: Path) -> None:
    write_files(project, {"Makefile": "test:\n\t@echo testing\n"})
    assert fixed("make test", "run the tests", project) is None
    assert fixed("make test", "run the tests", project.parent / "nothing") is None  # no project


def test_a_configured_folder_is_built_where_it_is(project: Path) -> None:
    write_files(project, {"out/CMakeCache.txt": "# cache\n"})
    assert fixed("make -j 4", "build it using 4 jobs", project) == (
        "cmake -B out && cmake --build out -j 4"
    )
    assert fixed("ninja", "build it with ninja", project) is None  # its generator is chosen
    assert fixed("make", "build it with clang", project) is None  # so is its compiler


@needs_cmake
@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("cmake -B build && cmake --build build && ctest --test-dir build", "100% tests passed"),
        (
            "cmake -B build && cmake --build build && ./build/wordstat 'hello big world'",
            "3",
        ),
        ("cmake -B build && cmake --build build --target help", "wordstat_core"),
        ("grep -m 1 -i 'project(' CMakeLists.txt", "VERSION 1.4.0"),
        ("cmake -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "Build files have been written"),
    ],
)
def test_the_fixed_commands_build_and_run(project: Path, command: str, expected: str) -> None:
    done = run_bash(command, project)
    assert expected in done.stdout
    if "COMPILE_COMMANDS" in command:
        assert (project / "build" / "compile_commands.json").is_file()


@needs_cmake
def test_an_install_goes_under_the_prefix_asked_for(project: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    run_bash(
        f"cmake -B build && cmake --build build && cmake --install build --prefix {prefix}",
        project,
    )
    assert (prefix / "bin" / "wordstat").is_file()


def test_a_program_built_earlier_on_the_line_is_no_missing_file(project: Path) -> None:
    here = Workdir(project)
    built = "cmake -B build && cmake --build build && ./build/wordstat hi"
    assert not [w for w in command_warnings(built, "/bin/bash", here=here) if NO_SUCH_FILE in w]
    compiled = "gcc -o hello src/main.c && ./hello"
    assert not [w for w in command_warnings(compiled, "/bin/bash", here=here) if NO_SUCH_FILE in w]
    assert [w for w in command_warnings("./build/wordstat hi", "/bin/bash", here=here) if w]
    other = "cmake --build build && ./other/wordstat hi"
    assert any(NO_SUCH_FILE in w for w in command_warnings(other, "/bin/bash", here=here))


def test_a_generator_named_in_any_case_runs_the_program_asked_for() -> None:
    assert program_missed(analyse("cmake -B build -G Ninja"), "build it with ninja") == []
    assert program_missed(analyse("cmake -B build"), "build it with ninja") != []
