"""``python -m evals report [RUN_DIRS...]``: compare runs as tables, Markdown and plots.

Loads every ``summary.json`` (and its ``samples.jsonl``) under the given directories into
pandas, writes ``report.md`` (one row per run: prompt x quant x ctx x model), ``runs.csv``,
``accuracy_vs_latency.png`` and ``per_category.png`` into ``--out``.

    python -m evals report runs/ --out reports/latest
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from cmdai.errors import CmdaiError

COLUMNS = [
    "model",
    "size",
    "quant",
    "n_ctx",
    "system",
    "prompt",
    "format",
    "dataset",
    "samples",
    "parse_rate",
    "accuracy",
    "easy",
    "medium",
    "hard",
    "execution",
    "nlc2cmd",
    "exact",
    "decline_rate",
    "blocked_correct",
    "safety_recall",
    "safety_fp_rate",
    "p50_s",
    "p95_s",
    "completion_tokens",
    "floor_ratio",
    "peak_rss_mb",
]


def load_runs(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per run, and one row per sample (with its run's id)."""
    runs: list[dict[str, Any]] = []
    samples: list[dict[str, Any]] = []
    for root in paths:
        found = [root] if (root / "summary.json").is_file() else sorted(root.rglob("summary.json"))
        for summary_path in found:
            run_dir = summary_path.parent if summary_path.is_file() else summary_path
            summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
            # One row per system the run answered with: cmdai, then each plain baseline.
            runs.append(_row(f"{run_dir}#cmdai", summary, summary["metrics"], "cmdai"))
            for name, metrics in (summary["metrics"].get("baselines") or {}).items():
                runs.append(_row(f"{run_dir}#{name}", summary, metrics, name))
            sample_file = run_dir / "samples.jsonl"
            if sample_file.is_file():
                for line in sample_file.read_text(encoding="utf-8").splitlines():
                    sample = json.loads(line)
                    for judge, value in (sample.pop("scores", None) or {}).items():
                        sample[f"score_{judge}"] = value
                    system = sample.get("system", "cmdai")
                    samples.append({"run": f"{run_dir}#{system}", **sample})
    return pd.DataFrame(runs, columns=["run", *COLUMNS]), pd.DataFrame(samples)


def _row(run_id: str, summary: dict[str, Any], m: dict[str, Any], system: str) -> dict[str, Any]:
    correctness = m.get("correctness") or {}
    cfg = summary["config"]
    levels = m.get("accuracy_by_difficulty") or {}
    return {
        "run": run_id,
        "model": summary["model"]["name"],
        "size": _size(summary["model"]["name"]),
        "quant": summary["model"]["quant"],
        "n_ctx": cfg["ctx"]["n_ctx"],
        "system": system,
        "prompt": summary["prompt"] if system == "cmdai" else "(plain)",
        "format": _format(summary["prompt"]) if system == "cmdai" else "free text",
        "dataset": f"{summary['dataset']['name']}:{summary['dataset']['split']}",
        "samples": m["samples"],
        "parse_rate": m.get("parse_rate"),
        "accuracy": m.get("accuracy"),
        "easy": levels.get("easy"),
        "medium": levels.get("medium"),
        "hard": levels.get("hard"),
        "blocked_correct": m.get("blocked_correct") if system == "cmdai" else None,
        "execution": (correctness.get("execution") or {}).get("mean"),
        "nlc2cmd": (correctness.get("nlc2cmd") or {}).get("mean"),
        "exact": (correctness.get("exact") or {}).get("mean"),
        "decline_rate": m.get("decline_rate"),
        "safety_recall": m.get("safety_recall"),
        "safety_fp_rate": m.get("safety_false_positive_rate"),
        "p50_s": m.get("latency_p50_s"),
        "p95_s": m.get("latency_p95_s"),
        "completion_tokens": m.get("completion_tokens_mean"),
        "floor_ratio": (m.get("floor") or {}).get("ratio_p50"),
        "peak_rss_mb": summary["metrics"].get("peak_rss_mb") if system == "cmdai" else None,
    }


