"""Certificates and what they are checked with (cmdai.cert_fixes, the certificate request's
host in cmdai.secret_fixes, the path the request wrote in cmdai.path_fixes; the forty-first
by-hand round). The fixed commands that need no network run here, on a real certificate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.context import Workdir
from cmdai.path_fixes import path_fix

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


@pytest.fixture
def certs(tmp_path: Path) -> Path:
    (tmp_path / "certs").mkdir()
    for args in (
        "req -x509 -newkey rsa:2048 -nodes -keyout certs/server.key -out certs/server.crt"
        " -days 90 -subj /CN=app.example.com",
        "req -new -newkey rsa:2048 -nodes -keyout certs/api.key -out certs/api.csr"
        " -subj /CN=api.example.com",
    ):
        subprocess.run(["openssl", *args.split()], cwd=tmp_path, check=True, capture_output=True)
    return write_files(tmp_path, {"secrets.env": "DB_PASSWORD=hunter2\nAPI_TOKEN=abc123\n"})


def test_a_request_read_as_a_request_and_der_written_to_a_file(certs: Path) -> None:
    csr = fixed(
        "openssl x509 -in certs/api.csr -text",
        "show the details of the certificate request certs/api.csr",
    )
    assert csr == "openssl req -in certs/api.csr -noout -text"
    assert "Subject: CN = api.example.com" in run_bash(csr, certs).stdout
    der = fixed("openssl x509 -in certs/server.crt -outform der", "convert it to DER format")
    assert der == "openssl x509 -in certs/server.crt -outform der -out certs/server.der"
    run_bash(der, certs)
    assert (certs / "certs/server.der").read_bytes()[:1] == b"\x30"  # a DER SEQUENCE
    assert fixed("openssl x509 -in a.crt -outform der > a.der", "to DER") is None


def test_days_left_and_a_key_that_matches(certs: Path) -> None:
    days = fixed(
        "openssl x509 -in certs/server.crt -text | grep 'Not After'",
        "how many days until certs/server.crt expires",
    )
    assert days is not None
    assert run_bash(days, certs).stdout.strip() in ("89", "90")
    match = fixed(
        "openssl rsa -in certs/server.key -pubout -out certs/server.pub",
        "check that certs/server.key matches certs/server.crt",
    )
    assert match is not None
    assert run_bash(match, certs).stdout == "match\n"
    other = match.replace("certs/server.key", "certs/api.key")
    assert run_bash(other, certs).stdout == "no match\n"


def test_s_client_given_no_stdin_where_the_certificate_is_wanted() -> None:
    assert (
        fixed(
            "openssl s_client -connect example.com:443 2>/dev/null | openssl x509 -noout -text",
            "check whether the certificate of example.com is valid",
        )
        == "openssl s_client -connect example.com:443 2>/dev/null </dev/null"
        " | openssl x509 -noout -dates -checkend 0"
    )
    assert (
        fixed(
            "openssl s_client -connect example.com:443 -showcerts",
            "show the certificate chain of example.com:443",
        )
        == "openssl s_client -connect example.com:443 -showcerts </dev/null"
    )
    # A session to type into keeps its stdin.
    assert fixed("openssl s_client -connect h:443 -servername h", "connect to h with SNI") is None
    assert fixed("echo | openssl s_client -connect h:443 | openssl x509 -noout", "the cert") is None


def test_a_request_for_a_host_and_a_file_read_not_retyped(certs: Path) -> None:
    made = fixed(
        "openssl req -new -newkey rsa:2048 -nodes -keyout shop.key -out shop.csr",
        "create a certificate request for shop.example.com with a new key",
    )
    assert made == (
        "openssl req -new -newkey rsa:2048 -nodes -keyout shop.key -out shop.csr"
        " -subj /CN=shop.example.com"
    )
    encrypt = fixed(
        'echo "DB_PASSWORD=hunter2" | openssl enc -aes-256-cbc -pbkdf2 -out secrets.env.enc',
        "encrypt secrets.env with a password",
        certs,
    )
    assert encrypt == "openssl enc -aes-256-cbc -pbkdf2 -out secrets.env.enc < secrets.env"
    run_bash(encrypt.replace("-pbkdf2", "-pbkdf2 -pass pass:x"), certs)
    back = run_bash("openssl enc -d -aes-256-cbc -pbkdf2 -pass pass:x -in secrets.env.enc", certs)
    assert back.stdout == (certs / "secrets.env").read_text()
    assert (
        fixed('echo "hello" | base64', "base64 encode the word hello in secrets.env", certs) is None
    )


def test_the_path_the_request_wrote(certs: Path) -> None:
    here = Workdir(certs)
    request = "verify certs/server.crt against ca.crt"
    assert path_fix("openssl verify -CAfile ca.crt server.crt", here, request) == (
        "openssl verify -CAfile ca.crt certs/server.crt",
        "fixed here: server.crt is not here; the request wrote certs/server.crt",
    )
    assert path_fix("cat server.crt", here, "show certs/server.crt") == (
        "cat certs/server.crt",
        "fixed here: server.crt is not here; the request wrote certs/server.crt",
    )
    # Written, not read: a copy's destination stays.
    assert path_fix("cp certs/server.crt server.crt", here, "copy certs/server.crt here") is None
