"""systemd unit files in the working directory (cmdai.projects.units_fact, cmdai.unit_fixes; the
forty-sixth by-hand round). There is no systemd to run them against here, so the fixes are
checked as text, on the unit files they read."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sure_fixed as fixed
from conftest import write_files

from cmdai.projects import unit_files, units_fact, units_named

SHOP = "[Unit]\nDescription=Shop API\n\n[Service]\nExecStart=/opt/shop/run\n"
CLEANUP = "[Unit]\nDescription=Remove old uploads\n\n[Service]\nType=oneshot\nExecStart=/bin/true\n"
TIMER = "[Unit]\nDescription=Run cleanup daily\n\n[Timer]\nOnCalendar=daily\n"


@pytest.fixture
def units(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "shopapi.service": SHOP,
            "cleanup.service": CLEANUP,
            "cleanup.timer": TIMER,
            "notes.service": "not a unit file\n",
        },
    )


def test_the_units_are_shown_where_the_request_speaks_of_one(units: Path) -> None:
    found = unit_files(units)
    assert found == [
        ("cleanup.service", "Remove old uploads"),
        ("cleanup.timer", "Run cleanup daily"),
        ("shopapi.service", "Shop API"),
    ]
    assert units_named("restart the shop api", found) == ["shopapi.service"]
    assert units_named("run the cleanup job", found) == ["cleanup.service", "cleanup.timer"]
    shown = units_fact("restart the shop api", units)
    assert shown is not None
    assert shown[1] == (
        "systemd unit files: cleanup.service (Remove old uploads), cleanup.timer (Run cleanup "
        "daily), shopapi.service (Shop API)"
    )
    assert units_fact("list the timers", units) is not None
    assert units_fact("count the lines of notes.txt", units) is None


def test_the_unit_meant_the_way_asked(units: Path) -> None:
    assert fixed("sudo systemctl status cleanup.service", "the status of the shop api", units) == (
        "sudo systemctl status shopapi.service"
    )
    assert fixed("journalctl -u cleanup.service", "follow the logs of the shop api", units) == (
        "journalctl -u shopapi.service -f"
    )
    assert fixed(
        "sudo systemctl stop cleanup.service",
        "stop the shop api and keep it from starting at boot",
        units,
    ) == ("sudo systemctl disable --now shopapi.service")
    assert fixed(
        "systemctl enable cleanup.timer", "enable the cleanup timer and start it now", units
    ) == ("sudo systemctl enable --now cleanup.timer")
    assert (
        fixed("sudo systemctl enable shopapi.service", "make the shop api start at boot", units)
        is None
    )
    assert fixed(
        "sudo systemctl start cleanup.timer", "run the cleanup job once right now", units
    ) == ("sudo systemctl start cleanup.service")
    assert (
        fixed(
            "journalctl -u cleanup.service -u shopapi.service | grep ERROR",
            "show the errors the shop api logged today",
            units,
        )
        == "journalctl -u shopapi.service -p err --since today"
    )
    assert fixed(
        "sudo systemctl daemon-reload", "install shopapi.service so systemd knows about it", units
    ) == ("sudo cp shopapi.service /etc/systemd/system/ && sudo systemctl daemon-reload")
    assert fixed("grep -v '^#' shopapi.service", "check shopapi.service for mistakes", units) == (
        "systemd-analyze verify shopapi.service"
    )
    # No unit files here: none of it.
    assert (
        fixed("systemctl enable cleanup.timer", "enable it and start it now", units / "x") is None
    )


def test_only_the_first_entries_of_a_huge_folder_are_looked_at(
    units: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmdai import projects

    monkeypatch.setattr(projects, "MAX_LISTED", 2)
    assert len(unit_files(units)) <= 2  # of the four entries, at most two were read
    monkeypatch.setattr(projects, "MAX_LISTED", 0)
    assert unit_files(units) == []
    assert unit_files(units / "missing") == []