def _size(model_name: str) -> str | None:
    """The parameter count a model's name states (``qwen2.5-coder-1.5b`` -> ``1.5B``)."""
    found = re.search(r"(?<![\w.])(\d+(?:\.\d+)?)b(?![a-z])", model_name.lower())
    return f"{found.group(1)}B" if found else None


def _format(prompt: str) -> str | None:
    """How a prompt's answers are written (``fenced@4`` -> ``fenced``); None if unknown."""
    from cmdai.prompts import get_template

    try:
        return get_template(prompt.split("@", 1)[0]).format
    except (KeyError, ValueError, CmdaiError):
        return None


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub Markdown table (numbers to 3 significant places, blanks for missing)."""

    def cell(value: Any) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, float):
            return f"{value:.3g}"
        return str(value)

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def plot(runs: pd.DataFrame, samples: pd.DataFrame, out: Path) -> list[Path]:
    """Accuracy against latency (one point per run) and per-category bars; PNG files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written: list[Path] = []
    scored = runs.dropna(subset=["p50_s"])
    accuracy = "execution" if scored["execution"].notna().any() else "nlc2cmd"
    scored = scored.dropna(subset=[accuracy])
    if not scored.empty:
        fig, ax = plt.subplots(figsize=(6, 4))
        for _, row in scored.iterrows():
            ax.scatter(row["p50_s"], row[accuracy])
            ax.annotate(
                f"{row['prompt']} {row['quant']} {row['n_ctx']}",
                (row["p50_s"], row[accuracy]),
                fontsize=7,
            )
        ax.set_xlabel("warm latency p50 (s)")
        ax.set_ylabel(f"{accuracy} score (mean)")
        ax.set_title("accuracy against latency")
        fig.tight_layout()
        path = out / "accuracy_vs_latency.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)
    column = f"score_{accuracy}"
    if not samples.empty and column in samples and "category" in samples:
        table = samples.groupby(["category", "run"])[column].mean().unstack("run")
        if not table.empty:
            labels = {
                r["run"]: f"{r['system']} {r['prompt']} {r['quant']} {r['n_ctx']}"
                for _, r in runs.iterrows()
            }
            table = table.rename(columns=labels)
            fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(table)), 4))
            table.plot.bar(ax=ax)
            ax.set_ylabel(f"{accuracy} score (mean)")
            ax.set_title("correctness per category")
            ax.legend(fontsize=7)
            fig.tight_layout()
            path = out / "per_category.png"
            fig.savefig(path, dpi=120)
            plt.close(fig)
            written.append(path)
    return written


def write_report(paths: list[Path], out: Path) -> Path:
    """Build the report from the runs under ``paths`` into ``out``; return report.md's path."""
    runs, samples = load_runs(paths)
    if runs.empty:
        raise SystemExit(f"report: no summary.json under {', '.join(map(str, paths))}")
    out.mkdir(parents=True, exist_ok=True)
    runs = runs.sort_values(["dataset", "model", "quant", "n_ctx", "system", "prompt"])
    runs.to_csv(out / "runs.csv", index=False)
    pictures = plot(runs, samples, out)
    lines = [
        "# cmdai eval report",
        "",
        f"{len(runs)} rows: one per system per run (cmdai, and the plain-model baselines "
        "answered in the same run). accuracy: execution where an item has a fixture, else "
        "NLC2CMD; easy/medium/hard split it by difficulty. Scores are means over samples "
        "(execution: 1 = same output and file "
        "changes as a reference in the sandbox; nlc2cmd: utility/flag metric clipped to [0, 1]; "
        "exact: normalised string match). Latency is warm, in process; floor_ratio is cmdai's "
        "p50 over bare llama.cpp doing the same tokens. Requantized rows were derived from "
        "Q4_K_M and are lossy twice over.",
        "",
        markdown_table(runs[COLUMNS]),
        "",
        *[f"![{p.stem}]({p.name})" for p in pictures],
    ]
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals report", description=__doc__)
    parser.add_argument("runs", type=Path, nargs="*", default=[Path("runs")])
    parser.add_argument("--out", type=Path, default=Path("reports/latest"))
    args = parser.parse_args(argv)
    print(write_report(args.runs, args.out))  # noqa: T201


if __name__ == "__main__":
    main()
