"""The ``cmdai`` command line: a thin click adapter over the library.

Start-up matters (``cmdai --help`` must stay well under 100 ms), so this module imports only
click and cmdai's leaf modules at top level; the engine, pydantic, llama.cpp and outlines are
imported inside the commands that need them. Errors become ``cmdai: error: ...`` plus a hint
on stderr, with a documented exit status, in exactly one place (``_error_boundary``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from cmdai import __version__
from cmdai.errors import CmdaiError, ExitStatus, UsageError

if TYPE_CHECKING:
    from cmdai.backends.base import Backend
    from cmdai.core import Engine
    from cmdai.execute import Executor
    from cmdai.history import Entry, History
    from cmdai.settings import ResolvedSettings
    from cmdai.terminal import Terminal

DEFAULT_COMMAND = "ask"


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``ask``.

    So ``cmdai "list big files"`` and ``cmdai --dry-run "..."`` work, while ``cmdai config``
    reaches the subcommand (as in simonw/llm).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Route to the default command unless the first word is a subcommand or a group flag."""
        group_flags = {"--help", "-h", "--version"}
        if not args and ctx.resilient_parsing:  # completing the first word: the commands
            return super().parse_args(ctx, args)
        if not args or (args[0] not in self.commands and args[0] not in group_flags):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


def _want_traceback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["cmdai.traceback"] = True


