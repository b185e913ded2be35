"""Measure the core targets: parse rate, CLI start-up, one-shot latency and peak memory.

    python -m evals.targets parse      # strict-JSON parse rate over datasets/nl2bash_sample_200
    python -m evals.targets startup    # cmdai --help / --version, median of N new processes
    python -m evals.targets oneshot    # cmdai --dry-run, new process per request: p50/p95, RSS
    python -m evals.targets hotkey     # the shell key's round trip beside cmdai -n (warm server)
    python -m evals.targets first-char # the command's first character on a terminal (warm server)
    python -m evals.targets question   # when cmdai asks "Run it?" on a terminal (warm server)
    python -m evals.targets all

Every figure is measured here, in this process or its children, on this machine; results are
printed and written as JSON (``--out``) with what reproduces them. Parsing goes through the
same ``Engine.propose`` the CLI ships.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "datasets" / "nl2bash_sample_200.jsonl"
ONESHOT_REQUESTS = (
    "list the 5 largest files in this directory",
    "count lines in all python files",
    "show free disk space",
    "find files over 100MB changed this week",
    "compress the folder logs into logs.tar.gz",
    "show the 10 processes using the most memory",
    "show the last 20 lines of app.log",
    "search for the word TODO in all files under src",
    "make deploy.sh executable",
    "show today's date",
    "extract archive.zip",
    "replace foo with bar in all .txt files",
)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    flags: list[str] = []
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and not model:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                wanted = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "f16c", "fma")
                flags = [f for f in line.split(":", 1)[1].split() if f in wanted]
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "cpu_flags": flags,
        "python": platform.python_version(),
    }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


def measure_parse(limit: int) -> dict[str, Any]:
    """Strict-JSON parse rate (and syntax-check pass rate) with the real default model."""
    from cmdai.backends import create_backend
    from cmdai.core import Engine
    from cmdai.errors import CmdaiError
    from cmdai.execute import user_shell
    from cmdai.prompts import detect_environment, get_template
    from cmdai.safety import PatternValidator
    from cmdai.settings import load_settings

    resolved = load_settings()
    settings = resolved.settings
    backend = create_backend(settings, resolved.cache_dir)
    shell = user_shell()
    engine = Engine(
        settings,
        backend,
        PatternValidator(),
        get_template(settings.prompt),
        detect_environment(Path(shell).name),
        shell,
    )
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()][:limit]
    counts = {"ok": 0, "strict": 0, "schema_valid": 0, "syntax_ok": 0, "command": 0, "errors": 0}
    failures: list[dict[str, str]] = []
    latencies: list[float] = []
    for i, row in enumerate(rows, start=1):
        start = time.perf_counter()
        try:
            proposal = engine.propose(row["nl"])
        except Exception as exc:  # recorded as data: one bad sample never aborts the run
            counts["errors"] += 1
            message = exc.message if isinstance(exc, CmdaiError) else repr(exc)
            failures.append({"id": row["id"], "error": message})
            continue
        latencies.append(time.perf_counter() - start)
        counts["strict"] += proposal.parse_method == "strict"
        counts["schema_valid"] += proposal.schema_valid
        counts["ok"] += proposal.parse_method == "strict" and proposal.schema_valid
        if proposal.command is not None:
            counts["command"] += 1
            counts["syntax_ok"] += not any(w.startswith("syntax") for w in proposal.warnings)
        if proposal.parse_method != "strict" or not proposal.schema_valid:
            failures.append({"id": row["id"], "raw": proposal.raw})
        print(f"[{i}/{len(rows)}] {proposal.parse_method} {proposal.command!r}", file=sys.stderr)
    n = len(rows)
    return {
        "requests": n,
        "parse_rate": counts["ok"] / n if n else 0.0,
        "strict_json": counts["strict"] / n,
        "schema_valid": counts["schema_valid"] / n,
        "commands": counts["command"],
        "syntax_ok_of_commands": counts["syntax_ok"] / max(1, counts["command"]),
        "errors": counts["errors"],
        "warm_latency_p50_s": statistics.median(latencies) if latencies else None,
        "warm_latency_p95_s": percentile(latencies, 95) if latencies else None,
        "failures": failures,
        "model": backend.describe(),
        "prompt": engine.template.id,
    }


def _cmdai(*args: str) -> list[str]:
    return [sys.executable, "-m", "cmdai", *args]


def timed_child(
    argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int, int]:
    """Run a child process; return (seconds, exit status, peak RSS in KB) for that child alone.

    ``env`` adds to (or overrides) this process's environment.
    """
    # Measurement processes never write the user's request history.
    child_env = {**os.environ, "CMDAI_HISTORY": "0", **(env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=child_env
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss


def measure_startup(runs: int) -> dict[str, Any]:
    """Median wall time of `cmdai --help` and `--version`, beside a bare interpreter baseline."""
    result: dict[str, Any] = {}
    for name, argv in (
        ("python_baseline", [sys.executable, "-c", "pass"]),
        ("help", _cmdai("--help")),
        ("version", _cmdai("--version")),
    ):
        timed_child(argv)  # warm the page cache
        times = [timed_child(argv)[0] for _ in range(runs)]
        result[name] = {"median_s": statistics.median(times), "p95_s": percentile(times, 95)}
    return result


def measure_oneshot(rounds: int) -> dict[str, Any]:
    """`cmdai --dry-run` as a new process per request (model in page cache, prefix cached)."""
    off = {"CMDAI_SERVER": "off"}  # one-shot: no warm server answers, none is left behind
    timed_child(_cmdai("--dry-run", ONESHOT_REQUESTS[0]), env=off)  # page cache + prefix
    times: list[float] = []
    rss: list[int] = []
    for _ in range(rounds):
        for request in ONESHOT_REQUESTS:
            elapsed, status, peak = timed_child(_cmdai("--dry-run", request), env=off)
            if status != 0:
                raise SystemExit(f"cmdai --dry-run {request!r} exited {status}")
            times.append(elapsed)
            rss.append(peak)
    return {
        "requests": len(times),
        "p50_s": statistics.median(times),
        "p95_s": percentile(times, 95),
        "peak_rss_mb_max": max(rss) / 1024,
        "peak_rss_mb_median": statistics.median(rss) / 1024,
    }


_HOTKEY_LOOP = r"""
eval "$("$CMDAI_BIN" init bash --key none)" || exit 3
for ((i = 0; i < RUNS; i++)); do
    # Alternate which goes first, so drift in the machine's load spreads over both.
    for which in $( ((i % 2)) && echo "key cli" || echo "cli key"); do
        if [[ $which == cli ]]; then
            t0=$EPOCHREALTIME; cmdai -n "$REQUEST" >/dev/null 2>&1 || exit 4; t1=$EPOCHREALTIME
        else
            READLINE_LINE=$REQUEST; READLINE_POINT=0
            t0=$EPOCHREALTIME; __cmdai_widget 2>/dev/null; t1=$EPOCHREALTIME
            [[ $READLINE_LINE != "$REQUEST" && $READLINE_POINT == "${#READLINE_LINE}" ]] || exit 5
        fi
        echo "$which $t0 $t1"
    done
