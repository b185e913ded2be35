"""``python -m evals bench``: issue 5's latency benchmark, four ways, same requests, one session.

1. naive: the original plan's template: a new process that loads the model, evaluates the
   whole prompt in a fresh context, generates unconstrained and parses with a regex;
2. one-shot: ``cmdai --dry-run --json "..."``, a new process per request;
3. warm: the same command with ``cmdai serve`` running (the client process start included),
   each request timed in two rounds and its faster time kept, as the floor keeps its faster
   of two (``warm_first_round``: the first round alone);
4. floor: bare llama.cpp evaluating exactly the request tokens cmdai evaluated and generating
   the number of tokens cmdai generated (``evals.floor``), in one warm process; and the
   prefixed floor: the same, after as many tokens already cached as cmdai had (its system
   prompt and examples), in the warm server's layout.

It prints medians, p95 and the ratios one-shot/naive, one-shot/floor, warm/floor (against the
floor in the warm server's layout) and warm/floor_prefixed, and
writes them as JSON (``--out``). The model must already be in the cache (``cmdai model``);
run it on an otherwise idle machine.

    python -m evals bench --limit 30 --out results/bench.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.metrics import percentile

NAIVE_SYSTEM = (
    "You are a helpful assistant that converts natural language to shell commands. "
    'Respond with a JSON object with the keys "cmd" and "explanation". '
    "Only output JSON."
)
"""The original plan's prompt: one instruction, no examples, no schema constraint."""

_JSON = re.compile(r"\{.*\}", re.DOTALL)

WARM_UP = "list the files here"
"""The request that loads the warm server's model (not among the timed ones)."""


def naive_child(model: str, request: str, n_ctx: int, threads: int) -> dict[str, Any]:
    """One naive answer in this (fresh) process: load, full prompt, sample, regex-parse."""
    from llama_cpp import Llama

    from cmdai.llama_compat import without_weight_repacking

    start = time.perf_counter()
    # Stock settings but one: repacking crashes llama-cpp-python 0.3.36 on AVX-512/AMX hosts
    # (exit -11), and the baseline must run wherever the benchmark does.
    with without_weight_repacking():
        llm = Llama(model_path=model, n_ctx=n_ctx, n_threads=threads, verbose=False)
    loaded = time.perf_counter()
    out: Any = llm.create_chat_completion(
        messages=[
            {"role": "system", "content": NAIVE_SYSTEM},
            {"role": "user", "content": request},
        ],
        max_tokens=256,
        temperature=0.0,
    )
    text = out["choices"][0]["message"]["content"] or ""
    match = _JSON.search(text)
    command = None
    if match:
        try:
            command = json.loads(match.group(0)).get("cmd")
        except (ValueError, AttributeError):
            command = None
    return {
        "command": command,
        "parsed": command is not None,
        "load_s": loaded - start,
        "total_s": time.perf_counter() - start,
        "completion_tokens": out["usage"]["completion_tokens"],
    }


def _child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env={**os.environ, "CMDAI_HISTORY": "0", **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=300,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 3, 6):
        raise RuntimeError(f"{argv[2:]} exited {proc.returncode}: {proc.stderr[-500:]}")
    return elapsed, proc.stdout