_traceback_flag = click.option(
    "--traceback",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_want_traceback,
    help="Show Python tracebacks on errors.",
)
"""``--traceback`` on every command and group: the error boundary finds it in the click
context (shared by a command and its group)."""


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@_traceback_flag
@click.version_option(__version__, "--version", prog_name="cmdai", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn a request in plain words into one shell command, with a local model.

    \b
      cmdai "find files over 100MB changed this week"
      cmdai --dry-run "count lines in all python files"
      cmdai ask --help      all options for a request
      cmdai config          effective settings and where each came from
      cmdai check "CMD"     classify a command with the safety gate (no model)
      cmdai explain "CMD"   explain a command part by part, beside the gate's findings
      cmdai fix             propose a fix for the last command that failed
      cmdai history         your last requests (cmdai history clear deletes them)
      cmdai init bash       shell integration (bash, zsh, fish): Alt+G, cmdai fix, completion
      cmdai model list      models: list, info, download, verify, remove, use
      cmdai cache info      what the cache holds (cmdai cache clear deletes it)
      cmdai doctor          check the backend end to end (server, model, schema)
      cmdai serve           keep the model loaded in a background server (--status, --stop)

    cmdai shows the command, its explanation and its risk, and runs it only when you say
    yes. Exit statuses: 0 ok, 1 error, 2 usage, 3 blocked by safety, 4 declined, 5 model
    error, 6 no command proposed, 7 (check) needs confirmation, 130 interrupted; after
    running, the command's own status.
    """  # noqa: D301 - "\b" must be a real backspace: click's marker for "do not rewrap"


@cli.command(DEFAULT_COMMAND)
@click.argument("query", nargs=-1)
@click.option("-n", "--dry-run", is_flag=True, help="Show the command; never run it or ask.")
@click.option("-y", "--yes", is_flag=True, help="Run allow-level commands without asking.")
@click.option(
    "--allow-blocked",
    is_flag=True,
    help="Let a blocked command run after you type yes in full on a terminal (never via --yes).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document (never runs anything)."
)
@click.option("-m", "--model", default=None, help="Model: a .gguf path or a registry name.")
@click.option(
    "--backend", default=None, help="Backend: llamacpp (default), openai, ollama or fake."
)
@click.option("--base-url", default=None, help="Remote backends: the server's URL.")
@click.option("--remote-model", default=None, help="Remote backends: the model's name there.")
@click.option(
    "--safety-mode",
    type=click.Choice(["strict", "moderate", "permissive"]),
    default=None,
    help="How strict the safety gate is (default: moderate).",
)
@click.option("--prompt", default=None, help="Prompt template name.")
@click.option("--n-ctx", type=int, default=None, help="Context window in tokens.")
@click.option("--threads", "n_threads", type=int, default=None, help="CPU threads (0 = cores).")
@click.option("--seed", type=int, default=None, help="Sampling seed.")
@click.option("--temperature", type=float, default=None, help="0 = greedy (default).")
@click.option("--max-tokens", type=int, default=None, help="Cap on generated tokens.")
@click.option(
    "--server",
    type=click.Choice(["off", "on", "auto"]),
    default=None,
    help="Use the warm server (cmdai serve): off, on (when running), auto (start it).",
)
@click.option("--offline", is_flag=True, help="Never use the network (also: HF_HUB_OFFLINE=1).")
@click.option("-v", "--verbose", count=True, help="Log to stderr (-vv for debug).")
@_traceback_flag
@click.pass_context
def ask(
    ctx: click.Context,
    /,
    query: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    allow_blocked: bool,
    as_json: bool,
    offline: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Propose one shell command for QUERY; run it only if you say yes.

    With no QUERY and a pipe on stdin, the request is read from stdin.
    """
    started = time.perf_counter()
    _configure_logging(verbose)
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    text = " ".join(query)
    status: int
    with _error_boundary(terminal, as_json, text, started) as result:
        from cmdai.interact import Interaction, RunOptions

        if not query:
            text = _read_query_from_stdin(terminal)
        settings = _load(flags)
        backend = deps.get("backend") or _server_backend(settings, terminal, offline)
        if backend is None and settings.settings.backend == "llamacpp":
            _ensure_model(settings, terminal, offline)
        engine = _build_engine(settings, terminal, backend)
        result["engine"] = engine
        executor: Executor = deps.get("executor") or _default_executor()
        interaction = Interaction(
            engine,
            terminal,
            executor,
            RunOptions(dry_run, yes, as_json, allow_blocked),
            started,
            history=_history(settings),
        )
        result["status"] = interaction.run(text)
    status = result["status"]
    ctx.exit(status)


@cli.command("config")
@_traceback_flag
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Show the effective settings and where each value came from."""
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, False, "", time.perf_counter()) as result:
        import json

        from cmdai.settings import as_dict

        resolved = _load({})
        values = as_dict(resolved.settings)
        if as_json:
            doc = {
                "config_file": str(resolved.config_file),
                "cache_dir": str(resolved.cache_dir),
                "settings": {
                    k: {"value": v, "source": resolved.sources[k]} for k, v in values.items()
                },
            }
            terminal.out(json.dumps(doc, indent=2))
        else:
            exists = "" if resolved.config_file.exists() else " (not present)"
            terminal.out(f"# config file: {resolved.config_file}{exists}")
            terminal.out(f"# cache dir:   {resolved.cache_dir}")
            width = max(len(k) for k in values)
            for key, value in values.items():
                shown = json.dumps(value)
                if key == "n_threads" and value == 0:
                    shown += f"  # = {resolved.settings.threads()} physical cores"
                terminal.out(f"{key:<{width}} = {shown:<28} # {resolved.sources[key]}")
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@cli.command("check")
@_traceback_flag
@click.argument("command", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON document per command (JSON Lines).")
@click.option(
    "--mode",
    type=click.Choice(["strict", "moderate", "permissive"]),
    default=None,
    help="Safety mode (default: the configured one, else moderate).",
)
@click.option(
    "--hook",
    type=click.Choice(["claude-code"]),
    default=None,
    help="Answer a coding agent's pre-tool hook (JSON on stdin; see docs/shell.md).",
)
@click.pass_context
def check_command(
    ctx: click.Context, command: str | None, as_json: bool, mode: str | None, hook: str | None
) -> None:
    """Classify COMMAND with the safety gate, without any model; never runs it.

    With no COMMAND, reads commands from stdin, one per line. Exit status: 0 allow,
    7 needs confirmation, 3 blocked (the strictest decision over all commands), 2 usage.
    With --hook claude-code: one PreToolUse document on stdin, the allow / ask / deny answer
    on stdout, exit status 0; any failure answers deny.
    """
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    if hook is not None:
        ctx.exit(_run_hook(terminal, command, as_json, mode))
    with _error_boundary(terminal, False, "", time.perf_counter()) as result:
        import json

        from cmdai.safety import ShellValidator

        if command is not None:
            commands = [command]
        elif terminal.interactive:
            raise UsageError("no command given", hint='Pass one: cmdai check "rm -rf build"')
        else:
            commands = [c for c in _read_query_from_stdin(terminal).splitlines() if c.strip()]
        if not commands or not any(c.strip() for c in commands):
            raise UsageError("no command given", hint='Pass one: cmdai check "rm -rf build"')
        chosen = mode or _load({}).settings.safety_mode
        validator = ShellValidator()
        worst = ExitStatus.SUCCESS
        for text in commands:
            report = validator.assess(text, chosen)  # type: ignore[arg-type]
            status = _CHECK_STATUS[report.decision]
            worst = max(worst, status, key=_CHECK_ORDER.index)
            if as_json:
                doc = {"command": text, "mode": chosen, **report.to_json()}
                terminal.out(json.dumps(doc, ensure_ascii=False))
                continue
            terminal.out(f"{report.decision} ({report.risk.label}): {text}")
            for finding in report.findings:
                line = f"  - {finding.message} [{finding.rule_id}, {finding.risk.label}]"
                terminal.out(line + (f" Safer: {finding.safer}" if finding.safer else ""))
        result["status"] = worst
    ctx.exit(result["status"])


@cli.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON document.")
@click.option(
    "--backend", default=None, help="Backend: llamacpp (default), openai, ollama or fake."
)
@click.option("-m", "--model", default=None, help="Model: a .gguf path or a registry name.")
@click.option("--base-url", default=None, help="Remote backends: the server's URL.")
@click.option("--remote-model", default=None, help="Remote backends: the model's name there.")
@click.option("-v", "--verbose", count=True, help="Log to stderr (-vv for debug).")
@_traceback_flag
@click.pass_context
def doctor_command(ctx: click.Context, /, as_json: bool, verbose: int, **flags: Any) -> None:
    """Check the configured backend end to end and say how to fix what is wrong.

    Settings; the server is reachable, accepts the API key and has the model (openai,
    ollama), or the model file is there, verified, and loads (llamacpp); a tiny generation
    works and honours the answer schema. Exit status 0 when nothing is wrong, 5 otherwise.
    """
    _configure_logging(verbose)
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, False, "", time.perf_counter()) as result:
        import json

        from cmdai.doctor import run_doctor

        report = run_doctor(flags, backend=deps.get("backend"), notice=_notice_printer(terminal))
        terminal.clear_status()
        if as_json:
            terminal.out(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        else:
            for line in report.lines():
                terminal.out(line)
        result["status"] = ExitStatus.SUCCESS if report.ok else ExitStatus.MODEL_ERROR
    ctx.exit(result["status"])


# -- cmdai model ... ---------------------------------------------------------------------------


@cli.group("model")
@_traceback_flag
def model_group() -> None:
    """Model files: list, info, download, verify, remove, use.

    NAME is a registry name (see `cmdai model list`), a hub file as owner/repo:file.gguf, or
    (for info, verify and use) a path to a .gguf file.
    """


def _model_command(ctx: click.Context) -> tuple[Terminal, Any]:
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    return terminal, _error_boundary(terminal, False, "", time.perf_counter())


@model_group.command("list")
@_traceback_flag
@click.option("--json", "as_json", is_flag=True, help="One JSON document (a list of models).")
@click.pass_context
def model_list(ctx: click.Context, as_json: bool) -> None:
    """Known and installed models, their sizes and sources; * marks the one in use."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import models

        resolved = _load({})
        current = resolved.settings.model or models.DEFAULT_MODEL_NAME
        rows = []
        for spec in models.REGISTRY.values():
            located = models.locate(spec.name, resolved.cache_dir)
            sources = [s for s, on in (("pypi", spec.pypi_parts), ("hub", spec.hub)) if on]
            state = "installed" if located.path.is_file() else "not installed"
            rows.append((spec.name, spec.size, state, ", ".join(sources)))
        for extra in models.installed(resolved.cache_dir):
            if extra.spec is None:
                rows.append((extra.name, extra.path.stat().st_size, "installed", "hub"))
        if as_json:
            import json

            listed = [
                {
                    "name": name,
                    "size_bytes": size,
                    "installed": state == "installed",
                    "sources": origin.split(", ") if origin else [],
                    "in_use": name == current,
                }
                for name, size, state, origin in rows
            ]
            if current not in {r[0] for r in rows}:
                listed.append({"name": current, "file": True, "in_use": True})
            terminal.out(json.dumps(listed))
        else:
            width = max(len(r[0]) for r in rows)
            for name, size, state, origin in rows:
                mark = "*" if name == current else " "
                terminal.out(f"{mark} {name:<{width}}  {size / 1e9:5.2f} GB  {state:<13}  {origin}")
            if current not in {r[0] for r in rows}:
                terminal.out(f"* {current}  (a file)")
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@model_group.command("info")
@_traceback_flag
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_context
def model_info(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Path, size, sha256, GGUF metadata and license of NAME (default: the one in use)."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import gguf, models

        resolved = _load({})
        name = name or resolved.settings.model or models.DEFAULT_MODEL_NAME
        located = models.locate(name, resolved.cache_dir)
        spec = located.spec
        present = located.path.is_file()
        lines: list[tuple[str, Any]] = [("name", located.name)]
        if spec is not None:
            lines += [("description", spec.description)]
        lines += [("path", f"{located.path}{'' if present else ' (not installed)'}")]
        if spec is not None:
            lines += [
                ("size", f"{spec.size} bytes ({spec.size / 1e9:.2f} GB)"),
                ("sha256", spec.sha256),
                ("license", spec.license),
                ("chat template family", spec.chat_template),
                ("recommended n_ctx", spec.n_ctx),
            ]
            if spec.hub is not None:
                lines += [("hub", f"{spec.hub.repo}:{spec.hub.filename}")]
            if spec.pypi_parts is not None:
                lines += [
                    (
                        "pypi parts",
                        f"{spec.pypi_parts.distribution_prefix}1..{spec.pypi_parts.count}",
                    )
                ]
        elif located.ref is not None:
            lines += [("hub", f"{located.ref.repo}:{located.ref.filename}")]
        if present:
            size = located.path.stat().st_size
            if spec is None:
                lines += [("size", f"{size} bytes ({size / 1e9:.2f} GB)")]
                sha = models.verify_download(located.path) if located.in_cache else None
                lines += [("sha256", sha or "unknown (cmdai model verify NAME computes it)")]
            lines += [("verified", models.stamp_state(located))]
            info = gguf.read_info(located.path)
            params = info.parameter_count
            lines += [
                ("gguf version", info.version),
                ("architecture", info.architecture or "(missing)"),
                ("parameters", f"{params / 1e9:.2f} B" if params else "(unknown)"),
                ("quantization", info.file_type or "(unknown)"),
                ("context length", info.context_length or "(unknown)"),
                ("chat template", "present" if info.chat_template else "MISSING"),
            ]
        if as_json:
            import json

            doc = {key.replace(" ", "_"): value for key, value in lines}
            doc["path"] = str(located.path)
            doc["installed"] = present
            if spec is not None:
                doc["size"] = spec.size
            elif present:
                doc["size"] = located.path.stat().st_size
            terminal.out(json.dumps(doc))
        else:
            width = max(len(k) for k, _ in lines)
            for key, value in lines:
                terminal.out(f"{key + ':':<{width + 1}} {value}")
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@model_group.command("download")
@_traceback_flag
@click.argument("name")
@click.pass_context
def model_download(ctx: click.Context, name: str) -> None:
    """Download NAME from the Hugging Face hub (resumable, sha256-checked)."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import models

        resolved = _load({})
        located = models.locate(name, resolved.cache_dir)
        if located.spec is None and located.ref is None:
            raise UsageError(
                f"{name} is a local file; there is nothing to download",
                hint=f"Use it directly: cmdai model use {name}",
            )
        if located.path.is_file():
            if located.spec is not None:
                models.verify_cached(located.path, located.spec)
            else:
                models.verify_download(located.path)
            terminal.err(f"cmdai: {located.name} is already installed: {located.path}")
            ctx.exit(ExitStatus.SUCCESS)
        source = models.HubSource()
        if located.spec is not None:
            spec = located.spec
        else:
            assert located.ref is not None
            spec = source.spec_for_ref(located.ref)
        if spec.hub is None:
            ways = [w for w in (s.how_to_get(spec) for s in models.SOURCES) if w]
            raise UsageError(
                f"{spec.name} is not on the Hugging Face hub (no hub location is known)",
                hint="; ".join(ways) or "Use a GGUF file with --model PATH.",
            )
        if not terminal.stderr_tty:
            terminal.err(f"cmdai: downloading {spec.name} ({spec.size / 1e9:.2f} GB)...")
        source.fetch(spec, located.path, _download_progress(terminal, spec.name))
        terminal.err(f"cmdai: downloaded and verified {spec.name}: {located.path}")
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@model_group.command("verify")
@_traceback_flag
@click.argument("name", required=False)
@click.pass_context
def model_verify(ctx: click.Context, name: str | None) -> None:
    """Re-hash NAME (default: every installed model) and check its sha256."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import models
        from cmdai.errors import ModelError, ModelMissingError

        resolved = _load({})
        targets = (
            [models.locate(name, resolved.cache_dir)]
            if name
            else models.installed(resolved.cache_dir)
        )
        if not targets:
            raise ModelMissingError(
                "no model is installed", hint="Download one: cmdai model download NAME"
            )
        status = ExitStatus.SUCCESS
        for located in targets:
            if name is not None:
                sha = models.verify_file(located)
            else:
                try:
                    sha = models.verify_file(located)
                except ModelError as exc:
                    terminal.out(f"FAILED {located.name}: {exc.message}")
                    status = ExitStatus.MODEL_ERROR
                    continue
            terminal.out(f"ok {located.name} {sha}")
        result["status"] = status
    ctx.exit(result["status"])


@model_group.command("remove")
@_traceback_flag
@click.argument("name")
@click.pass_context
def model_remove(ctx: click.Context, name: str) -> None:
    """Delete NAME from cmdai's model cache (never a file of your own), with its cached states."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import cache, models

        resolved = _load({})
        removed = cache.remove_model(models.locate(name, resolved.cache_dir), resolved.cache_dir)
        for path in removed.files:
            terminal.err(f"cmdai: removed {path}")
        if removed.states.files:
            states = removed.states
            terminal.err(
                f"cmdai: removed {states.files} cached state file(s) of {name} "
                f"({states.bytes / 1e6:.1f} MB)"
            )
        terminal.err(f"cmdai: freed {removed.freed / 1e6:.1f} MB")
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@model_group.command("use")
@_traceback_flag
@click.argument("name")
@click.pass_context
def model_use(ctx: click.Context, name: str) -> None:
    """Make NAME the model cmdai uses (writes model = "NAME" to the config file)."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import models
        from cmdai.settings import cache_dir, set_config_value

        located = models.locate(name, cache_dir())
        value = name
        if located.spec is None and located.ref is None:
            models.check_gguf(located.path, metadata=True)
            value = str(located.path)
        path = set_config_value("model", value)
        terminal.err(f'cmdai: model = "{value}" written to {path}')
        if not located.path.is_file():
            terminal.err(f"cmdai: not installed yet: cmdai model download {name}")
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


# -- cmdai cache ... ---------------------------------------------------------------------------


@cli.group("cache")
@_traceback_flag
def cache_group() -> None:
    """The cache directory: models, and the prompt states that make later runs start faster.

    Prompt states and schema indexes are pruned by cmdai itself (256 MB, 30 days unused).
    """


@cache_group.command("info")
@_traceback_flag
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def cache_info(ctx: click.Context, as_json: bool) -> None:
    """Where the cache is, and its files and MB by kind and by model."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        import json

        from cmdai import cache

        resolved = _load({})
        names = cache.model_names(resolved.cache_dir, resolved.settings.model)
        report = cache.usage(resolved.cache_dir, names)
        if as_json:
            terminal.out(json.dumps(report.to_json(), indent=2))
        else:
            for line in report.lines():
                terminal.out(line)
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@cache_group.command("clear")
@_traceback_flag
@click.option("--states-only", is_flag=True, help="Keep the models; delete only cached states.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask (required without a terminal).")
@click.pass_context
def cache_clear(ctx: click.Context, states_only: bool, yes: bool) -> None:
    """Delete the cached models and prompt states (asks first)."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai import cache

        resolved = _load({})
        files = cache.clearable(resolved.cache_dir, states_only=states_only)
        what = "cached states" if states_only else "models and cached states"
        size = f"{len(files)} files, {sum(files.values()) / 1e6:.1f} MB"
        result["status"] = ExitStatus.SUCCESS
        if not files:
            terminal.err(f"cmdai: no {what} in {resolved.cache_dir}")
        elif not yes and not terminal.interactive:
            raise UsageError(
                f"not deleting {what} ({size}) without confirmation",
                hint="Run it on a terminal to be asked, or pass --yes.",
            )
        elif yes or _confirmed(terminal, f"Delete {what} ({size}) in {resolved.cache_dir}?"):
            deleted = cache.delete(files)
            terminal.err(f"cmdai: freed {deleted.bytes / 1e6:.1f} MB ({deleted.files} files)")
        else:
            terminal.err("cmdai: nothing deleted")
            result["status"] = ExitStatus.DECLINED
    ctx.exit(result["status"])


def _confirmed(terminal: Terminal, question: str) -> bool:
    try:
        reply = terminal.ask(f"{question} [y/N] ")
    except EOFError:
        return False
    return reply.strip().lower() in ("y", "yes")


# -- cmdai serve -------------------------------------------------------------------------------


@cli.command("serve")
@_traceback_flag
@click.option("--foreground", is_flag=True, help="Run in this terminal (Ctrl-C stops it).")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="S",
    help="Stop after S seconds without a request (0 = never; default 900).",
)
@click.option("--status", "show_status", is_flag=True, help="Is a server running, and what for?")
@click.option("--stop", is_flag=True, help="Stop the running server.")
@click.option("--json", "as_json", is_flag=True, help="With --status: one JSON document.")
@click.option("-m", "--model", default=None, help="Model: a .gguf path or a registry name.")
@click.option("--backend", default=None, help="Backend: llamacpp (default) or fake.")
@click.option("--n-ctx", type=int, default=None, help="Context window in tokens.")
@click.option("--threads", "n_threads", type=int, default=None, help="CPU threads (0 = cores).")
@click.option("--seed", type=int, default=None, help="llama.cpp's seed.")
@click.option("-v", "--verbose", count=True, help="Log to stderr (-vv for debug).")
@click.pass_context
def serve_command(
    ctx: click.Context,
    /,
    foreground: bool,
    idle_timeout: float | None,
    show_status: bool,
    stop: bool,
    as_json: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Keep the model loaded in a background server, so requests skip loading it.

    Requests use it when the `server` setting is on or auto (--server, CMDAI_SERVER, or the
    config file). Its socket is private to you, in $XDG_RUNTIME_DIR/cmdai. --status exits 0
    when a server is running and 1 when none is.
    """
    _configure_logging(verbose)
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, False, "", time.perf_counter()) as result:
        import json

        from cmdai import server

        result["status"] = ExitStatus.SUCCESS
        if stop:
            stopped = server.stop_server()
            if stopped is None:
                terminal.err("cmdai: no server is running")
            else:
                terminal.err(f"cmdai: server stopped (pid {stopped.get('pid')})")
        elif show_status:
            status = server.server_status()
            if as_json:
                terminal.out(json.dumps({"running": status is not None, **(status or {})}))
            else:
                for line in server.status_lines(status):
                    terminal.out(line)
            result["status"] = ExitStatus.SUCCESS if status else ExitStatus.ERROR
        else:
            resolved = _load(flags)
            idle = server.DEFAULT_IDLE_TIMEOUT_S if idle_timeout is None else idle_timeout
            if resolved.settings.backend == "llamacpp":
                _ensure_model(resolved, terminal, offline=False)
            if foreground:
                server.run_server(
                    lambda: _in_process_backend(resolved, terminal),
                    server.identity(resolved),
                    idle_timeout=idle,
                    announce=terminal.err,
                )
            else:
                status, started = server.ensure_server(
                    resolved,
                    idle_timeout=idle,
                    starting=lambda: _notice_printer(terminal)("starting the server..."),
                )
                terminal.clear_status()
                state = "started" if started else "already running"
                terminal.err(f"cmdai: server {state} (pid {status['pid']}) on {status['socket']}")
    ctx.exit(result["status"])


# -- where people type: history, explain, fix, the shell key, init ---------------------------


@cli.group("history", invoke_without_command=True)
@_traceback_flag
@click.option(
    "-n", "limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many."
)
@click.option("--search", default=None, help="Only requests or commands containing TEXT.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per request (JSON Lines).")
@click.pass_context
def history_group(ctx: click.Context, limit: int, search: str | None, as_json: bool) -> None:
    """Your last requests: what was proposed, what the gate said, what you did (oldest first).

    Recorded in the user data directory (history.db, mode 0600); `history = false` in the
    config file (or CMDAI_HISTORY=0) turns recording off. `cmdai history clear` deletes it.
    """
    if ctx.invoked_subcommand is not None:
        return
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        import json

        from cmdai.history import History

        if not _load({}).settings.history:
            terminal.err("cmdai: history is off (history = false); showing what was recorded")
        entries = History().recent(limit, search)
        for entry in entries:
            if as_json:
                terminal.out(json.dumps(entry.to_json(), ensure_ascii=False))
            else:
                terminal.out(_history_line(entry))
        if not entries and not as_json:
            terminal.err(
                "cmdai: no requests recorded" + (f" matching {search!r}" if search else "")
            )
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


def _history_line(entry: Entry) -> str:
    """One request on one line: id, local time, what became of it, the command, the request."""
    import datetime

    when = datetime.datetime.fromisoformat(entry.time).astimezone().strftime("%Y-%m-%d %H:%M")
    state = entry.action
    if entry.action == "ran" and entry.exit_status is not None:
        state += f" {entry.exit_status}"
    marks = [m for m, on in (("edited", entry.edited), ("revised", entry.revisions)) if on]
    if marks:
        state += f" ({', '.join(marks)})"
    command = entry.command if entry.command is not None else "-"
    return f"{entry.id:>5}  {when}  {state:<16}  {command}  # {entry.request}"


@history_group.command("clear")
@_traceback_flag
@click.option("-y", "--yes", is_flag=True, help="Do not ask (required without a terminal).")
@click.pass_context
def history_clear(ctx: click.Context, yes: bool) -> None:
    """Delete every recorded request (asks first)."""
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai.history import History

        history = History()
        result["status"] = ExitStatus.SUCCESS
        if not history.path.exists():
            terminal.err("cmdai: the history is empty")
        elif not yes and not terminal.interactive:
            raise UsageError(
                "not deleting the history without confirmation",
                hint="Run it on a terminal to be asked, or pass --yes.",
            )
        elif yes or _confirmed(terminal, f"Delete the history in {history.path}?"):
            terminal.err(f"cmdai: deleted {history.clear()} requests from the history")
        else:
            terminal.err("cmdai: nothing deleted")
            result["status"] = ExitStatus.DECLINED
    ctx.exit(result["status"])


_MODEL_OPTIONS = (
    click.option("-m", "--model", default=None, help="Model: a .gguf path or a registry name."),
    click.option(
        "--backend", default=None, help="Backend: llamacpp (default), openai, ollama or fake."
    ),
    click.option(
        "--server",
        type=click.Choice(["off", "on", "auto"]),
        default=None,
        help="Use the warm server (cmdai serve): off, on (when running), auto (start it).",
    ),
    click.option("--offline", is_flag=True, help="Never use the network."),
    click.option("-v", "--verbose", count=True, help="Log to stderr (-vv for debug)."),
    _traceback_flag,
)


def _model_options(function: Any) -> Any:
    for option in reversed(_MODEL_OPTIONS):
        function = option(function)
    return function


@cli.command("explain")
@click.argument("command", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@_model_options
@click.pass_context
def explain_command(
    ctx: click.Context,
    /,
    command: str | None,
    as_json: bool,
    offline: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Explain COMMAND part by part (the model) beside the safety gate's findings; never runs it.

    With no COMMAND and a pipe on stdin, the command is read from stdin.
    """
    started = time.perf_counter()
    _configure_logging(verbose)
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, False, "", started) as result:
        import json

        if command is None:
            if terminal.interactive:
                raise UsageError("no command given", hint='Pass one: cmdai explain "tar xzf a.tgz"')
            command = _read_query_from_stdin(terminal)
        command = command.strip()
        if not command:
            raise UsageError("no command given", hint='Pass one: cmdai explain "tar xzf a.tgz"')
        if len(command) > 4000:
            raise UsageError("the command is too long to explain (over 4000 characters)")
        resolved, engine = _request_engine(deps, flags, terminal, offline)
        result["engine"] = engine
        report = engine.validator.assess(command, resolved.settings.safety_mode)
        terminal.status("cmdai: thinking...")
        try:
            text = engine.explain(command)
        finally:
            terminal.clear_status()
        if as_json:
            doc = {
                "command": command,
                "explanation": text.splitlines(),
                "safety": report.to_json(),
                "model": engine.backend.describe(),
                "timings": {"total_s": round(time.perf_counter() - started, 4)},
            }
            terminal.out(json.dumps(doc, ensure_ascii=False))
        else:
            terminal.out(text)
            # The risk comes from the gate's findings (facts), never from the model.
            terminal.out(f"risk: {report.risk.label} ({report.decision})")
            for finding in report.findings:
                line = f"  - {finding.message} [{finding.rule_id}, {finding.risk.label}]"
                terminal.out(line + (f" Safer: {finding.safer}" if finding.safer else ""))
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


@cli.command("fix")
@click.argument("command", required=False)
@click.option(
    "--status", "last_status", type=int, default=None, help="Its exit status (if not the last)."
)
@click.option(
    "--rerun",
    is_flag=True,
    help="Run it again (after you confirm) so the model also sees its error output.",
)
@click.option("-n", "--dry-run", is_flag=True, help="Show the fix; never run it or ask.")
@click.option("-y", "--yes", is_flag=True, help="Run an allow-level fix without asking.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document (never runs anything)."
)
@_model_options
@click.pass_context
def fix_command(
    ctx: click.Context,
    /,
    command: str | None,
    last_status: int | None,
    rerun: bool,
    dry_run: bool,
    yes: bool,
    as_json: bool,
    offline: bool,
    verbose: int,
    **flags: Any,
) -> None:
    """Propose a corrected command for the last one that failed (or COMMAND).

    The shell snippet (cmdai init) passes the last command line and its exit status, never
    its output; --rerun runs it again to show the model its error output. The fix goes
    through the same gate and the same confirmation as any request.
    """
    started = time.perf_counter()
    _configure_logging(verbose)
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _default_terminal()
    with _error_boundary(terminal, as_json, "", started) as result:
        from cmdai import fix
        from cmdai.interact import Interaction, RunOptions
        from cmdai.shell_init import last_command

        last = last_command()
        if command is None and last is None:
            raise UsageError(
                "no command to fix",
                hint='Pass it (cmdai fix "gti status"), or add cmdai init to your shell\'s rc '
                "file so cmdai knows the last command (see docs/shell.md).",
            )
        status = last_status
        if command is None and last is not None:
            command, status = last[0], last_status if last_status is not None else last[1]
        assert command is not None
        resolved, engine = _request_engine(deps, flags, terminal, offline)
        # A fix always has a command, and never the one that failed.
        engine = dataclasses.replace(engine, declines=False, avoid=command)
        result["engine"] = engine
        stderr_text: str | None = None
        if rerun:
            rerun_status, stderr_text = _rerun(command, resolved, terminal, yes)
            status = rerun_status
        terminal.err(terminal.style(f"cmdai: fixing: {fix.label(command, status)[5:]}", dim=True))
        executor: Executor = deps.get("executor") or _default_executor()
        interaction = Interaction(
            engine,
            terminal,
            executor,
            RunOptions(dry_run, yes, as_json, False),
            started,
            history=_history(resolved),
            source="fix",
            label=fix.label(command, status),
        )
        result["status"] = interaction.run(fix.fix_request(command, status, stderr_text))
    ctx.exit(result["status"])


def _rerun(
    command: str, resolved: ResolvedSettings, terminal: Terminal, yes: bool
) -> tuple[int, str]:
    """Run the failed command again, after the gate and a confirmation; (status, stderr)."""
    from cmdai.execute import rerun_capturing_stderr, user_shell
    from cmdai.safety import ShellValidator

    report = ShellValidator().assess(command, resolved.settings.safety_mode)
    if report.decision == "block":
        raise UsageError(
            f"not re-running a command the safety gate blocks: {command}",
            hint="Fix it without --rerun.",
        )
    if not (yes and report.decision == "allow"):
        if not terminal.interactive:
            raise UsageError(
                "--rerun needs a terminal to confirm (or --yes for an allow-level command)"
            )
        terminal.err(
            f"risk: {report.risk.label}" + "".join(f"; {f.message}" for f in report.findings)
        )
        if not _confirmed(terminal, f"Run `{command}` again to show the model its errors?"):
            raise UsageError("not re-run", hint="Fix it without --rerun: cmdai fix.")
    status, stderr_text = rerun_capturing_stderr(command, user_shell())
    if stderr_text:
        terminal.err(stderr_text.rstrip("\n"))
    return status, stderr_text


@cli.command("widget", hidden=True)
@_traceback_flag
@click.argument("text", nargs=-1)
@click.pass_context
def widget_command(ctx: click.Context, text: tuple[str, ...]) -> None:
    """What the shell key runs: the proposal on stdout (never a blocked one), the rest on stderr.

    The line is TEXT; with none, a fix for the last command (from the shell snippet). Ctrl-C
    or Esc cancels without a signal reaching the shell (the line stays as it was).
    """
    started = time.perf_counter()
    deps = ctx.find_root().obj or {}
    terminal: Terminal = deps.get("terminal") or _widget_terminal()
    query = " ".join(text)
    with _error_boundary(terminal, False, query, started) as result:
        from cmdai import fix
        from cmdai.interact import Interaction, RunOptions
        from cmdai.shell_init import cancel_keys, interrupt_main, last_command

        label: str | None = None
        source = "shell"
        declines = True
        avoid: str | None = None
        if not query.strip():
            last = last_command()
            if last is None:
                raise UsageError("no command to fix yet", hint="Type a request, then the key.")
            query, label = fix.fix_request(*last), fix.label(*last)
            source = "fix"
            declines = False
            avoid = last[0]
            terminal.err(terminal.style(f"cmdai: fixing: {label[5:]}", dim=True))
        with cancel_keys(interrupt_main):
            resolved, engine = _request_engine(deps, {}, terminal, False)
            engine = dataclasses.replace(engine, declines=declines, avoid=avoid)
            result["engine"] = engine
            interaction = Interaction(
                engine,
                terminal,
                deps.get("executor") or _default_executor(),
                RunOptions(dry_run=True),
                started,
                history=_history(resolved),
                source=source,
                label=label,
            )
            result["status"] = interaction.run(query)
    ctx.exit(result["status"])


def _widget_terminal() -> Terminal:
    """The widget's terminal: nothing is asked (a proposal only fills the line)."""
    from cmdai.terminal import Terminal

    return Terminal(stdin_tty=False)


@cli.command("init")
@_traceback_flag
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.option(
    "--key", default=None, help="Key to bind (default: the shell_key setting, alt-g); none: no key."
)
@click.option("--no-completion", is_flag=True, help="Leave out completion for cmdai itself.")
@click.pass_context
def init_command(ctx: click.Context, shell: str, key: str | None, no_completion: bool) -> None:
    """Print the shell integration for SHELL's rc file: a key, cmdai fix, completion.

    \b
      bash: eval "$(cmdai init bash)"      in ~/.bashrc
      zsh:  eval "$(cmdai init zsh)"       in ~/.zshrc (after compinit)
      fish: cmdai init fish | source       in ~/.config/fish/config.fish

    The key (Alt+G unless the shell_key setting or CMDAI_SHELL_KEY says otherwise) replaces
    the line you typed with a proposed command, for you to read, edit and run with Enter; on
    an empty line it proposes a fix for the last command. See docs/shell.md.
    """  # noqa: D301 - "\b" must be a real backspace: click's marker for "do not rewrap"
    terminal, boundary = _model_command(ctx)
    with boundary as result:
        from cmdai.shell_init import parse_key, snippet

        resolved = _load({})
        text = snippet(shell, parse_key(key if key is not None else resolved.settings.shell_key))
        if not no_completion:
            text += _completion_source(shell)
        terminal.out(text.rstrip("\n"))
        result["status"] = ExitStatus.SUCCESS
    ctx.exit(result["status"])


def _completion_source(shell: str) -> str:
    """Click's completion script for cmdai, guarded so a shell without it is not broken."""
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None
    source = completion(cli, {}, "cmdai", "_CMDAI_COMPLETE").source()
    if shell == "zsh":  # compdef exists only after compinit
        source = source.replace(
            "    compdef _cmdai_completion cmdai",
            "    (( $+functions[compdef] )) && compdef _cmdai_completion cmdai",
        )
    return f"\n# Completion for cmdai's own commands and options (click).\n{source}\n"


def _run_hook(terminal: Terminal, command: str | None, as_json: bool, mode: str | None) -> int:
    """``cmdai check --hook claude-code``: never raises; every failure answers deny."""
    from cmdai.hooks import run_claude_code

    def assess() -> Any:
        if command is not None or as_json:
            raise ValueError("--hook reads its command from stdin; no COMMAND or --json")
        from cmdai.safety import ShellValidator

        chosen = mode or _load({}).settings.safety_mode
        validator = ShellValidator()
        return lambda text: validator.assess(text, chosen)  # type: ignore[arg-type]

    stream = getattr(terminal.stdin, "buffer", None) or terminal.stdin
    return run_claude_code(stream, terminal.stdout, assess)


def _request_engine(
    deps: dict[str, Any], flags: dict[str, Any], terminal: Terminal, offline: bool
) -> tuple[ResolvedSettings, Engine]:
    """Settings and an engine, as ``ask`` makes them (warm server, model check, backend)."""
    resolved = _load(flags)
    backend = deps.get("backend") or _server_backend(resolved, terminal, offline)
    if backend is None and resolved.settings.backend == "llamacpp":
        _ensure_model(resolved, terminal, offline)
    return resolved, _build_engine(resolved, terminal, backend)


def _server_backend(
    resolved: ResolvedSettings, terminal: Terminal, offline: bool
) -> Backend | None:
    """The warm server as the backend, as the ``server`` setting says (None: in-process)."""
    if resolved.settings.server == "off":
        return None
    from cmdai.server import connect

    def prepare() -> None:
        if resolved.settings.backend == "llamacpp":
            _ensure_model(resolved, terminal, offline)

    return connect(
        resolved,
        fallback=lambda: _in_process_backend(resolved, terminal),
        warn=lambda text: terminal.err(f"cmdai: {text}"),
        prepare=prepare,
        starting=lambda: _notice_printer(terminal)("starting the warm server..."),
    )


def _in_process_backend(resolved: ResolvedSettings, terminal: Terminal) -> Backend:
    from cmdai.backends import create_backend

    return create_backend(
        resolved.settings,
        resolved.cache_dir,
        _progress_printer(terminal),
        _notice_printer(terminal),
    )


def _ensure_model(resolved: ResolvedSettings, terminal: Terminal, offline: bool) -> None:
    """Find the model before the backend loads it; offer the hub download on a terminal."""
    from cmdai.models import resolve_model

    state: dict[str, Any] = {"progress": _progress_printer(terminal)}

    def confirm(spec: Any, source: Any) -> bool:
        size = f"{spec.size / 1e9:.1f} GB"
        terminal.err(f"cmdai: the model {spec.name} is not installed.")
        try:
            reply = terminal.ask(f"Download it from Hugging Face ({size})? [Y/n] ")
        except EOFError:
            return False
        if reply.strip().lower() not in ("", "y", "yes"):
            return False
        state["progress"] = _download_progress(terminal, spec.name)
        return True

    resolve_model(
        resolved.settings.model,
        cache_dir=resolved.cache_dir,
        progress=lambda done, total: state["progress"](done, total),
        offline=offline or None,
        confirm=confirm if terminal.interactive else None,
        check_metadata=True,
    )


def _download_progress(terminal: Terminal, label: str) -> Any:
    """A progress bar with speed and ETA on a terminal (stderr); silent otherwise."""
    state: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if not state:
            state.update(start=now, first=done, shown=0.0)
        if done < total and now - state["shown"] < 0.1:
            return
        state["shown"] = now
        elapsed = now - state["start"]
        rate = (done - state["first"]) / elapsed if elapsed > 0 else 0.0
        eta = (
            f"{int((total - done) / rate) // 60}:{int((total - done) / rate) % 60:02d}"
            if rate > 0
            else "--:--"
        )
        frac = done / total if total else 1.0
        bar = "#" * int(24 * frac) + "-" * (24 - int(24 * frac))
        terminal.status(
            f"cmdai: {label} [{bar}] {frac:4.0%} {done / 1e6:,.1f}/{total / 1e6:,.1f} MB "
            f"{rate / 1e6:.1f} MB/s ETA {eta}"
        )
        if done >= total:
            terminal.clear_status()

    return progress


_CHECK_STATUS = {
    "allow": ExitStatus.SUCCESS,
    "confirm": ExitStatus.NEEDS_CONFIRMATION,
    "block": ExitStatus.BLOCKED,
}
_CHECK_ORDER = [ExitStatus.SUCCESS, ExitStatus.NEEDS_CONFIRMATION, ExitStatus.BLOCKED]


@contextlib.contextmanager
def _error_boundary(
    terminal: Terminal, as_json: bool, query: str, started: float
) -> Iterator[dict[str, Any]]:
    """Translate every failure into a message, a hint and an exit status (JSON under --json).

    ``--traceback`` (on any command or group: ``_traceback_flag``) re-raises instead.
    """
    current = click.get_current_context(silent=True)
    show_traceback = bool(current and current.meta.get("cmdai.traceback"))
    result: dict[str, Any] = {}
    try:
        yield result
    except CmdaiError as exc:
        if show_traceback:
            raise
        result["status"] = _report(terminal, as_json, query, started, result, exc)
    except KeyboardInterrupt:
        terminal.clear_status()
        interrupted = CmdaiError("interrupted")
        interrupted.exit_status = ExitStatus.INTERRUPTED
        interrupted.kind = "interrupted"
        result["status"] = _report(terminal, as_json, query, started, result, interrupted)
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
        raise
    except Exception as exc:
        if show_traceback:
            raise
        internal = CmdaiError(
            f"internal error: {type(exc).__name__}: {exc}",
            hint="Run again with --traceback and report the output.",
        )
        result["status"] = _report(terminal, as_json, query, started, result, internal)


def _report(
    terminal: Terminal,
    as_json: bool,
    query: str,
    started: float,
    result: dict[str, Any],
    exc: CmdaiError,
) -> int:
    terminal.clear_status()
    status = int(exc.exit_status)
    if as_json:
        import json

        from cmdai.core import proposal_json

        engine: Engine | None = result.get("engine")
        model = engine.backend.describe() if engine else None
        doc = proposal_json(
            None,
            query=_printable(query),
            model=model or {},
            started=started,
            outcome="interrupted" if status == ExitStatus.INTERRUPTED else "error",
            error={"kind": exc.kind, "message": exc.message, "hint": exc.hint},
            exit_status=status,
        )
        terminal.out(json.dumps(doc, ensure_ascii=False))
    if status == ExitStatus.INTERRUPTED:
        terminal.err("cmdai: interrupted")
    else:
        terminal.err(terminal.style("cmdai: error: ", fg="red", bold=True) + exc.message)
        if exc.hint:
            terminal.err(terminal.style("hint: ", bold=True) + exc.hint)
    return status


def _printable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def _read_query_from_stdin(terminal: Terminal) -> str:
    if terminal.interactive:
        raise UsageError(
            "no request given", hint='Say what you want: cmdai "list the 5 largest files here"'
        )
    stream = getattr(terminal.stdin, "buffer", None)
    raw: bytes | str = stream.read() if stream is not None else terminal.stdin.read()
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                "the request on stdin is not valid UTF-8 text",
                hint="Convert it first, for example with iconv -t UTF-8.",
            ) from None
    return raw


