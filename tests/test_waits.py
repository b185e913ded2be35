"""Commands that would wait for the terminal's input are asked again (``stdin:``)."""

from __future__ import annotations

import pytest
from conftest import assert_pitfall

from cmdai.backends.fake import FakeBackend
from cmdai.checks import command_warnings
from cmdai.core import Engine
from cmdai.waits import terminal_readers, waits_for_terminal


@pytest.mark.parametrize(
    ("command", "readers"),
    [
        ("wc -l", ["wc"]),
        ("grep ERROR", ["grep"]),
        ("grep -e x -e y", ["grep"]),
        ("sort | uniq -c", ["sort"]),
        ("awk '{print $1}'", ["awk"]),
        ("sed 's/a/b/'", ["sed"]),
        ("tr a-z A-Z", ["tr"]),
        ("xargs rm", ["xargs"]),
        ("ls && wc -l", ["wc"]),
        ("ls; grep x", ["grep"]),
        ("jq .", ["jq"]),
        ("head -n 5", ["head"]),
        ("cut -d: -f1", ["cut"]),
        ("wc -l -", ["wc"]),
        ("cat > notes.txt", ["cat"]),  # you type the file's content
        ("tee out.txt", ["tee"]),
        # Given a file, fed by a pipe or a redirection, or reading no input at all.
        ("wc -l app.log", []),
        ("grep ERROR app.log", []),
        ("grep -r TODO", []),
        ("grep -e x f", []),
        ("cat app.log | sort", []),
        ("sort < data.txt", []),
        ("sort <<< 'b a'", []),
        ("awk '{print $1}' f", []),
        ("awk 'BEGIN{print 1}'", []),
        ("sed -i 's/a/b/' f", []),
        ("tr a-z A-Z < f", []),
        ("echo hi | tr a-z A-Z", []),
        ("find . | xargs rm", []),
        ("jq . f.json", []),
        ("jq -n '1+1'", []),
        ("head -n 5 f", []),
        ("tail -f /var/log/syslog", []),
        ("cut -d: -f1 /etc/passwd", []),
        ("ls | tee out.txt", []),
        ("diff <(sort a) <(sort b)", []),
        ("while read l; do echo $l; done < f", []),  # loops are left alone
        ("echo $(", []),  # not bash: the syntax check speaks
    ],
)
def test_a_filter_given_no_input_waits_for_the_terminal(command: str, readers: list[str]) -> None:
    assert terminal_readers(command) == readers


def test_value_options_are_not_files() -> None:
    assert waits_for_terminal(["sort", "-k", "2"])
    assert waits_for_terminal(["head", "-n", "3"])
    assert not waits_for_terminal(["head", "-n", "3", "f"])
    assert not waits_for_terminal(["ls"])
    assert not waits_for_terminal([])


def test_a_request_that_says_its_input_comes_on_stdin_is_not_second_guessed() -> None:
    assert any(w.startswith("stdin:") for w in command_warnings("sort -n", "bash", None, "x"))
    asked = "Numerically sort numbers given on standard input"
    assert not any(w.startswith("stdin:") for w in command_warnings("sort -n", "bash", None, asked))


def test_a_draft_that_waits_for_the_terminal_is_asked_again(
    engine: Engine, fake: FakeBackend
) -> None:
    assert_pitfall(
        engine, fake, "grep -c ERROR", "stdin:", "grep is given no file", "count the errors"
    )
