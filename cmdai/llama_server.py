"""``python -m cmdai.llama_server ARGS``: llama-cpp-python's server, loading without repacking.

The same program and arguments as ``python -m llama_cpp.server`` (the ``server`` extra), for
CPUs where llama-cpp-python's default load crashes at the first request (Intel Xeon with
AVX-512/AMX; see ``cmdai.llama_compat.without_weight_repacking``). It works on every CPU, so
cmdai's own tests start the real server through it.
"""

from __future__ import annotations


def main() -> None:
    """Run llama_cpp.server's command line with weight repacking off for the whole process."""
    from cmdai.llama_compat import without_weight_repacking

    with without_weight_repacking():
        try:
            from llama_cpp.server.__main__ import main as server_main
        except ImportError as exc:  # the extra is not installed
            raise SystemExit(
                f"cmdai.llama_server: llama-cpp-python's server is not installed ({exc}); "
                "install it with: pip install 'cmdai[server]'"
            ) from None
        server_main()  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    main()
