"""``cmdai doctor``: check the configured backend end to end; say what is wrong and how to fix it.

The checks run in order and each depends on the ones before it: settings, then the backend's own
(a server is reachable and accepts the credentials, and has the model; or the model file is
there, verified, and loads), then one tiny generation with the answer schema, and whether the
answer honours the schema. When a check fails, the ones after it are reported as skipped.

Statuses: ``ok``; ``warn`` (works, but worse than it could: e.g. a server that does not enforce
the schema, so answers rely on the parse fallbacks); ``problem`` (cmdai will fail until it is
fixed: the report is not ok); ``skipped``. Plain library code: the CLI only prints the report.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cmdai.backends.base import Backend, GenerationRequest, Message
from cmdai.errors import CmdaiError, ConfigError, SchemaViolationError
from cmdai.settings import ResolvedSettings, Settings, load_settings

CheckStatus = Literal["ok", "warn", "problem", "skipped"]

DOCTOR_MAX_TOKENS = 128
DOCTOR_MESSAGES = (
    Message(
        "system",
        "You turn a request into one shell command. Answer with one JSON object with the keys "
        'kind ("command"), command (the command) and explanation (one short sentence).',
    ),
    Message("user", "Request: print the current working directory"),
)
"""A tiny request: it checks the backend and the schema, not the prompt's quality."""


@dataclass(frozen=True)
class Check:
    """One check's outcome.

    Attributes:
        name: What was checked ("server reachable", "model present", ...).
        status: ok, warn, problem or skipped.
        message: What was found, or what is wrong.
        hint: How to fix it (empty when nothing needs fixing).
    """

    name: str
    status: CheckStatus
    message: str
    hint: str = ""

    def to_json(self) -> dict[str, str]:
        """The check as a JSON object."""
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class DoctorReport:
    """Every check, in order, and the backend's description (never its API key)."""

    backend: str
    checks: tuple[Check, ...]
    model: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no check found a problem (warnings allowed)."""
        return not any(c.status == "problem" for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON document."""
        return {
            "ok": self.ok,
            "backend": self.backend,
            "model": self.model,
            "checks": [c.to_json() for c in self.checks],
        }

    def lines(self) -> list[str]:
        """The report as text, one check per line (hints indented under problems)."""
        label = {"ok": "ok", "warn": "WARN", "problem": "PROBLEM", "skipped": "skipped"}
        width = max((len(c.name) for c in self.checks), default=0)
        where = self.model.get("base_url")
        out = [f"cmdai doctor: backend {self.backend}" + (f" at {where}" if where else "")]
        for check in self.checks:
            out.append(f"{label[check.status]:<8} {check.name:<{width}}  {check.message}")
            if check.hint and check.status != "ok":
                out.append(f"{'':<8} {'':<{width}}  hint: {check.hint}")
        out.append("all checks passed" if self.ok else "some checks failed")
        return out


class _Checks:
    """Collects checks; a failure marks the rest as skipped."""

    def __init__(self) -> None:
        self.items: list[Check] = []
        self.failed: str | None = None

    def add(self, name: str, status: CheckStatus, message: str, hint: str = "") -> None:
        self.items.append(Check(name, status, message, hint))

    def fail(self, name: str, exc: CmdaiError | str, hint: str = "") -> None:
        if isinstance(exc, CmdaiError):
            message, hint = exc.message, hint or exc.hint
        else:
            message = exc
        self.add(name, "problem", message, hint)
        self.failed = name

    def skip(self, *names: str) -> None:
        for name in names:
            self.add(name, "skipped", f"not checked: {self.failed} failed")


def run_doctor(
    flags: Mapping[str, Any] | None = None,
    *,
    backend: Backend | None = None,
    environ: Mapping[str, str] | None = None,
    notice: Callable[[str], None] | None = None,
) -> DoctorReport:
    """Check the backend the settings (and ``flags``) select, end to end.

    Args:
        flags: Command-line values, as for ``load_settings``.
        backend: Check this backend instead of building one from the settings (tests).
        environ: The environment (defaults to ``os.environ``).
        notice: Told one line before slow one-time work (loading a model).
    """
    checks = _Checks()
    try:
        resolved = load_settings(flags, environ)
    except ConfigError as exc:
        checks.fail("settings", exc)
        checks.skip("backend")
        return DoctorReport("(unknown)", tuple(checks.items))
    settings = resolved.settings
    name = backend.name if backend is not None else settings.backend
    _settings_check(resolved, environ, checks)
    if settings.rehearse:
        _sandbox_check(checks)
    _pages_check(settings.prompt, checks)
    if backend is None:
        from cmdai.backends import create_backend

        try:
            backend = create_backend(settings, resolved.cache_dir, None, notice)
        except CmdaiError as exc:
            checks.fail("backend", exc)
            return DoctorReport(name, tuple(checks.items))
    ready = True
    if backend.name == "openai":
        ready = _openai_checks(backend, settings, checks)
    elif backend.name == "ollama":
        ready = _ollama_checks(backend, settings, checks)
    elif backend.name == "llamacpp":
        ready = _llamacpp_checks(backend, resolved, checks)
    if ready:
        _generation_checks(backend, settings, checks)
    else:
        checks.skip("generation", "schema honoured")
    return DoctorReport(name, tuple(checks.items), backend.describe())


