"""Settings: defaults < TOML config file < ``CMDAI_*`` environment variables < flags.

Every resolved value remembers where it came from, so ``cmdai config`` can say why a value is
what it is. A bad file or variable is a ``ConfigError`` naming the file (and line) or variable.

The remote backends' API key is a ``Secret``: its repr, its str and ``as_dict`` show ``***``, and
it cannot be JSON-serialised by accident, so it stays out of ``cmdai config``, ``--json``, logs
and eval records. Only a backend calls ``Secret.reveal()``, to build its Authorization header.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, cast, get_args
from urllib.parse import urlsplit

import platformdirs

from cmdai.errors import ConfigError

SafetyMode = Literal["strict", "moderate", "permissive"]
SAFETY_MODES: tuple[str, ...] = get_args(SafetyMode)
ServerMode = Literal["off", "on", "auto"]
SERVER_MODES: tuple[str, ...] = get_args(ServerMode)
RepackMode = Literal["auto", "on", "off"]
REPACK_MODES: tuple[str, ...] = get_args(RepackMode)

CONFIG_DIR_ENV = "CMDAI_CONFIG_DIR"
CACHE_DIR_ENV = "CMDAI_CACHE_DIR"
CONFIG_FILENAME = "config.toml"
ENV_PREFIX = "CMDAI_"


def physical_cores() -> int:
    """Physical CPU cores available to this process (llama.cpp is fastest with one thread each)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    cores: set[tuple[str, str]] = set()
    try:
        physical = core = ""
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "physical id":
                physical = value
            elif key == "core id":
                core = value
                cores.add((physical, core))
    except OSError:  # pragma: no cover - not Linux
        pass
    return max(1, min(available, len(cores) or available))


class Secret:
    """A value never shown: repr, str and ``as_dict`` give ``***``; ``reveal()`` gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that needs it (an Authorization header)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self


@dataclass(frozen=True)
class Settings:
    """Every knob that changes what cmdai does; all values are explicit and recorded."""

    backend: str = field(default="llamacpp", metadata={"help": "llamacpp, openai, ollama or fake"})
    model: str | None = field(
        default=None, metadata={"help": "path to a .gguf file, or a registry name"}
    )
    n_ctx: int = field(default=2048, metadata={"help": "context window in tokens"})
    n_threads: int = field(default=0, metadata={"help": "CPU threads; 0 = physical cores"})
    seed: int = 0
    temperature: float = 0.0
    max_tokens: int = field(default=256, metadata={"help": "cap on generated tokens"})
    safety_mode: SafetyMode = "moderate"
    prompt: str = field(default="fenced", metadata={"help": "prompt template name"})
    context: bool = field(
        default=True,
        metadata={"help": "show the model the first line of files a request names"},
    )
    candidates: int = field(
        default=1,
        metadata={
            "help": "drafts to choose among: 1 = the greedy answer; 2-8 sample more and show "
            "the one that passes the checks and most drafts agree on (slower)"
        },
    )
    rehearse: bool = field(
        default=False,
        metadata={
            "help": "try the command in a sandbox on a copy of the working directory first; "
            "when it fails, draw more drafts (candidates, or 5) and show the one whose effect "
            "most share (needs bubblewrap)"
        },
    )
    server: ServerMode = field(
        default="auto",
        metadata={
            "help": "warm server: auto (use one; start one after a request), on (use a running "
            "one), off"
        },
    )
    repack: RepackMode = field(
        default="auto",
        metadata={
            "help": "llama.cpp weight repacking in the warm server: auto (probed once per CPU "
            "and llama.cpp build), on, off"
        },
    )
    examples_file: str | None = field(
        default=None, metadata={"help": "JSON Lines corpus for the 'retrieved' prompt"}
    )
    base_url: str | None = field(
        default=None,
        metadata={
            "help": "remote server URL; default http://127.0.0.1:8000/v1 (openai), "
            "http://127.0.0.1:11434 (ollama)"
        },
    )
    remote_model: str | None = field(
        default=None,
        metadata={"help": "model name on the remote server; default: the only one it serves"},
    )
    api_key: Secret | None = field(
        default=None,
        metadata={"help": "remote server API key (config file or CMDAI_API_KEY; never shown)"},
    )
    api_key_env: str | None = field(
        default=None,
        metadata={"help": "read the API key from this environment variable instead"},
    )
    timeout_s: float = field(
        default=120.0,
        metadata={"help": "seconds to wait for a remote answer (between streamed parts)"},
    )
    retries: int = field(
        default=2, metadata={"help": "retries when connecting to a remote server fails"}
    )
    history: bool = field(
        default=True,
        metadata={"help": "record requests in the history database (cmdai history)"},
    )
    shell_key: str = field(
        default="alt-g",
        metadata={"help": "the key cmdai init binds (alt-g, ctrl-x ctrl-g, ...; none: no key)"},
    )

    def threads(self) -> int:
        """The thread count to use (resolving 0 to the physical core count)."""
        return self.n_threads or physical_cores()

    def resolve_api_key(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The API key to send: ``api_key``, else the variable named by ``api_key_env``.

        ``api_key_env`` is opt-in so that a key such as ``OPENAI_API_KEY`` is never sent to a
        server it was not meant for.
        """
        if self.api_key is not None:
            return self.api_key.reveal()
        if self.api_key_env:
            environ = os.environ if environ is None else environ
            return environ.get(self.api_key_env) or None
        return None


