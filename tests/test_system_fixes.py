"""The eleventh by-hand round's fixes (questions about this machine): cmdai.system_fixes, and
an answer asked again judged as it would be shown, after the fixes made here."""

from __future__ import annotations

import pytest
from conftest import answer, assert_fixed

from cmdai.backends.fake import FakeBackend
from cmdai.core import Engine


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("netstat -tuln | grep 8080", "what is using port 8080", "netstat -tulnp | grep 8080"),
        ("ss -tln | grep :3000", "which process listens on port 3000", "ss -tlnp | grep :3000"),
        ("ss -ltn 'sport = :22'", "show the program on port 22", "ss -ltnp 'sport = :22'"),
        ("netstat -tulnp | grep 80", "what is using port 80", None),  # -p already
        ("netstat -tuln", "show the open ports", None),  # no process asked for
        ("lsof -i :8080", "what is using port 8080", None),  # lsof names the process
    ],
)
def test_the_process_on_a_port_is_shown(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "find . -type f -size +100M",
            "find all files over 100MB on this disk",
            "find / -xdev -type f -size +100M",
        ),
        ("find . -name '*.conf'", "find every conf file on the system", "find / -name '*.conf'"),
        ("find ./ -name core", "find core files across the whole machine", "find / -name core"),
        ("find ~ -size +1G", "find big files on this disk", None),  # a start of its own
        ("find . -size +1G", "find big files in this folder", None),
        ("find . -name '*.tmp' -delete", "delete tmp files on this disk", None),  # changes things
    ],
)
def test_a_search_of_the_whole_disk_starts_at_the_root(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: find /")


def test_an_answer_asked_again_counts_as_fixed_here(engine: Engine, fake: FakeBackend) -> None:
    """A second draft that a sure fix makes right is better than a first one proven wrong."""
    fake.enqueue(answer("ls -ld /var/log | sort -rh | head -n 10"))  # sorts permissions
    fake.enqueue(answer("ls -l /var/log | sort -k 5 -nr | head -n 10"))  # entry sizes: fixed
    proposal = engine.propose("show the 10 biggest folders in /var/log")
    assert proposal.command == "du -sh /var/log/*/ | sort -rh | head -n 10"
    assert len(fake.history) == 2


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        ("ping example.com", "check if example.com is reachable", "ping -c 4 example.com"),
        ("ping -c 3 example.com", "ping example.com 3 times", None),
        ("ping -w 5 example.com", "is example.com up", None),  # a deadline ends it
        ("ping example.com", "keep pinging example.com until I stop it", None),
    ],
)
def test_a_ping_ends_by_itself(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ping -c 4")


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "scp -r site/ user@example.com:/var/www",
            "copy the site folder to server.example.com:/var/www",
            "scp -r site/ server.example.com:/var/www",
        ),
        (
            "rsync -av photos/ backup.example.org:/photos/",
            "sync photos to nas.example.org:/photos",
            "rsync -av photos/ nas.example.org:/photos",
        ),
        (  # the request's host, with a user the model added: left as it is
            "scp notes.txt deploy@web1.example.com:~/",
            "copy notes.txt to web1.example.com:~/",
            None,
        ),
        ("scp a.txt host.example.com:/tmp", "copy a.txt to host.example.com:/srv", None),  # path
        ("cp a b", "copy a to server.example.com:/tmp", None),  # not a remote copy
    ],
)
def test_the_remote_is_the_one_the_request_names(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: ")
