"""A web server's and an application's logs (cmdai.log_fixes; the thirty-first by-hand round).
Each fixed command is run with bash on small logs whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

ACCESS = (
    '10.0.0.5 - - [06/Dec/2026:09:01:00 +0000] "GET /index.html HTTP/1.1" 200 1404 "-" "curl/8"\n'
    '10.0.0.7 - - [06/Dec/2026:09:30:00 +0000] "GET /missing.png HTTP/1.1" 404 0 "-" "Bot/2"\n'
    '10.0.0.5 - - [06/Dec/2026:10:02:00 +0000] "GET /index.html HTTP/1.1" 500 96 "-" "curl/8"\n'
    '10.0.0.9 - - [06/Dec/2026:10:40:00 +0000] "GET /about HTTP/1.1" 200 500 "-" "Mozilla/5"\n'
)
APP = (
    "2026-12-06 09:55:00 INFO started\n"
    "2026-12-06 10:05:00 ERROR database timeout\n"
    "2026-12-06 10:05:01 DEBUG retry 1\n"
    "2026-12-06 10:05:02 INFO recovered\n"
    "2026-12-06 11:30:00 WARN slow query\n"
)


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"access.log": ACCESS, "app.log": APP, "notes.txt": "x\n"})


def out(command: str, where: Path) -> str:
    return run_bash(command, where).stdout


def test_the_access_logs_fields(logs: Path) -> None:
    urls = fixed("grep -oP '(?<=https?://)[^ ]+' access.log", "list the different URLs", logs)
    assert urls == "awk '{print $7}' access.log | sort -u"
    assert out(urls, logs) == "/about\n/index.html\n/missing.png\n"
    draft = "grep -oE 'https?://[^ ]+' access.log | sort | uniq -c | sort -nr | head -n 1"
    most = fixed(draft, "which URL was requested most often", logs)
    assert most == "awk '{print $7}' access.log | sort | uniq -c | sort -nr | head -n 1"
    assert out(most, logs).split() == ["2", "/index.html"]
    agents = fixed(
        "grep -oE 'User-Agent: (.+)' access.log | sort | uniq -c",
        "count the requests of each user agent",
        logs,
    )
    assert agents == "awk -F'\"' '{print $6}' access.log | sort | uniq -c | sort -nr"
    assert out(agents, logs).split()[:2] == ["2", "curl/8"]
    sent = fixed(
        "awk '{print $1}' access.log | bc",
        "how many bytes were sent in total according to access.log",
        logs,
    )
    assert out(sent or "", logs) == "2000\n"
    hours = fixed(
        "awk '{print $4}' access.log | cut -d: -f1 | sort | uniq -c",
        "count the requests in access.log per hour",
        logs,
    )
    assert out(hours or "", logs).split() == ["2", "06/Dec/2026:09", "2", "06/Dec/2026:10"]
    # a draft that reads the right field already stays
    assert fixed("awk '{print $7}' access.log | sort -u", "list the different URLs", logs) is None
    assert fixed("cut -d' ' -f7 access.log | sort -u", "list the different URLs", logs) is None


def test_the_requests_from_an_address_and_a_status_read_from_its_field(logs: Path) -> None:
    mine = fixed("ping -c 10 10.0.0.5", "show the requests from 10.0.0.5", logs)
    assert mine == "awk '$1 == \"10.0.0.5\"' access.log"
    assert len(out(mine, logs).splitlines()) == 2
    # grep 500 also matches a response of 500 bytes, and 404 a size of 1404
    assert len(out("grep 500 access.log", logs).splitlines()) == 2
    errors = fixed("grep 500 access.log", "show the requests in access.log that got a 500", logs)
    assert errors == "awk '$9 == 500' access.log"
    assert out(errors, logs) == ACCESS.splitlines(keepends=True)[2]
    missing = fixed("grep '404' access.log | wc -l", "how many requests got a 404", logs)
    assert missing == "awk '$9 == 404' access.log | wc -l"
    assert out(missing, logs) == "1\n"
    assert fixed("grep 404 access.log | cut -c1-9", "show who got a 404", logs) is None
    assert fixed("grep 404 notes.txt", "how many lines of notes.txt say 404", logs) is None


def test_an_application_logs_levels_and_times(logs: Path) -> None:
    draft = "grep -oE 'DEBUG|INFO|WARNING|ERROR' app.log | wc -l"
    levels = fixed(draft, "count the lines of each log level in app.log", logs)
    assert levels == "awk '{print $3}' app.log | sort | uniq -c"
    assert out(levels, logs).split() == ["1", "DEBUG", "1", "ERROR", "2", "INFO", "1", "WARN"]
    hour = fixed(
        "grep -E '10:00|11:00' app.log", "show the app.log lines between 10:00 and 11:00", logs
    )
    assert hour == 'awk \'$2 >= "10:00:00" && $2 <= "11:00:00"\' app.log'
    assert len(out(hour, logs).splitlines()) == 3
    assert fixed("grep x app.log", "show the app.log lines between 11:00 and 10:00", logs) is None
    # the time is field 2 only where a space follows the date
    write_files(logs, {"iso.log": "2026-12-06T10:05:00 ERROR x\n"})
    assert fixed("grep 10: iso.log", "show the iso.log lines between 10:00 and 11:00", logs) is None


def test_each_match_with_the_lines_after_it(logs: Path) -> None:
    after = fixed(
        "tail -n +2 app.log | grep ERROR",
        "show each ERROR in app.log with the 2 lines after it",
        logs,
    )
    assert after == "grep -A 2 ERROR app.log"
    assert len(out(after, logs).splitlines()) == 3
    before = fixed(
        "grep ERROR app.log", "show every ERROR in app.log with the line before it", logs
    )
    assert before is None  # "the line": no number given
    assert (
        fixed("grep ERROR app.log", "show every ERROR in app.log with 1 line before it", logs)
        == "grep -B 1 ERROR app.log"
    )