done
"""


@contextlib.contextmanager
def _warm_server(
    what: str, backend: str, env_for: Callable[[Path], dict[str, str]]
) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A ``cmdai serve`` in a private runtime directory, stopped on the way out.

    Yields the cmdai executable, the environment its requests use (this process's, the
    private runtime directory, ``backend``, ``server = on``, no history, and ``env_for``'s
    additions for the temporary directory) and that directory.
    """
    cli = Path(sys.executable).with_name("cmdai")
    if not cli.exists():
        raise SystemExit(f"{what}: no cmdai executable beside {sys.executable}")
    with tempfile.TemporaryDirectory(prefix=f"cmdai-{what}-") as tmp:
        runtime = Path(tmp) / "run"
        runtime.mkdir(mode=0o700)
        env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "CMDAI_BACKEND": backend,
            "CMDAI_SERVER": "on",
            "CMDAI_HISTORY": "0",
            **env_for(Path(tmp)),
        }
        serve = [str(cli), "serve", "--idle-timeout", "600"]
        subprocess.run(serve, env=env, check=True, capture_output=True, timeout=600)
        try:
            yield str(cli), env, Path(tmp)
        finally:
            subprocess.run([str(cli), "serve", "--stop"], env=env, capture_output=True)


def _server_status(cli: str, env: dict[str, str]) -> dict[str, Any]:
    """``cmdai serve --status --json`` of the server ``env`` reaches ({} when none answers)."""
    status = subprocess.run([cli, "serve", "--status", "--json"], env=env, capture_output=True)
    found = json.loads(status.stdout or "{}")
    return found if isinstance(found, dict) else {}