def _stats(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_s": statistics.median(values), "p95_s": percentile(values, 95)}


def requests_for(limit: int) -> list[str]:
    """Varied requests: the core dev split (falls back to the NL2Bash sample)."""
    core = Path(__file__).resolve().parent.parent / "datasets" / "core" / "core.jsonl"
    sample = Path(__file__).resolve().parent.parent / "datasets" / "nl2bash_sample_200.jsonl"
    if core.is_file():
        rows = [json.loads(line) for line in core.read_text(encoding="utf-8").splitlines()]
        chosen = [r["request"] for r in rows if r.get("split") == "dev"]
    else:
        chosen = [
            json.loads(line)["nl"] for line in sample.read_text(encoding="utf-8").splitlines()
        ]
    # Spread over the file so every category is represented.
    step = max(1, len(chosen) // limit)
    return chosen[::step][:limit]


def _wait_for_server(env: dict[str, str], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        proc = subprocess.run(
            [sys.executable, "-m", "cmdai", "serve", "--status"],
            capture_output=True,
            env={**os.environ, **env},
            check=False,
        )
        if proc.returncode == 0:
            return
        time.sleep(0.5)
    raise RuntimeError("cmdai serve did not come up")


def bench(limit: int, n_ctx: int, threads: int) -> dict[str, Any]:
    """Run the four measurements over ``limit`` requests."""
    from cmdai.models import resolve_model
    from cmdai.settings import cache_dir
    from evals.floor import FloorCase, measure_floor
    from evals.targets import machine

    model = resolve_model(None, cache_dir=cache_dir()).path
    requests = requests_for(limit)
    py = sys.executable
    result: dict[str, Any] = {"machine": machine(), "requests": requests, "model": str(model)}

    # Warm the page cache and cmdai's prefix state so no mode pays for first-touch alone.
    _child([py, "-m", "cmdai", "--dry-run", "--json", requests[0]], {"CMDAI_SERVER": "off"})

    naive_times, naive_parsed = [], 0
    for request in requests:
        elapsed, out = _child(
            [
                py,
                "-m",
                "evals.bench",
                "--naive-child",
                request,
                "--model",
                str(model),
                "--n-ctx",
                str(n_ctx),
                "--threads",
                str(threads),
            ]
        )
        naive_times.append(elapsed)
        naive_parsed += json.loads(out)["parsed"]
    result["naive"] = {**_stats(naive_times), "parse_rate": naive_parsed / len(requests)}

    oneshot_times, cases = [], []
    for request in requests:
        elapsed, out = _child(
            [py, "-m", "cmdai", "--dry-run", "--json", request], {"CMDAI_SERVER": "off"}
        )
        oneshot_times.append(elapsed)
        t = json.loads(out)["timings"]
        if t["prompt_tokens"] is not None:
            cases.append(
                FloorCase(
                    request,
                    t["prompt_tokens"] - (t["cached_tokens"] or 0),
                    t["completion_tokens"],
                    t["cached_tokens"] or 0,
                )
            )
    result["oneshot"] = _stats(oneshot_times)

    with tempfile.TemporaryDirectory(prefix="cmdai-bench-") as runtime:
        env = {"CMDAI_RUNTIME_DIR": runtime, "CMDAI_HISTORY": "0"}
        server = subprocess.Popen(
            [py, "-m", "cmdai", "serve", "--foreground"],
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_server(env)
            client_env = {**env, "CMDAI_SERVER": "on"}
            # Loads the model; a request of its own, or the first timed one would be a repeat
            # (a repeat reuses the server's last prompt and its logits: not a new request).
            _child([py, "-m", "cmdai", "--dry-run", WARM_UP], client_env)
            # Two rounds, each request's faster kept, as the floor keeps the faster of its two:
            # one sample against the least of two would charge cmdai with the machine's noise.
            # Rounds, not repeats back to back, so every timed request is a new one.
            rounds = [
                [_child([py, "-m", "cmdai", "--dry-run", r], client_env)[0] for r in requests]
                for _ in range(2)
            ]
            warm_times = [min(pair) for pair in zip(*rounds, strict=True)]
            status = _child([py, "-m", "cmdai", "serve", "--status", "--json"], client_env)[1]
            warm_repacked = bool((json.loads(status).get("model") or {}).get("repack"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["warm"] = _stats(warm_times)
    result["warm_first_round"] = _stats(rounds[0])  # one sample each, as measured before

    result["floor"] = _stats(measure_floor(model, n_ctx, threads, cases)["seconds"])
    # The warm server repacks the weights where its probe found that faster; its floor is
    # bare llama.cpp in the same layout, or warm/floor would credit cmdai with the layout.
    result["warm"]["repacked"] = warm_repacked
    warm_floor = "floor"
    if warm_repacked:
        floor = measure_floor(model, n_ctx, threads, cases, repack=True)
        result["floor_repacked"] = _stats(floor["seconds"])
        warm_floor = "floor_repacked"
    # The same tokens after a cached prefix as long as cmdai's, in the warm server's layout:
    # what bare llama.cpp with the same prompt cached needs to write the same command text.
    floor = measure_floor(model, n_ctx, threads, cases, repack=warm_repacked, prefixed=True)
    result["floor_prefixed"] = _stats(floor["seconds"])
    p50 = {k: result[k]["p50_s"] for k in ("naive", "oneshot", "warm", "floor", warm_floor)}
    result["ratios"] = {
        "oneshot/naive": p50["oneshot"] / p50["naive"],
        "oneshot/floor": p50["oneshot"] / p50["floor"],
        "warm/floor": p50["warm"] / p50[warm_floor],
        "warm/floor_prefixed": p50["warm"] / result["floor_prefixed"]["p50_s"],
        "warm_first_round/floor": result["warm_first_round"]["p50_s"] / p50[warm_floor],
        "warm/naive": p50["warm"] / p50["naive"],
    }
    return result


def table(result: dict[str, Any]) -> str:
    """The Markdown table the README shows."""
    rows = ["| mode | p50 (s) | p95 (s) |", "|---|---|---|"]
    for mode in (
        "naive",
        "oneshot",
        "warm",
        "warm_first_round",
        "floor",
        "floor_repacked",
        "floor_prefixed",
    ):
        if mode not in result:
            continue
        r = result[mode]
        rows.append(f"| {mode} | {r['p50_s']:.2f} | {r['p95_s']:.2f} |")
    ratios = ", ".join(f"{k} {v:.2f}" for k, v in result["ratios"].items())
    return "\n".join(rows) + f"\n\nratios of medians: {ratios}\n"


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    from cmdai.settings import physical_cores

    parser = argparse.ArgumentParser(prog="python -m evals bench", description=__doc__)
    parser.add_argument("--limit", type=int, default=30, help="requests (>= 1)")
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=0, help="0 = physical cores")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--naive-child", metavar="REQUEST", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    threads = args.threads or physical_cores()
    if args.naive_child is not None:
        doc = naive_child(args.model, args.naive_child, args.n_ctx, threads)
        sys.stdout.write(json.dumps(doc) + "\n")
        return
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    result = bench(args.limit, args.n_ctx, threads)
    sys.stdout.write(table(result))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
