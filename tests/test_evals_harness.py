"""The eval harness's own machinery: Hydra configs, metrics, the gate and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals import gate, report
from evals.config import compose_config
from evals.metrics import flagged, handled_dangerous, percentile, summarize

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def test_default_config_is_the_shipped_product() -> None:
    cfg = compose_config()
    assert cfg.model.ref == "qwen2.5-coder-1.5b-q4_k_m"
    assert cfg.quant.requantize is None
    assert cfg.ctx.n_ctx == 2048
    assert cfg.prompt.template == "fenced"
    assert (cfg.dataset.name, cfg.dataset.split) == ("core", "dev")
    assert cfg.backend.name == "llamacpp"
    assert cfg.judges == ["execution", "nlc2cmd", "exact"]


@pytest.mark.parametrize(
    ("override", "check"),
    [
        ("quant=q2_k", lambda c: c.quant.requantize == "Q2_K"),
        ("quant=q3_k_m", lambda c: c.quant.requantize == "Q3_K_M"),
        ("quant=q4_0", lambda c: c.quant.requantize == "Q4_0"),
        ("ctx=c4096", lambda c: c.ctx.n_ctx == 4096),
        ("ctx=c1024", lambda c: c.ctx.n_ctx == 1024),
        ("prompt=retrieved", lambda c: c.prompt.examples_file.endswith("tldr.jsonl")),
        ("prompt=brief", lambda c: c.prompt.template == "brief"),
        ("prompt=zero-shot", lambda c: c.prompt.template == "zero-shot"),
        ("model=qwen2.5-coder-0.5b", lambda c: c.model.ref == "qwen2.5-coder-0.5b"),
        ("dataset=safety", lambda c: c.dataset.kind == "safety"),
        ("dataset=core_test", lambda c: c.dataset.split == "test"),
        ("backend=openai", lambda c: c.backend.settings["base_url"].endswith("/v1")),
        ("+experiment=ci_gate", lambda c: c.dataset.limit == 24 and c.run_name == "ci_gate"),
    ],
)
def test_every_group_option_composes_into_the_typed_schema(override: str, check: Any) -> None:
    assert check(compose_config(override))


def test_a_wrong_type_is_rejected_by_the_schema() -> None:
    from hydra.errors import ConfigCompositionException

    with pytest.raises(ConfigCompositionException, match=r"ctx\.n_ctx=lots"):
        compose_config("ctx.n_ctx=lots")


def test_every_experiment_file_composes() -> None:
    for path in sorted((CONFIGS / "experiment").glob("*.yaml")):
        assert compose_config(f"+experiment={path.stem}").run_name == path.stem


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 95) is None
    assert percentile([3.0], 95) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0
    assert percentile([float(i) for i in range(1, 21)], 50) == 10.0


def _sample(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "x",
        "category": "files",
        "kind": "command",
        "parse_ok": True,
        "latency_s": 1.0,
        "generate_s": 0.5,
        "prompt_tokens": 600,
        "cached_tokens": 560,
        "completion_tokens": 20,
        "error": None,
    }
    return {**base, **fields}


def test_summarize_core_metrics() -> None:
    samples = [
        _sample(id="a", scores={"execution": 1.0, "exact": 1.0}, latency_s=1.0),
        _sample(id="b", scores={"execution": 0.0, "exact": 0.0}, latency_s=3.0, category="git"),
        _sample(id="c", scores={"execution": None, "exact": 1.0}, latency_s=2.0),
        _sample(id="d", kind="ambiguous", scores={"exact": 0.0}, latency_s=2.0),
        {"id": "e", "error": "boom", "parse_ok": False, "category": "git", "scores": {"exact": 0}},
    ]
    m = summarize(samples, "core")
    assert m["samples"] == 5
    assert m["errors"] == 1
    assert m["parse_rate"] == 4 / 5
    assert m["decline_rate"] == 1 / 5
    assert m["latency_p50_s"] == 2.0
    assert m["uncached_prompt_tokens_mean"] == 40
    assert m["tokens_per_s"] == 40.0
    assert m["correctness"]["execution"] == {"applicable": 2, "mean": 0.5, "full_marks": 0.5}
    assert m["correctness"]["exact"]["applicable"] == 5
    assert m["correctness"]["exact"]["mean"] == 2 / 5
    assert m["by_category"]["git"] == {"samples": 2, "execution": 0.0, "exact": 0.0}


def test_safety_metrics_count_declines_and_flags() -> None:
    samples = [
        _sample(label="dangerous", decision="block", risk="critical"),
        _sample(label="dangerous", kind="not_a_shell_task", decision=None, risk=None),
        _sample(label="dangerous", decision="confirm", risk="high"),
        _sample(label="dangerous", decision="confirm", risk="low"),  # a miss
        _sample(label="benign", decision="confirm", risk="low"),
        _sample(label="benign", decision="block", risk="critical"),  # a false positive
    ]
    assert flagged(samples[0])
    assert handled_dangerous(samples[1])
    assert not handled_dangerous(samples[3])
    m = summarize(samples, "safety")
    assert m["safety_recall"] == 3 / 4
    assert m["safety_recall_asked"] == 4 / 4  # the low-risk confirmation still asks
    assert m["safety_false_positive_rate"] == 1 / 2
    assert m["benign_decline_rate"] == 0.0


def _summary(
    parse: float,
    execution: float,
    ratio: float | None,
    recall: float | None = None,
    lead: float | None = 0.1,
):
    metrics: dict[str, Any] = {
        "samples": 10,
        "parse_rate": parse,
        "correctness": {"execution": {"mean": execution}, "nlc2cmd": {"mean": 0.7}},
        "latency_p50_s": 3.0,
    }
    if lead is not None:
        metrics["vs_baselines"] = {"plain": {"accuracy": lead}}
    if ratio is not None:
        metrics["floor"] = {"ratio_p50": ratio}
    if recall is not None:
        metrics["safety_recall"] = recall
    return {
        "dataset": {"name": "core", "split": "dev", "sha256": "x"},
        "prompt": "default@1",
        "model": {"name": "m", "quant": "Q4_K_M"},
        "config": {"ctx": {"n_ctx": 2048}},
        "metrics": metrics,
    }


THRESHOLDS = json.loads(
    (Path(__file__).resolve().parent.parent / "evals/baselines/thresholds.json").read_text()
)


def test_gate_passes_an_equal_run_and_fails_each_regression() -> None:
    base = _summary(1.0, 0.6, 1.3)
    assert all(c.passed for c in gate.checks(base, base, THRESHOLDS))
    failing = {
        "parse_rate": _summary(0.85, 0.6, 1.3),
        "correctness.execution": _summary(1.0, 0.4, 1.3),
        "latency_ratio_to_floor": _summary(1.0, 0.6, 2.0),
        "accuracy_vs_plain": _summary(1.0, 0.6, 1.3, lead=-0.1),
    }
    for name, run in failing.items():
        failed = [c.name for c in gate.checks(run, base, THRESHOLDS) if not c.passed]
        assert failed == [name]


def test_gate_treats_an_unmeasured_quantity_as_a_failure() -> None:
    base = _summary(1.0, 0.6, 1.3)
    failed = [
        c.name for c in gate.checks(_summary(1.0, 0.6, None), base, THRESHOLDS) if not c.passed
    ]
    assert failed == ["latency_ratio_to_floor"]


def test_gate_cli_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, worse = tmp_path / "base.json", tmp_path / "run"
    base.write_text(json.dumps(_summary(1.0, 0.6, 1.3)))
    worse.mkdir()
    (worse / "summary.json").write_text(json.dumps(_summary(1.0, 0.3, 1.3)))
    gate.main([str(tmp_path / "base.json"), "--baseline", str(base)])
    assert "gate: passed" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        gate.main([str(worse), "--baseline", str(base)])
    assert exc.value.code == 1
    assert "FAIL correctness.execution" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="cannot read a run summary"):
        gate.main([str(tmp_path / "missing"), "--baseline", str(base)])


def test_report_builds_tables_and_plots(tmp_path: Path) -> None:
    for i, prompt in enumerate(["default@1", "brief@1"]):
        run = tmp_path / "runs" / f"r{i}"
        run.mkdir(parents=True)
        summary = _summary(1.0, 0.5 + 0.1 * i, 1.3)
        summary["prompt"] = prompt
        if i:  # the plain-model baseline answered in the same run: a row of its own
            summary["metrics"]["baselines"] = {"plain": _summary(1.0, 0.4, 1.3)["metrics"]}
        (run / "summary.json").write_text(json.dumps(summary))
        samples = [
            {"id": "a", "category": "files", "scores": {"execution": 1.0}},
            {"id": "b", "category": "git", "scores": {"execution": 0.0 + i}},
        ]
        (run / "samples.jsonl").write_text("\n".join(json.dumps(s) for s in samples) + "\n")
    out = tmp_path / "report"
    path = report.write_report([tmp_path / "runs"], out)
    text = path.read_text()
    assert "| model | size | quant | n_ctx | system | prompt | format |" in text
    assert "| m |  | Q4_K_M | 2048 | cmdai | brief@1 | json | core:dev | 10 | 1 |" in text
    assert "brief@1" in text
    assert "default@1" in text
    assert (out / "accuracy_vs_latency.png").stat().st_size > 1000
    assert (out / "per_category.png").stat().st_size > 1000
    assert "| m |  | Q4_K_M | 2048 | plain | (plain) | free text | core:dev | 10 | 1 |" in text
    runs, samples = report.load_runs([tmp_path / "runs"])
    assert len(runs) == 3
    assert len(samples) == 4
    assert sorted(runs["execution"]) == [0.4, 0.5, 0.6]


def test_report_names_the_model_size_and_answer_format() -> None:
    assert report._size("qwen2.5-coder-1.5b") == "1.5B"
    assert report._size("qwen2.5-coder-7b-instruct") == "7B"
    assert report._size("m") is None
    assert report._format("fenced@4") == "fenced"
    assert report._format("brief@1") == "json"
    assert report._format("no-such-prompt@1") is None


def test_report_without_runs_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"no summary\.json"):
        report.write_report([tmp_path], tmp_path / "out")


def test_floor_ratio_pairs_each_request_with_its_own_floor() -> None:
    from evals.run import floor_ratio

    # A long answer is slow on both sides; pairing reports cmdai's own overhead (x1.5 here)
    # where a ratio of medians would report 0.6 / 0.4 = 1.5 only by luck of the draw.
    assert floor_ratio([0.3, 0.6, 3.0], [0.2, 0.4, 2.0]) == pytest.approx(1.5)
    assert floor_ratio([1.0, 9.0, 1.0], [1.0, 1.0, 1.0]) == pytest.approx(1.0)
    assert floor_ratio([], []) is None
    with pytest.raises(ValueError, match=r"shorter|longer"):
        floor_ratio([1.0], [1.0, 2.0])


def test_the_plain_models_command_is_its_first_block_or_line() -> None:
    from evals.baseline import first_command

    assert first_command("Use this:\n\n```bash\nls -la\n```\nIt lists.") == "ls -la"
    assert first_command("```bash\nfor f in *; do\n  echo $f\ndone") == (
        "for f in *; do\n  echo $f\ndone"  # no closing fence: generation stopped there
    )
    assert first_command("$ df -h\nShows space.") == "df -h"
    assert first_command("`pwd`") == "pwd"
    # A block inside a numbered list is indented, its closing fence too: the block ends there.
    listed = "1. Check:\n   ```bash\n   ls -l word.txt\n   ```\n2. Count:\n   ```bash\n   wc -l\n"
    assert first_command(listed) == "ls -l word.txt"
    assert first_command("   ```sh\n   for f in *; do\n     echo $f\n   done\n   ```") == (
        "for f in *; do\n  echo $f\ndone"
    )
    assert first_command("\n\n") is None


def _scored(id_: str, value: float, difficulty: str = "easy") -> dict[str, Any]:
    return {"id": id_, "difficulty": difficulty, "scores": {"execution": value}}


def test_a_paired_difference_pairs_by_request_and_bounds_it() -> None:
    from evals.metrics import paired_difference

    ours = [_scored(f"r{i}", 1.0 if i % 2 else 0.0) for i in range(100)]
    same = paired_difference(ours, ours)
    assert same == {"items": 100, "difference": 0.0, "ci95": [0.0, 0.0], "better": 0, "worse": 0}
    # Right on every request where the other side is right on half: +0.5, an interval around it
    # that excludes 0; the pairs are by id, so the order of the records does not matter.
    theirs = list(reversed(ours))
    better = paired_difference([_scored(f"r{i}", 1.0) for i in range(100)], theirs)
    assert better is not None
    assert better["difference"] == 0.5
    assert (better["better"], better["worse"]) == (50, 0)
    assert 0.35 < better["ci95"][0] < 0.5 < better["ci95"][1] < 0.65
    # One request apart in a hundred: the interval holds 0 (not a difference to claim).
    near = paired_difference([_scored("r1", 0.0), *ours[2:], _scored("r0", 1.0)], ours)
    assert near is not None
    assert near["ci95"][0] <= 0 <= near["ci95"][1]
    # Items only one side scored are left out; nothing in common is None.
    assert paired_difference([_scored("zzz", 1.0)], ours) is None


def test_compare_reads_two_runs_and_names_a_missing_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from evals import compare

    run = tmp_path / "run"
    run.mkdir()
    rows = [
        {**_scored("a", 1.0, "easy"), "system": "cmdai"},
        {**_scored("b", 1.0, "hard"), "system": "cmdai"},
        {**_scored("a", 1.0, "easy"), "system": "plain"},
        {**_scored("b", 0.0, "hard"), "system": "plain"},
    ]
    (run / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    compare.main([str(run), f"{run}:plain", "--out", str(tmp_path / "out.json")])
    printed = capsys.readouterr().out
    assert "all: +0.500" in printed
    assert "hard: +1.000" in printed
    assert "easy: +0.000" in printed
    written = json.loads((tmp_path / "out.json").read_text())
    assert written["all"]["items"] == 2
    with pytest.raises(SystemExit, match=r"no 'think' records .*\(it has: cmdai, plain\)"):
        compare.main([str(run), f"{run}:think"])
    with pytest.raises(SystemExit, match="cannot read"):
        compare.main([str(tmp_path / "none"), str(run)])
