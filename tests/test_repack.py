"""cmdai.repack: whether weight repacking is used, decided by a probe that may crash."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from cmdai import execute, repack


def fake_children(
    monkeypatch: pytest.MonkeyPatch, results: dict[str, tuple[int, str]]
) -> list[list[str]]:
    """Stand in for the probe's child processes (the real ones load a model: model tier)."""
    calls: list[list[str]] = []

    def run(module_args: list[str], timeout_s: float) -> tuple[int, str]:
        calls.append(module_args)
        return results[module_args[-1]]

    monkeypatch.setattr(execute, "run_python_child", run)
    return calls


def measured(per_second: float) -> str:
    """A child's report: requests answered at ``per_second`` (1.2 s each at 1.0)."""
    return json.dumps(
        {
            "load_s": 0.5,
            "request_s": 1.2 / per_second,
            "prompt_tok_s": 40.0 * per_second,
            "generate_tok_s": 18.0,
        }
    )


def test_a_faster_layout_is_used_and_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_children(
        monkeypatch, {"plain": (0, measured(30.0)), "repacked": (0, measured(40.0))}
    )
    said: list[str] = []
    assert repack.decide("auto", tmp_path / "m.gguf", 2, tmp_path, said.append) is True
    assert [c[-1] for c in calls] == ["plain", "repacked"] * repack.PROBE_ROUNDS
    assert said == [repack.PROBING]  # a client starting the server reads it in the log
    verdict = repack.cached_verdict(tmp_path)
    assert verdict is not None
    assert verdict["request_gain"] == pytest.approx(40 / 30)
    assert verdict["generation_gain"] == pytest.approx(1.0)
    assert "used by the warm server" in repack.describe(verdict)
    # Remembered per build and CPU: no second probe, nothing said.
    assert repack.decide("auto", tmp_path / "m.gguf", 2, tmp_path, said.append) is True
    assert len(calls) == 2 * repack.PROBE_ROUNDS
    assert said == [repack.PROBING]


def test_a_crash_costs_nothing_and_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_children(monkeypatch, {"plain": (0, measured(30.0)), "repacked": (-11, "")})
    assert repack.decide("auto", tmp_path / "m.gguf", 2, tmp_path) is False
    assert [c[-1] for c in calls].count("repacked") == 1  # a crash is not tried again
    verdict = repack.cached_verdict(tmp_path)
    assert verdict is not None
    assert verdict["works"] is False
    assert "exit status -11" in repack.describe(verdict)


def test_a_small_gain_is_not_worth_the_slower_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_children(monkeypatch, {"plain": (0, measured(30.0)), "repacked": (0, measured(31.0))})
    assert repack.decide("auto", tmp_path / "m.gguf", 2, tmp_path) is False
    assert "not used" in repack.describe(repack.cached_verdict(tmp_path))


def test_a_child_slowed_by_other_work_does_not_decide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first plain child ran while something else held the cores: alone, it would make
    # repacking look six times faster and be used for good.
    rates = {"plain": [5.0, 30.0], "repacked": [31.0, 30.5]}
    calls: list[str] = []

    def run(module_args: list[str], timeout_s: float) -> tuple[int, str]:
        layout = module_args[-1]
        calls.append(layout)
        return 0, measured(rates[layout][calls.count(layout) - 1])

    monkeypatch.setattr(execute, "run_python_child", run)
    assert repack.decide("auto", tmp_path / "m.gguf", 2, tmp_path) is False
    assert calls == ["plain", "repacked", "plain", "repacked"]
    verdict = repack.cached_verdict(tmp_path)
    assert verdict is not None
    assert verdict["plain"]["request_s"] == pytest.approx(1.2 / 30)
    assert verdict["request_gain"] == pytest.approx(31 / 30)


def test_a_failed_child_is_kept_when_no_child_of_its_layout_measured() -> None:
    failed = {"exit_status": -11}
    assert repack._fastest([failed]) is failed
    good = {"exit_status": 0, "request_s": 1.0}
    assert repack._fastest([{"exit_status": 0, "request_s": 3.0}, good]) is good