def _sandbox_check(checks: _Checks) -> None:
    """``rehearse = true`` needs the bubblewrap sandbox (without it commands are not tried)."""
    from cmdai.sandbox import Sandbox, SandboxUnavailable

    try:
        Sandbox()
    except SandboxUnavailable as exc:
        checks.add("sandbox", "warn", f"{exc.message}: commands are not rehearsed", exc.hint)
    else:
        checks.add("sandbox", "ok", "bubblewrap works: commands are rehearsed before shown")


def _pages_check(prompt: str, checks: _Checks) -> None:
    """A warning when the tldr pages (examples for a program a request names) are unreadable."""
    from cmdai.program_examples import ProgramExamples
    from cmdai.prompts import get_template

    try:
        if not get_template(prompt).program_examples:
            return
    except ConfigError:
        return  # the settings check says so
    pages = ProgramExamples()
    if not pages.count_pages():  # said only when wrong: the checks are about the backend
        checks.add(
            "tldr pages",
            "warn",
            f"cannot read {pages.path}: a request that names its program gets no examples",
            "Reinstall cmdai; the file comes with it.",
        )


def _settings_check(
    resolved: ResolvedSettings, environ: Mapping[str, str] | None, checks: _Checks
) -> None:
    settings, sources = resolved.settings, resolved.sources
    remote = settings.backend in ("openai", "ollama")
    parts = [f"backend {settings.backend} ({sources['backend']})"]
    if remote:
        if settings.api_key is not None:
            parts.append(f"API key set ({sources['api_key']})")
        elif settings.api_key_env:
            parts.append(f"API key from ${settings.api_key_env}")
        else:
            parts.append("no API key")
    key_missing = settings.api_key_env and not settings.resolve_api_key(environ)
    if remote and settings.api_key is None and key_missing:
        checks.fail(
            "settings",
            f"api_key_env names {settings.api_key_env}, which is not set",
            hint=f"Export {settings.api_key_env}, or unset api_key_env if the server needs no key.",
        )
        return
    if settings.api_key is not None and sources["api_key"].startswith("config file"):
        mode = _mode(resolved)
        if mode is not None and mode & (stat.S_IRWXG | stat.S_IRWXO):
            checks.add(
                "settings",
                "warn",
                "; ".join(parts) + f"; but {resolved.config_file} holding it is readable by others",
                hint=f"chmod 600 {resolved.config_file}",
            )
            return
    checks.add("settings", "ok", "; ".join(parts))


def _mode(resolved: ResolvedSettings) -> int | None:
    try:
        return os.stat(resolved.config_file).st_mode
    except OSError:
        return None


def _openai_checks(backend: Backend, settings: Settings, checks: _Checks) -> bool:
    from cmdai.backends.openai import OpenAIBackend
    from cmdai.errors import BackendAuthError

    assert isinstance(backend, OpenAIBackend)
    client = backend.client
    start = time.perf_counter()
    try:
        models = backend.list_models()
    except BackendAuthError as exc:
        checks.add("server reachable", "ok", f"{client.base_url} answered")
        checks.fail("API key", exc)
        return False
    except CmdaiError as exc:
        checks.fail("server reachable", exc)
        return False
    checks.add(
        "server reachable",
        "ok",
        f"{client.url('/models')} answered in {time.perf_counter() - start:.2f} s",
    )
    if client.has_api_key:
        checks.add("API key", "ok", "accepted")
    served = ", ".join(models) or "(none)"
    if settings.remote_model:
        if settings.remote_model in models:
            checks.add("model present", "ok", f"{settings.remote_model} (served: {served})")
            return True
        checks.fail(
            "model present",
            f"the server does not list the model {settings.remote_model!r}; it serves: {served}",
            hint="Set remote_model (--remote-model / CMDAI_REMOTE_MODEL) to one it serves.",
        )
        return False
    try:
        chosen = backend.model_name()
    except CmdaiError as exc:
        checks.fail("model present", exc)
        return False
    checks.add(
        "model present",
        "ok",
        f"{chosen} (the only model served; set remote_model to pin it)",
    )
    return True


