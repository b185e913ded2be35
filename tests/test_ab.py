"""``python -m evals ab``: two checkouts timed alternately (the fake backend, a warm server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals import ab

ROOT = Path(__file__).resolve().parents[1]


def test_the_same_checkout_on_both_sides_times_every_request(tmp_path: Path) -> None:
    result = ab.compare({"old": ROOT, "new": ROOT}, "client", rounds=1, requests=["list files"])
    assert result["runs_per_side"] == 1
    assert set(result["p50_s"]) == {"old", "new"}
    assert all(0 < s < 60 for s in result["p50_s"].values())
    assert isinstance(result["paired_median_diff_s"], float)


def test_a_folder_that_is_not_a_checkout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        ab.main([str(tmp_path), str(ROOT)])
    with pytest.raises(SystemExit):
        ab.main([str(ROOT), str(ROOT), "--rounds", "0"])