def test_on_and_off_are_obeyed_without_a_probe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = fake_children(monkeypatch, {})
    assert repack.decide("on", None, 2, tmp_path) is True
    assert repack.decide("off", None, 2, tmp_path) is False
    assert repack.decide("auto", None, 2, tmp_path) is False  # no model: nothing to probe
    assert calls == []
    assert "not probed yet" in repack.describe(None)


def test_a_verdict_of_the_earlier_probe_is_measured_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first probe timed generation alone, which saw no gain on a 2-core AVX2 EPYC where a
    # warm request is 1.17x as fast repacked (its prompt tokens): its verdict is not trusted.
    old = {"works": True, "generation_gain": 0.99, "use": False}
    (tmp_path / repack.PROBE_FILE).write_text(json.dumps({repack.build_and_cpu(): old}))
    assert repack.cached_verdict(tmp_path) is None
    calls = fake_children(
        monkeypatch, {"plain": (0, measured(1.0)), "repacked": (0, measured(1.17))}
    )
    assert repack.decide("auto", tmp_path / "m.gguf", 2, tmp_path) is True
    assert len(calls) == 2 * repack.PROBE_ROUNDS
    verdict = repack.cached_verdict(tmp_path)
    assert verdict is not None
    assert verdict["probe"] == repack.PROBE_VERSION


def test_a_damaged_verdict_file_is_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / repack.PROBE_FILE).write_text("{not json")
    assert repack.cached_verdict(tmp_path) is None


def test_the_key_names_the_build_and_is_stable() -> None:
    key = repack.build_and_cpu()
    assert key == repack.build_and_cpu()
    assert "/" in key


def test_the_child_refuses_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert repack.main(["measure", "m.gguf", "2", "sideways"]) == 2
    assert "usage" in capsys.readouterr().err


def test_the_setting_is_resolved_only_for_a_local_model(tmp_path: Path) -> None:
    from cmdai.settings import load_settings

    remote: Any = load_settings({"backend": "fake"})
    assert repack.resolve_setting(remote) is remote
    missing = load_settings({"backend": "llamacpp", "model": str(tmp_path / "none.gguf")})
    assert repack.resolve_setting(missing).settings.repack == "off"


def test_a_rebuild_of_the_same_version_is_another_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same llama-cpp-python version rebuilt with other CMAKE_ARGS (AMX off, say) must be
    # probed again: its verdict is kept under another key.
    package = tmp_path / "llama_cpp"
    (package / "lib").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    library = package / "lib" / "libggml-cpu.so"
    library.write_bytes(b"avx512")
    (package / "lib" / "libggml-cpu.so.0").symlink_to(library)
    monkeypatch.syspath_prepend(str(tmp_path))
    first = repack.build_and_cpu()
    assert first == repack.build_and_cpu()
    library.write_bytes(b"avx2 only")
    assert repack.build_and_cpu() != first


def test_repacking_needs_room_for_a_second_copy_of_the_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmdai import memory
    from cmdai.settings import load_settings

    model = tmp_path / "m.gguf"
    model.write_bytes(b"x" * 1000)
    resolved: Any = dataclasses.replace(
        load_settings({"backend": "llamacpp", "model": str(model)}), cache_dir=tmp_path
    )
    fake_children(monkeypatch, {"plain": (0, measured(1.0)), "repacked": (0, measured(1.3))})
    # Twice a repacked server of a 1000-byte model (REPACKED_RESIDENT: 1700 bytes) is 3400.
    monkeypatch.setattr(memory, "available_memory", lambda: 3400)
    assert repack.resolve_setting(resolved).settings.repack == "on"
    monkeypatch.setattr(memory, "available_memory", lambda: 3399)
    assert repack.resolve_setting(resolved).settings.repack == "off"  # the plain layout
    monkeypatch.setattr(memory, "available_memory", lambda: None)  # unknown: the verdict holds
    assert repack.resolve_setting(resolved).settings.repack == "on"
