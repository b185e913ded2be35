"""The analysis notebook runs top to bottom on the committed results fixture."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "eval_runs"


def test_analysis_notebook_reproduces_the_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMDAI_RUNS", str(FIXTURE))
    monkeypatch.setenv("CMDAI_NOTEBOOK_OUT", str(tmp_path))
    notebook = nbformat.read(ROOT / "notebooks" / "analysis.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    outputs = "".join(
        str(o.get("text", "")) for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "runs," in outputs
    assert (tmp_path / "accuracy_vs_latency.png").stat().st_size > 1000
    assert (tmp_path / "per_category.png").stat().st_size > 1000
