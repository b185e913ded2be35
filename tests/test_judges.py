"""The eval's judges and their sandbox: oracle and garbage, containment, tolerance rules, and
agreement with the labelled pairs in datasets/judges/."""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path

import pytest

from cmdai.sandbox import (
    SANDBOX_GID,
    SANDBOX_UID,
    SANDBOX_WORKDIR,
    Sandbox,
    SandboxUnavailable,
)
from evals.judges import (
    ExactMatchJudge,
    ExecutionJudge,
    JudgeItem,
    NLC2CMDJudge,
    Score,
    command_flags,
    compare_outputs,
    fixture_populator,
    judge_agreement,
    judge_item,
    load_pairs,
    main,
    memory_scratch,
    nlc2cmd_aggregate,
    nlc2cmd_flag_score,
    nlc2cmd_metric,
    normalise_command,
    reference_orders,
)

REPO = Path(__file__).resolve().parent.parent
DAY = 86_400.0

needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None, reason="bubblewrap is not installed (apt-get install bubblewrap)"
)


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
    return Sandbox()


def tiny(dest: Path, now: float) -> None:
    """A small tree: three text lines, a log, a script, a nested python file."""
    files = {
        "a.txt": ("one\ntwo\nthree\n", 0o644, 2),
        "logs/app.log": ("INFO start\nERROR boom\nINFO stop\nERROR again\n", 0o644, 1),
        "run.sh": ("#!/bin/sh\necho run\n", 0o644, 5),
        "sub/b.py": ("print('b')\n", 0o644, 40),
    }
    for rel, (text, mode, age) in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(mode)
        os.utime(path, (now - age * DAY, now - age * DAY))


@pytest.fixture(scope="module")
def execution(sandbox: Sandbox) -> ExecutionJudge:
    return ExecutionJudge(sandbox, lambda name: tiny, timeout_s=3.0, scratch=memory_scratch())


def item(
    *refs: str, compare: str = "output", fixture: str | None = "tiny", **tags: object
) -> JudgeItem:
    return JudgeItem.from_mapping(
        {"id": "t", "references": list(refs), "fixture": fixture, "compare": compare, "tags": tags}
    )


ORACLE_ITEMS = [
    item("wc -l a.txt"),
    item("grep -c ERROR logs/app.log"),
    item("find . -name '*.py'"),
    item("sort -r a.txt"),
    item("chmod +x run.sh", compare="files"),
    item("tar czf logs.tar.gz logs", compare="files"),
    item("touch a.txt", compare="files"),
    item("mkdir -p out && cp a.txt out/ && ls out", compare="both"),
]


# -- sandbox -------------------------------------------------------------------------------
def test_missing_bwrap_is_a_clear_error_with_the_install_hint() -> None:
    with pytest.raises(SandboxUnavailable, match="not installed") as info:
        Sandbox(bwrap="cmdai-no-such-bwrap")
    assert "apt-get install bubblewrap" in info.value.hint


@needs_bwrap
def test_sandbox_runs_in_the_workdir_with_a_fixed_environment(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "f.txt").write_text("hello\n")
    result = sandbox.run('pwd; echo "$HOME"; cat f.txt; env | cut -d= -f1 | sort', tmp_path, 5)
    lines = result.stdout.splitlines()
    assert lines[:3] == [SANDBOX_WORKDIR, SANDBOX_WORKDIR, "hello"]
    assert set(lines[3:]) <= {
        "HOME",
        "LANG",
        "LC_ALL",
        "PATH",
        "PWD",
        "SHELL",
        "SHLVL",
        "TZ",
        "USER",
        "_",
    }
    assert result.exit_code == 0
    assert not result.timed_out


