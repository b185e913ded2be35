"""Keys, checksums and encryption (cmdai.secret_fixes; the twenty-ninth by-hand round). The
fixed commands run on a real key pair, certificate and files where the tools are here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.grounding import HELP_ARGS

needs = pytest.mark.skipif(
    not (shutil.which("openssl") and shutil.which("ssh-keygen")),
    reason="openssl and ssh-keygen are needed",
)


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    write_files(tmp_path, {"secret.txt": "swordfish\n", "a.bin": "a" * 64, "b.bin": "b" * 64})
    if shutil.which("ssh-keygen"):
        (tmp_path / "keys").mkdir()
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "keys/id_ed25519"]
        subprocess.run(keygen, cwd=tmp_path, check=True, capture_output=True)
    return tmp_path


@needs
def test_no_made_up_password_and_the_cipher_named_in_full(secrets: Path) -> None:
    draft = "openssl enc -aes-256 -in secret.txt -out secret.enc -k swordfish"
    request = "encrypt secret.txt with openssl aes-256 and a password"
    again = fixed(draft, request, secrets)
    assert again == "openssl enc -aes-256-cbc -pbkdf2 -in secret.txt -out secret.enc"
    assert "Unknown cipher" in run_bash(draft, secrets, check=False).stderr
    run_bash(f"{again} -pass pass:typed", secrets)  # the password openssl would ask for
    back = "openssl enc -d -aes-256-cbc -pbkdf2 -in secret.enc -pass pass:typed"
    assert run_bash(back, secrets).stdout == "swordfish\n"
    given = "openssl enc -aes-256-cbc -pbkdf2 -in secret.txt -out s.enc -k hunter2"
    assert fixed(given, "encrypt secret.txt with the password hunter2", secrets) is None
    zipped = fixed("zip -P swordfish secret.txt", "zip secret.txt with a password", secrets)
    assert zipped == "zip -e secret.zip secret.txt"
    assert fixed("zip -P hunter2 s.zip secret.txt", "zip it with password hunter2", secrets) is None
    assert HELP_ARGS["zip"] == ("-h2",)  # -h leaves -P and -e out: they read as unknown


@needs
def test_the_public_key_not_the_private_one_and_the_one_key_here(secrets: Path) -> None:
    shows = fixed(
        "cat keys/id_ed25519 | sed 's/x//'", "show the public key of keys/id_ed25519", secrets
    )
    assert shows == "cat keys/id_ed25519.pub"
    assert run_bash(shows, secrets).stdout.startswith("ssh-ed25519 ")
    (secrets / "keys" / "id_ed25519.pub").unlink()
    derived = fixed("cat keys/id_ed25519", "show the public key of keys/id_ed25519", secrets)
    assert derived == "ssh-keygen -y -f keys/id_ed25519"
    assert run_bash(derived, secrets).stdout.startswith("ssh-ed25519 ")
    run_bash("ssh-keygen -y -f keys/id_ed25519 > keys/id_ed25519.pub", secrets)
    print_ = fixed(
        "ssh-keygen -lf keys/id_rsa.pub", "show the fingerprint of the key in keys", secrets
    )
    assert print_ == "ssh-keygen -lf keys/id_ed25519.pub"
    assert "(ED25519)" in run_bash(print_, secrets).stdout
    assert fixed("ssh-keygen -lf keys/id_ed25519.pub", "the fingerprint", secrets) is None


@needs
def test_sums_written_and_compared_certificates_named_and_read(secrets: Path) -> None:
    sums = fixed("md5sum *.bin", "create an md5 checksum file for the .bin files", secrets)
    assert sums == "md5sum *.bin > MD5SUMS"
    run_bash(sums, secrets)
    assert run_bash("md5sum -c MD5SUMS", secrets).stdout == "a.bin: OK\nb.bin: OK\n"
    draft = 'md5sum a.bin b.bin | grep -q " identical" && echo yes || echo no'
    same = fixed(draft, "are a.bin and b.bin the same according to their md5", secrets)
    assert run_bash(same or "", secrets).stdout == "different\n"
    assert run_bash((same or "").replace("b.bin", "a.bin"), secrets).stdout == "same\n"
    request = "generate a self-signed certificate for localhost valid for 365 days"
    draft = "openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout l.key -out l.crt"
    made = fixed(draft, request, secrets)
    assert made == draft + " -subj /CN=localhost"
    run_bash(made, secrets)
    draft = 'openssl x509 -in l.crt -text -noout | grep -A 1 "Subject:" | tail -n 1'
    subject = fixed(draft, "show the subject of l.crt", secrets)
    assert subject == "openssl x509 -in l.crt -noout -subject"
    assert run_bash(subject, secrets).stdout.replace(" ", "") == "subject=CN=localhost\n"
