"""``python -m evals ab OLD NEW``: the same requests through two checkouts, alternating.

Every request runs as a new ``python -m cmdai`` process with ``PYTHONPATH`` set to one
checkout or the other, the two interleaved run by run (the order flips every round), so that
machine noise falls on both alike; the result is each side's median and the median of the
paired differences. Modes:

- ``client``: ``cmdai -n`` through a warm server on the fake backend: the client's own cost;
- ``warm``: ``cmdai --dry-run`` through a warm server on the real model (loaded once);
- ``oneshot``: ``cmdai --dry-run`` with ``server = "off"``, the model loaded by each process.

Each side has its own warm server, running its own code, so each client passes the safety
gate to its server as an installed cmdai does (a server answers the gate only for the same
gate files). The children run in a temporary
directory (``python -m`` puts the working directory first on ``sys.path``, ahead of
``PYTHONPATH``). Compiled bytecode is written first, as an installed package has it
(``PYTHONDONTWRITEBYTECODE`` is dropped for the children).

    python -m evals ab ../cmdai-old . --mode warm --rounds 4 --out ab.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REQUESTS = (
    "list only the directories here, not the files",
    "count the log lines per level in app.log",
    "make a backup copy of config.ini called config.ini.bak",
    "show my user id and group id",
)


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "CMDAI_HISTORY": "0", **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(argv: Sequence[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - start


def compare(
    trees: dict[str, Path], mode: str, rounds: int, requests: Sequence[str] = REQUESTS
) -> dict[str, Any]:
    """Median seconds per side and the median paired difference (second minus first)."""
    py = sys.executable
    names = list(trees)
    with tempfile.TemporaryDirectory(prefix="cmdai-ab-") as tmp:
        base = {"CMDAI_SERVER": "off" if mode == "oneshot" else "on"}
        if mode == "client":  # no model, no user configuration
            base |= {"CMDAI_BACKEND": "fake", "HOME": tmp}
        argv = [py, "-m", "cmdai", "-n" if mode == "client" else "--dry-run"]
        envs = {}
        for name, tree in trees.items():
            # A private warm server per side, running that side's code: a client passes the
            # safety gate to a server only when both run the same gate files, so one shared
            # server would make the other side load the gate itself (about 0.1 s).
            runtime = Path(tmp) / f"run-{name}"
            runtime.mkdir(mode=0o700)
            envs[name] = _env({**base, "PYTHONPATH": str(tree), "XDG_RUNTIME_DIR": str(runtime)})
        for env in envs.values():  # bytecode, as an installed package has it
            compile_all = [py, "-c", "import cmdai.cli, cmdai.interact"]
            subprocess.run(compile_all, env=env, cwd=tmp, check=True)
        if mode != "oneshot":
            serve = [py, "-m", "cmdai", "serve", "--idle-timeout", "600"]
            for env in envs.values():
                subprocess.run(serve, env=env, cwd=tmp, check=True, capture_output=True)
        try:
            if mode == "warm":  # the model loaded and each request's prompt seen once
                for request in requests:
                    for env in envs.values():
                        _run([*argv, request], env, tmp)
            times: dict[str, list[float]] = {name: [] for name in names}
            for r in range(rounds):
                for request in requests:
                    for name in names if r % 2 == 0 else names[::-1]:
                        times[name].append(_run([*argv, request], envs[name], tmp))
        finally:
            if mode != "oneshot":
                stop = [py, "-m", "cmdai", "serve", "--stop"]
                for env in envs.values():
                    subprocess.run(stop, env=env, cwd=tmp, check=False, capture_output=True)
    first, second = (times[n] for n in names)
    return {
        "mode": mode,
        "runs_per_side": len(first),
        "trees": {name: str(path) for name, path in trees.items()},
        "p50_s": {name: statistics.median(times[name]) for name in names},
        "paired_median_diff_s": statistics.median(
            b - a for a, b in zip(first, second, strict=True)
        ),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals ab", description=__doc__)
    parser.add_argument("old", type=Path, help="a checkout of cmdai (the baseline)")
    parser.add_argument("new", type=Path, help="another checkout")
    parser.add_argument("--mode", choices=("client", "warm", "oneshot"), default="client")
    parser.add_argument("--rounds", type=int, default=4, help="passes over the requests")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    for tree in (args.old, args.new):
        if not (tree / "cmdai" / "__init__.py").is_file():
            parser.error(f"{tree} is not a checkout of cmdai (no cmdai/__init__.py)")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    result = compare(trees, args.mode, args.rounds)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