@needs_bwrap
def test_sandbox_runs_as_an_ordinary_user_with_umask_022_in_utc(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # The same environment for the judge and for python -m evals.data check, whoever runs them.
    result = sandbox.run(
        "id -u; id -g; umask; touch f; mkdir d; stat -c '%a %n' f d;"
        " date -d @0 '+%H:%M %Z'; locale charmap",
        tmp_path,
        5,
    )
    assert result.stdout.splitlines() == [
        str(SANDBOX_UID),
        str(SANDBOX_GID),
        "0022",
        "644 f",
        "755 d",
        "00:00 UTC",
        "UTF-8",
    ]
    assert SANDBOX_UID != 0
    assert (tmp_path / "f").stat().st_uid == os.getuid()  # the host sees its own user's files


@needs_bwrap
def test_sandbox_has_no_network(sandbox: Sandbox, tmp_path: Path) -> None:
    with socket.socket() as server:  # a real listener on the host's loopback
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        result = sandbox.run(
            f"exec 3<>/dev/tcp/127.0.0.1/{port} && echo connected;"
            " exec 4<>/dev/tcp/1.1.1.1/80 && echo connected",
            tmp_path,
            5,
        )
    assert "connected" not in result.stdout
    assert result.exit_code != 0


@needs_bwrap
def test_sandbox_cannot_reach_host_unix_sockets(sandbox: Sandbox, tmp_path: Path) -> None:
    # A read-only bind of / would still let it connect (docker, dbus, database sockets).
    path = Path("/var/tmp") / f"cmdai-{uuid.uuid4().hex[:12]}.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen()
        try:
            result = sandbox.run(
                'python3 -c "import socket, sys; s = socket.socket(socket.AF_UNIX);'
                f" s.connect('{path}'); print('connected')\"",
                tmp_path,
                5,
            )
        finally:
            path.unlink()
    assert "connected" not in result.stdout
    assert result.exit_code != 0


@needs_bwrap
def test_sandbox_sees_no_host_data(sandbox: Sandbox, tmp_path: Path) -> None:
    result = sandbox.run(f"ls {REPO} /root /home /run 2>/dev/null | wc -l", tmp_path, 5)
    assert result.stdout.strip() == "0"


@needs_bwrap
def test_sandbox_cannot_write_outside_the_workdir(sandbox: Sandbox, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    marker = f"cmdai-escape-{uuid.uuid4().hex}"
    result = sandbox.run(
        f"touch /etc/{marker}; touch {REPO}/{marker}; touch $HOME/../{marker};"
        f" touch {tmp_path}/{marker}; touch /var/tmp/{marker}; echo done",
        work,
        5,
    )
    assert "Read-only file system" in result.stderr or "No such file" in result.stderr
    for host in (Path("/etc"), REPO, Path("/tmp"), tmp_path, Path("/var/tmp")):
        assert not (host / marker).exists(), host
    assert list(work.iterdir()) == []


@needs_bwrap
def test_sandbox_timeout_kills_everything_it_started(sandbox: Sandbox, tmp_path: Path) -> None:
    marker = f"cmdai-sleeper-{uuid.uuid4().hex}"
    result = sandbox.run(f"(exec -a {marker} sleep 100) & sleep 100", tmp_path, 0.5)
    assert result.timed_out
    assert result.exit_code == -1
    assert result.duration_s < 5
    # SIGKILL reaches the sandbox's PID namespace asynchronously: allow the kernel a moment.
    deadline = time.monotonic() + 5
    while (leftovers := _processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers == []


def _processes_with(marker: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(f"{proc.name}: {(proc / 'stat').read_text().split()[2]}")
        except OSError:
            continue
    return found


@needs_bwrap
def test_sandbox_caps_huge_output(sandbox: Sandbox, tmp_path: Path) -> None:
    result = sandbox.run("yes", tmp_path, 10)
    assert result.truncated
    assert len(result.stdout) == sandbox.output_cap
    assert result.duration_s < 5


@needs_bwrap
def test_sandbox_stdin_is_dev_null(sandbox: Sandbox, tmp_path: Path) -> None:
    result = sandbox.run('cat; read -r line; echo "read=$?"', tmp_path, 5)
    assert result.stdout == "read=1\n"
    assert not result.timed_out
    assert result.duration_s < 2


@needs_bwrap
def test_sandbox_decodes_bad_bytes_and_reports_status(sandbox: Sandbox, tmp_path: Path) -> None:
    result = sandbox.run(r"printf 'a\377b'; printf err >&2; exit 3", tmp_path, 5)
    assert result.stdout == "a\ufffdb"
    assert result.stderr == "err"
    assert result.exit_code == 3


# -- oracle and garbage ---------------------------------------------------------------------
@needs_bwrap
@pytest.mark.parametrize("it", ORACLE_ITEMS, ids=[i.references[0] for i in ORACLE_ITEMS])
def test_the_reference_scores_one_under_every_judge(
    execution: ExecutionJudge, it: JudgeItem
) -> None:
    judges = [execution, NLC2CMDJudge(), ExactMatchJudge()]
    scores = judge_item(it, it.references[0], judges)
    assert {name: s.value for name, s in scores.items() if s is not None} == {
        "execution": 1.0,
        "nlc2cmd": 1.0,
        "exact": 1.0,
    }


@needs_bwrap
@pytest.mark.parametrize("garbage", ["echo nonsense", "ls /nonexistent", "rm -rf ."])
@pytest.mark.parametrize("it", ORACLE_ITEMS[:1] + ORACLE_ITEMS[4:5], ids=["output", "files"])
def test_garbage_scores_zero_under_every_judge(
    execution: ExecutionJudge, it: JudgeItem, garbage: str
) -> None:
    judges = [execution, NLC2CMDJudge(), ExactMatchJudge()]
    scores = judge_item(it, garbage, judges)
    assert {name: s.value for name, s in scores.items() if s is not None} == {
        "execution": 0.0,
        "nlc2cmd": 0.0,
        "exact": 0.0,
    }


@needs_bwrap
def test_destroying_the_copy_is_caught_even_when_the_output_matches(
    execution: ExecutionJudge,
) -> None:
    score = execution.score(item("cat a.txt"), "cat a.txt; rm -rf ./*")
    assert score is not None
    assert score.value == 0.0
    assert "deleted" in score.explanation


@needs_bwrap
def test_silence_only_matches_silence_with_the_same_success(execution: ExecutionJudge) -> None:
    it = item("find . -name '*.xyz'")
    assert execution.score(it, "find . -name '*.none'") == _value(1.0)
    assert execution.score(it, "ls /nonexistent 2>/dev/null") == _value(0.0)


@needs_bwrap
def test_a_candidate_that_times_out_scores_zero(sandbox: Sandbox) -> None:
    judge = ExecutionJudge(sandbox, lambda name: tiny, timeout_s=0.5)
    score = judge.score(item("ls"), "sleep 5; ls")
    assert score is not None
    assert score.value == 0.0
    assert "timed out" in score.explanation
    broken = judge.score(item("sleep 5"), "ls")
    assert broken is not None
    assert broken.error == "reference timed out"


@needs_bwrap
def test_best_over_references(execution: ExecutionJudge) -> None:
    score = execution.score(
        item("wc -l a.txt", "grep -c ERROR logs/app.log"), "grep ERROR logs/app.log | wc -l"
    )
    assert score is not None
    assert score.value == 1.0
    assert score.reference == "grep -c ERROR logs/app.log"


def test_no_fixture_means_the_execution_judge_does_not_apply(execution: ExecutionJudge) -> None:
    assert execution.score(item("df -h", fixture=None), "df -h") is None


def test_item_rejects_an_unknown_compare_mode() -> None:
    with pytest.raises(ValueError, match="compare"):
        JudgeItem.from_mapping({"id": "x", "references": ["ls"], "compare": "vibes"})


class _value:
    """Compares equal to a Score with this value (for terse asserts)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Score) and other.value == self.value


# -- file-system rules ------------------------------------------------------------------------
@needs_bwrap
@pytest.mark.parametrize(
    ("reference", "candidate", "value"),
    [
        ("chmod +x run.sh", "chmod 755 run.sh", 1.0),
        ("chmod +x run.sh", "chmod u+x run.sh", 0.0),
        ("touch a.txt", "touch -c a.txt", 1.0),
        ("touch a.txt", "touch -d 2020-01-01 a.txt", 0.0),
        ("touch a.txt", "cat a.txt", 0.0),
        ("cp a.txt b.txt", "cp -p a.txt b.txt", 1.0),
        ("tar czf l.tar.gz logs", "tar -czvf l.tar.gz logs/", 1.0),
        ("tar czf l.tar.gz logs", "tar cf l.tar.gz logs", 0.0),
        ("gzip -k a.txt", "gzip -c a.txt > a.txt.gz", 1.0),
        ("mv a.txt c.txt", "cp a.txt c.txt && rm a.txt", 1.0),
        ("rm -r sub", "rm sub/b.py", 0.0),
    ],
)
def test_file_comparison(
    execution: ExecutionJudge, reference: str, candidate: str, value: float
) -> None:
    score = execution.score(item(reference, compare="files"), candidate)
    assert score is not None
    assert score.value == value, score


# -- output rules -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reference", "candidate", "ordered", "value"),
    [
        ("a\nb\n", "a  \n b\n\n", False, 1.0),
        ("./x\n./logs/\n", "x\nlogs\n", False, 1.0),
        ("a\nb\n", "b\na\n", False, 1.0),
        ("a\nb\n", "b\na\n", True, 0.5),
        ("3\n", "3 a.txt\n", True, 1.0),
        ("1 a\n2 b\n3 total\n", "3\n", True, 1.0),
        ("3\n", "4 a.txt\n", True, 0.0),
        ("a\nb\nc\nd\n", "a\nb\nc\nd\ne\n", False, 0.5),
        ("a\nb\n", "a\nb\nc\nd\n", False, 0.0),
        ("a\nb\n", "a\n", False, 0.0),
        ("", "", False, 1.0),
    ],
)
def test_output_tolerance(reference: str, candidate: str, ordered: bool, value: float) -> None:
    assert compare_outputs(reference, candidate, ordered=ordered)[0] == value


@pytest.mark.parametrize(
    ("reference", "ordered"),
    [
        ("find . -name '*.py'", False),
        ("ls logs", False),
        ("grep -rl TODO .", False),
        ("wc -l logs/*.log", False),
        ("ls -t | head -3", True),
        ("find . | sort", True),
        ("head -n 3 a.txt", True),
        ("grep ERROR app.log", True),
    ],
)
def test_when_order_matters(reference: str, ordered: bool) -> None:
    assert reference_orders(reference) is ordered


# -- exact match ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("ls  -la ;", "ls -la", True),
        ("cat ./a.txt|wc -l", "cat a.txt | wc -l", True),
        ('find . -name "*.py"', "find . -name '*.py'", True),
        ("echo 'hi'", "echo hi", True),
        ("./run.sh", "run.sh", False),
        ('echo "$HOME"', "echo '$HOME'", False),
        ("find . -name *.py", "find . -name '*.py'", False),
        ("ls -la", "ls -al", False),
    ],
)
def test_exact_match_normalisation(a: str, b: str, same: bool) -> None:
    assert (normalise_command(a) == normalise_command(b)) is same


# -- NLC2CMD ---------------------------------------------------------------------------------
def test_nlc2cmd_reproduces_the_competition_example() -> None:
    # The metric package's README example: -ctime missing from find, tail right.
    # find: utility 1, flags {-type} vs {-type, -ctime}: (2*1 - 2)/2 = 0 -> (1 + 0)/2 = 0.5;
    # tail: 1.0; mean 0.75.
    assert (
        nlc2cmd_metric("find . -type f | tail -n 5", "find . -type f -ctime -3 | tail -n 5") == 0.75
    )


@pytest.mark.parametrize(
    ("predicted", "reference", "value"),
    [
        ("ls -la", "ls -al", 1.0),
        ("tar czf a.tgz d", "tar -czf a.tgz d", 1.0),
        ("ls", "ls -l", 0.0),  # flags {} vs {-l}: (0 - 1)/1 = -1, normed (1 - 1)/2 = 0
        ("echo nonsense", "wc -l a.txt", -1.0),
        ("cat f | wc -l", "wc -l f", -1.0),  # cat vs wc, wc vs padding
        ("sort f", "sort f | uniq", 0.0),  # (1 + -1) / 2
    ],
)
def test_nlc2cmd_metric(predicted: str, reference: str, value: float) -> None:
    assert nlc2cmd_metric(predicted, reference) == pytest.approx(value)


def test_nlc2cmd_flag_score_and_aggregate() -> None:
    assert nlc2cmd_flag_score(frozenset(), frozenset()) == 1.0
    assert nlc2cmd_flag_score(frozenset({"-a", "-b"}), frozenset({"-a"})) == 0.0
    assert nlc2cmd_flag_score(frozenset({"-a"}), frozenset({"-b"})) == -2.0
    assert nlc2cmd_aggregate([-1.0, 0.5, 0.25]) == 0.5
    assert nlc2cmd_aggregate([-1.0, 0.0]) == -0.5
    assert nlc2cmd_aggregate([]) == -1.0


@pytest.mark.parametrize(
    ("name", "args", "flags"),
    [
        ("ls", ["-la", "/tmp"], {"-l", "-a"}),
        ("head", ["-n5", "f"], {"-n"}),
        ("ls", ["-1"], {"-1"}),
        ("grep", ["--color=auto", "-e", "x", "--", "-v"], {"--color", "-e"}),
        ("tar", ["czf", "a.tgz", "d"], {"-c", "-z", "-f"}),
        ("ps", ["aux"], {"-a", "-u", "-x"}),
        (
            "find",
            [".", "-mtime", "-7", "-exec", "grep", "-l", "x", "{}", ";", "-print"],
            {"-mtime", "-exec", "-print"},
        ),
        ("xargs", ["-0", "-n", "1", "grep", "-l", "x"], {"-0", "-n"}),
    ],
)
def test_command_flags(name: str, args: list[str], flags: set[str]) -> None:
    assert command_flags(name, args) == flags


def test_nlc2cmd_judge_reports_raw_and_clipped() -> None:
    score = NLC2CMDJudge().score(item("wc -l a.txt", fixture=None), "echo nonsense")
    assert (score.value, score.raw) == (0.0, -1.0)


# -- agreement with the labelled pairs --------------------------------------------------------
def test_pairs_are_well_formed() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 80
    assert len({p["id"] for p in pairs}) == len(pairs)
    fixtures = {p["fixture"] for p in pairs} - {None}
    for name in fixtures:
        assert (REPO / "datasets" / "judges" / "fixtures" / f"{name}.json").is_file()
    labels = {p["label"] for p in pairs}
    assert labels == {"equivalent", "not_equivalent"}


@needs_bwrap
def test_judge_agreement_with_the_labelled_pairs() -> None:
    # Measured (datasets/judges/README.md): execution 0.941 accuracy over 152 pairs (0.880 on the
    # 25 held-out pairs), exact precision 1.0, NLC2CMD far below execution. The margin allows a
    # pair or two to flip on a slower or different machine, not a regression.
    stats, _ = judge_agreement()
    execution = stats["all"]["execution"]
    assert execution.accuracy is not None
    assert execution.accuracy >= 0.92
    assert (execution.precision or 0) >= 0.95
    assert (stats["holdout"]["execution"].accuracy or 0) >= 0.84
    assert stats["all"]["exact"].precision == 1.0
    assert (stats["all"]["nlc2cmd"].accuracy or 0) < execution.accuracy
    assert (stats["all"]["cascade"].accuracy or 0) >= 0.85


@needs_bwrap
def test_agreement_command_prints_a_table_per_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    spec = {
        "description": "two lines",
        "entries": [{"path": "a.txt", "type": "file", "content": "x\ny\n"}],
    }
    (fixtures / "two.json").write_text(json.dumps(spec))
    rows = [
        {"id": "p1", "split": "dev", "reference": "wc -l a.txt", "candidate": "wc -l < a.txt",
         "fixture": "two", "compare": "output", "label": "equivalent"},
        {"id": "p2", "split": "holdout", "reference": "head -1 a.txt", "candidate": "tail -1 a.txt",
         "fixture": "two", "compare": "output", "label": "not_equivalent"},
        {"id": "p3", "split": "dev", "reference": "df -h", "candidate": "df -h", "fixture": None,
         "label": "equivalent"},
    ]  # fmt: skip
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out_json = tmp_path / "agreement.json"
    main(["agreement", "--pairs", str(pairs), "--fixtures", str(fixtures), "--json", str(out_json)])
    printed = capsys.readouterr().out
    assert "3 pairs (2 equivalent, 1 not)" in printed
    assert "[holdout: 1 pairs]" in printed
    report = json.loads(out_json.read_text())
    assert report["agreement"]["all"]["execution"]["accuracy"] == 1.0
    assert report["agreement"]["all"]["execution"]["applicable"] == 2
    assert report["agreement"]["all"]["exact"]["tp"] == 1


@needs_bwrap
def test_output_mode_counts_a_mode_change_as_damage_but_not_a_touch(
    execution: ExecutionJudge,
) -> None:
    assert execution.score(item("cat a.txt"), "chmod 600 a.txt; cat a.txt") == _value(0.0)
    assert execution.score(item("cat a.txt"), "touch a.txt; cat a.txt") == _value(1.0)
    assert execution.score(item("cat a.txt"), "cat a.txt | tee copy.txt") == _value(1.0)


GIT_FIXTURE = REPO / "datasets" / "core" / "fixtures" / "git_repo.json"


@needs_bwrap
@pytest.mark.skipif(
    shutil.which("git") is None or not GIT_FIXTURE.is_file(), reason="needs git and git_repo"
)
@pytest.mark.parametrize(
    ("reference", "candidate", "compare", "value"),
    [
        ("git status --short", "git status -s", "output", 1.0),
        ("git log --oneline -3", "git log --oneline -n 3", "output", 1.0),
        ("git commit -qam wip", "git add -u && git commit -q -m wip", "files", 1.0),
        ("git commit -qam wip", "git commit -qm wip", "files", 0.0),
        ("git stash", "git stash push", "files", 1.0),
        ("git branch -a", "git branch -a; git tag -d v0.1.0", "output", 0.0),
    ],
)
def test_git_repositories_compare_by_state(
    sandbox: Sandbox, reference: str, candidate: str, compare: str, value: float
) -> None:
    judge = ExecutionJudge(sandbox, fixture_populator(GIT_FIXTURE.parent), scratch=memory_scratch())
    score = judge.score(item(reference, compare=compare, fixture="git_repo"), candidate)
    assert score is not None
    assert score.value == value, score
