"""Dates, time limits and scheduled jobs (cmdai.time_fixes; the seventeenth by-hand round), and
a script here run through a wrapper (``nohup ./slow.sh``) is no program to install."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash

from cmdai.checks import command_warnings
from cmdai.context import Workdir
from cmdai.time_fixes import cron_schedule, time_fix


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed"),
    [
        (
            "touch -t 2026-01-01 reports/draft.txt",
            "touch reports/draft.txt so its date is 2026-01-01",
            "touch -d 2026-01-01 reports/draft.txt",
        ),
        (
            "touch -m -t '2026-01-01 10:30' a.txt",
            "set a.txt's date",
            "touch -m -d '2026-01-01 10:30' a.txt",
        ),
        ('date -d "90 days from now"', "show the date 90 days from today", 'date -d "90 days"'),
        (
            'date -d "2026-12-25" +%j',
            "how many days are left until 2026-12-25",
            'echo $(( ($(date -ud 2026-12-25 +%s) - $(date -ud "$(date +%F)" +%s)) / 86400 ))',
        ),
        (
            "bash slow.sh & sleep 10 && kill %1",
            "run slow.sh but stop it if it takes longer than 10 seconds",
            "timeout 10 bash slow.sh",
        ),
        (
            "./job.sh & sleep 120; kill $!",
            "run job.sh and kill it after 2 minutes",
            "timeout 2m ./job.sh",
        ),
        (
            "crontab -e",
            "run backup.sh every day at 2am",
            '(crontab -l 2>/dev/null; echo "0 2 * * * $PWD/backup.sh") | crontab -',
        ),
        (
            "crontab -e",
            "run scripts/report.py every 15 minutes",
            '(crontab -l 2>/dev/null; echo "*/15 * * * * $PWD/scripts/report.py") | crontab -',
        ),
    ],
)
def test_a_time_draft_is_fixed(draft: str, request_text: str, fixed: str) -> None:
    found = time_fix(draft, request_text)
    assert found is not None
    assert found[0] == fixed


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        ("touch -t 202601010000 a.txt", "set a.txt's date to 2026-01-01"),
        ('date -d "90 days"', "show the date 90 days from today"),
        ('date -d "2 days ago"', "the date 2 days ago"),
        (
            "echo $(( ($(date -d 2026-12-25 +%s) - $(date +%s)) / 86400 ))",
            "how many days until 2026-12-25",
        ),
        ("timeout 10 ./slow.sh", "stop slow.sh if it takes longer than 10 seconds"),
        ("./slow.sh & sleep 10 && kill %1", "run slow.sh and show the time"),
        ("crontab -e", "edit my cron jobs"),
        ("crontab -e", "run backup.sh every day at 2"),  # am or pm: not said
        ("crontab -l", "run backup.sh every day at 2am"),
    ],
)
def test_a_time_draft_is_left_alone_unless_the_fix_is_sure(draft: str, request_text: str) -> None:
    assert time_fix(draft, request_text) is None


@pytest.mark.parametrize(
    ("request_text", "schedule"),
    [
        ("every day at 2am", "0 2 * * *"),
        ("every day at 12am", "0 0 * * *"),
        ("every evening at 7:30 pm", "30 19 * * *"),
        ("every monday at 9:15", "15 9 * * 1"),
        ("every sunday at 11pm", "0 23 * * 0"),
        ("every 2 hours", "0 */2 * * *"),
        ("every hour", "0 * * * *"),
        ("every minute", "* * * * *"),
        ("every 90 minutes", None),
        ("every day at 25:00", None),
    ],
)
def test_cron_times_are_read_from_the_request(request_text: str, schedule: str | None) -> None:
    assert cron_schedule(request_text) == schedule


def test_the_fixed_commands_run(tmp_path: Path) -> None:
    (tmp_path / "slow.sh").write_text("#!/bin/sh\nsleep 5\necho done\n")
    (tmp_path / "slow.sh").chmod(0o755)
    (tmp_path / "draft.txt").write_text("x\n")
    assert run_bash("timeout 1 ./slow.sh", tmp_path, check=False).returncode == 124
    assert run_bash("touch -d 2026-01-01 draft.txt", tmp_path).returncode == 0
    assert run_bash("date -r draft.txt +%F", tmp_path).stdout == "2026-01-01\n"
    assert run_bash('date -d "90 days" +%F', tmp_path).returncode == 0
    days = "echo $(( ($(date -ud 2026-12-25 +%s) - $(date -ud 2026-12-06 +%s)) / 86400 ))"
    assert run_bash(days, tmp_path).stdout == "19\n"


def test_a_script_here_run_by_a_wrapper_is_no_missing_program(tmp_path: Path) -> None:
    (tmp_path / "slow.sh").write_text("#!/bin/sh\n")
    (tmp_path / "slow.sh").chmod(0o755)
    here = Workdir(tmp_path)
    for command in ("nohup ./slow.sh &", "time ./slow.sh", "timeout 10 ./slow.sh"):
        assert command_warnings(command, "/bin/bash", None, "", here) == []
    assert command_warnings("time ./gone.sh", "/bin/bash", None, "", here) == [
        "no such file here: ./gone.sh"
    ]
