"""A model behind an OpenAI-compatible chat completions API (vLLM, llama.cpp, OpenAI, ...).

``POST {base_url}/chat/completions``, not streamed. The answer schema travels as
``response_format``, in the first form the server accepts, remembered for the backend's life:

1. ``{"type": "json_schema", "json_schema": {"name", "schema", "strict": true}}``: OpenAI's form,
   also taken by vLLM and llama.cpp's ``llama-server``;
2. ``{"type": "json_object", "schema": ...}``: llama-cpp-python's server, whose request model
   only allows ``text`` and ``json_object`` and turns ``schema`` into a grammar (to the first
   form it answers HTTP 500 with the validation error: its error handler turns every
   exception into a 500);
3. none: the answer is unconstrained (``Generation.constrained`` is False) and the shared
   parse ladder (``cmdai.parsing``) recovers what it can.

A form is dropped only when the server refuses it (400 or 422, or a 500 naming
``response_format``). Backends return raw text; parsing and safety stay in ``cmdai.core``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any, Literal

from cmdai.backends.base import Generation, GenerationRequest, TextCallback
from cmdai.backends.http import HttpClient, ServerError
from cmdai.errors import BackendError, CmdaiError, ConfigError, ModelMissingError
from cmdai.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
"""vLLM's and llama-cpp-python's default address (llama.cpp's llama-server uses port 8080)."""

ResponseFormat = Literal["json_schema", "json_object", "none"]
FORMATS: tuple[ResponseFormat, ...] = ("json_schema", "json_object", "none")
SCHEMA_NAME = "cmdai_answer"

# What a server says when it rejects a response_format (llama-cpp-python: "body.response_format
# .type: Input should be 'text' or 'json_object'"; OpenAI: "'response_format' of type
# 'json_schema' is not supported with this model").
_ABOUT_FORMAT = re.compile(r"response_format|json_schema|json_object|schema|grammar", re.I)


class OpenAIBackend:
    """Chat completions from an OpenAI-compatible server."""

    name = "openai"

    def __init__(self, client: HttpClient, *, model: str | None) -> None:
        """Use ``client``'s server; ``model`` None means the only model the server lists."""
        self.client = client
        self._model = model
        self._format = 0
        self._served: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **client_options: Any) -> OpenAIBackend:
        """Build from ``base_url``, ``remote_model``, the API key, ``timeout_s``, ``retries``."""
        client = HttpClient.from_settings(
            settings,
            default_url=DEFAULT_BASE_URL,
            server="the OpenAI-compatible server",
            **client_options,
        )
        return cls(client, model=settings.remote_model)

    @property
    def response_format(self) -> ResponseFormat:
        """The ``response_format`` form requests with a schema use now."""
        return FORMATS[self._format]

    def describe(self) -> dict[str, Any]:
        """The server and model (never the API key)."""
        return {
            "backend": self.name,
            "name": self._model,
            "served_model": self._served,
            "base_url": self.client.base_url,
            "response_format": self.response_format,
            "path": None,
            "sha256": None,
        }

    def list_models(self) -> list[str]:
        """The model ids the server lists (``GET /models``)."""
        doc = self.client.get_json("/models")
        data = doc.get("data") if isinstance(doc, dict) else None
        if not isinstance(data, list):
            raise BackendError(
                f"{self.client.url('/models')} did not answer with a model list",
                hint="Check that base_url points at an OpenAI-compatible API (it usually ends "
                "in /v1).",
            )
        return [str(m["id"]) for m in data if isinstance(m, dict) and "id" in m]

    def model_name(self) -> str:
        """The configured model, else the only one the server lists.

        Raises:
            ConfigError: the server lists several models and none is configured.
            ModelMissingError: the server lists none.
        """
        if self._model:
            return self._model
        models = self.list_models()
        if len(models) == 1:
            self._model = models[0]
            return self._model
        if not models:
            raise ModelMissingError(
                f"{self.client.server} at {self.client.base_url} lists no model",
                hint="Load a model in the server, then try again.",
            )
        raise ConfigError(
            f"{self.client.server} at {self.client.base_url} serves {len(models)} models "
            "and remote_model is not set",
            hint="Choose one with --remote-model or CMDAI_REMOTE_MODEL: " + ", ".join(models),
        )

    def generate(
        self,
        request: GenerationRequest,
        on_text: TextCallback | None = None,
    ) -> Generation:
        """One chat completion; see the module docstring for how the schema is passed."""
        model = self.model_name()
        start = time.perf_counter()
        while True:
            form: ResponseFormat = self.response_format if request.json_schema else "none"
            try:
                doc = self.client.post_json("/chat/completions", self._body(request, model, form))
                break
            except ServerError as exc:
                if form != "none" and self._format_refused(exc):
                    log.info(
                        "the server refused response_format %s (%s); trying the next form",
                        form,
                        exc.server_message,
                    )
                    self._format += 1
                    continue
                raise self._explain(exc, model) from None
        return self._generation(doc, form, time.perf_counter() - start)

    def _body(self, request: GenerationRequest, model: str, form: ResponseFormat) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
            "stream": False,
        }
        if request.stop and not request.prefill:
            # A chat API cannot start the answer with a prefill, so stops written for the
            # text after one would cut the answer short: they are sent only without one.
            body["stop"] = list(request.stop)
        if request.repeat_penalty != 1.0:
            # repeat_penalty is llama.cpp's name; frequency_penalty is the one every
            # OpenAI-compatible server takes, and it unsticks a looping answer the same way.
            body["frequency_penalty"] = round(min(2.0, request.repeat_penalty - 1.0), 3)
        if request.json_schema is not None and form != "none":
            schema = json.loads(request.json_schema)
            if form == "json_schema":
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": SCHEMA_NAME, "schema": schema, "strict": True},
                }
            else:
                body["response_format"] = {"type": "json_object", "schema": schema}
        return body

    def _format_refused(self, exc: ServerError) -> bool:
        if self._format >= len(FORMATS) - 1:
            return False
        message = exc.server_message
        if exc.status in (400, 422):
            return not message or bool(_ABOUT_FORMAT.search(message))
        # llama-cpp-python reports its request validation errors as 500s.
        return exc.status == 500 and "response_format" in message

    def _generation(self, doc: Any, form: ResponseFormat, elapsed: float) -> Generation:
        choices = doc.get("choices") if isinstance(doc, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise BackendError(
                f"{self.client.server} answered without a completion (no choices)",
                hint="Check that base_url points at an OpenAI-compatible API.",
            )
        choice = choices[0]
        message: dict[str, Any] = (
            choice["message"] if isinstance(choice.get("message"), dict) else {}
        )
        content = message.get("content")
        if content is None and message.get("refusal"):
            raise BackendError(
                "the model refused: " + self.client.scrub(str(message["refusal"])),
                hint="Rephrase the request.",
            )
        if not isinstance(content, (str, type(None))):
            raise BackendError(
                f"{self.client.server} answered with non-text content",
                hint="cmdai needs a text chat model.",
            )
        self._served = str(doc.get("model")) if doc.get("model") else self._served
        usage = doc.get("usage") if isinstance(doc.get("usage"), dict) else {}
        details = usage.get("prompt_tokens_details")
        cached = details.get("cached_tokens") if isinstance(details, dict) else 0
        return Generation(
            text=content or "",
            prompt_tokens=_int(usage.get("prompt_tokens")),
            completion_tokens=_int(usage.get("completion_tokens")),
            load_s=0.0,
            generate_s=elapsed,
            constrained=form != "none",
            cached_tokens=_int(cached),
            truncated=choice.get("finish_reason") == "length",
        )

    def _explain(self, exc: ServerError, model: str) -> CmdaiError:
        """A 404 is usually an unknown model (or a base_url without /v1): say which."""
        if exc.status != 404:
            return exc
        try:
            models = self.list_models()
        except CmdaiError:
            return BackendError(
                f"{self.client.server} has no chat completions API at {self.client.base_url}",
                hint="Check base_url: an OpenAI-compatible server's usually ends in /v1 "
                "(e.g. http://127.0.0.1:8000/v1).",
            )
        if model in models:
            return exc
        return ModelMissingError(
            f"{self.client.server} at {self.client.base_url} does not serve the model {model!r}",
            hint="Set remote_model (--remote-model / CMDAI_REMOTE_MODEL) to one it serves: "
            + (", ".join(models) or "(none listed)"),
        )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