def measure_hotkey(runs: int, backend: str = "fake") -> dict[str, Any]:
    """The shell key's round trip beside ``cmdai -n`` itself, with the warm server.

    The key's side is bash's widget (the line to cmdai, the proposal back into the line); both
    sides are timed inside one interactive bash and served by one warm server (``cmdai
    serve``) in a private runtime directory.

    ``backend`` fake (default) isolates what the key adds: the model's time is the same on
    both sides and only adds noise. Reports medians and the median of paired differences.
    """
    import shutil

    bash = shutil.which("bash")
    if bash is None:
        raise SystemExit("hotkey: bash is not installed")

    def env_for(tmp: Path) -> dict[str, str]:
        return {"RUNS": str(runs), "REQUEST": "list the files here", "HOME": str(tmp)}

    with _warm_server("hotkey", backend, env_for) as (cli, env, _):
        env = {**env, "CMDAI_BIN": cli}  # the widget's loop runs this cmdai
        proc = subprocess.run(
            [bash, "--norc", "--noprofile", "-i", "-c", _HOTKEY_LOOP],
            env=env,
            capture_output=True,
            text=True,
            timeout=60 + 30 * runs,
            stdin=subprocess.DEVNULL,
        )
        served = int(_server_status(cli, env).get("served") or 0)
    if proc.returncode != 0:
        raise SystemExit(f"hotkey: the timing loop failed ({proc.returncode}): {proc.stderr}")
    times: dict[str, list[float]] = {"cli": [], "key": []}
    for line in proc.stdout.splitlines():
        which, t0, t1 = line.split()
        times[which].append(float(t1) - float(t0))
    if served < 2 * runs:  # both sides must have been answered by the warm server
        raise SystemExit(f"hotkey: the server answered {served} of {2 * runs} requests")
    diffs = [k - c for k, c in zip(times["key"], times["cli"], strict=True)]
    return {
        "backend": backend,
        "runs": runs,
        "served_by_warm_server": served,
        "cli_p50_s": statistics.median(times["cli"]),
        "key_p50_s": statistics.median(times["key"]),
        "key_minus_cli_p50_s": statistics.median(diffs),
    }


STATUS = b"\r\x1b[2K"
"""How the terminal's status line is redrawn (``cmdai.terminal.Terminal.status``)."""


def _terminal_env(tmp: Path) -> dict[str, str]:
    """A user's terminal in ``tmp``: a private config and working directory, no colour."""
    for folder in ("config", "work"):
        (tmp / folder).mkdir(mode=0o700)
    return {"CMDAI_CONFIG_DIR": str(tmp / "config"), "NO_COLOR": "1", "TERM": "xterm"}


def measure_first_char(rounds: int, backend: str = "llamacpp") -> dict[str, Any]:
    """When the command's first character appears on a terminal, with the warm server.

    Each request of ``ONESHOT_REQUESTS`` is typed as a user would (``cmdai --dry-run``, a new
    process on a pseudo-terminal) to a warm server (``cmdai serve``, started first in a private
    runtime directory, with the settings a user gets: the model, ``repack = "auto"``). Times
    from the process's start: the first status line that shows part of the command (or the
    command itself, when it came too quickly to stream), and the process's exit (the whole
    answer, checked and shown).
    """
    first: list[float] = []
    whole: list[float] = []

    with _warm_server("first-char", backend, _terminal_env) as (cli, env, tmp):
        model = _server_status(cli, env).get("model") or {}
        for _ in range(rounds):
            for request in ONESHOT_REQUESTS:
                shown, done = _on_a_terminal([cli, "--dry-run", request], env, tmp / "work")
                if shown is None:
                    raise SystemExit(f"first-char: no command was shown for {request!r}")
                first.append(shown)
                whole.append(done)
        served = int(_server_status(cli, env).get("served") or 0)
    if served < len(first):
        raise SystemExit(f"first-char: the server answered {served} of {len(first)} requests")
    return {
        "backend": backend,
        "requests": len(first),
        "repacked": model.get("repack"),
        "first_char_p50_s": statistics.median(first),
        "first_char_p95_s": percentile(first, 95),
        "whole_p50_s": statistics.median(whole),
        "whole_p95_s": percentile(whole, 95),
    }


def measure_question(runs: int, backend: str = "fake") -> dict[str, Any]:
    """When cmdai asks "Run it?" on a terminal, with the warm server; answered No.

    The everyday request (``cmdai "..."``, a new process on a pseudo-terminal) to a warm server
    in a private runtime directory. ``backend`` fake (default) isolates cmdai's own side (the
    client, the hand-off to the helper, the checks); ``CMDAI_HELPER=off`` in the environment
    measures the client that imports cmdai itself.
    """
    from cmdai.interact import MENU

    question = MENU[: MENU.index("?") + 1].encode()  # "Run it?"
    asked: list[float] = []
    whole: list[float] = []

    with _warm_server("question", backend, _terminal_env) as (cli, env, tmp):
        # The helper listens a moment after the server (it imports cmdai first): wait for it,
        # or the first requests would be timed without it.
        helper = os.environ.get("CMDAI_HELPER", "").strip().lower() != "off"
        deadline = time.monotonic() + 60
        while helper and not _server_status(cli, env).get("helper"):
            if time.monotonic() > deadline:
                raise SystemExit("question: the server's helper never listened")
            time.sleep(0.1)
        for _ in range(runs):
            shown, done = _on_a_terminal(
                [cli, "list the files here"], env, tmp / "work", until=question, answer=b"n\n"
            )
            if shown is None:
                raise SystemExit("question: cmdai never asked")
            asked.append(shown)
            whole.append(done)
    return {
        "backend": backend,
        "runs": runs,
        "helper": helper,
        "question_p50_s": statistics.median(asked),
        "question_p95_s": percentile(asked, 95),
        "exit_p50_s": statistics.median(whole),
    }