def _ollama_checks(backend: Backend, settings: Settings, checks: _Checks) -> bool:
    from cmdai.backends.ollama import OllamaBackend

    assert isinstance(backend, OllamaBackend)
    client = backend.client
    try:
        version = backend.version()
    except CmdaiError as exc:
        checks.fail("server reachable", exc)
        return False
    checks.add("server reachable", "ok", f"Ollama {version} at {client.base_url}")
    try:
        installed = backend.list_models()
        chosen = settings.remote_model or backend.model_name()
    except CmdaiError as exc:
        checks.fail("model present", exc)
        return False
    names = [str(m["name"]) for m in installed]
    wanted = {chosen, chosen if ":" in chosen else chosen + ":latest"}
    entry = next((m for m in installed if m["name"] in wanted), None)
    if entry is None:
        checks.fail(
            "model present",
            f"Ollama has no model {chosen!r}; installed: {', '.join(names) or '(none)'}",
            hint=f"Pull it (ollama pull {chosen}) or set remote_model to an installed one.",
        )
        return False
    try:
        shown = backend.show(chosen)
    except CmdaiError as exc:
        checks.fail("model present", exc)
        return False
    capabilities = shown.get("capabilities")
    if isinstance(capabilities, list) and "completion" not in capabilities:
        checks.fail(
            "model present",
            f"{chosen} cannot generate text (capabilities: {', '.join(map(str, capabilities))})",
            hint="Choose a chat model for remote_model (an embedding model cannot answer).",
        )
        return False
    details: dict[str, Any] = shown["details"] if isinstance(shown.get("details"), dict) else {}
    facts = [str(details[k]) for k in ("parameter_size", "quantization_level") if details.get(k)]
    digest = str(entry.get("digest") or "")[:12]
    if digest:
        facts.append(f"digest {digest}")
    checks.add("model present", "ok", chosen + (f" ({', '.join(facts)})" if facts else ""))
    return True


def _llamacpp_checks(backend: Backend, resolved: ResolvedSettings, checks: _Checks) -> bool:
    from cmdai.backends.llamacpp import LlamaCppBackend
    from cmdai.models import resolve_model

    assert isinstance(backend, LlamaCppBackend)
    try:
        model = resolve_model(
            resolved.settings.model, cache_dir=resolved.cache_dir, check_metadata=True
        )
    except CmdaiError as exc:
        checks.fail("model file", exc)
        return False
    size = model.path.stat().st_size / 1e9
    verified = (
        f"sha256 verified: {model.sha256[:12]}..."
        if model.sha256
        else "not a registry model: no sha256 to verify against"
    )
    checks.add("model file", "ok", f"{model.name}: {model.path} ({size:.2f} GB; {verified})")
    try:
        load_s = backend.load()
    except CmdaiError as exc:
        checks.fail("model loads", exc)
        return False
    checks.add(
        "model loads",
        "ok",
        f"llama.cpp loaded it in {load_s:.1f} s (n_ctx {backend.n_ctx}, "
        f"{backend.n_threads} threads)",
    )
    from cmdai.repack import cached_verdict, describe

    verdict = cached_verdict(resolved.cache_dir)
    crashed = verdict is not None and not verdict.get("works")
    checks.add(
        "weight repacking",
        "ok",
        describe(verdict) + ("; cmdai never repacks here" if crashed else ""),
    )
    return True


def _generation_checks(backend: Backend, settings: Settings, checks: _Checks) -> None:
    from cmdai.parsing import parse_answer
    from cmdai.schema import answer_json_schema_text

    request = GenerationRequest(
        messages=DOCTOR_MESSAGES,
        json_schema=answer_json_schema_text(),
        max_tokens=min(settings.max_tokens, DOCTOR_MAX_TOKENS),
        temperature=settings.temperature,
        seed=settings.seed,
    )
    try:
        generation = backend.generate(request)
    except CmdaiError as exc:
        checks.fail("generation", exc)
        checks.skip("schema honoured")
        return
    took = generation.load_s + generation.generate_s
    checks.add(
        "generation",
        "ok",
        f"{generation.completion_tokens} tokens in {took:.1f} s",
    )
    sample = _short(generation.text)
    try:
        parsed = parse_answer(generation.text)
    except SchemaViolationError:
        checks.fail(
            "schema honoured",
            f"the answer is not the expected JSON document: {sample!r}"
            + (" (cut off at the token limit)" if generation.truncated else ""),
            hint=_SCHEMA_HINT,
        )
        return
    if parsed.method == "strict" and parsed.schema_valid:
        command = parsed.answer.command
        if generation.constrained:
            how = _constraint(backend)
            checks.add("schema honoured", "ok", f"strict JSON in the answer schema{how}: {command}")
        else:
            checks.add(
                "schema honoured",
                "warn",
                f"the answer was strict JSON ({command}), but nothing enforced the schema",
                hint="Without enforcement cmdai reads answers with its parse fallbacks, which "
                "can fail: " + _SCHEMA_HINT,
            )
        return
    enforced = "the server accepted the schema but " if generation.constrained else ""
    checks.fail(
        "schema honoured",
        f"{enforced}the answer did not match it (read by the {parsed.method} fallback): {sample!r}",
        hint=_SCHEMA_HINT,
    )


_SCHEMA_HINT = (
    "Use a server that enforces a JSON schema: vLLM, llama.cpp's llama-server, "
    "llama-cpp-python's server, or Ollama 0.5 or later."
)


def _constraint(backend: Backend) -> str:
    described = backend.describe()
    form = described.get("response_format") or described.get("format")
    return f" (enforced: {form})" if isinstance(form, str) else ""


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
