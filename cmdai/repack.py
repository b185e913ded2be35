"""Whether llama.cpp's weight repacking works, and pays, on this CPU: probed once, in children.

llama.cpp can repack a model's weights at load into a layout its CPU kernels read faster. What
that does depends on the CPU and the build: on a 2-core AVX2 EPYC it loads 1.2 s slower,
generates at the same speed, and evaluates a warm request's 20 new prompt tokens in 0.42 s
instead of 0.61 s; on an AVX-512 EPYC it loaded 0.4 s slower, evaluated prompts 30% slower and
generated 35% faster (cmdai's warm answers: p50 0.43 s against 0.51 s); on an Intel Xeon with
AVX-512 and AMX, llama-cpp-python 0.3.36 crashed (SIGSEGV) at the first decode of a repacked
model. So it is measured, not assumed: child processes load the model with and without
repacking, alternately, and time what a warm request costs (a short prompt after a cached
prefix, then a dozen generated tokens); a crash costs nothing but its own process. The
verdict is kept per llama.cpp build and CPU (``repack-probe.json`` in the cache directory) and
used where it can pay: the warm server, which loads once and answers many requests (``repack =
"auto"``, the default).
One-shot processes never repack unless ``repack = "on"``: the slower load outweighs a dozen
faster tokens.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cmdai.settings import ResolvedSettings

log = logging.getLogger(__name__)

PROBE_FILE = "repack-probe.json"
GAIN = 1.10
"""Repack only when a warm request is at least this much faster than in the plain layout."""
PROBE_VERSION = 2
"""Verdicts of another version measured something else (1: generation alone) and are redone."""
PROBE_TIMEOUT_S = 180.0
"""Per probe child; two run, one after the other."""
PROBING = "measuring llama.cpp's weight repacking on this CPU (once per build)"
"""What the server says (in its log) before it probes: a client starting it waits for the probe."""
PROBE_ROUNDS = 2
"""Children per layout, the layouts alternated: a spike of load falls on one child, not on
the verdict (each layout keeps its best child)."""
_TEXT = "List every file in this directory tree, largest first, with sizes in megabytes. "
_PREFIX_TOKENS = 128
"""Tokens already in the cache before a request (the system prompt holds ~500; fewer keep the
probe short, and the cost measured is the batch's, not the attention's)."""
_SUFFIX_TOKENS = 20
"""A warm request's new prompt tokens: the request and the chat template's tail (17-26)."""
_GENERATED = 12
"""Tokens generated per request (the fenced answer's mean is 12)."""
_REQUESTS = 3
"""Requests timed per child; it reports its fastest."""


def build_and_cpu() -> str:
    """The key a verdict is kept under: llama-cpp-python's build and this CPU.

    The build is the version and its compiled libraries (name, size, mtime): the same version
    rebuilt with other CMAKE_ARGS (AMX, AVX-512 on or off, the very switches that decide
    whether repacking crashes) is another build and is probed again.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        build = version("llama-cpp-python")
    except PackageNotFoundError:  # not installed: no verdict can apply
        build = "unknown"
    libraries = _libraries()
    if libraries:
        build += "+" + hashlib.sha256(libraries.encode()).hexdigest()[:12]
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith(("model name", "flags", "Features", "CPU part")):
                    cpu += "|" + line.split(":", 1)[-1].strip()
                if not line.strip():
                    break  # the first processor describes them all
    except OSError:
        cpu += "|" + platform.processor()
    return f"{build}/{hashlib.sha256(cpu.encode()).hexdigest()[:16]}"


def _libraries() -> str:
    """The compiled libraries of the llama_cpp package found on the path, without importing it."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("llama_cpp")  # sys.path only: an imported copy is not asked
    if spec is None or spec.origin is None:
        return ""
    found = []
    lib = Path(spec.origin).parent / "lib"
    for path in sorted(p for pattern in ("*.so*", "*.dylib", "*.dll") for p in lib.glob(pattern)):
        if path.is_symlink():
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        found.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return ",".join(found)


def cached_verdict(cache_dir: Path) -> dict[str, Any] | None:
    """The probe's verdict for this build and CPU, when it has run."""
    try:
        verdicts = json.loads((cache_dir / PROBE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    verdict = verdicts.get(build_and_cpu()) if isinstance(verdicts, dict) else None
    if not isinstance(verdict, dict) or verdict.get("probe") != PROBE_VERSION:
        return None
    return verdict


def probe(model_path: Path, n_threads: int, cache_dir: Path) -> dict[str, Any]:
    """Measure both layouts in child processes, keep the verdict, and return it.

    The layouts are measured alternately, ``PROBE_ROUNDS`` children each, and each keeps its
    fastest child: the verdict is kept for good, so one child slowed by other work on the
    machine must not decide it (one probe taken under load here read 1.0 tokens/s). A layout
    that crashes once is not run again, and never used.
    """
    runs: dict[str, list[dict[str, Any]]] = {"plain": [], "repacked": []}
    for _ in range(PROBE_ROUNDS):
        for layout, done in runs.items():
            if any(run["exit_status"] != 0 for run in done):
                continue
            done.append(_child(model_path, n_threads, layout))
    plain, repacked = _fastest(runs["plain"]), _fastest(runs["repacked"])
    works = all(run["exit_status"] == 0 and "request_s" in run for run in runs["repacked"])
    measured = works and bool(plain.get("request_s"))
    gain = plain["request_s"] / repacked["request_s"] if measured else None
    verdict = {
        "probe": PROBE_VERSION,
        "works": works,
        "request_gain": gain,
        "generation_gain": (
            repacked["generate_tok_s"] / plain["generate_tok_s"] if measured else None
        ),
        "use": bool(works and gain is not None and gain >= GAIN),
        "plain": plain,
        "repacked": repacked,
        "measured": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    _keep(cache_dir, verdict)
    return verdict


def _child(model_path: Path, n_threads: int, layout: str) -> dict[str, Any]:
    """One child's measurement of one layout, with its exit status."""
    from cmdai.execute import run_python_child

    status, out = run_python_child(
        ["cmdai.repack", "measure", str(model_path), str(n_threads), layout], PROBE_TIMEOUT_S
    )
    try:
        run: dict[str, Any] = json.loads(out.strip().splitlines()[-1]) if status == 0 else {}
    except (ValueError, IndexError):
        run = {}
    run["exit_status"] = status
    return run


def _fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The child that answered its requests fastest; a failed one when none measured."""
    measured = [run for run in runs if run["exit_status"] == 0 and "request_s" in run]
    if not measured:
        return next((run for run in runs if run["exit_status"] != 0), runs[0])
    return min(measured, key=lambda run: float(run["request_s"]))


def decide(
    mode: str,
    model_path: Path | None,
    n_threads: int,
    cache_dir: Path,
    announce: Callable[[str], None] | None = None,
) -> bool:
    """Whether to repack, for ``repack = mode`` (auto: the verdict, probing once if needed)."""
    if mode in ("on", "off"):
        return mode == "on"
    verdict = cached_verdict(cache_dir)
    if verdict is None and model_path is not None:
        (announce or log.info)(PROBING)
        verdict = probe(model_path, n_threads, cache_dir)
    return bool(verdict and verdict.get("use"))


def resolve_setting(
    resolved: ResolvedSettings, announce: Callable[[str], None] | None = None
) -> ResolvedSettings:
    """``repack = "auto"`` made on or off, for a process that keeps the model (the server).

    ``announce`` is told ``PROBING`` before a probe (the server's log, where a client that
    started the server looks for it).
    """
    settings = resolved.settings
    if settings.backend != "llamacpp" or settings.repack != "auto":
        return resolved
    from cmdai import errors, models

    try:
        name = settings.model or models.DEFAULT_MODEL_NAME
        path: Path | None = models.locate(name, resolved.cache_dir).path
    except errors.ModelError:
        path = None
    use = decide("auto", path, settings.threads(), resolved.cache_dir, announce)
    if use and path is not None and not _room_to_repack(path):
        use = False
    chosen = dataclasses.replace(settings, repack="on" if use else "off")
    return dataclasses.replace(resolved, settings=chosen)


def _room_to_repack(model_path: Path) -> bool:
    """Whether available memory is at least twice what a repacked server holds.

    Repacking keeps a second copy of most weights (a server of the default model: 1.86 GB
    against 1.25 GB), so a machine short of memory gets the plain layout, a little slower,
    rather than a server that pushes it into swap. Unknown memory: no objection.
    """
    from cmdai import memory

    available = memory.available_memory()
    try:
        needed = memory.MEMORY_FACTOR * memory.REPACKED_RESIDENT * model_path.stat().st_size
    except OSError:
        return True
    if available is not None and available < needed:
        log.info(
            "not repacking: available memory %.1f GB is under twice a repacked server's %.1f GB",
            available / 1e9,
            needed / memory.MEMORY_FACTOR / 1e9,
        )
        return False
    return True


def describe(verdict: dict[str, Any] | None) -> str:
    """One line for ``cmdai doctor`` and ``cmdai serve --status``."""
    if verdict is None:
        return "not probed yet (the warm server probes it once)"
    if not verdict.get("works"):
        status = (verdict.get("repacked") or {}).get("exit_status")
        return f"crashes or fails here (exit status {status}): never used"
    gain = verdict.get("request_gain") or 0.0
    generation = verdict.get("generation_gain") or 0.0
    used = "used by the warm server" if verdict.get("use") else f"not used (under {GAIN:g}x)"
    return (
        f"works, a warm request {gain:.2f}x as fast as in the plain layout "
        f"(generation {generation:.2f}x): {used}"
    )


def _keep(cache_dir: Path, verdict: dict[str, Any]) -> None:
    path = cache_dir / PROBE_FILE
    try:
        verdicts = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(verdicts, dict):
            verdicts = {}
    except (OSError, ValueError):
        verdicts = {}
    verdicts[build_and_cpu()] = verdict
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(verdicts, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        log.info("could not keep the repacking verdict: %s", exc)


def _measure(model_path: str, n_threads: int, layout: str) -> dict[str, Any]:
    """In the child: load one way, then time warm requests (greedy), keeping the fastest.

    A request is what the warm server does for one: evaluate a short prompt after a prefix
    already in the KV cache, then generate a dozen tokens. Both parts count, because the
    layouts differ in each: on a 2-core AVX2 EPYC the repacked one generates at the same speed
    but evaluates 20 prompt tokens a third faster (with the plain layout 8 prompt tokens cost as
    much as 16 there, 0.36 s against 0.20 s for 7); a probe of generation alone saw no gain.
    """
    import contextlib

    import numpy as np
    from llama_cpp import Llama

    from cmdai import llama_compat

    start = time.perf_counter()
    repack = layout == "repacked"
    with contextlib.nullcontext() if repack else llama_compat.without_weight_repacking():
        llm = Llama(
            model_path=model_path,
            n_ctx=_PREFIX_TOKENS + _SUFFIX_TOKENS + _GENERATED + 16,
            n_threads=n_threads,
            n_threads_batch=n_threads,
            verbose=False,
        )
    loaded = time.perf_counter()
    text = llm.tokenize((_TEXT * 64).encode(), add_bos=False)
    prefix = text[:_PREFIX_TOKENS]
    suffix = text[_PREFIX_TOKENS : _PREFIX_TOKENS + _SUFFIX_TOKENS]
    llm.eval(prefix)
    n_vocab = llm.n_vocab()
    timings = []
    for _ in range(_REQUESTS):
        llama_compat.keep_cached_tokens(llm, len(prefix))
        began = time.perf_counter()
        llm.eval(suffix)
        evaluated = time.perf_counter()
        for _ in range(_GENERATED):
            llm.eval([int(np.argmax(llama_compat.last_logits(llm, n_vocab)))])
        timings.append((evaluated - began, time.perf_counter() - evaluated))
    prompt_s, generate_s = min(timings, key=sum)
    return {
        "load_s": round(loaded - start, 3),
        "request_s": round(prompt_s + generate_s, 4),
        "prompt_tok_s": round(_SUFFIX_TOKENS / prompt_s, 1),
        "generate_tok_s": round(_GENERATED / generate_s, 1),
    }


def main(argv: list[str]) -> int:
    """``python -m cmdai.repack measure MODEL THREADS plain|repacked`` (the probe's child)."""
    if len(argv) != 4 or argv[0] != "measure" or argv[3] not in ("plain", "repacked"):
        sys.stderr.write("usage: python -m cmdai.repack measure MODEL THREADS plain|repacked\n")
        return 2
    # The lowest priority: a request answered meanwhile on the same cores must not wait on
    # the probe (two llama.cpp processes of two threads each on two cores slow each other
    # twenty-fold), and an idle machine measures the same.
    with contextlib.suppress(OSError):
        os.nice(19)
    sys.stdout.write(json.dumps(_measure(argv[1], int(argv[2]), argv[3])) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