@dataclass(frozen=True)
class ResolvedSettings:
    """Settings plus where each value came from and where cmdai keeps its files."""

    settings: Settings
    sources: Mapping[str, str]
    config_file: Path
    cache_dir: Path


def config_dir() -> Path:
    """The user config directory (``CMDAI_CONFIG_DIR`` overrides the platform default)."""
    return Path(os.environ.get(CONFIG_DIR_ENV) or platformdirs.user_config_dir("cmdai"))


def cache_dir() -> Path:
    """The user cache directory, home of the model files (``CMDAI_CACHE_DIR`` overrides)."""
    return Path(os.environ.get(CACHE_DIR_ENV) or platformdirs.user_cache_dir("cmdai"))


def load_settings(
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> ResolvedSettings:
    """Resolve settings from every layer.

    Args:
        flags: Values given on the command line (None values are ignored).
        environ: The environment (defaults to ``os.environ``).

    Raises:
        ConfigError: a bad config file, variable or value.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, str] = {f.name: "default" for f in fields(Settings)}
    path = config_dir() / CONFIG_FILENAME

    for name, (value, line) in _read_file(path).items():
        values[name] = _coerce(name, value, f"{path}, line {line}")
        sources[name] = f"config file {path}:{line}"
    for f in fields(Settings):
        var = ENV_PREFIX + f.name.upper()
        if var in environ and environ[var] != "":
            values[f.name] = _coerce(f.name, environ[var], f"environment variable {var}")
            sources[f.name] = f"env {var}"
    for name, value in (flags or {}).items():
        if value is not None:
            values[name] = _coerce(name, value, f"option --{name.replace('_', '-')}")
            sources[name] = f"flag --{name.replace('_', '-')}"

    return ResolvedSettings(Settings(**values), sources, path, cache_dir())


def _read_file(path: Path) -> dict[str, tuple[Any, int]]:
    """Values from the TOML file with their line numbers; {} when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not valid TOML: {exc}",
            hint="Fix the line named above, or move the file away to use the defaults.",
        ) from exc
    known = {f.name for f in fields(Settings)}
    result: dict[str, tuple[Any, int]] = {}
    for key, value in doc.items():
        line = _line_of(text, key)
        if key not in known:
            raise ConfigError(
                f"config file {path}, line {line}: unknown setting {key!r}",
                hint="Known settings: " + ", ".join(sorted(known)) + ".",
            )
        result[key] = (value, line)
    return result


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