def _on_a_terminal(
    argv: list[str], env: dict[str, str], cwd: Path, until: bytes = b"", answer: bytes = b""
) -> tuple[float | None, float]:
    """Run ``argv`` on a new pseudo-terminal: seconds to the command's first character, to exit.

    ``until``: seconds to that text instead, then ``answer`` is typed.
    """
    import pty
    import select

    main, child = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd)
    os.close(child)
    seen, shown = b"", None
    try:
        while select.select([main], [], [], 120)[0]:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if until:
                if shown is None and until in seen:
                    shown = time.perf_counter() - start
                    os.write(main, answer)
            # Anything but the waiting line: a status line with part of the command (streamed
            # from the model), or the command printed (an answer too quick to stream).
            elif shown is None and set(seen.split(STATUS)) - {b"", b"cmdai: thinking..."}:
                shown = time.perf_counter() - start
    finally:
        os.close(main)
        proc.wait(30)
    return shown, time.perf_counter() - start


SWEEP_PROMPTS = "fenced,fenced-bare,fenced-lines,fenced-zero"


def measure_sweep(limit: int, jobs: int = 2) -> dict[str, Any]:
    """Wall time of a 4-configuration sweep, one job at a time and ``jobs`` at once (joblib).

    Issue 16's target: <= 0.6x the serial time with 2 workers on a 4-core machine. The same
    sweep (the four prompts over the core dev split's first ``limit`` items, cmdai only, no
    answer cache) runs with Hydra's basic launcher and with joblib; each job then gets its share
    of the cores (``evals.run.threads_per_job``). The accuracies must agree: the ratio is only
    meaningful for the same work.
    """
    common = [
        f"prompt={SWEEP_PROMPTS}",
        f"dataset.limit={limit}",
        "baselines=[]",
        "floor_samples=0",
    ]
    out: dict[str, Any] = {"configurations": SWEEP_PROMPTS.split(","), "items": limit}
    with tempfile.TemporaryDirectory(prefix="cmdai-sweep-") as tmp:
        for name, launcher in (
            ("serial", []),
            ("joblib", ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={jobs}"]),
        ):
            sweep = Path(tmp) / name
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "evals",
                    "run",
                    "-m",
                    *launcher,
                    *common,
                    f"hydra.sweep.dir={sweep}",
                ],
                check=True,
                capture_output=True,
                timeout=6 * 3600,
            )
            seconds = time.perf_counter() - started
            accuracy = {}
            for job in sorted(p for p in sweep.iterdir() if (p / "summary.json").exists()):
                summary = json.loads((job / "summary.json").read_text())
                accuracy[summary["config"]["prompt"]["template"]] = summary["metrics"]["accuracy"]
            out[name] = {"wall_s": seconds, "accuracy": accuracy}
    out["jobs"] = jobs
    out["ratio"] = out["joblib"]["wall_s"] / out["serial"]["wall_s"]
    out["same_accuracy"] = out["joblib"]["accuracy"] == out["serial"]["accuracy"]
    return out


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals.targets", description=__doc__)
    parser.add_argument(
        "what",
        choices=["parse", "startup", "oneshot", "hotkey", "first-char", "question", "sweep", "all"],
    )
    parser.add_argument(
        "--limit", type=_positive, default=200, help="requests for the parse rate (>= 1)"
    )
    parser.add_argument("--runs", type=int, default=20, help="processes per start-up figure")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the one-shot set")
    parser.add_argument(
        "--backend",
        default=None,
        help="hotkey, question: fake (the default: cmdai's own cost) or llamacpp; first-char: "
        "llamacpp (the default) or fake",
    )
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    if args.what in ("startup", "all"):
        report["startup"] = measure_startup(args.runs)
    if args.what in ("oneshot", "all"):
        report["oneshot"] = measure_oneshot(args.rounds)
    if args.what == "hotkey":
        report["hotkey"] = measure_hotkey(args.runs, args.backend or "fake")
    if args.what == "question":
        report["question"] = measure_question(args.runs, args.backend or "fake")
    if args.what == "first-char":  # not in "all": it needs the model and a warm server
        report["first_char"] = measure_first_char(args.rounds, args.backend or "llamacpp")
    if args.what == "sweep":  # not in "all": it answers 8 x --limit requests
        report["sweep"] = measure_sweep(args.limit)
    if args.what in ("parse", "all"):
        report["parse"] = measure_parse(args.limit)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