def _history(resolved: ResolvedSettings) -> History | None:
    """The history database, unless the ``history`` setting turned it off."""
    if not resolved.settings.history:
        return None
    from cmdai.history import History

    return History()


def _load(flags: dict[str, Any]) -> ResolvedSettings:
    from cmdai.settings import load_settings

    return load_settings(flags)


def _build_engine(
    resolved: ResolvedSettings, terminal: Terminal, backend: Backend | None
) -> Engine:
    from cmdai.backends import create_backend
    from cmdai.core import create_engine

    settings = resolved.settings
    if backend is None:
        backend = create_backend(
            settings, resolved.cache_dir, _progress_printer(terminal), _notice_printer(terminal)
        )
    return create_engine(settings, backend)


def _progress_printer(terminal: Terminal) -> Any:
    """Reports model assembly/verification: a live percentage on a terminal, two lines otherwise."""
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        if state["last"] < 0 and not terminal.stderr_tty:
            terminal.err(f"cmdai: preparing the model ({total / 1e9:.1f} GB, first run only)...")
        if percent != state["last"]:
            terminal.status(f"cmdai: preparing the model: {percent}% of {total / 1e9:.1f} GB")
        state["last"] = percent
        if done >= total:
            terminal.clear_status()
            terminal.err("cmdai: model ready.")

    return progress


def _notice_printer(terminal: Terminal) -> Any:
    """One-time slow steps: a status line on a terminal (replacing "thinking"), else a line."""

    def notice(text: str) -> None:
        if terminal.stderr_tty:
            terminal.status(f"cmdai: {text}")
        else:
            terminal.err(f"cmdai: {text}")

    return notice


def _default_terminal() -> Terminal:
    from cmdai.terminal import Terminal

    return Terminal()


def _default_executor() -> Executor:
    from cmdai.execute import ShellExecutor

    return ShellExecutor()


def _configure_logging(verbose: int) -> None:
    # logging costs ~10 ms to import: only -v pays for it (library modules import it anyway).
    if verbose:
        import logging

        logging.basicConfig(
            level=logging.DEBUG if verbose > 1 else logging.INFO,
            format="cmdai: %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="cmdai")