_MINIMUM = {"n_ctx": 256, "max_tokens": 16, "candidates": 1}
_MAXIMUM = {"retries": 10, "candidates": 8}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _coerce(name: str, value: Any, where: str) -> Any:
    """Convert a raw value (TOML value, env string or flag) to the field's type."""
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError("expected an integer")
            result: Any = int(value)
            if result < _MINIMUM.get(name, 0):
                raise ValueError(f"must be at least {_MINIMUM.get(name, 0)}")
            if name in _MAXIMUM and result > _MAXIMUM[name]:
                raise ValueError(f"must be at most {_MAXIMUM[name]}")
        elif kind == "float":
            if isinstance(value, bool):
                raise ValueError("expected a number")
            result = float(value)
            if name == "timeout_s" and not result > 0:
                raise ValueError("must be more than 0")
        elif kind == "Secret | None":
            if isinstance(value, Secret):
                value = value.reveal()
            if not isinstance(value, str) or not value.strip():
                # The value itself is never echoed: it may be a mistyped key.
                raise ConfigError(f"{where}: invalid value for {name}: expected a non-empty string")
            result = Secret(value.strip())
        elif kind == "bool":
            if isinstance(value, bool):
                result = value
            elif str(value).strip().lower() in ("1", "true", "yes", "on"):
                result = True
            elif str(value).strip().lower() in ("0", "false", "no", "off"):
                result = False
            else:
                raise ValueError("expected true or false")
        elif kind in ("SafetyMode", "ServerMode", "RepackMode"):
            choices = {"SafetyMode": SAFETY_MODES, "ServerMode": SERVER_MODES}.get(
                kind, REPACK_MODES
            )
            result = str(value).lower()
            if result not in choices:
                raise ValueError("expected one of " + ", ".join(choices))
        else:
            if not isinstance(value, str):
                raise ValueError("expected a string")
            result = value
            if name == "base_url":
                result = _check_base_url(value)
            elif name == "api_key_env" and not _ENV_NAME.match(value):
                raise ValueError("expected an environment variable name such as OPENAI_API_KEY")
    except ValueError as exc:
        # A URL with user:password@ in it is not echoed back.
        shown = "(not shown)" if name == "base_url" and "@" in str(value) else repr(value)
        raise ConfigError(f"{where}: invalid value {shown} for {name}: {exc}") from exc
    return cast(Any, result)


def _check_base_url(value: str) -> str:
    """A server URL: http(s), a host, no credentials, query or fragment; no trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an http:// or https:// URL such as http://127.0.0.1:8000/v1")
    if parts.username is not None or parts.password is not None:
        raise ValueError("credentials do not belong in the URL; set api_key instead")
    if parts.query or parts.fragment:
        raise ValueError("expected a URL without ?query or #fragment")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError("the port is not a number from 0 to 65535") from None
    return value.strip().rstrip("/")


def as_dict(settings: Settings) -> dict[str, Any]:
    """Settings as a plain dict (for records and ``cmdai config --json``); secrets read ``***``."""
    values = dataclasses.asdict(settings)
    return {k: str(v) if isinstance(v, Secret) else v for k, v in values.items()}


def set_config_value(key: str, value: str) -> Path:
    """Write ``key = "value"`` into the user's config file, keeping every other line.

    The file holds flat keys only (see ``Settings``), so a line edit is a faithful TOML write:
    an existing ``key = ...`` line is replaced, otherwise the line is appended; comments stay.

    Returns:
        The config file's path.

    Raises:
        ConfigError: unknown key, or the file cannot be read or written.
    """
    if key not in {f.name for f in fields(Settings)}:
        raise ConfigError(f"unknown setting {key!r}")
    path = config_dir() / CONFIG_FILENAME
    _read_file(path)  # a broken file is reported, not overwritten
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    line = f'{key} = "{escaped}"'
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=.*$", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(lambda _: line, text, count=1)
        else:
            text = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
        _replace_privately(path, text)
    except OSError as exc:
        raise ConfigError(f"cannot write config file {path}: {exc}") from exc
    return path


def _replace_privately(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, never widening who can read it.

    The new file is made by ``mkstemp`` (mode 0600) beside the old one and given the old
    file's mode and owner before it takes its name; a new config file stays 0600, since it
    may come to hold an API key.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        if path.exists():
            st = path.stat()
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(PermissionError):  # only root can give files away
                    os.chown(tmp, st.st_uid, st.st_gid)
        tmp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
