"""The shared generation path, driven by the fake backend."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import answer, assert_pitfall

from cmdai.backends.fake import FakeBackend
from cmdai.checks import utilities
from cmdai.core import Engine
from cmdai.errors import SchemaViolationError, UsageError
from cmdai.formats import FENCE_OPEN
from cmdai.path_fixes import relative_to_cwd
from cmdai.prompts import (
    EXAMPLE_CWD,
    Environment,
    build_messages,
    detect_environment,
    explanation_lines,
    get_template,
)
from cmdai.proposal import MAX_QUERY_CHARS, check_query
from cmdai.safety import Risk
from cmdai.schema import answer_json_schema


def test_propose_parses_checks_and_assesses(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer("ls -lS | head -n 5", "Lists the five largest files."))
    proposal = engine.propose("  list the 5 largest files ")
    assert proposal.query == "list the 5 largest files"
    assert proposal.command == "ls -lS | head -n 5"
    assert proposal.safety is not None
    assert proposal.safety.risk == Risk.SAFE
    assert proposal.warnings == ()
    assert proposal.parse_method == "strict"
    request = fake.history[-1]
    assert request.json_schema is not None
    assert json.loads(request.json_schema) == answer_json_schema()
    assert request.temperature == 0.0
    assert request.stable_prefix == 1 + 2 * len(engine.template.examples)
    assert request.messages[-1].content.startswith("list the 5 largest files")


def test_model_can_decline(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer("", "That is a poem, not a shell task.", kind="not_a_shell_task"))
    proposal = engine.propose("write a poem")
    assert proposal.command is None
    assert proposal.safety is None
    assert proposal.kind == "not_a_shell_task"


def test_command_kind_without_command_counts_as_ambiguous(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(answer("", "Which files?"))
    assert engine.propose("delete the files").kind == "ambiguous"


def test_syntax_errors_and_missing_utilities_become_warnings(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(answer("sed 's/a/b/ file | frobnicate-xyz"))
    fake.enqueue(answer("sed 's/a/b/ file | frobnicate-xyz"))  # asked again: no better
    proposal = engine.propose("replace a with b")
    assert any(w.startswith("syntax:") for w in proposal.warnings)
    assert len(fake.history) == 2
    fake.enqueue(answer("frobnicate-xyz --all | sort"))
    assert "not installed here: frobnicate-xyz" in engine.propose("do the task").warnings


def test_unconstrained_output_is_flagged_when_constraint_was_asked(
    engine: Engine, fake: FakeBackend
) -> None:
    # The numba trap: a "constrained" backend that answers in fences was not constrained.
    fake.enqueue("```json\n" + answer("pwd") + "\n```")
    proposal = engine.propose("where am I")
    assert proposal.command == "pwd"
    assert proposal.parse_method == "fenced"
    assert any("constrained decoding was not applied" in w for w in proposal.warnings)


def test_unreadable_answer_raises(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue("I don't know")
    with pytest.raises(SchemaViolationError):
        engine.propose("something")


def test_revise_keeps_the_conversation(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer("find . -name '*'"))
    first = engine.propose("find files")
    fake.enqueue(answer("find . -name '*.log'"))
    second = engine.revise(first, "only .log files")
    assert second.command == "find . -name '*.log'"
    assert second.query == "find files"
    roles = [m.role for m in fake.history[-1].messages[-3:]]
    assert roles == ["user", "assistant", "user"]
    assert "only .log files" in fake.history[-1].messages[-1].content
    assert json.loads(fake.history[-1].messages[-2].content)["command"] == "find . -name '*'"


def test_edit_reassesses_the_new_command(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue(answer("ls"))
    edited = engine.with_command(engine.propose("list"), "  rm -rf /  ")
    assert edited.command == "rm -rf /"
    assert edited.edited
    assert edited.safety is not None
    assert edited.safety.decision == "block"


def test_explain_is_unconstrained_free_text(engine: Engine, fake: FakeBackend) -> None:
    fake.enqueue("ls lists files; -l shows details.")
    assert engine.explain("ls -l") == "ls lists files; -l shows details."
    assert fake.history[-1].json_schema is None
    assert "ls -l" in fake.history[-1].messages[-1].content


def test_a_request_keeps_its_inner_spacing() -> None:
    # A quoted string's spacing is data: "cut the last 3 characters of '1234567890  *'".
    assert check_query("  cut the end of '1234567890  *'\n") == "cut the end of '1234567890  *'"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * (MAX_QUERY_CHARS + 1), "too long"),
        ("list files \udcff", "not valid UTF-8"),
    ],
)
def test_bad_queries(query: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check_query(query)


def test_prompt_prefix_is_identical_across_requests() -> None:
    template = get_template("default")
    env_a = Environment("Linux", "GNU coreutils", "bash", "/a")
    env_b = Environment("Linux", "GNU coreutils", "bash", "/somewhere/else")
    a = build_messages(template, env_a, "one request")
    b = build_messages(template, env_b, "another request")
    n = 1 + 2 * len(template.examples)
    assert a[:n] == b[:n]  # so a backend can cache the prefix's evaluation
    assert a[n:] != b[n:]
    assert "/somewhere/else" in b[-1].content
    assert "GNU coreutils" in a[0].content
    assert "bash" in a[0].content
    assert EXAMPLE_CWD in a[1].content


def test_examples_are_valid_answers() -> None:
    for example in get_template("default").examples:
        if example.answer.kind == "command":
            assert example.answer.command


def test_environment_detection_describes_this_machine() -> None:
    env = detect_environment("bash")
    assert env.os_name.startswith("Linux")
    assert env.userland in {"GNU coreutils", "BusyBox"}
    assert env.shell == "bash"
    assert env.cwd


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("find . -name '*.py' -exec wc -l {} +", ["find", "wc"]),
        ("ls | xargs -0 /bin/rm -f", ["ls", "xargs", "rm"]),
        ("ls *.tmp | xargs -n 1 rm", ["ls", "xargs", "rm"]),  # not "1"
        ("find . -name x | xargs -I {} cp {} /tmp", ["find", "xargs", "cp"]),
        ("ls | xargs", ["ls", "xargs"]),  # echo by default
        ("sudo du -sh * | sort -rh", ["du", "sort"]),
        ("FOO=1; echo $FOO", ["echo"]),
    ],
)
def test_utilities_include_what_find_and_xargs_run(command: str, expected: list[str]) -> None:
    assert utilities(command) == expected


def test_a_looping_answer_is_retried_once_with_a_repeat_penalty(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue('{"kind":"command","command":"echo |c|c|c|c|c|c|c', truncated=True)
    fake.enqueue(answer("cal | sed 's/^/| /'"))
    proposal = engine.propose("convert cal output to a table")
    assert proposal.command == "cal | sed 's/^/| /'"
    assert [r.repeat_penalty for r in fake.history] == [1.0, 1.3]
    assert any("looped" in w for w in proposal.warnings)


def test_a_malformed_answer_that_was_not_cut_off_is_not_retried(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue('{"kind":"command","command":"ls')
    with pytest.raises(SchemaViolationError):
        engine.propose("list")
    assert len(fake.history) == 1


@pytest.fixture
def fenced(engine: Engine) -> Engine:
    return dataclasses.replace(engine, template=get_template("fenced"))


def test_the_fenced_format_asks_for_a_prefilled_line_and_reads_it(
    fenced: Engine, fake: FakeBackend
) -> None:
    proposal = fenced.propose("list the 5 largest files")  # a canned answer, prefill placed
    request = fake.history[-1]
    assert (request.prefill, request.stop, request.json_schema) == (FENCE_OPEN, ("\n",), None)
    assert proposal.command == "du -ah . | sort -rh | head -n 5"
    assert (proposal.parse_method, proposal.schema_valid) == ("strict", True)
    assert proposal.explanation == ""
    # The examples are shown in the same format (listed in the system message), and the
    # request without the directory.
    assert FENCE_OPEN + "ls -S | head -n 3\n```" in request.messages[0].content
    assert [m.role for m in request.messages] == ["system", "user"]
    assert request.stable_prefix == 1
    assert request.messages[-1].content == "list the 5 largest files"


def test_a_first_line_that_opens_a_block_is_finished_up_to_the_fence(
    fenced: Engine, fake: FakeBackend
) -> None:
    # The fenced format stops at the end of the line; a loop's first line alone does not parse.
    fake.enqueue('for f in *.log; do\n  gzip "$f"\ndone\n```', after_prefill=True)
    fake.enqueue('  gzip "$f"\ndone\n```\n', after_prefill=True)
    proposal = fenced.propose("compress every log file here, one by one")
    assert proposal.command == 'for f in *.log; do\n  gzip "$f"\ndone'
    assert not any(w.startswith("syntax") for w in proposal.warnings)
    first, rest = fake.history
    assert first.stop == ("\n",)
    # The rest continues after the first line, written for the model, and ends at the fence.
    assert (rest.prefill, rest.stop) == (FENCE_OPEN + "for f in *.log; do\n", ("\n```",))
    # Both parts count (the fake counts words: 5 in the first line, 3 in the rest).
    assert proposal.generation.completion_tokens == 8


def test_a_complete_line_or_an_unfinishable_one_is_not_continued(
    fenced: Engine, fake: FakeBackend
) -> None:
    fake.enqueue("ls -la\nmore", after_prefill=True)
    assert fenced.propose("list the files").command == "ls -la"
    assert len(fake.history) == 1
    # The rest does not close it either: the first line stays, with the syntax warning.
    fake.enqueue("while true; do\n", after_prefill=True)
    fake.enqueue("  sleep 1\n```", after_prefill=True)
    fake.enqueue("while true; do\n", after_prefill=True)  # asked again with the note: no better
    proposal = fenced.propose("wait forever")
    assert proposal.command == "while true; do"
    assert any("unexpected end of file" in w for w in proposal.warnings)
    assert len(fake.history) == 4


def test_a_fenced_comment_is_a_decline(fenced: Engine, fake: FakeBackend) -> None:
    fake.enqueue(FENCE_OPEN + "# unclear: which files?")
    proposal = fenced.propose("delete the files")
    assert (proposal.kind, proposal.command, proposal.safety) == ("ambiguous", None, None)
    assert proposal.explanation == "which files?"


def test_a_fenced_revision_shows_the_previous_answer_in_the_format(
    fenced: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(FENCE_OPEN + "find . -name '*'")
    first = fenced.propose("find files")
    fake.enqueue(FENCE_OPEN + "find . -name '*.log'")
    assert fenced.revise(first, "only .log files").command == "find . -name '*.log'"
    assert fake.history[-1].messages[-2].content == FENCE_OPEN + "find . -name '*'\n```"
    assert [m.role for m in fake.history[-1].messages] == ["system", "user", "assistant", "user"]


def test_a_fenced_command_cut_off_twice_is_not_shown(fenced: Engine, fake: FakeBackend) -> None:
    fake.enqueue(FENCE_OPEN + "echo a | a | a | a", truncated=True)
    fake.enqueue(FENCE_OPEN + "echo a | a | a | a | a", truncated=True)
    with pytest.raises(SchemaViolationError, match="cut off"):
        fenced.propose("pipe forever")
    assert [r.repeat_penalty for r in fake.history] == [1.0, 1.3]


@pytest.mark.parametrize(
    ("command", "query", "expected"),
    [
        ("find /home/me/proj -size +1M", "files over 1MB here", "find . -size +1M"),
        ("ls /home/me/proj/src", "list src", "ls ./src"),
        ("du -sh '/home/me/proj'", "size of this folder", "du -sh '.'"),
        ("tar czf /tmp/a.tgz /home/me/proj", "archive this dir", "tar czf /tmp/a.tgz ."),
        # Left alone: a longer directory that only starts the same, the request naming the
        # path itself, another place.
        ("ls /home/me/project2", "list it", "ls /home/me/project2"),
        ("find /home/me/proj -name x", "search /home/me/proj for x", "find /home/me/proj -name x"),
        ("ls /srv/home/me/proj", "list it", "ls /srv/home/me/proj"),
    ],
)
def test_the_working_directory_is_written_as_dot(command: str, query: str, expected: str) -> None:
    assert relative_to_cwd(command, "/home/me/proj", query) == expected
    assert relative_to_cwd(command, "/", query) == command


def test_the_engine_rewrites_a_copied_working_directory(engine: Engine, fake: FakeBackend) -> None:
    cwd = engine.env.cwd
    fake.enqueue(answer(f"find {cwd} -type f -size +1M"))
    assert engine.propose("find files bigger than 1MB here").command == "find . -type f -size +1M"


def test_explanation_lines_keep_the_commands_parts_only() -> None:
    text = (
        "- `find .`: searches here and below\n"
        "`-name '*.log'`: only .log files\n\n"
        "`-delete`: deletes each file found\n"
        "`| wc  -l`: counts them\n" + "".join(f"`-o{i}`: extra\n" for i in range(9))
    )
    command = "find . -name '*.log' -o0 -o1 -o2 -o3 | wc -l"
    assert explanation_lines(text, command) == [
        "`find .`: searches here and below",
        "`-name '*.log'`: only .log files",
        "`| wc  -l`: counts them",
        "`-o0`: extra",
        "`-o1`: extra",
    ]


def test_explain_falls_back_to_the_raw_text_when_nothing_is_kept(
    engine: Engine, fake: FakeBackend
) -> None:
    fake.enqueue("It lists files.")
    assert engine.explain("ls") == "It lists files."


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("sort names.txt > names.txt", True),
        ("jq -r '.[].c' orders.json > orders.json", True),
        ("sort names.txt > sorted.txt", False),
        ("sort names.txt >> names.txt", False),
    ],
)
def test_writing_over_an_input_is_a_warning(
    engine: Engine, fake: FakeBackend, command: str, warned: bool
) -> None:
    fake.enqueue(answer(command))
    fake.enqueue(answer(command))  # when a check proves it wrong it is asked again: no better
    warnings = engine.propose("sort the names").warnings
    assert any("empties" in w and "content would be lost" in w for w in warnings) is warned


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("ls -l | sort -rh | head -n 5", "permissions"),
        ("find . -type f -exec ls -l {} \\; | sort -rh | head -n 5", "find -printf"),
        ("find . -type f -ls | sort -rn | head", "inode"),
        ("find . -type f -exec ls -l {} + | sort -k5 -rn | head -n 5", None),
        ("find . -type f -exec wc -l {} + | sort -rn", None),
        ("ls -la | sort -k5 -rn | head -n 5", None),
        ("ls -lh | sort -rk5", None),
        ("ls -S | head -n 5", None),
        ("du -sh * | sort -rn | head", "sort -h"),
        ("du -sh * | sort -rh | head", None),
        ("du -s * | sort -n", None),
        ("echo 'ls -l | sort' | sort", None),
    ],
)
def test_a_pipeline_into_sort_that_sorts_by_the_wrong_thing_is_a_warning(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "sort:", warned, "the biggest files")


@pytest.mark.parametrize(
    ("command", "request_text", "warned"),
    [
        ("ps -eo pid,vsz --sort=-vsz | head -n 1 | cut -c1-5", "", "none of the rows (ps --no-h"),
        ("ps aux --sort=-%mem | head -1 | awk '{print $2}'", "", "head -1 keeps none"),
        ("free -h | head -n1 | wc -w", "", "head -n1 keeps none"),
        ("df -h / | sed -n 1p", "", "sed -n 1p keeps none"),
        ("lsof -i :8080 | awk 'NR==1'", "", "awk NR==1 keeps none"),
        ("top -b -n 1 | head -n 5", "", "7 lines of summary"),
        ("ps aux --sort=-%cpu | head -n 3 | cut -c1-9", "the 3 busiest processes", "only 2 rows"),
        ("ps aux --sort=-%cpu | head -n 2 | cut -c1-9", "the two busiest", "only 1 row (head -n 3"),
        ("ps aux --sort=-%cpu | head -n 4", "the 3 busiest processes", None),  # titles + 3
        ("ps aux --sort=-%cpu | head -n 3", "the busiest processes", None),  # no number asked
        ("ps aux --sort=-%mem | head", "the 10 biggest processes", None),  # head's own count
        ("top -bn1 | head -n 20", "", None),
        ("ps h -eo pid --sort=-%mem | head -n 1", "", None),  # BSD h: no titles
        ("ps haux --sort=-%mem | head -n 1", "", None),  # h among BSD options
        ("ps -C httpd -o pid | head -n 1 | wc -l", "", "keeps none"),  # httpd: -C's value
        ("ps --no-headers -eo pid --sort=-%mem | head -n 1", "", None),
        ("ps aux | sort -nrk 4 | head -n 1", "", None),  # sorted: the titles are not first
        ("lsof -t -i :80 | head -n 1", "", None),  # -t prints process ids alone
        ("ls -lS | head -n 1", "", None),
    ],
)
def test_counting_the_column_titles_as_rows_is_a_warning(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, warned: str | None
) -> None:
    assert_pitfall(engine, fake, command, "header:", warned, request_text or "do the task")


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("lsof -i :8080 | sort -u | awk '{print $2}' | xargs kill -9", None),  # sort: anywhere
        ("lsof -i :8080 | cut -c10-16 | xargs -r kill", "lsof -t prints"),  # no sure fix
        ("ps aux | grep -v grep | awk '{print $2}' | xargs kill", "(pgrep NAME)"),
        ("kill $(ps -ef | awk '{print $2}' | head -n 3)", "given PID as well"),
        ("lsof -ti :8080 | xargs kill -9", None),  # -t: the ids alone
        ("kill $(lsof -t -i:8080)", None),
        ("ps aux | grep node | awk '{print $2}' | xargs kill", None),  # grep node drops titles
        ("ps -eo pid= -C node | xargs kill", None),  # pid=: no title
        ("lsof -i :8080 | awk 'NR>1 {print $2}' | xargs kill", None),
        ("lsof -i :8080 | tail -n +2 | awk '{print $2}' | xargs kill", None),
        ("ps aux | sort -nrk 3 | head -n 1 | awk '{print $2}' | xargs kill", None),  # anywhere
        ("lsof -i :8080 | awk '{print $2}'", None),  # only shown
    ],
)
def test_a_title_handed_to_kill_is_a_warning(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    # procps kill refuses the whole list when one argument (the title PID) is not a number.
    assert_pitfall(engine, fake, command, "header:", warned, "kill what listens on port 8080")


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("du -sh --max-depth=1", True),  # GNU du refuses it and lists nothing
        ("du -s -d 1 .", True),
        ("du -sh -d1 /var", True),
        ("du -h --max-depth=1 | sort -hr", False),
        ("du -sh *", False),
        ("du -s --max-depth=0 .", False),  # the same as -s: du only warns
    ],
)
def test_an_option_combination_du_refuses_is_a_warning(
    engine: Engine, fake: FakeBackend, command: str, warned: bool
) -> None:
    fake.enqueue(answer(command))
    fake.enqueue(answer(command))  # when a check proves it wrong it is asked again: no better
    warnings = engine.propose("disk usage of each folder").warnings
    assert any(w.startswith("du: -s (summarize) conflicts") for w in warnings) is warned


def test_the_decline_threshold_is_the_prompts_and_fix_never_declines(
    fenced: Engine, fake: FakeBackend
) -> None:
    fenced.propose("list the 5 largest files")
    assert (fake.history[-1].decline_marker, fake.history[-1].decline_threshold) == ("#", 0.10)
    dataclasses.replace(fenced, declines=False).propose("list the 5 largest files")
    assert fake.history[-1].decline_threshold > 1.0  # never reached
    bare = dataclasses.replace(fenced, template=get_template("fenced-bare"))
    bare.propose("list the 5 largest files")
    assert fake.history[-1].decline_threshold == 0.08  # the format's default


def test_a_fix_that_repeats_the_failed_command_is_drawn_again(
    engine: Engine, fake: FakeBackend
) -> None:
    fixing = dataclasses.replace(engine, declines=False, avoid="cta poem.txt")
    fake.enqueue(answer("cta  poem.txt"))  # the failed command again (spacing aside)
    fake.enqueue(answer("cat poem.txt"))
    fake.enqueue(answer("cta poem.txt"))
    fake.enqueue(answer("cat 'poem.txt'"))
    proposal = fixing.propose("fix this command, which failed: cta poem.txt")
    assert proposal.command in ("cat poem.txt", "cat 'poem.txt'")
    assert "the first answer repeated the failed command; another was drawn" in proposal.warnings
    sampled = fake.history[1:]
    assert len(sampled) == 3
    assert all(r.temperature > 0 for r in sampled)
    assert len({r.seed for r in sampled}) == 3

    for _ in range(4):
        fake.enqueue(answer("cta poem.txt"))
    proposal = fixing.propose("fix this command, which failed: cta poem.txt")
    assert proposal.command == "cta poem.txt"
    assert "every answer drawn repeated the failed command" in proposal.warnings

    fake.enqueue(answer("cat poem.txt"))
    before = len(fake.history)
    assert fixing.propose("fix it: cta poem.txt").command == "cat poem.txt"
    assert len(fake.history) == before + 1  # a different first answer costs nothing more

    # Quoting that changes what the shell expands is a fix, not a repeat.
    globbing = dataclasses.replace(fixing, avoid="find . -name *.py -size +1k")
    fake.enqueue(answer("find . -name '*.py' -size +1k"))
    before = len(fake.history)
    assert globbing.propose("fix it").command == "find . -name '*.py' -size +1k"
    assert len(fake.history) == before + 1


@pytest.mark.parametrize(
    ("request_text", "draft", "fixed"),
    [
        ("show the 3 processes using the most cpu", "ps aux --sort=-%cpu | head -n 3", "head -n 4"),
        ("top five processes by memory", "ps aux --sort=-%mem | head -5", "head -6"),
        (
            "which process uses the most memory",
            "ps -eo pid,vsz --sort=-vsz | head -n 1",
            "head -n 2",
        ),
        ("top 5 processes", "top -b -n 1 | head -n 5", "head -n 12"),
    ],
)
def test_a_count_that_forgot_the_column_titles_is_fixed_without_asking_again(
    engine: Engine, fake: FakeBackend, request_text: str, draft: str, fixed: str
) -> None:
    fake.enqueue(answer(draft))
    proposal = engine.propose(request_text)
    assert proposal.command == draft.rsplit("head", 1)[0] + fixed
    assert [w for w in proposal.warnings if w.startswith("fixed here:")] == [proposal.warnings[0]]
    assert not any(w.startswith("header:") for w in proposal.warnings)
    assert len(fake.history) == 1  # no second generation


def test_titles_read_by_a_later_stage_are_asked_about_not_fixed(
    engine: Engine, fake: FakeBackend
) -> None:
    draft = "ps -eo pid,vsz --sort=-vsz | head -n 1 | awk '{print $1}'"
    better = "ps --no-headers -eo pid,vsz --sort=-vsz | head -n 1 | awk '{print $1}'"
    fake.enqueue(answer(draft))
    fake.enqueue(answer(better))
    proposal = engine.propose("the pid of the biggest process")
    assert proposal.command == better
    assert len(fake.history) == 2


@pytest.mark.parametrize(
    ("command", "warned"),
    [
        ("grep -E '\\d+M' sizes.txt", "regex: grep does not read Perl's"),
        ("grep -o -E '(?<!x)y' words.txt", "grep -P reads Perl patterns"),
        ("grep -e '\\d' f", "[0-9] is a digit"),
        ("sed 's/\\.\\d$//' f", "regex: sed does not read"),
        ("find . -type d -printf '%s %p\\n' | sort -nr | head -n 1", "du -s adds those up"),
        ("grep -oP '(?<=port=)\\d+' config.ini", None),  # -P reads Perl's syntax
        ("grep --perl-regexp '\\d' f", None),
        ("grep -E '[0-9]+' f", None),
        ("grep -c '\\bword\\b' f", None),  # \b and \w are GNU grep's own
        ("find . -type f -printf '%s %p\\n'", None),
        ("find . -type d -exec find {} -type f | wc -l", "-exec needs a \\; or +"),
        ("find . -name '*.tmp' -exec rm {} \\;", None),
        ("find . -name '*.tmp' -exec rm {} +", None),
        ("find . -exec sh -c 'echo $1' _ {} \\; -print", None),
        ("echo '\\d'", None),
    ],
)
def test_a_pattern_or_format_that_cannot_mean_what_it_says_is_a_warning(
    engine: Engine, fake: FakeBackend, command: str, warned: str | None
) -> None:
    label = "find:" if command.startswith("find") else "regex:"
    assert_pitfall(engine, fake, command, label, warned)


def test_a_shebang_first_line_is_a_script_to_finish_not_a_decline(
    fenced: Engine, fake: FakeBackend
) -> None:
    # The fenced format stops at the end of the line: `#!/bin/bash` alone reads as a comment.
    fake.enqueue("#!/bin/bash\n", after_prefill=True)
    fake.enqueue('for d in */; do\n  tar -czf "${d%/}.tar.gz" "$d"\ndone\n```', after_prefill=True)
    proposal = fenced.propose("write a script that archives every folder here")
    assert proposal.kind == "command"
    assert proposal.command == 'for d in */; do\n  tar -czf "${d%/}.tar.gz" "$d"\ndone'
    assert proposal.explanation == ""  # the shebang is no explanation
    assert fake.history[1].prefill == FENCE_OPEN + "#!/bin/bash\n"
    # A real decline (a comment that is not a shebang) stays one, and is not continued.
    fake.enqueue("# not a shell task: that is a question about history", after_prefill=True)
    declined = fenced.propose("who was the first emperor of Rome?")
    assert declined.kind == "not_a_shell_task"
    assert len(fake.history) == 3


def test_a_heading_comment_first_line_is_a_script_to_finish_not_a_decline(
    fenced: Engine, fake: FakeBackend
) -> None:
    # "create a virtualenv and install the requirements" was declined with this as the reason
    fake.enqueue("# Create a virtual environment\n", after_prefill=True)
    fake.enqueue(
        "python3 -m venv venv\n# Install\nvenv/bin/pip install -r requirements.txt\n```",
        after_prefill=True,
    )
    proposal = fenced.propose("create a virtualenv and install the requirements")
    assert proposal.kind == "command"
    assert proposal.command == (
        "python3 -m venv venv\n# Install\nvenv/bin/pip install -r requirements.txt"
    )
    assert proposal.explanation == "Create a virtual environment"
    assert fake.history[-1].prefill == FENCE_OPEN + "# Create a virtual environment\n"
    # A heading the model writes nothing after stays what it said: no command.
    fake.enqueue("# Something about poems\n", after_prefill=True)
    fake.enqueue("```", after_prefill=True)
    declined = fenced.propose("write me a poem about autumn")
    assert declined.kind == "not_a_shell_task"
    assert declined.explanation == "Something about poems"
    # "# unclear: ..." and "# not a shell task: ..." are declines, never continued.
    calls = len(fake.history)
    fake.enqueue("# unclear: which file?", after_prefill=True)
    assert fenced.propose("rename the file").kind == "ambiguous"
    assert len(fake.history) == calls + 1


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("#!/bin/bash", True),
        ("# Create a virtual environment", True),
        ("# not a shell task: history", False),
        ("# Unclear: which file", False),
        ("## ambiguous - which one", False),
        ("ls -la", False),
    ],
)
def test_which_first_comments_open_a_script(text: str, script: bool) -> None:
    from cmdai.formats import opens_script

    assert opens_script(text) is script
