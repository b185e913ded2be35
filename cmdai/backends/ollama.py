"""A model served by Ollama, through its native API (``/api/chat``, streamed).

The request follows Ollama's API documentation (docs/api.md): ``format`` carries the answer's
JSON Schema (structured outputs, Ollama 0.5 and later; older servers that refuse a schema get
``"json"``, JSON mode), and ``options`` every generation knob (``temperature``, ``seed``,
``num_predict``, ``num_ctx``, ``repeat_penalty``). The answer streams as newline-delimited JSON:
pieces of ``message.content``, then a last object with ``"done": true``, ``done_reason`` and the
counts (``prompt_eval_count``, ``eval_count``; durations in nanoseconds). A stream that ends
without that last object was cut off, and a line ``{"error": ...}`` is a failure mid-answer.
Streaming also means ``timeout_s`` bounds the wait for each piece, not for the whole answer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from typing import Any

from cmdai.backends.base import Generation, GenerationRequest, TextCallback
from cmdai.backends.http import HttpClient, ServerError
from cmdai.errors import BackendError, CmdaiError, ConfigError, ModelMissingError
from cmdai.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:11434"


class OllamaBackend:
    """Chat through Ollama's ``/api/chat``."""

    name = "ollama"

    def __init__(self, client: HttpClient, *, model: str | None, n_ctx: int) -> None:
        """Use ``client``'s server; ``model`` None means the only model installed there."""
        self.client = client
        self._model = model
        self.n_ctx = n_ctx
        self._schema_format = True
        self._served: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **client_options: Any) -> OllamaBackend:
        """Build from ``base_url``, ``remote_model``, the API key, ``timeout_s``, ``retries``."""
        client = HttpClient.from_settings(
            settings, default_url=DEFAULT_BASE_URL, server="the Ollama server", **client_options
        )
        return cls(client, model=settings.remote_model, n_ctx=settings.n_ctx)

    def describe(self) -> dict[str, Any]:
        """The server and model (never the API key)."""
        return {
            "backend": self.name,
            "name": self._model,
            "served_model": self._served,
            "base_url": self.client.base_url,
            "format": "schema" if self._schema_format else "json",
            "n_ctx": self.n_ctx,
            "path": None,
            "sha256": None,
        }

    def version(self) -> str:
        """The server's version (``GET /api/version``)."""
        doc = self.client.get_json("/api/version")
        if not isinstance(doc, dict) or not isinstance(doc.get("version"), str):
            raise BackendError(
                f"{self.client.url('/api/version')} did not answer like Ollama",
                hint="Check that base_url points at Ollama (default http://127.0.0.1:11434).",
            )
        return str(doc["version"])

    def list_models(self) -> list[dict[str, Any]]:
        """The installed models (``GET /api/tags``): dicts with ``name``, ``size``, ``digest``."""
        doc = self.client.get_json("/api/tags")
        models = doc.get("models") if isinstance(doc, dict) else None
        if not isinstance(models, list):
            raise BackendError(
                f"{self.client.url('/api/tags')} did not answer with a model list",
                hint="Check that base_url points at Ollama (default http://127.0.0.1:11434).",
            )
        return [m for m in models if isinstance(m, dict) and isinstance(m.get("name"), str)]

    def show(self, model: str) -> dict[str, Any]:
        """A model's details (``POST /api/show``); ``ModelMissingError`` when it is not there."""
        try:
            doc = self.client.post_json("/api/show", {"model": model})
        except ServerError as exc:
            raise self._explain(exc, model) from None
        return doc if isinstance(doc, dict) else {}

    def model_name(self) -> str:
        """The configured model, else the only one installed.

        Raises:
            ConfigError: several models are installed and none is configured.
            ModelMissingError: none is installed.
        """
        if self._model:
            return self._model
        names = [str(m["name"]) for m in self.list_models()]
        if len(names) == 1:
            self._model = names[0]
            return self._model
        if not names:
            raise ModelMissingError(
                f"{self.client.server} at {self.client.base_url} has no model installed",
                hint="Pull one (ollama pull qwen2.5-coder:1.5b) and set remote_model to it.",
            )
        raise ConfigError(
            f"{self.client.server} has {len(names)} models and remote_model is not set",
            hint="Choose one with --remote-model or CMDAI_REMOTE_MODEL: " + ", ".join(names),
        )

    def generate(
        self,
        request: GenerationRequest,
        on_text: TextCallback | None = None,
    ) -> Generation:
        """Stream one chat answer and assemble it (``on_text`` sees it grow)."""
        model = self.model_name()
        start = time.perf_counter()
        while True:
            schema = request.json_schema is not None and self._schema_format
            try:
                pieces, last = self._chat(self._body(request, model, schema), on_text)
                break
            except ServerError as exc:
                if schema and exc.status == 400 and "format" in exc.server_message.lower():
                    # Before 0.5, Ollama's format took only "json" (JSON mode, no schema).
                    log.info("Ollama refused a schema in format (%s); using JSON mode", exc)
                    self._schema_format = False
                    continue
                raise self._explain(exc, model) from None
        elapsed = time.perf_counter() - start
        load_s = _int(last.get("load_duration")) / 1e9
        self._served = str(last["model"]) if isinstance(last.get("model"), str) else self._served
        return Generation(
            text="".join(pieces),
            prompt_tokens=_int(last.get("prompt_eval_count")),
            completion_tokens=_int(last.get("eval_count")),
            load_s=load_s,  # as Ollama measured it (load_duration)
            generate_s=max(0.0, elapsed - load_s),
            constrained=schema,
            truncated=last.get("done_reason") == "length",
        )

    def _body(self, request: GenerationRequest, model: str, schema: bool) -> dict[str, Any]:
        options: dict[str, Any] = {
            "temperature": request.temperature,
            "seed": request.seed,
            "num_predict": request.max_tokens,
            "num_ctx": self.n_ctx,
        }
        if request.repeat_penalty != 1.0:
            options["repeat_penalty"] = request.repeat_penalty
        if request.stop and not request.prefill:  # see OpenAIBackend._body
            options["stop"] = list(request.stop)
        body: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "stream": True,
            "options": options,
        }
        if request.json_schema is not None:
            body["format"] = json.loads(request.json_schema) if schema else "json"
        return body

    def _chat(
        self, body: dict[str, Any], on_text: TextCallback | None = None
    ) -> tuple[list[str], dict[str, Any]]:
        pieces: list[str] = []
        with contextlib.closing(self.client.post_ndjson("/api/chat", body)) as stream:
            for part in stream:
                if "error" in part:
                    raise BackendError(
                        "Ollama failed mid-answer: " + self.client.scrub(str(part["error"])),
                        hint="See the Ollama server's log; try again.",
                    )
                message = part.get("message")
                if isinstance(message, dict) and isinstance(message.get("content"), str):
                    pieces.append(message["content"])
                    if on_text is not None and message["content"]:
                        on_text("".join(pieces))
                if part.get("done") is True:
                    return pieces, part
        raise BackendError(
            f"the answer from {self.client.server} ({self.client.url('/api/chat')}) was cut "
            f"off: the stream ended after {len(pieces)} pieces without its final message",
            hint="The server closed the stream mid-answer: see its log (it may have crashed or "
            "run out of memory), then try again.",
        )

    def _explain(self, exc: ServerError, model: str) -> CmdaiError:
        """Ollama answers 404 ``{"error": "model '...' not found"}`` for a model it lacks."""
        if exc.status == 404 and "model" not in exc.server_message.lower():
            return BackendError(
                f"there is no Ollama API at {self.client.base_url} ({exc.message})",
                hint="Check base_url: Ollama's is http://HOST:11434, without /api or /v1.",
            )
        if exc.status == 404:
            return ModelMissingError(
                f"{self.client.server} at {self.client.base_url} has no model {model!r}"
                + (f" ({exc.server_message})" if exc.server_message else ""),
                hint=f"Pull it (ollama pull {model}) or set remote_model to an installed one "
                "(ollama list).",
            )
        return exc


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
