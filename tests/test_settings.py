"""Settings layers, provenance, and clear errors for bad files and variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdai.errors import ConfigError
from cmdai.settings import Settings, load_settings, physical_cores


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_configured() -> None:
    resolved = load_settings(environ={})
    assert resolved.settings == Settings()
    assert set(resolved.sources.values()) == {"default"}


def test_file_then_env_then_flags(isolated_user_dirs: Path) -> None:
    path = write_config(isolated_user_dirs, 'safety_mode = "strict"\nseed = 7\nmax_tokens = 100\n')
    resolved = load_settings(
        flags={"max_tokens": 50, "backend": None},
        environ={"CMDAI_SEED": "9", "CMDAI_TEMPERATURE": ""},
    )
    s = resolved.settings
    assert (s.safety_mode, s.seed, s.max_tokens) == ("strict", 9, 50)
    assert resolved.sources["safety_mode"] == f"config file {path}:1"
    assert resolved.sources["seed"] == "env CMDAI_SEED"
    assert resolved.sources["max_tokens"] == "flag --max-tokens"
    assert resolved.sources["backend"] == "default"
    assert resolved.sources["temperature"] == "default"  # an empty variable is unset


def test_broken_toml_names_the_file_and_line(isolated_user_dirs: Path) -> None:
    path = write_config(isolated_user_dirs, 'seed = 1\nsafety_mode = "strict\n')
    with pytest.raises(ConfigError, match=rf"{path}.*line 2") as info:
        load_settings(environ={})
    assert info.value.hint


def test_unknown_key_names_the_line_and_the_known_keys(isolated_user_dirs: Path) -> None:
    write_config(isolated_user_dirs, "seed = 1\n\nmodle = 'x'\n")
    with pytest.raises(ConfigError, match="line 3: unknown setting 'modle'") as info:
        load_settings(environ={})
    assert "model" in info.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seed = 'one'", "invalid value 'one' for seed"),
        ("n_ctx = 16", "must be at least 256"),
        ("safety_mode = 'lax'", "expected one of strict, moderate, permissive"),
        ("model = 3", "expected a string"),
        ("temperature = true", "expected a number"),
    ],
)
def test_bad_values_in_the_file(isolated_user_dirs: Path, text: str, message: str) -> None:
    write_config(isolated_user_dirs, text + "\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={})


def test_bad_environment_variable_is_named() -> None:
    with pytest.raises(ConfigError, match="environment variable CMDAI_N_THREADS"):
        load_settings(environ={"CMDAI_N_THREADS": "many"})


def test_threads_zero_means_physical_cores() -> None:
    assert Settings(n_threads=0).threads() == physical_cores() >= 1
    assert Settings(n_threads=3).threads() == 3


def test_rewriting_a_private_config_keeps_it_private(isolated_user_dirs: Path) -> None:
    # `cmdai model use` rewrites the file; it once came back 0644 with the API key in it.
    from cmdai.settings import set_config_value

    path = write_config(isolated_user_dirs, 'api_key = "sk-secret"\n# mine\nmodel = "a"\n')
    path.chmod(0o600)
    set_config_value("model", "b.gguf")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8") == 'api_key = "sk-secret"\n# mine\nmodel = "b.gguf"\n'
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary left


def test_a_new_config_file_is_private_and_a_shared_one_stays_as_it_was(
    isolated_user_dirs: Path,
) -> None:
    from cmdai.settings import set_config_value

    path = set_config_value("model", "a.gguf")
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o640)
    set_config_value("seed", "3")
    assert path.stat().st_mode & 0o777 == 0o640
