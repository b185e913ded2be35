"""``cmdai model ...``: list, info, download, verify, remove and use model files."""

from __future__ import annotations

from typing import Any

import click

from cmdai.cli.options import invocation, traceback_flag
from cmdai.cli.runtime import download_progress, load
from cmdai.errors import ExitStatus, UsageError


@click.group("model")
@traceback_flag
def model_group() -> None:
    """Model files: list, info, download, verify, remove, use.

    NAME is a registry name (see `cmdai model list`), a hub file as owner/repo:file.gguf, or
    (for info, verify and use) a path to a .gguf file.
    """


@model_group.command("list")
@traceback_flag
@click.option("--json", "as_json", is_flag=True, help="One JSON document (a list of models).")
@click.pass_context
def model_list(ctx: click.Context, as_json: bool) -> None:
    """Known and installed models, their sizes and sources; * marks the one in use."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai import models

        resolved = load({})
        current = resolved.settings.model or models.DEFAULT_MODEL_NAME
        rows: list[tuple[str, int | None, str, str]] = []
        for spec in models.REGISTRY.values():
            located = models.locate(spec.name, resolved.cache_dir)
            sources = [s for s, on in (("pypi", spec.pypi_parts), ("hub", spec.hub)) if on]
            state = "installed" if located.path.is_file() else "not installed"
            rows.append((spec.name, spec.size, state, ", ".join(sources)))
        named = set()
        for name in models.HUB_NAMES:  # hub files known by name; their size comes with them
            located = models.locate(name, resolved.cache_dir)
            named.add(located.path)
            size = located.path.stat().st_size if located.path.is_file() else None
            rows.append((name, size, "installed" if size else "not installed", "hub"))
        for extra in models.installed(resolved.cache_dir):
            if extra.spec is None and extra.path not in named:
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
                shown = f"{size / 1e9:5.2f} GB" if size is not None else "    ? GB"
                terminal.out(f"{mark} {name:<{width}}  {shown}  {state:<13}  {origin}")
            if current not in {r[0] for r in rows}:
                terminal.out(f"* {current}  (a file)")
        result["status"] = ExitStatus.SUCCESS


@model_group.command("info")
@traceback_flag
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.pass_context
def model_info(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Path, size, sha256, GGUF metadata and license of NAME (default: the one in use)."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai import models
        from cmdai.models import gguf

        resolved = load({})
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


@model_group.command("download")
@traceback_flag
@click.argument("name")
@click.pass_context
def model_download(ctx: click.Context, name: str) -> None:
    """Download NAME from the Hugging Face hub (resumable, sha256-checked)."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai import models

        resolved = load({})
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
        source.fetch(spec, located.path, download_progress(terminal, spec.name))
        terminal.err(f"cmdai: downloaded and verified {spec.name}: {located.path}")
        result["status"] = ExitStatus.SUCCESS


@model_group.command("verify")
@traceback_flag
@click.argument("name", required=False)
@click.pass_context
def model_verify(ctx: click.Context, name: str | None) -> None:
    """Re-hash NAME (default: every installed model) and check its sha256."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai import models
        from cmdai.errors import ModelError, ModelMissingError

        resolved = load({})
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


@model_group.command("remove")
@traceback_flag
@click.argument("name")
@click.pass_context
def model_remove(ctx: click.Context, name: str) -> None:
    """Delete NAME from cmdai's model cache (never a file of your own), with its cached states."""
    with invocation(ctx) as (terminal, _, result):
        from cmdai import cache, models

        resolved = load({})
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


@model_group.command("use")
@traceback_flag
@click.argument("name")
@click.pass_context
def model_use(ctx: click.Context, name: str) -> None:
    """Make NAME the model cmdai uses (writes model = "NAME" to the config file)."""
    with invocation(ctx) as (terminal, _, result):
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
