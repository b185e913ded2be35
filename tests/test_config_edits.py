"""A setting changed in a configuration file, written here (cmdai.config_edits; the twelfth
by-hand round), and the edits a request asks of a file made in place."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from conftest import assert_fixed

from cmdai.backends.fake import FakeBackend
from cmdai.config_edits import config_edit
from cmdai.context import Workdir
from cmdai.core import Engine


@pytest.fixture
def configs(tmp_path: Path) -> Path:
    """An ini file in config/, a .env, an nginx site, a YAML file, a hosts-style list."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "app.ini").write_text(
        "[server]\nport = 8000\nhost = 0.0.0.0\ndebug = true\n\n[db]\n# password = secret\n"
    )
    (tmp_path / ".env").write_text("DEBUG=true\nSECRET_KEY=abc\nTIMEOUT=30\nTIMEOUTS=2\n")
    (tmp_path / "nginx").mkdir()
    (tmp_path / "nginx" / "site.conf").write_text(
        "server {\n    listen 80;\n    server_name example.com;\n    # gzip on;\n}\n"
    )
    (tmp_path / "config" / "settings.yaml").write_text("log_level: info\nworkers: 4\n")
    (tmp_path / "hosts.txt").write_text("10.0.0.5 db.internal\n10.0.0.6 cache.internal\n")
    (tmp_path / "twice.ini").write_text("port = 1\nport = 2\n")
    return tmp_path


@pytest.mark.parametrize(
    ("draft", "request_text", "fixed", "after"),
    [
        (
            "sed -i 's/9000/9001/g' config/app.ini",
            "change the port in app.ini to 9000",
            "sed -i 's/^port = .*/port = 9000/' config/app.ini",
            ("config/app.ini", "port = 9000\n"),
        ),
        (
            "export DEBUG=false",
            "set DEBUG to false in the env file",
            "sed -i 's/^DEBUG=.*/DEBUG=false/' .env",
            (".env", "DEBUG=false\nSECRET_KEY"),
        ),
        (
            "echo TIMEOUT=60 >> .env",
            "add TIMEOUT=60 to .env, replacing the old value",
            "sed -i 's/^TIMEOUT=.*/TIMEOUT=60/' .env",
            (".env", "TIMEOUT=60\nTIMEOUTS=2\n"),
        ),
        (
            "sed -i 's/server_name _;/server_name example.org;/' /etc/nginx/nginx.conf",
            "change the server_name to example.org in the nginx config",
            "sed -i 's/^    server_name .*/    server_name example.org;/' nginx/site.conf",
            ("nginx/site.conf", "    server_name example.org;\n"),
        ),
        (
            "yq -i '.log_level = \"debug\"' settings.yaml",
            "set the log_level to debug in settings.yaml",
            "sed -i 's/^log_level: .*/log_level: debug/' config/settings.yaml",
            ("config/settings.yaml", "log_level: debug\nworkers: 4\n"),
        ),
        (
            "sed -i 's/abc/x/' .env",
            "set SECRET_KEY to a/b&c in .env",
            "sed -i 's/^SECRET_KEY=.*/SECRET_KEY=a\\/b\\&c/' .env",
            (".env", "SECRET_KEY=a/b&c\n"),
        ),
        (
            "sed -i 's/debug = true/debug = false/g' config/app.ini",
            "comment out the debug line in app.ini",
            "sed -i 's/^debug/# debug/' config/app.ini",
            ("config/app.ini", "# debug = true\n"),
        ),
        (
            "sed -i '/gzip/ s/^# //' nginx/site.conf",
            "uncomment the gzip line in the nginx config",
            "sed -i 's/^    # gzip/    gzip/' nginx/site.conf",
            ("nginx/site.conf", "    gzip on;\n"),
        ),
    ],
)
def test_a_setting_is_changed_on_its_one_line(
    configs: Path, draft: str, request_text: str, fixed: str, after: tuple[str, str]
) -> None:
    result = config_edit(draft, request_text, Workdir(configs))
    assert result is not None
    assert result[0] == fixed
    assert result[1].startswith("fixed here: ")
    subprocess.run(["bash", "-c", fixed], cwd=configs, check=True)
    path, text = after
    assert text in (configs / path).read_text()


@pytest.mark.parametrize(
    ("draft", "request_text"),
    [
        ("sed -i 's/^port = .*/port = 9000/' config/app.ini", "change the port in app.ini to 9000"),
        ("sed -i 's/1/3/' twice.ini", "change the port in twice.ini to 3"),  # two port lines
        ("sed -i 's/a/b/' hosts.txt", "change the gateway in hosts.txt to 10.0.0.1"),  # no line
        ("timedatectl set-timezone UTC", "set the timezone to UTC"),  # no file
        ("echo x", "change the port in missing.ini to 9000"),
        ("sed -i 's/x/y/' .env", "set SECRET_KEY to it's in .env"),  # a quote sed cannot carry
        ("sed -i 's/^password/# password/' config/app.ini", "comment out the password line"),
    ],
)
def test_a_setting_is_left_to_the_draft_unless_the_edit_is_certain(
    configs: Path, draft: str, request_text: str
) -> None:
    assert config_edit(draft, request_text, Workdir(configs)) is None


def test_the_engine_shows_the_setting_written_here(
    engine: Engine, fake: FakeBackend, configs: Path
) -> None:
    here = dataclasses.replace(engine, workdir=configs)
    assert_fixed(
        here,
        fake,
        "sed -i 's/9000/9001/g' config/app.ini",
        "change the port in app.ini to 9000",
        "sed -i 's/^port = .*/port = 9000/' config/app.ini",
        "fixed here: port is set",
    )


@pytest.mark.parametrize(
    ("command", "request_text", "fixed"),
    [
        (
            "sed '/cache.internal/d' hosts.txt",
            "remove the line for cache.internal from hosts.txt",
            "sed -i '/cache.internal/d' hosts.txt",
        ),
        (
            "sed '/^#/d' notes.txt",
            "delete the comment lines from notes.txt",
            "sed -i '/^#/d' notes.txt",
        ),
        ("sed 's/_.*$//' t1_t2.sh", 'remove the fields after _ in "t1_t2.sh"', None),  # no "from"
        ("sed '/x/d' notes.txt > out.txt", "remove the x lines from notes.txt", None),
        ("sed '/x/d' notes.txt", "show notes.txt without the x lines", None),
    ],
)
def test_lines_removed_from_a_file_are_removed_from_the_file(
    engine: Engine, fake: FakeBackend, command: str, request_text: str, fixed: str | None
) -> None:
    assert_fixed(engine, fake, command, request_text, fixed, "fixed here: sed -i")


def test_a_made_up_name_is_the_one_file_in_the_folder_it_names(
    engine: Engine, fake: FakeBackend, configs: Path
) -> None:
    here = dataclasses.replace(engine, workdir=configs)
    assert_fixed(
        here,
        fake,
        "grep listen nginx.conf",
        "which port does the nginx config listen on",
        "grep listen nginx/site.conf",
        "fixed here: nginx.conf is not here",
    )


def test_a_stand_in_name_is_not_a_folder_name(
    engine: Engine, fake: FakeBackend, configs: Path
) -> None:
    here = dataclasses.replace(engine, workdir=configs)
    (configs / "data").mkdir()
    (configs / "data" / "records.json").write_text("[]\n")
    assert_fixed(here, fake, "jq . data.json", "pretty-print the json", None, "fixed here:")
